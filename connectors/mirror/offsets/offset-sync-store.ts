/**
 * Offset syncs per source partition, thinned so that offsets far behind the live end still
 * translate (reference §6.5, the store KAFKA-14666 introduced), and the translation rule.
 *
 * Invariants, per partition (`syncs`, latest first):
 * - At most MAX_SYNCS (64) entries; syncs[0] is the latest sync received.
 * - Upstream and downstream offsets both strictly decrease along the array, so every entry is a
 *   sync the current downstream log still agrees with.
 * - The oldest entry is kept once the array is full; when a 65th arrives, the interior entry whose
 *   removal opens the smallest gap relative to its distance from syncs[0] goes. Gaps therefore
 *   grow roughly geometrically with age: a group D offsets behind the latest sync is rewound at
 *   most about a fixed fraction of D further, and never past the oldest sync.
 * - A sync whose downstream offset is below the latest one's means the target topic was truncated
 *   or recreated: no earlier sync can be trusted, all are dropped. A sync whose upstream offset is
 *   at or below earlier ones (the source task re-read after a restart, so records were written
 *   again further on) replaces just those; older syncs still describe where records first landed.
 *
 * Translation of a committed (next) upstream offset g: the latest stored sync with upstream <= g;
 * downstream exactly when upstream == g, else downstream + 1 (records between may not exist
 * downstream, so never extrapolate further). Result is never past the downstream position of the
 * group's next record: re-reads, never skips.
 */
import type { OffsetSync } from '../records/offset-sync.js';

export const MAX_SYNCS = 64;

interface StoredSync {
  readonly upstream: number;
  readonly downstream: number;
}

export class OffsetSyncStore {
  readonly #partitions = new Map<string, StoredSync[]>();

  add(sync: OffsetSync): void {
    const key = partitionKey(sync.topic, sync.partition);
    const entry: StoredSync = { upstream: sync.upstreamOffset, downstream: sync.downstreamOffset };
    const syncs = this.#partitions.get(key);
    if (syncs === undefined) {
      this.#partitions.set(key, [entry]);
      return;
    }
    if (entry.downstream < syncs[0].downstream) {
      syncs.length = 0;
    } else {
      let superseded = 0;
      while (superseded < syncs.length && (syncs[superseded].upstream >= entry.upstream || syncs[superseded].downstream >= entry.downstream)) superseded++;
      syncs.splice(0, superseded);
    }
    syncs.unshift(entry);
    if (syncs.length > MAX_SYNCS) syncs.splice(cheapestToDrop(syncs), 1);
  }

  /** -1 when every stored sync is past the offset; undefined when the partition has none. */
  translateDownstream(topic: string, partition: number, upstreamOffset: number): number | undefined {
    const syncs = this.#partitions.get(partitionKey(topic, partition));
    if (syncs === undefined) return undefined;
    for (const sync of syncs) {
      if (sync.upstream <= upstreamOffset) return sync.upstream === upstreamOffset ? sync.downstream : sync.downstream + 1;
    }
    return -1;
  }

  /** How many syncs the partition holds (for tests and diagnostics). */
  syncCount(topic: string, partition: number): number {
    return this.#partitions.get(partitionKey(topic, partition))?.length ?? 0;
  }
}

function partitionKey(topic: string, partition: number): string {
  return `${partition}:${topic}`;
}

/**
 * The interior index whose removal opens the smallest gap for its distance from the latest sync.
 * Ties go to the older entry, keeping recent syncs dense.
 */
function cheapestToDrop(syncs: readonly StoredSync[]): number {
  const head = syncs[0].upstream;
  let best = 1;
  let bestCost = Infinity;
  for (let i = 1; i < syncs.length - 1; i++) {
    const gap = syncs[i - 1].upstream - syncs[i + 1].upstream;
    const cost = gap / (head - syncs[i - 1].upstream + 1);
    if (cost <= bestCost) {
      best = i;
      bestCost = cost;
    }
  }
  return best;
}
