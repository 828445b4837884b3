import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CompressionCodec } from '../../../broker/protocol/batch-header.js';
import { batchesIn, decodeBatch } from '../../../broker/protocol/record-batch.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { append, batch, decodeAll, openLog, readAll, text, values } from './log-test-kit.js';

describe('PartitionLog append and read', () => {
  it('assigns consecutive offsets and reads every record back across segment rolls', () => {
    const log = openLog(tempDir(), { segmentBytes: 500 });
    for (let i = 0; i < 30; i++) {
      const r = append(log, batch(values(3, 'v', i * 3)));
      expect(r.baseOffset).toBe(i * 3);
      expect(r.lastOffset).toBe(i * 3 + 2);
    }
    expect(log.logEndOffset).toBe(90);
    expect(log.segmentCount).toBeGreaterThan(3);
    const all = readAll(log, 0, 200);
    expect(all.map((r) => r.offset)).toEqual(Array.from({ length: 90 }, (_, i) => i));
    expect(all.map((r) => text(r.value))).toEqual(Array.from({ length: 90 }, (_, i) => `v${i}`));
  });

  it('starts a read with the whole batch that contains the fetch offset', () => {
    const log = openLog(tempDir());
    append(log, batch(values(5)));
    append(log, batch(values(5, 'w')));
    const r = log.read(7, 1 << 20, { minOneBatch: true });
    if ('error' in r) throw new Error(r.error);
    const recs = decodeAll(r.records);
    expect(recs[0]!.offset).toBe(5);
    expect(recs.map((x) => x.offset)).toEqual([5, 6, 7, 8, 9]);
  });

  it('returns only whole batches that fit in maxBytes', () => {
    const log = openLog(tempDir());
    const sizes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const b = batch(values(2, 'x', i * 2));
      sizes.push(b.length);
      append(log, b);
    }
    const max = sizes[0]! + sizes[1]! + Math.floor(sizes[2]! / 2);
    const r = log.read(0, max, { minOneBatch: true });
    if ('error' in r) throw new Error(r.error);
    expect(r.records.length).toBe(sizes[0]! + sizes[1]!);
    expect([...batchesIn(r.records)].length).toBe(2);
  });

  it('returns a first batch larger than maxBytes whole only when minOneBatch is set', () => {
    const log = openLog(tempDir(), { segmentBytes: 1 << 20 });
    const big = batch([{ key: 'k', value: 'x'.repeat(5000) }]);
    append(log, big);
    const withMin = log.read(0, 100, { minOneBatch: true });
    const without = log.read(0, 100, { minOneBatch: false });
    if ('error' in withMin || 'error' in without) throw new Error('out of range');
    expect(withMin.records.length).toBe(big.length);
    expect(text(decodeAll(withMin.records)[0]!.value)).toBe('x'.repeat(5000));
    expect(without.records.length).toBe(0);
  });

  it('answers out of range below the log start and above the log end, and empty at the log end', () => {
    const log = openLog(tempDir());
    append(log, batch(values(4)));
    expect(log.read(5, 1000, { minOneBatch: true })).toEqual({ error: 'OFFSET_OUT_OF_RANGE' });
    const atEnd = log.read(4, 1000, { minOneBatch: true });
    expect('records' in atEnd && atEnd.records.length).toBe(0);
    expect(log.deleteRecords(2)).toEqual({ lowWatermark: 2 });
    expect(log.read(1, 1000, { minOneBatch: true })).toEqual({ error: 'OFFSET_OUT_OF_RANGE' });
    expect('records' in log.read(2, 1000, { minOneBatch: true })).toBe(true);
  });

  it('stops before maxOffset', () => {
    const log = openLog(tempDir());
    append(log, batch(values(2)));
    append(log, batch(values(2, 'y')));
    const r = log.read(0, 1 << 20, { minOneBatch: true, maxOffset: 2 });
    if ('error' in r) throw new Error(r.error);
    expect(decodeAll(r.records).map((x) => x.offset)).toEqual([0, 1]);
  });

  it('serves compressed batches unchanged', () => {
    const log = openLog(tempDir());
    append(log, batch(values(20), { compression: CompressionCodec.Gzip }));
    expect(readAll(log).map((r) => text(r.value))).toEqual(values(20).map((v) => v.value));
  });

  it('stamps LogAppendTime when asked and reports the append time', () => {
    const log = openLog(tempDir());
    const r = log.append(batch([{ key: 'a', value: '1', timestamp: 5 }]), { now: 123456, logAppendTime: true });
    expect(r).toMatchObject({ ok: true, logAppendTimeMs: 123456 });
    const read = log.read(0, 1000, { minOneBatch: true });
    if ('error' in read) throw new Error(read.error);
    const { header, records } = decodeBatch(read.records);
    expect(header.hasLogAppendTime).toBe(true);
    expect(records[0]!.timestamp).toBe(123456);
  });

  it('notifies append listeners until they unsubscribe', () => {
    const log = openLog(tempDir());
    let calls = 0;
    const off = log.onAppend(() => { calls++; });
    append(log, batch(values(1)));
    off();
    append(log, batch(values(1)));
    expect(calls).toBe(1);
  });

  it('rolls a segment once segment.ms has passed since its first append', () => {
    const log = openLog(tempDir(), { segmentMs: 1000 });
    append(log, batch(values(1)), 10_000);
    append(log, batch(values(1)), 10_500);
    expect(log.segmentCount).toBe(1);
    append(log, batch(values(1)), 11_001);
    expect(log.segmentCount).toBe(2);
    expect(log.activeSegment.baseOffset).toBe(2);
  });

  it('rejects bytes that do not hold whole batches', () => {
    const log = openLog(tempDir());
    const b = batch(values(2));
    const r = log.append(b.subarray(0, b.length - 3), { now: 1, logAppendTime: false });
    expect(r).toMatchObject({ ok: false, errorCode: 2 });
    expect(log.logEndOffset).toBe(0);
  });
});

describe('PartitionLog timestamps', () => {
  it('finds the first record at or after a timestamp, across segments and inside compressed batches', () => {
    const log = openLog(tempDir(), { segmentBytes: 400, indexIntervalBytes: 64 });
    for (let i = 0; i < 20; i++) {
      append(log, batch([
        { key: `a${i}`, value: 'x', timestamp: 1000 + i * 100 },
        { key: `b${i}`, value: 'y', timestamp: 1000 + i * 100 + 50 },
      ], { compression: i % 2 === 0 ? CompressionCodec.None : CompressionCodec.Lz4 }));
    }
    expect(log.segmentCount).toBeGreaterThan(2);
    expect(log.offsetForTimestamp(0)).toEqual({ offset: 0, timestamp: 1000 });
    expect(log.offsetForTimestamp(1120)).toEqual({ offset: 3, timestamp: 1150 });
    expect(log.offsetForTimestamp(2500)).toEqual({ offset: 30, timestamp: 2500 });
    expect(log.offsetForTimestamp(2951)).toBeNull();
    expect(log.maxTimestamp()).toEqual({ offset: 39, timestamp: 2950 });
  });

  it('reports the first record carrying the largest timestamp even when timestamps go backwards', () => {
    const log = openLog(tempDir());
    append(log, batch([{ key: 'a', value: '1', timestamp: 500 }, { key: 'b', value: '2', timestamp: 9000 }]));
    append(log, batch([{ key: 'c', value: '3', timestamp: 100 }, { key: 'd', value: '4', timestamp: 9000 }]));
    expect(log.maxTimestamp()).toEqual({ offset: 1, timestamp: 9000 });
    expect(log.offsetForTimestamp(600)).toEqual({ offset: 1, timestamp: 9000 });
  });

  it('has no max timestamp when empty', () => {
    expect(openLog(tempDir()).maxTimestamp()).toBeNull();
  });
});

describe('PartitionLog flush and log start', () => {
  it('asks the produce path to flush when flush.messages is reached, and flushing advances the recovery point', async () => {
    const log = openLog(tempDir(), { flushMessages: 1 });
    expect(log.needsFlushBeforeAck()).toBe(false);
    append(log, batch(values(3)));
    expect(log.needsFlushBeforeAck()).toBe(true);
    await Promise.all([log.flush(), log.flush(), log.flush()]);
    expect(log.needsFlushBeforeAck()).toBe(false);
    expect(log.recoveryPoint).toBe(3);
    await log.close();
  });

  it('shares one fsync among concurrent flush calls (group commit)', async () => {
    const dir = tempDir();
    const log = openLog(dir, { flushMessages: 1 });
    append(log, batch(values(1)));
    const logFile = fs.statSync(path.join(dir, '00000000000000000000.log')).ino;
    const spy = vi.spyOn(fs, 'fdatasync');
    // Other logs of this file may still sync on their flush.ms timers: count only this one's.
    const syncsOfThisLog = () => spy.mock.calls.filter(([fd]) => fs.fstatSync(fd).ino === logFile).length;
    try {
      const first = log.flush();
      append(log, batch(values(1)));
      const waiting = [log.flush(), log.flush(), log.flush(), log.flush()];
      await Promise.all([first, ...waiting]);
      expect(syncsOfThisLog()).toBe(2);
      expect(log.recoveryPoint).toBe(2);
      await log.flush();
      expect(syncsOfThisLog()).toBe(2);
    } finally {
      spy.mockRestore();
    }
  });

  it('does not ask for a flush before acks by default', () => {
    const log = openLog(tempDir(), { flushMessages: Infinity });
    append(log, batch(values(3)));
    expect(log.needsFlushBeforeAck()).toBe(false);
  });

  it('flushes on its own after flush.ms', async () => {
    const log = openLog(tempDir(), { flushMs: 20 });
    append(log, batch(values(2)));
    const deadline = Date.now() + 5000;
    while (log.recoveryPoint < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(log.recoveryPoint).toBe(2);
    await log.close();
  });

  it('moves the log start with DeleteRecords, up to the high watermark and never back', () => {
    const log = openLog(tempDir(), { segmentBytes: 300 });
    for (let i = 0; i < 10; i++) append(log, batch(values(2)));
    const before = log.segmentCount;
    expect(log.deleteRecords(9)).toEqual({ lowWatermark: 9 });
    expect(log.segmentCount).toBeLessThan(before);
    expect(log.deleteRecords(3)).toEqual({ lowWatermark: 9 });
    expect(log.deleteRecords(21)).toMatchObject({ errorCode: 1 });
    expect(log.deleteRecords(-1)).toEqual({ lowWatermark: 20 });
    expect(log.logStartOffset).toBe(20);
  });

  it('removes its directory on delete', async () => {
    const dir = tempDir();
    const log = openLog(`${dir}/t-0`);
    append(log, batch(values(2)));
    await log.delete();
    expect(fs.existsSync(`${dir}/t-0`)).toBe(false);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
