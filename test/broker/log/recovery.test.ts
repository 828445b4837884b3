import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogManager } from '../../../broker/log/log-manager.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { append, batch, config, openLog, readAll, text, values } from './log-test-kit.js';

function segmentFiles(dir: string, suffix: string): string[] {
  return fs.readdirSync(dir).filter((n) => n.endsWith(suffix)).sort().map((n) => path.join(dir, n));
}

/** Writes `count` batches of 2 records; returns the byte size of each batch. */
function fill(dir: string, count: number, overrides = {}): number[] {
  const log = openLog(dir, overrides);
  const sizes: number[] = [];
  for (let i = 0; i < count; i++) {
    const b = batch(values(2, 'v', i * 2));
    sizes.push(b.length);
    append(log, b);
  }
  log.activeSegment.flushIndexes();
  return sizes;
}

describe('log recovery after an unclean shutdown', () => {
  it('cuts a torn batch off the end and continues appending at the right offset', () => {
    const dir = tempDir();
    const sizes = fill(dir, 10);
    const [logFile] = segmentFiles(dir, '.log');
    const full = fs.statSync(logFile!).size;
    fs.truncateSync(logFile!, full - Math.floor(sizes[9]! / 2));

    const log = openLog(dir);
    expect(log.logEndOffset).toBe(18);
    expect(readAll(log).map((r) => text(r.value))).toEqual(values(18).map((v) => v.value));
    expect(append(log, batch(values(1, 'new'))).baseOffset).toBe(18);
    expect(readAll(log, 18).map((r) => text(r.value))).toEqual(['new0']);
  });

  it('drops garbage bytes after the last complete batch', () => {
    const dir = tempDir();
    fill(dir, 5);
    const [logFile] = segmentFiles(dir, '.log');
    const before = fs.statSync(logFile!).size;
    fs.appendFileSync(logFile!, Buffer.from('this is not a record batch at all, just junk bytes'));

    const log = openLog(dir);
    expect(log.logEndOffset).toBe(10);
    expect(fs.statSync(logFile!).size).toBe(before);
    expect(readAll(log)).toHaveLength(10);
  });

  it('truncates at a batch whose CRC does not match, dropping the segments after it', () => {
    const dir = tempDir();
    const sizes = fill(dir, 12, { segmentBytes: 400 });
    const logs = segmentFiles(dir, '.log');
    expect(logs.length).toBeGreaterThan(2);
    const first = logs[0]!;
    const corruptAt = sizes[0]! + 70;
    const fd = fs.openSync(first, 'r+');
    fs.writeSync(fd, Buffer.from([0xff, 0xee]), 0, 2, corruptAt);
    fs.closeSync(fd);

    const log = openLog(dir, { segmentBytes: 400 });
    expect(log.logEndOffset).toBe(2);
    expect(log.segmentCount).toBe(1);
    expect(readAll(log).map((r) => r.offset)).toEqual([0, 1]);
    expect(append(log, batch(values(1))).baseOffset).toBe(2);
  });

  it('rebuilds a deleted index and reads from the middle of a segment', () => {
    const dir = tempDir();
    fill(dir, 40, { indexIntervalBytes: 64 });
    for (const f of segmentFiles(dir, '.index')) fs.unlinkSync(f);
    for (const f of segmentFiles(dir, '.timeindex')) fs.writeFileSync(f, Buffer.from([1, 2, 3]));

    const log = openLog(dir, { indexIntervalBytes: 64 }, { cleanShutdown: true });
    expect(log.logEndOffset).toBe(80);
    const r = log.read(51, 200, { minOneBatch: true });
    if ('error' in r) throw new Error(r.error);
    expect(readAll(log, 51).map((x) => x.offset)).toEqual(Array.from({ length: 29 }, (_, i) => 51 + i));
    expect(segmentFiles(dir, '.index')).toHaveLength(1);
  });

  it('keeps every batch when nothing is torn, with or without a clean shutdown', async () => {
    const dir = tempDir();
    fill(dir, 7);
    expect(openLog(dir).logEndOffset).toBe(14);
    const log = openLog(dir, {}, { cleanShutdown: true });
    expect(log.logEndOffset).toBe(14);
    await log.close();
    expect(openLog(dir, {}, { cleanShutdown: true }).logEndOffset).toBe(14);
  });

  it('answers timestamp lookups the same after a clean reopen and after rebuilding indexes', async () => {
    const dir = tempDir();
    const log = openLog(dir, { segmentBytes: 300, indexIntervalBytes: 64 });
    for (let i = 0; i < 30; i++) append(log, batch([{ key: `k${i}`, value: `v${i}`, timestamp: 10_000 + i * 10 }]));
    const expected = [0, 9_000, 10_095, 10_150, 10_290].map((ts) => log.offsetForTimestamp(ts));
    expect(expected.map((e) => e?.offset)).toEqual([0, 0, 10, 15, 29]);
    await log.close();
    const clean = openLog(dir, { segmentBytes: 300, indexIntervalBytes: 64 }, { cleanShutdown: true });
    expect([0, 9_000, 10_095, 10_150, 10_290].map((ts) => clean.offsetForTimestamp(ts))).toEqual(expected);
    expect(clean.maxTimestamp()).toEqual({ offset: 29, timestamp: 10_290 });
    for (const f of segmentFiles(dir, '.timeindex')) fs.unlinkSync(f);
    const rebuilt = openLog(dir, { segmentBytes: 300, indexIntervalBytes: 64 }, { recoveryPoint: 0 });
    expect([0, 9_000, 10_095, 10_150, 10_290].map((ts) => rebuilt.offsetForTimestamp(ts))).toEqual(expected);
  });

  it('recovers an empty trailing segment left by a roll', () => {
    const dir = tempDir();
    const log = openLog(dir, { segmentBytes: 100 });
    append(log, batch(values(2)));
    append(log, batch(values(2)));
    log.roll();
    const reopened = openLog(dir, { segmentBytes: 100 });
    expect(reopened.logEndOffset).toBe(4);
    expect(append(reopened, batch(values(1))).baseOffset).toBe(4);
  });
});

describe('LogManager clean-shutdown marker and checkpoints', () => {
  it('writes the marker on close, consumes it on open, and records recovery points', async () => {
    const dataDir = tempDir();
    const m1 = LogManager.open({ dataDir });
    expect(m1.wasCleanShutdown).toBe(false);
    const log = m1.openLog('orders', 0, config());
    append(log, batch(values(3)));
    await m1.close();
    expect(fs.existsSync(path.join(dataDir, '.kafka_cleanshutdown'))).toBe(true);
    expect(fs.readFileSync(path.join(dataDir, 'recovery-point-offset-checkpoint'), 'utf8')).toBe('0\n1\norders 0 3\n');

    const m2 = LogManager.open({ dataDir });
    expect(m2.wasCleanShutdown).toBe(true);
    expect(fs.existsSync(path.join(dataDir, '.kafka_cleanshutdown'))).toBe(false);
    expect(m2.openLog('orders', 0, config()).logEndOffset).toBe(3);
    // no close: the next open must treat this run as unclean
    const m3 = LogManager.open({ dataDir });
    expect(m3.wasCleanShutdown).toBe(false);
    expect(m3.openLog('orders', 0, config()).logEndOffset).toBe(3);
  });

  it('restores a log start offset moved by DeleteRecords', async () => {
    const dataDir = tempDir();
    const m1 = LogManager.open({ dataDir });
    const log = m1.openLog('t', 0, config());
    append(log, batch(values(5)));
    log.deleteRecords(3);
    m1.writeLogStartCheckpoint();
    const m2 = LogManager.open({ dataDir });
    expect(m2.openLog('t', 0, config()).logStartOffset).toBe(3);
  });

  it('refuses a data directory locked by another live process', () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, '.lock'), `${process.ppid}\n`);
    expect(() => LogManager.open({ dataDir })).toThrow(/in use/);
  });
});
