import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp-dir.js';
import { append, batch, openLog, readAll } from './log-test-kit.js';

/** One batch per segment (segment.bytes is smaller than two batches), timestamps 1000, 2000, ... */
function timedLog(overrides = {}) {
  const log = openLog(tempDir(), { segmentBytes: 120, ...overrides });
  for (let i = 0; i < 6; i++) append(log, batch([{ key: `k${i}`, value: `v${i}`, timestamp: (i + 1) * 1000 }]));
  return log;
}

describe('retention (cleanup.policy=delete)', () => {
  it('deletes closed segments whose newest record is older than retention.ms and moves the log start', () => {
    const log = timedLog({ retentionMs: 2500 });
    expect(log.segmentCount).toBe(6);
    expect(log.deleteOldSegments(5000)).toBe(2);
    expect(log.logStartOffset).toBe(2);
    expect(log.read(1, 1000, { minOneBatch: true })).toEqual({ error: 'OFFSET_OUT_OF_RANGE' });
    expect(readAll(log).map((r) => r.offset)).toEqual([2, 3, 4, 5]);
    expect(fs.readdirSync(log.dir).filter((n) => n.endsWith('.log'))).toHaveLength(4);
  });

  it('never deletes the active segment, however old', () => {
    const log = timedLog({ retentionMs: 10 });
    expect(log.deleteOldSegments(1_000_000)).toBe(5);
    expect(log.segmentCount).toBe(1);
    expect(log.logStartOffset).toBe(5);
    expect(readAll(log).map((r) => r.offset)).toEqual([5]);
  });

  it('deletes the oldest segments while the log is larger than retention.bytes', () => {
    const log = timedLog({ retentionMs: -1 });
    const segSize = log.segments[0]!.size;
    log.updateConfig({ ...log.config, retentionBytes: segSize * 3 });
    expect(log.deleteOldSegments(0)).toBe(3);
    expect(log.size).toBe(segSize * 3);
    expect(log.logStartOffset).toBe(3);
  });

  it('keeps everything with retention.ms -1 and retention.bytes -1', () => {
    const log = timedLog({ retentionMs: -1, retentionBytes: -1 });
    expect(log.deleteOldSegments(Number.MAX_SAFE_INTEGER)).toBe(0);
    expect(log.logStartOffset).toBe(0);
  });

  it('applies no time or size retention to a compact-only log but still drops segments below the log start', () => {
    const log = timedLog({ retentionMs: 10, cleanupDelete: false, cleanupCompact: true });
    expect(log.deleteOldSegments(1_000_000)).toBe(0);
    log.deleteRecords(2);
    expect(log.segmentCount).toBe(4);
    expect(log.logStartOffset).toBe(2);
  });
});
