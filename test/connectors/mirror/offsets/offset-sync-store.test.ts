import { describe, expect, it } from 'vitest';
import { MAX_SYNCS, OffsetSyncStore } from '../../../../connectors/mirror/offsets/offset-sync-store.js';
import { seededRandom } from '../../../helpers/seeded-random.js';

const sync = (upstreamOffset: number, downstreamOffset: number, topic = 't', partition = 0) => ({ topic, partition, upstreamOffset, downstreamOffset });

interface Replication {
  store: OffsetSyncStore;
  /** Downstream offset of each replicated upstream offset, ascending by upstream. */
  upstream: number[];
  downstream: number[];
  lastSyncUpstream: number;
}

/**
 * Replicates `count` upstream offsets of which a random share is absent downstream (compacted
 * away, filtered or aborted), emitting syncs by MirrorSourceTask's rules: the first, a gap in
 * upstream offsets, or `lagMax` records past the last sync; a held-back sync is flushed every
 * `flushEvery` records as an offset commit would.
 */
function replicate(count: number, options: { lagMax: number; dropRate: number; flushEvery: number; seed: number }): Replication {
  const next = seededRandom(options.seed);
  const store = new OffsetSyncStore();
  const upstream: number[] = [];
  const downstream: number[] = [];
  let lastSync: { u: number; d: number } | null = null;
  let pending: { u: number; d: number } | null = null;
  let prevU = -2;
  let lastSyncUpstream = -1;
  const emit = (s: { u: number; d: number }) => {
    store.add(sync(s.u, s.d));
    lastSync = s;
    lastSyncUpstream = s.u;
    pending = null;
  };
  for (let u = 0; u < count; u++) {
    if (next() < options.dropRate) continue;
    const d = downstream.length;
    upstream.push(u);
    downstream.push(d);
    const s = { u, d };
    const last = lastSync as { u: number; d: number } | null;
    if (last === null || u !== prevU + 1 || d - (last.d + 1) >= options.lagMax) emit(s);
    else pending = s;
    prevU = u;
    if (upstream.length % options.flushEvery === 0 && pending !== null) emit(pending);
  }
  if (pending !== null) emit(pending);
  return { store, upstream, downstream, lastSyncUpstream };
}

/** Where a consumer that will next read upstream offset g finds its next record downstream. */
function truePosition(r: Replication, g: number): number {
  let lo = 0;
  let hi = r.upstream.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (r.upstream[mid] < g) lo = mid + 1;
    else hi = mid;
  }
  return lo < r.upstream.length ? r.downstream[lo] : r.downstream.length;
}

describe('OffsetSyncStore translation rule', () => {
  it('answers undefined for a partition without syncs and -1 when every sync is past the offset', () => {
    const store = new OffsetSyncStore();
    expect(store.translateDownstream('t', 0, 10)).toBeUndefined();
    store.add(sync(100, 50));
    expect(store.translateDownstream('t', 1, 100)).toBeUndefined();
    expect(store.translateDownstream('other', 0, 100)).toBeUndefined();
    expect(store.translateDownstream('t', 0, 99)).toBe(-1);
  });

  it('maps an offset equal to a sync to its downstream, and one past it to downstream + 1, never further', () => {
    const store = new OffsetSyncStore();
    store.add(sync(100, 50));
    store.add(sync(200, 150));
    expect(store.translateDownstream('t', 0, 100)).toBe(50);
    expect(store.translateDownstream('t', 0, 101)).toBe(51);
    expect(store.translateDownstream('t', 0, 199)).toBe(51);
    expect(store.translateDownstream('t', 0, 200)).toBe(150);
    expect(store.translateDownstream('t', 0, 10_000)).toBe(151);
  });

  it('keeps partitions and topics apart, including topic names that look like other keys', () => {
    const store = new OffsetSyncStore();
    store.add(sync(10, 1, 'a-1', 0));
    store.add(sync(10, 2, 'a', 10));
    store.add(sync(10, 3, 'a', 1));
    expect(store.translateDownstream('a-1', 0, 10)).toBe(1);
    expect(store.translateDownstream('a', 10, 10)).toBe(2);
    expect(store.translateDownstream('a', 1, 10)).toBe(3);
  });

  it('drops every sync when the downstream offset goes backwards (target truncated or recreated)', () => {
    const store = new OffsetSyncStore();
    store.add(sync(100, 100));
    store.add(sync(200, 200));
    store.add(sync(300, 5));
    expect(store.syncCount('t', 0)).toBe(1);
    expect(store.translateDownstream('t', 0, 150)).toBe(-1);
    expect(store.translateDownstream('t', 0, 300)).toBe(5);
  });

  it('after the source is re-read (upstream rewinds, downstream advances) keeps only the older syncs that still hold', () => {
    const store = new OffsetSyncStore();
    store.add(sync(100, 100));
    store.add(sync(200, 200));
    store.add(sync(300, 300));
    store.add(sync(150, 350));
    expect(store.syncCount('t', 0)).toBe(2);
    expect(store.translateDownstream('t', 0, 120)).toBe(101);
    expect(store.translateDownstream('t', 0, 250)).toBe(351);
  });

  it('replaces the latest sync when a repeat has the same upstream offset', () => {
    const store = new OffsetSyncStore();
    store.add(sync(100, 100));
    store.add(sync(200, 200));
    store.add(sync(200, 200));
    expect(store.syncCount('t', 0)).toBe(2);
    store.add(sync(200, 230));
    expect(store.syncCount('t', 0)).toBe(2);
    expect(store.translateDownstream('t', 0, 200)).toBe(230);
  });
});

describe('OffsetSyncStore over long sequences', () => {
  it(`holds at most ${MAX_SYNCS} syncs per partition yet still translates the oldest offsets it saw`, () => {
    const store = new OffsetSyncStore();
    for (let i = 0; i < 100_000; i++) store.add(sync(i * 100, i * 100));
    expect(store.syncCount('t', 0)).toBe(MAX_SYNCS);
    expect(store.translateDownstream('t', 0, 0)).toBe(0);
    expect(store.translateDownstream('t', 0, 50)).toBe(1);
    expect(store.translateDownstream('t', 0, 99_999 * 100)).toBe(99_999 * 100);
  });

  it('spaces old syncs roughly exponentially: a group D behind the live end is rewound by a bounded share of D', () => {
    const store = new OffsetSyncStore();
    const N = 1_000_000;
    for (let i = 0; i <= N; i++) store.add(sync(i * 10, i * 10));
    const head = N * 10;
    for (const lag of [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 5_000_000, 9_999_990]) {
      const g = head - lag;
      const translated = store.translateDownstream('t', 0, g)!;
      expect(translated, `lag ${lag}`).toBeLessThanOrEqual(g);
      expect(g - translated, `rewind at lag ${lag}`).toBeLessThanOrEqual(Math.max(10, 0.5 * lag));
    }
  });

  for (const scenario of [
    { name: 'dense replication', count: 200_000, lagMax: 100, dropRate: 0, flushEvery: 5_000, seed: 1 },
    { name: 'a compacted source (40% of offsets gone)', count: 200_000, lagMax: 100, dropRate: 0.4, flushEvery: 5_000, seed: 2 },
    { name: 'rare gaps', count: 300_000, lagMax: 100, dropRate: 0.001, flushEvery: 20_000, seed: 3 },
    { name: 'offset.lag.max 0 (a sync every record)', count: 50_000, lagMax: 0, dropRate: 0.05, flushEvery: 1_000, seed: 4 },
  ]) {
    it(`never skips a record for any committed offset, with ${scenario.name}`, () => {
      const r = replicate(scenario.count, scenario);
      const check = seededRandom(scenario.seed + 100);
      const firstSynced = r.upstream[0];
      let translatedLagging = 0;
      for (let i = 0; i < 5_000; i++) {
        // Committed offsets anywhere, weighted towards far behind the end.
        const g = Math.floor(check() ** 3 * (scenario.count + 10));
        const translated = r.store.translateDownstream('t', 0, g);
        expect(translated).not.toBeUndefined();
        if (g < firstSynced) {
          expect(translated).toBe(-1);
          continue;
        }
        expect(translated, `upstream ${g}`).toBeGreaterThanOrEqual(0);
        expect(translated!, `upstream ${g} translated past its next record`).toBeLessThanOrEqual(truePosition(r, g));
        if (g < scenario.count / 2) translatedLagging++;
      }
      expect(translatedLagging).toBeGreaterThan(1_000);
      // Caught up with the last sync: exact.
      expect(r.store.translateDownstream('t', 0, r.lastSyncUpstream)).toBe(truePosition(r, r.lastSyncUpstream));
    });
  }

  it('translates monotonically: a later committed offset never maps before an earlier one', () => {
    const r = replicate(100_000, { lagMax: 100, dropRate: 0.2, flushEvery: 3_000, seed: 9 });
    let previous = -1;
    for (let g = 0; g <= 100_000; g += 37) {
      const translated = r.store.translateDownstream('t', 0, g)!;
      expect(translated).toBeGreaterThanOrEqual(previous);
      previous = translated;
    }
  });
});
