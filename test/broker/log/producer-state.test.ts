import { describe, expect, it } from 'vitest';
import { ControlRecordType, encodeControlBatch } from '../../../broker/protocol/record-batch.js';
import type { PartitionLog } from '../../../broker/log/partition-log.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { batch, openLog, readAll, values } from './log-test-kit.js';

const PID = 4000;

function produce(log: PartitionLog, seq: number, n = 2, epoch = 0, extra: { transactional?: boolean } = {}) {
  return log.append(batch(values(n, `s${seq}-`), { producerId: PID, producerEpoch: epoch, baseSequence: seq, ...extra }),
    { now: 1_000, logAppendTime: false });
}

function marker(log: PartitionLog, type: ControlRecordType, epoch = 0) {
  return log.append(encodeControlBatch({ type, producerId: PID, producerEpoch: epoch, coordinatorEpoch: 0 }),
    { now: 1_000, logAppendTime: false });
}

describe('idempotent producer state', () => {
  it('answers a retried batch with its original offsets without appending it again', () => {
    const log = openLog(tempDir());
    expect(produce(log, 0)).toMatchObject({ ok: true, baseOffset: 0, lastOffset: 1, duplicate: false });
    expect(produce(log, 2)).toMatchObject({ ok: true, baseOffset: 2, lastOffset: 3 });
    expect(produce(log, 0)).toMatchObject({ ok: true, baseOffset: 0, lastOffset: 1, duplicate: true });
    expect(produce(log, 2)).toMatchObject({ ok: true, baseOffset: 2, lastOffset: 3, duplicate: true });
    expect(log.logEndOffset).toBe(4);
    expect(readAll(log)).toHaveLength(4);
  });

  it('remembers the last five batches only', () => {
    const log = openLog(tempDir());
    for (let i = 0; i < 6; i++) produce(log, i * 2);
    expect(produce(log, 2)).toMatchObject({ ok: true, duplicate: true, baseOffset: 2 });
    expect(produce(log, 0)).toMatchObject({ ok: false, errorCode: 45 });
  });

  it('rejects sequence gaps with OUT_OF_ORDER_SEQUENCE_NUMBER', () => {
    const log = openLog(tempDir());
    produce(log, 0);
    expect(produce(log, 5)).toMatchObject({ ok: false, errorCode: 45 });
    expect(log.logEndOffset).toBe(2);
  });

  it('fences an older epoch and requires sequence 0 after an epoch bump', () => {
    const log = openLog(tempDir());
    produce(log, 0, 2, 3);
    expect(produce(log, 2, 2, 2)).toMatchObject({ ok: false, errorCode: 47 });
    expect(produce(log, 2, 2, 4)).toMatchObject({ ok: false, errorCode: 45 });
    expect(produce(log, 0, 2, 4)).toMatchObject({ ok: true, baseOffset: 2 });
  });

  it('accepts any sequence from a producer it has no state for', () => {
    const log = openLog(tempDir());
    expect(produce(log, 42)).toMatchObject({ ok: true, baseOffset: 0 });
    expect(produce(log, 44)).toMatchObject({ ok: true, baseOffset: 2 });
  });

  it('ignores sequence numbers of non-idempotent batches', () => {
    const log = openLog(tempDir());
    const plain = batch(values(2), { producerId: -1, producerEpoch: 0, baseSequence: 0 });
    expect(log.append(Buffer.from(plain), { now: 1, logAppendTime: false })).toMatchObject({ ok: true, baseOffset: 0 });
    expect(log.append(Buffer.from(plain), { now: 1, logAppendTime: false })).toMatchObject({ ok: true, baseOffset: 2 });
  });

  it('checks sequences across the batches of one multi-batch append', () => {
    const log = openLog(tempDir());
    const two = Buffer.concat([
      batch(values(2), { producerId: PID, producerEpoch: 0, baseSequence: 0 }),
      batch(values(3), { producerId: PID, producerEpoch: 0, baseSequence: 2 }),
    ]);
    expect(log.append(two, { now: 1, logAppendTime: false })).toMatchObject({ ok: true, baseOffset: 0, lastOffset: 4 });
    expect(produce(log, 5)).toMatchObject({ ok: true, baseOffset: 5 });
    const gap = Buffer.concat([
      batch(values(1), { producerId: PID, producerEpoch: 0, baseSequence: 7 }),
      batch(values(1), { producerId: PID, producerEpoch: 0, baseSequence: 9 }),
    ]);
    expect(log.append(gap, { now: 1, logAppendTime: false })).toMatchObject({ ok: false, errorCode: 45 });
  });

  it('still recognises duplicates after a clean reopen, an unclean reopen and across segment rolls', async () => {
    const dir = tempDir();
    const log = openLog(dir, { segmentBytes: 300 });
    for (let i = 0; i < 8; i++) produce(log, i * 2);
    expect(log.segmentCount).toBeGreaterThan(1);
    await log.close();

    const clean = openLog(dir, { segmentBytes: 300 }, { cleanShutdown: true });
    expect(produce(clean, 14)).toMatchObject({ ok: true, duplicate: true, baseOffset: 14 });
    expect(produce(clean, 16)).toMatchObject({ ok: true, duplicate: false, baseOffset: 16 });
    // abandoned without close: the last batches are only in the log, not in a snapshot
    const unclean = openLog(dir, { segmentBytes: 300 });
    expect(produce(unclean, 16)).toMatchObject({ ok: true, duplicate: true, baseOffset: 16 });
    expect(produce(unclean, 10)).toMatchObject({ ok: true, duplicate: true, baseOffset: 10 });
    expect(produce(unclean, 20)).toMatchObject({ ok: false, errorCode: 45 });
    expect(unclean.logEndOffset).toBe(18);
  });

  it('forgets producers after producer.id.expiration.ms', () => {
    const log = openLog(tempDir(), { producerIdExpirationMs: 1000 });
    produce(log, 0);
    expect(log.expireProducers(1_500)).toBe(0);
    expect(log.expireProducers(2_000)).toBe(1);
    expect(produce(log, 0)).toMatchObject({ ok: true, duplicate: false, baseOffset: 2 });
  });
});

describe('transaction state', () => {
  it('holds the last stable offset at an open transaction until its marker', () => {
    const log = openLog(tempDir());
    log.append(batch(values(2)), { now: 1, logAppendTime: false });
    produce(log, 0, 2, 0, { transactional: true });
    expect(log.lastStableOffset).toBe(2);
    expect(log.highWatermark).toBe(4);
    expect(marker(log, ControlRecordType.Commit)).toMatchObject({ ok: true, baseOffset: 4 });
    expect(log.lastStableOffset).toBe(5);
    expect(log.abortedTransactions(0, 5)).toEqual([]);
  });

  it('lists aborted transactions for read_committed fetches, also after reopening', async () => {
    const dir = tempDir();
    const log = openLog(dir);
    produce(log, 0, 2, 0, { transactional: true });
    marker(log, ControlRecordType.Abort);
    produce(log, 2, 1, 0, { transactional: true });
    expect(log.abortedTransactions(0, 10)).toEqual([{ producerId: PID, firstOffset: 0 }]);
    expect(log.abortedTransactions(3, 10)).toEqual([]);
    expect(log.lastStableOffset).toBe(3);
    const unclean = openLog(dir);
    expect(unclean.abortedTransactions(0, 10)).toEqual([{ producerId: PID, firstOffset: 0 }]);
    expect(unclean.lastStableOffset).toBe(3);
    await unclean.close();
    const clean = openLog(dir, {}, { cleanShutdown: true });
    expect(clean.abortedTransactions(0, 10)).toEqual([{ producerId: PID, firstOffset: 0 }]);
    expect(clean.lastStableOffset).toBe(3);
  });

  it('fences a marker from an older producer epoch', () => {
    const log = openLog(tempDir());
    produce(log, 0, 1, 5, { transactional: true });
    expect(marker(log, ControlRecordType.Commit, 4)).toMatchObject({ ok: false, errorCode: 47 });
  });
});
