import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CompressionCodec } from '../../../broker/protocol/batch-header.js';
import { batchesIn, decodeBatch } from '../../../broker/protocol/record-batch.js';
import { cleanLog, cleanableRange } from '../../../broker/log/log-cleaner.js';
import type { LogConfig } from '../../../broker/log/log-config.js';
import { LogManager } from '../../../broker/log/log-manager.js';
import type { PartitionLog } from '../../../broker/log/partition-log.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { append, batch, config, openLog, readAll, text, type Rec } from './log-test-kit.js';

const COMPACT: Partial<LogConfig> = {
  cleanupCompact: true, cleanupDelete: false, segmentBytes: 400, minCleanableDirtyRatio: 0, deleteRetentionMs: 1000,
};

function view(log: PartitionLog): Array<[number, string | null, string | null]> {
  return readAll(log).map((r) => [r.offset, text(r.key), text(r.value)]);
}

async function clean(log: PartitionLog, now: number, firstDirty = 0) {
  const range = cleanableRange(log, firstDirty, now);
  if (range === null) return null;
  return cleanLog(log, range, now);
}

/** Writes keys a,b,c over and over (offset i has key "abc"[i % 3], value `v<i>`). */
function writeRounds(log: PartitionLog, rounds: number, codec = CompressionCodec.None) {
  let offset = log.logEndOffset;
  for (let r = 0; r < rounds; r++) {
    const recs: Rec[] = [];
    for (let i = 0; i < 3; i++, offset++) recs.push({ key: 'abc'[offset % 3], value: `v${offset}`, timestamp: 1000 });
    append(log, batch(recs, { compression: codec }));
  }
}

describe('log compaction', () => {
  it('keeps only the latest value per key and never changes offsets', async () => {
    const log = openLog(tempDir(), COMPACT);
    writeRounds(log, 12);
    append(log, batch([{ key: 'd', value: 'only-once', timestamp: 1000 }]));
    log.roll();
    const before = log.size;
    const stats = await clean(log, 5000);
    expect(stats!.recordsDropped).toBe(33);
    expect(log.size).toBeLessThan(before / 4);
    expect(view(log)).toEqual([[33, 'a', 'v33'], [34, 'b', 'v34'], [35, 'c', 'v35'], [36, 'd', 'only-once']]);
    expect(log.logEndOffset).toBe(37);
    expect(append(log, batch([{ key: 'a', value: 'after' }])).baseOffset).toBe(37);
  });

  it('drops records superseded by records in the active segment', async () => {
    const log = openLog(tempDir(), COMPACT);
    writeRounds(log, 6);
    log.roll();
    writeRounds(log, 1);
    await clean(log, 5000);
    expect(view(log).map(([o]) => o)).toEqual([18, 19, 20]);
  });

  it('keeps the codec and producer fields of partly cleaned batches', async () => {
    const log = openLog(tempDir(), COMPACT);
    append(log, batch([{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'c', value: '3' }],
      { compression: CompressionCodec.Snappy, producerId: 9, producerEpoch: 2, baseSequence: 0 }));
    append(log, batch([{ key: 'b', value: '4' }]));
    log.roll();
    await clean(log, 5000);
    const r = log.read(0, 1 << 20, { minOneBatch: true });
    if ('error' in r) throw new Error(r.error);
    const [first] = [...batchesIn(r.records)];
    const { header, records } = decodeBatch(r.records, first!.at);
    expect(header.compression).toBe(CompressionCodec.Snappy);
    expect([header.producerId, header.producerEpoch, header.baseSequence, header.baseOffset, header.lastOffsetDelta]).toEqual([9, 2, 0, 0, 2]);
    expect(records.map((x) => [x.offset, text(x.value)])).toEqual([[0, '1'], [2, '3']]);
    expect(view(log)).toEqual([[0, 'a', '1'], [2, 'c', '3'], [3, 'b', '4']]);
  });

  it('keeps tombstones for delete.retention.ms after the first pass, then drops them', async () => {
    const log = openLog(tempDir(), COMPACT);
    append(log, batch([{ key: 'a', value: '1' }, { key: 'b', value: '2' }]));
    append(log, batch([{ key: 'a', value: null }]));
    log.roll();
    await clean(log, 10_000);
    expect(view(log)).toEqual([[1, 'b', '2'], [2, 'a', null]]);
    expect(log.nextTombstoneHorizonMs).toBe(11_000);
    await clean(log, 10_999);
    expect(view(log)).toEqual([[1, 'b', '2'], [2, 'a', null]]);
    await clean(log, 11_000);
    expect(view(log)).toEqual([[1, 'b', '2']]);
    expect(log.logEndOffset).toBe(3);
  });

  it('remembers a tombstone horizon across a restart because it is stored in the batch', async () => {
    const dir = tempDir();
    const log = openLog(dir, COMPACT);
    append(log, batch([{ key: 'a', value: '1' }]));
    append(log, batch([{ key: 'a', value: null }, { key: 'b', value: '2' }]));
    log.roll();
    await clean(log, 10_000);
    await log.close();
    const reopened = openLog(dir, COMPACT, { cleanShutdown: true });
    await clean(reopened, 10_500);
    expect(view(reopened)).toEqual([[1, 'a', null], [2, 'b', '2']]);
    await clean(reopened, 11_000);
    expect(view(reopened)).toEqual([[2, 'b', '2']]);
  });

  it('serves reads that start in a gap left by compaction from the next kept record', async () => {
    const log = openLog(tempDir(), COMPACT);
    writeRounds(log, 6);
    append(log, batch([{ key: 'z', value: 'last' }]));
    log.roll();
    await clean(log, 5000);
    const r = log.read(3, 1 << 20, { minOneBatch: true });
    if ('error' in r) throw new Error(r.error);
    expect(readAll(log, 3).map((x) => x.offset)).toEqual([15, 16, 17, 18]);
    expect(log.read(17, 1 << 20, { minOneBatch: true })).toMatchObject({ records: expect.any(Buffer) });
  });

  it('copies transactional batches as they are', async () => {
    const log = openLog(tempDir(), COMPACT);
    append(log, batch([{ key: 'a', value: 'txn' }], { producerId: 7, producerEpoch: 0, baseSequence: 0, transactional: true }));
    append(log, batch([{ key: 'a', value: 'plain' }]));
    log.roll();
    await clean(log, 5000);
    expect(view(log)).toEqual([[0, 'a', 'txn'], [1, 'a', 'plain']]);
  });

  it('cleans through the LogManager when the dirty ratio is reached and persists the clean point', async () => {
    const dataDir = tempDir();
    const manager = LogManager.open({ dataDir });
    const log = manager.openLog('cfg', 0, config({ ...COMPACT, minCleanableDirtyRatio: 0.5 }));
    writeRounds(log, 10);
    log.roll();
    await manager.runCleaner(5000);
    expect(view(log).map(([o]) => o)).toEqual([27, 28, 29]);
    const size = log.size;
    await manager.runCleaner(5000);
    expect(log.size).toBe(size);
    await manager.close();
    expect(fs.readFileSync(path.join(dataDir, 'cleaner-offset-checkpoint'), 'utf8')).toBe('0\n1\ncfg 0 30\n');
    const reopened = LogManager.open({ dataDir });
    expect(view(reopened.openLog('cfg', 0, config(COMPACT))).map(([o]) => o)).toEqual([27, 28, 29]);
  });
});

describe('compaction crash safety', () => {
  function crashedDir(): { dir: string; expected: Array<[number, string | null, string | null]> } {
    const dir = tempDir();
    const log = openLog(dir, { segmentBytes: 200 });
    for (let i = 0; i < 8; i++) append(log, batch([{ key: `k${i}`, value: `v${i}` }, { key: `k${i}`, value: `w${i}` }]));
    return { dir, expected: view(log) };
  }

  it('deletes an unfinished .cleaned output on reopen and keeps the data', () => {
    const { dir, expected } = crashedDir();
    const logs = fs.readdirSync(dir).filter((n) => n.endsWith('.log')).sort();
    fs.writeFileSync(path.join(dir, `${logs[0]}.cleaned`), Buffer.from('half written'));
    fs.writeFileSync(path.join(dir, logs[0]!.replace('.log', '.index.cleaned')), Buffer.alloc(8));
    const log = openLog(dir, { segmentBytes: 200 });
    expect(view(log)).toEqual(expected);
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.cleaned'))).toEqual([]);
  });

  it('completes a committed .swap on reopen, replacing the segments it covers', () => {
    const { dir, expected } = crashedDir();
    const logs = fs.readdirSync(dir).filter((n) => n.endsWith('.log')).sort();
    expect(logs.length).toBeGreaterThan(3);
    // the cleaner merged the first two segments and crashed after the .swap rename
    const merged = Buffer.concat([fs.readFileSync(path.join(dir, logs[0]!)), fs.readFileSync(path.join(dir, logs[1]!))]);
    fs.writeFileSync(path.join(dir, `${logs[0]}.swap`), merged);
    fs.unlinkSync(path.join(dir, logs[1]!.replace('.log', '.index')));
    const log = openLog(dir, { segmentBytes: 200 });
    expect(view(log)).toEqual(expected);
    const after = fs.readdirSync(dir);
    expect(after.filter((n) => n.endsWith('.swap'))).toEqual([]);
    expect(after).not.toContain(logs[1]);
    expect(log.segmentCount).toBe(logs.length - 1);
  });

  it('completes a swap whose old segments were already deleted', () => {
    const { dir, expected } = crashedDir();
    const logs = fs.readdirSync(dir).filter((n) => n.endsWith('.log')).sort();
    const merged = Buffer.concat([fs.readFileSync(path.join(dir, logs[0]!)), fs.readFileSync(path.join(dir, logs[1]!))]);
    fs.writeFileSync(path.join(dir, `${logs[0]}.swap`), merged);
    for (const n of [logs[0]!, logs[1]!]) fs.unlinkSync(path.join(dir, n));
    const log = openLog(dir, { segmentBytes: 200 });
    expect(view(log)).toEqual(expected);
  });

  it('leaves the log intact when it is closed in the middle of a pass', async () => {
    const dir = tempDir();
    const log = openLog(dir, { ...COMPACT, segmentBytes: 300 });
    writeRounds(log, 40);
    log.roll();
    const expected = view(log);
    const range = cleanableRange(log, 0, 5000)!;
    const pass = cleanLog(log, range, 5000);
    log.cleaning = pass.then(() => undefined, () => undefined);
    await log.close();
    await expect(pass).rejects.toThrow(/closed/);
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.cleaned') || n.endsWith('.swap'))).toEqual([]);
    const reopened = openLog(dir, { ...COMPACT, segmentBytes: 300 }, { cleanShutdown: true });
    const got = view(reopened);
    // whatever groups were swapped in before the close, each key's latest value is still there, at its offset
    expect(got.slice(-3)).toEqual(expected.slice(-3));
    for (const rec of got) expect(expected).toContainEqual(rec);
  });
});
