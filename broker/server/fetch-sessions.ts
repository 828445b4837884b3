/**
 * Incremental fetch sessions (KIP-227): the broker remembers which partitions a fetcher reads,
 * at which offsets and with which per-partition limits, so a fetcher with many partitions sends
 * only what changed and hears back only about partitions that have something to say.
 *
 * Request metadata (Fetch v7+), as the KIP defines it:
 *
 * | session_id | epoch | meaning |
 * | --- | --- | --- |
 * | 0 | -1 | sessionless full fetch (what pre-KIP-227 clients, kafkajs and librdkafka send) |
 * | 0 | 0 | full fetch; a new session is created when the response is built |
 * | X | 0 | session X is closed, then as (0, 0) |
 * | X | -1 | session X is closed, then as (0, -1) |
 * | X | n > 0 | incremental fetch in session X; n must be the session's next epoch |
 *
 * A session is created with epoch 1. Every incremental request that passes the checks moves the
 * epoch on by one (after 2^31-1 comes 1), so the next request must carry the following number; a
 * request whose epoch differs gets INVALID_FETCH_SESSION_EPOCH (71), an unknown or dropped id
 * FETCH_SESSION_ID_NOT_FOUND (70). Either way the client starts over with a full fetch.
 *
 * What a response of an incremental fetch lists: partitions with records, partitions with an
 * error, and partitions whose high watermark, last stable offset or log start offset differ from
 * what this session last sent. Kafka compares the high watermark and log start offset only; a
 * last stable offset moves with a transaction marker, which moves the high watermark too, so
 * comparing it as well changes nothing for Kafka's clients and keeps read_committed fetchers
 * exact. After an error the cached high watermark is -1, so the partition is listed again when
 * the error clears. A partition that returned records moves to the end of the session's order,
 * so under max_bytes the next fetches serve the other partitions first (Kafka does the same).
 *
 * Invariants of the cache:
 * - Session ids are unique among live sessions, random and never 0.
 * - `sessions` iterates least recently used first: a use re-inserts the session at the end.
 * - At most `maxSlots` sessions are held; with 0 slots no session is ever created and every full
 *   fetch is answered sessionless (session_id 0), which clients accept.
 * - A session unused for longer than `evictionMs` is dropped before the cache is next consulted.
 *
 * Eviction: when a new session needs a slot and none is free, the least recently used session is
 * dropped; its fetcher gets 70 on its next incremental fetch and sends one full fetch. Kafka's
 * rules are more involved: it first drops a session idle for longer than
 * min.incremental.fetch.session.eviction.ms, otherwise it displaces a session that is older than
 * that and has no more partitions than the new one, and otherwise creates no session (the new
 * fetcher stays sessionless). Kafka also keeps an idle session usable until something displaces
 * it, where ferry drops it once idle for that long. Ferry has no replica followers, so Kafka's
 * privileged (follower) sessions have no counterpart here.
 */
import { randomInt } from 'node:crypto';

export const SESSIONLESS_ID = 0;
export const INITIAL_EPOCH = 0;
export const FINAL_EPOCH = -1;
const INT32_MAX = 2147483647;

/** The epoch after `epoch`: 1 follows 2^31-1, and nothing follows the final epoch. */
export function nextEpoch(epoch: number): number {
  if (epoch < 0) return FINAL_EPOCH;
  return epoch === INT32_MAX ? 1 : epoch + 1;
}

/** What a fetch asks of one partition. */
export interface PartitionFetch {
  topic: string;
  partition: number;
  fetchOffset: number;
  maxBytes: number;
}

/** What a fetch answered for one partition, as far as sessions care. */
export interface PartitionOutcome {
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  recordBytes: number;
}

interface CachedPartition extends PartitionFetch {
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
}

const keyOf = (topic: string, partition: number) => `${partition}:${topic}`;

export class FetchSession {
  /** The epoch the next incremental request must carry. */
  epoch = nextEpoch(INITIAL_EPOCH);
  private readonly partitions = new Map<string, CachedPartition>();

  constructor(readonly id: number, public lastUsedMs: number) {}

  get size(): number {
    return this.partitions.size;
  }

  /** The partitions to read, in the session's order. */
  fetches(): PartitionFetch[] {
    return [...this.partitions.values()].map(({ topic, partition, fetchOffset, maxBytes }) =>
      ({ topic, partition, fetchOffset, maxBytes }));
  }

  /**
   * Applies an incremental request: partitions it names are added or take its offset and limit,
   * then forgotten ones are removed. A partition joining the session has sent nothing yet, so
   * its first response lists it.
   */
  update(fetches: PartitionFetch[], forgotten: { topic: string; partition: number }[]): void {
    for (const f of fetches) {
      const cached = this.partitions.get(keyOf(f.topic, f.partition));
      if (cached) {
        cached.fetchOffset = f.fetchOffset;
        cached.maxBytes = f.maxBytes;
      } else {
        this.partitions.set(keyOf(f.topic, f.partition),
          { ...f, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1 });
      }
    }
    for (const f of forgotten) this.partitions.delete(keyOf(f.topic, f.partition));
  }

  /**
   * Records what the response sends for a partition and says whether it must be listed (see
   * the header). A partition the session no longer holds is listed, without being recorded.
   */
  mustList(topic: string, partition: number, outcome: PartitionOutcome): boolean {
    const key = keyOf(topic, partition);
    const cached = this.partitions.get(key);
    if (!cached) return true;
    const list = outcome.recordBytes > 0 || outcome.errorCode !== 0
      || cached.highWatermark !== outcome.highWatermark
      || cached.lastStableOffset !== outcome.lastStableOffset
      || cached.logStartOffset !== outcome.logStartOffset;
    remember(cached, outcome);
    if (outcome.recordBytes > 0) {
      this.partitions.delete(key);
      this.partitions.set(key, cached);
    }
    return list;
  }

  /** Holds the partitions of a full fetch, in its order, with what its response sent. */
  hold(partitions: { fetch: PartitionFetch; outcome: PartitionOutcome }[]): void {
    for (const { fetch, outcome } of partitions) {
      const cached = { ...fetch, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1 };
      remember(cached, outcome);
      this.partitions.set(keyOf(fetch.topic, fetch.partition), cached);
    }
  }
}

function remember(cached: CachedPartition, outcome: PartitionOutcome): void {
  cached.highWatermark = outcome.errorCode !== 0 ? -1 : outcome.highWatermark;
  cached.lastStableOffset = outcome.lastStableOffset;
  cached.logStartOffset = outcome.logStartOffset;
}

export class FetchSessionCache {
  /** Least recently used first. */
  private readonly sessions = new Map<number, FetchSession>();

  constructor(
    private readonly maxSlots: number,
    private readonly evictionMs: number,
    private readonly now: () => number,
  ) {}

  get size(): number {
    this.expire();
    return this.sessions.size;
  }

  get(id: number): FetchSession | undefined {
    this.expire();
    return this.sessions.get(id);
  }

  /** Marks a session as just used. */
  touch(session: FetchSession): void {
    if (this.sessions.get(session.id) !== session) return;
    this.sessions.delete(session.id);
    session.lastUsedMs = this.now();
    this.sessions.set(session.id, session);
  }

  remove(id: number): boolean {
    return this.sessions.delete(id);
  }

  /**
   * A new session holding `partitions` with what the response sends for each, or undefined when
   * the cache has no slots at all. Takes the least recently used session's slot when full.
   */
  create(partitions: { fetch: PartitionFetch; outcome: PartitionOutcome }[]): FetchSession | undefined {
    if (this.maxSlots <= 0) return undefined;
    this.expire();
    while (this.sessions.size >= this.maxSlots) {
      this.sessions.delete(this.sessions.keys().next().value!);
    }
    let id: number;
    do id = randomInt(1, INT32_MAX); while (this.sessions.has(id));
    const session = new FetchSession(id, this.now());
    session.hold(partitions);
    this.sessions.set(id, session);
    return session;
  }

  private expire(): void {
    const oldest = this.now() - this.evictionMs;
    for (const session of this.sessions.values()) {
      if (session.lastUsedMs >= oldest) return;
      this.sessions.delete(session.id);
    }
  }
}
