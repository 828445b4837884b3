import { describe, expect, it } from 'vitest';
import { OffsetTracker } from '../../../runtime/worker/offset-tracker.js';

const record = (file: string, position: number) => ({ sourcePartition: { file }, sourceOffset: { position } });

describe('OffsetTracker', () => {
  it('reports, when asked to, how far each partition is acknowledged: only a prefix without gaps, once per advance', () => {
    const tracker = new OffsetTracker({ reportAcknowledged: true });
    const [a1, a2, a3] = [1, 2, 3].map((p) => tracker.submit(record('a', p)));
    const b1 = tracker.submit(record('b', 1));
    tracker.ack(a2!);
    expect(tracker.takeAcknowledged()).toEqual([]);
    tracker.ack(a1!);
    tracker.ack(b1);
    expect(tracker.takeAcknowledged()).toEqual([
      { partition: { file: 'a' }, offset: { position: 2 } },
      { partition: { file: 'b' }, offset: { position: 1 } },
    ]);
    expect(tracker.takeAcknowledged()).toEqual([]);
    // Committing offsets in between does not change what is reported.
    tracker.committableOffsets();
    tracker.ack(a3!);
    expect(tracker.takeAcknowledged()).toEqual([{ partition: { file: 'a' }, offset: { position: 3 } }]);
    expect(new OffsetTracker().takeAcknowledged()).toEqual([]);
  });

  it('commits nothing while the first record of a partition is unacknowledged', () => {
    const tracker = new OffsetTracker();
    tracker.submit(record('a', 1));
    const second = tracker.submit(record('a', 2));
    tracker.ack(second);
    expect(tracker.committableOffsets()).toMatchObject({ offsets: [], committableCount: 0, uncommittableCount: 2 });
    expect(tracker.pendingCount).toBe(2);
    expect(tracker.unackedCount).toBe(1);
  });

  it('commits only offsets below the first unacknowledged record', () => {
    const tracker = new OffsetTracker();
    const [r1, r2, r3, r4] = [1, 2, 3, 4].map((p) => tracker.submit(record('a', p)));
    tracker.ack(r4!);
    tracker.ack(r2!);
    tracker.ack(r1!);
    expect(tracker.committableOffsets()).toMatchObject({
      offsets: [{ partition: { file: 'a' }, offset: { position: 2 } }],
      committableCount: 2,
      uncommittableCount: 2,
    });
    tracker.ack(r3!);
    expect(tracker.committableOffsets().offsets).toEqual([{ partition: { file: 'a' }, offset: { position: 4 } }]);
    expect(tracker.pendingCount).toBe(0);
  });

  it('releases committed records, so the same offset is not returned twice', () => {
    const tracker = new OffsetTracker();
    tracker.ack(tracker.submit(record('a', 1)));
    expect(tracker.committableOffsets().offsets).toHaveLength(1);
    expect(tracker.committableOffsets()).toEqual({
      offsets: [],
      committableCount: 0,
      uncommittableCount: 0,
      partitionCount: 0,
      largestQueueSize: 0,
      largestQueuePartition: null,
    });
  });

  it('tracks partitions independently', () => {
    const tracker = new OffsetTracker();
    const a1 = tracker.submit(record('a', 1));
    tracker.submit(record('b', 1));
    const a2 = tracker.submit(record('a', 2));
    const b2 = tracker.submit(record('b', 2));
    const c1 = tracker.submit(record('c', 1));
    tracker.ack(a1);
    tracker.ack(a2);
    tracker.ack(b2);
    tracker.ack(c1);
    const result = tracker.committableOffsets();
    expect(result.offsets).toEqual([
      { partition: { file: 'a' }, offset: { position: 2 } },
      { partition: { file: 'c' }, offset: { position: 1 } },
    ]);
    expect(result).toMatchObject({ partitionCount: 1, largestQueueSize: 2, largestQueuePartition: { file: 'b' } });
  });

  it('treats partitions with the same members in another order as one partition', () => {
    const tracker = new OffsetTracker();
    const first = tracker.submit({ sourcePartition: { db: 'x', table: 't' }, sourceOffset: { id: 1 } });
    const second = tracker.submit({ sourcePartition: { table: 't', db: 'x' }, sourceOffset: { id: 2 } });
    tracker.ack(second);
    expect(tracker.committableOffsets().offsets).toEqual([]);
    tracker.ack(first);
    expect(tracker.committableOffsets().offsets).toEqual([{ partition: { table: 't', db: 'x' }, offset: { id: 2 } }]);
  });

  it('tracks records without a source partition in a partition of their own', () => {
    const tracker = new OffsetTracker();
    tracker.ack(tracker.submit({ sourcePartition: null, sourceOffset: null }));
    tracker.submit(record('a', 1));
    expect(tracker.committableOffsets().offsets).toEqual([{ partition: null, offset: null }]);
  });

  it('ignores a second acknowledgement of the same record', () => {
    const tracker = new OffsetTracker();
    const r = tracker.submit(record('a', 1));
    tracker.submit(record('a', 2));
    tracker.ack(r);
    tracker.ack(r);
    expect(tracker.unackedCount).toBe(1);
    expect(r.isAcked).toBe(true);
  });

  it('forgets a dropped record so it neither blocks commits nor counts as in flight', () => {
    const tracker = new OffsetTracker();
    const r1 = tracker.submit(record('a', 1));
    const r2 = tracker.submit(record('a', 2));
    expect(tracker.drop(r2)).toBe(true);
    expect(tracker.drop(r2)).toBe(false);
    tracker.ack(r2);
    expect(tracker.unackedCount).toBe(1);
    tracker.ack(r1);
    expect(tracker.committableOffsets().offsets).toEqual([{ partition: { file: 'a' }, offset: { position: 1 } }]);
    expect(tracker.pendingCount).toBe(0);
  });

  it('holds only the records from the first unacknowledged one on, however many were acknowledged since the last commit', () => {
    const tracker = new OffsetTracker();
    const blocker = tracker.submit(record('b', 0));
    let inFlight: ReturnType<OffsetTracker['submit']>[] = [];
    for (let position = 1; position <= 100_000; position++) {
      inFlight.push(tracker.submit(record('a', position)));
      if (inFlight.length === 100) {
        for (const r of inFlight) tracker.ack(r);
        inFlight = [];
      }
    }
    expect(tracker.heldCount).toBeLessThanOrEqual(2);
    expect(tracker.pendingCount).toBe(100_001);
    const result = tracker.committableOffsets();
    expect(result.offsets).toEqual([{ partition: { file: 'a' }, offset: { position: 100_000 } }]);
    expect(result).toMatchObject({ committableCount: 100_000, uncommittableCount: 1, largestQueuePartition: { file: 'b' } });
    tracker.ack(blocker);
    expect(tracker.heldCount).toBe(0);
  });

  it('keeps acknowledged records behind an unacknowledged one until it is acknowledged', () => {
    const tracker = new OffsetTracker();
    const first = tracker.submit(record('a', 0));
    for (let position = 1; position <= 5_000; position++) tracker.ack(tracker.submit(record('a', position)));
    expect(tracker.heldCount).toBe(5_001);
    tracker.ack(first);
    expect(tracker.heldCount).toBe(0);
    expect(tracker.committableOffsets()).toMatchObject({
      offsets: [{ partition: { file: 'a' }, offset: { position: 5_000 } }],
      committableCount: 5_001,
      uncommittableCount: 0,
    });
  });

  it('refuses records submitted to another tracker', () => {
    const r = new OffsetTracker().submit(record('a', 1));
    expect(() => new OffsetTracker().ack(r)).toThrow(/not submitted to this tracker/);
  });

  it('waits until every submitted record is acknowledged', async () => {
    const tracker = new OffsetTracker();
    expect(await tracker.awaitAllAcked(10)).toBe(true);
    const r1 = tracker.submit(record('a', 1));
    const r2 = tracker.submit(record('b', 1));
    const drained = tracker.awaitAllAcked(5_000);
    tracker.ack(r2);
    queueMicrotask(() => tracker.ack(r1));
    expect(await drained).toBe(true);
  });

  it('gives up waiting after the timeout while records are still unacknowledged', async () => {
    const tracker = new OffsetTracker();
    tracker.submit(record('a', 1));
    expect(await tracker.awaitAllAcked(20)).toBe(false);
    expect(tracker.unackedCount).toBe(1);
  });

  describe('records acknowledged together (one send)', () => {
    it('holds one entry per run of a partition, counting every record, and commits the run\'s last offset', () => {
      const tracker = new OffsetTracker();
      let entry = tracker.submit(record('a', 1));
      for (const p of [2, 3, 4]) expect(tracker.submit(record('a', p), entry)).toBe(entry);
      expect(tracker.unackedCount).toBe(4);
      expect(tracker.heldCount).toBe(4);
      entry = tracker.submit(record('b', 1), entry);
      tracker.ack(entry);
      expect(tracker.committableOffsets()).toMatchObject({
        offsets: [{ partition: { file: 'b' }, offset: { position: 1 } }], committableCount: 1, uncommittableCount: 4,
      });
    });

    it('starts a new entry when a record of the partition was submitted in between, so its place in the order is kept', () => {
      const tracker = new OffsetTracker();
      const send = tracker.submit(record('a', 1));
      tracker.ack(tracker.submit(record('a', 2)));
      const next = tracker.submit(record('a', 3), send);
      expect(next).not.toBe(send);
      tracker.ack(send);
      expect(tracker.committableOffsets()).toMatchObject({ offsets: [{ offset: { position: 2 } }], committableCount: 2, uncommittableCount: 1 });
      tracker.ack(next);
      expect(tracker.committableOffsets()).toMatchObject({ offsets: [{ offset: { position: 3 } }], committableCount: 1 });
      expect(tracker.pendingCount).toBe(0);
    });

    it('never extends an acknowledged entry, and dropping an entry forgets all of its records', async () => {
      const tracker = new OffsetTracker();
      const acked = tracker.submit(record('a', 1));
      tracker.ack(acked);
      const entry = tracker.submit(record('a', 2), acked);
      expect(entry).not.toBe(acked);
      tracker.submit(record('a', 3), entry);
      expect(tracker.drop(entry)).toBe(true);
      expect(tracker.unackedCount).toBe(0);
      expect(tracker.pendingCount).toBe(1);
      await expect(tracker.awaitAllAcked(1000)).resolves.toBe(true);
      expect(tracker.committableOffsets().offsets).toEqual([{ partition: { file: 'a' }, offset: { position: 1 } }]);
    });
  });
});
