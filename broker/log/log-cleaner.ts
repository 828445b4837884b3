/**
 * Log compaction (cleanup.policy=compact, broker notes §6.6) for one partition log.
 *
 * A pass:
 * 1. Picks the cleanable range: whole closed segments below the first uncleanable offset
 *    (the active segment's base, the segment holding the last stable offset, and the first
 *    segment younger than min.compaction.lag.ms).
 * 2. Builds key → latest offset over the dirty part (from the cleaner checkpoint) up to the
 *    current log end, active segment included, so a record superseded anywhere later goes.
 * 3. Rewrites the cleanable segments in groups of at most segment.bytes, keeping a record
 *    only if no later record has its key. Offsets never change: kept records keep their
 *    offset deltas and every batch keeps its base offset, lastOffsetDelta, codec, producer
 *    id/epoch/base sequence and leader epoch. Fully kept batches are copied byte for byte;
 *    emptied batches are dropped.
 * 4. Tombstones (null values) that are the latest for their key are kept until their delete
 *    horizon: the first pass that keeps one stamps its batch with the delete-horizon
 *    attribute (bit 6) and baseTimestamp = now + delete.retention.ms; a later pass after
 *    that time drops them.
 * 5. Transactional and control batches are copied as they are and never supersede
 *    anything (an aborted transaction must not hide the committed value before it).
 *
 * Crash safety: each group is written to `<base>.{log,index,timeindex}.cleaned`, fsynced,
 * renamed to `.swap` (the log last: that rename commits the group), then the old segments'
 * files are deleted and the swap files renamed to their final names. Startup deletes
 * `.cleaned` leftovers and completes `.swap` ones (PartitionLog.completeInterruptedSwaps).
 *
 * The pass yields to the event loop every few MiB; appends and reads go on meanwhile (they
 * never touch closed segments), retention waits for the pass, and closing the log aborts it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ATTR_DELETE_HORIZON, BatchHeader, type CompressionCodec } from '../protocol/batch-header.js';
import { decodeBatch, encodeBatch } from '../protocol/record-batch.js';
import type { DecodedRecord, RecordInput } from '../protocol/record.js';
import {
  CLEANED_SUFFIX, INDEX_SUFFIX, LOG_SUFFIX, SWAP_SUFFIX, TIME_INDEX_SUFFIX, fsyncDir, offsetFileName, unlinkIfExists,
} from './log-files.js';
import { LogSegment } from './log-segment.js';
import type { PartitionLog } from './partition-log.js';

const INT32_MAX = 2147483647;
const YIELD_EVERY_BYTES = 4 * 1024 * 1024;
const WRITE_CHUNK = 1024 * 1024;

export class CleanerAbortedError extends Error {
  override readonly name = 'CleanerAbortedError';
}

export interface CleanableRange {
  /** Closed segments that may be rewritten (oldest first). */
  segments: LogSegment[];
  /** Offset where the dirty part starts. */
  firstDirtyOffset: number;
  /** Offset where the cleanable range ends (the next segment's base). */
  firstUncleanableOffset: number;
  cleanBytes: number;
  dirtyBytes: number;
  dirtyRatio: number;
}

export interface CleanStats {
  segmentsBefore: number;
  segmentsAfter: number;
  bytesBefore: number;
  bytesAfter: number;
  recordsDropped: number;
  /** New cleaner checkpoint: everything below is clean. */
  cleanedUpTo: number;
}

/** The cleanable part of a compacted log, or null when there is nothing to clean. */
export function cleanableRange(log: PartitionLog, firstDirtyOffset: number, now: number): CleanableRange | null {
  const cfg = log.config;
  if (!cfg.cleanupCompact) return null;
  const segs = log.segments;
  const interval = cfg.indexIntervalBytes;
  let uncleanable = log.activeSegment.baseOffset;
  const lso = log.lastStableOffset;
  if (lso < uncleanable) uncleanable = segs[log.segmentIndexFor(lso)]!.baseOffset;
  if (cfg.minCompactionLagMs > 0) {
    for (const s of segs) {
      if (s.baseOffset >= uncleanable) break;
      if (s.maxTimestamp(interval).timestamp > now - cfg.minCompactionLagMs) {
        uncleanable = s.baseOffset;
        break;
      }
    }
  }
  const checkpoint = firstDirtyOffset > log.logEndOffset ? 0 : firstDirtyOffset;
  const dirtyFrom = Math.max(checkpoint, log.logStartOffset);
  const segments: LogSegment[] = [];
  let cleanBytes = 0;
  let dirtyBytes = 0;
  for (let i = 0; i + 1 < segs.length; i++) {
    const s = segs[i]!;
    const end = segs[i + 1]!.baseOffset;
    if (end > uncleanable) break;
    segments.push(s);
    if (end <= dirtyFrom) cleanBytes += s.size;
    else dirtyBytes += s.size;
  }
  if (segments.length === 0) return null;
  const total = cleanBytes + dirtyBytes;
  return {
    segments,
    firstDirtyOffset: dirtyFrom,
    firstUncleanableOffset: segs[segments.length]!.baseOffset,
    cleanBytes,
    dirtyBytes,
    dirtyRatio: total === 0 ? 0 : dirtyBytes / total,
  };
}

/** Whether a pass is due: enough dirty bytes, a dirty record older than max.compaction.lag.ms, or a tombstone horizon passed. */
export function needsCleaning(log: PartitionLog, range: CleanableRange, now: number): boolean {
  const cfg = log.config;
  if (range.dirtyBytes > 0 && range.dirtyRatio >= cfg.minCleanableDirtyRatio) return true;
  if (log.nextTombstoneHorizonMs <= now) return true;
  if (range.dirtyBytes > 0 && Number.isFinite(cfg.maxCompactionLagMs)) {
    const firstDirty = range.segments.find((s, i) => (range.segments[i + 1]?.baseOffset ?? range.firstUncleanableOffset) > range.firstDirtyOffset);
    if (firstDirty !== undefined) {
      const ts = firstDirty.maxTimestamp(cfg.indexIntervalBytes).timestamp;
      if (ts >= 0 && now - ts > cfg.maxCompactionLagMs) return true;
    }
  }
  return false;
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs one cleaning pass over `range` (see the module comment). The caller sets
 * `log.cleaning` around it. Throws CleanerAbortedError when the log closes meanwhile.
 */
export async function cleanLog(log: PartitionLog, range: CleanableRange, now: number): Promise<CleanStats> {
  const cfg = log.config;
  const interval = cfg.indexIntervalBytes;
  const checkOpen = (): void => {
    if (log.closed) throw new CleanerAbortedError(`log ${log.topic}-${log.partition} closed during cleaning`);
  };

  // 1. key → latest offset over the dirty part and everything after it.
  const latest = new Map<string, number>();
  const segs = log.segments.slice();
  for (let i = log.segmentIndexFor(range.firstDirtyOffset); i < segs.length; i++) {
    const seg = segs[i]!;
    await scanSliced(seg, seg.size, checkOpen, (buf, at) => {
      const h = new BatchHeader(buf, at);
      if (h.isControl || h.isTransactional || h.lastOffset < range.firstDirtyOffset) return;
      for (const r of decodeBatch(buf, at).records) {
        if (r.key !== null && r.offset >= range.firstDirtyOffset) latest.set(r.key.toString('latin1'), r.offset);
      }
    });
    if (seg !== log.activeSegment) seg.releaseFd();
    await yieldToLoop();
  }

  // 2. rewrite in groups.
  const stats: CleanStats = {
    segmentsBefore: range.segments.length, segmentsAfter: 0, bytesBefore: 0, bytesAfter: 0, recordsDropped: 0,
    cleanedUpTo: range.firstUncleanableOffset,
  };
  let nextHorizon = Infinity;
  const groups = groupSegments(range.segments, range.firstUncleanableOffset, log.segments, cfg.segmentBytes);
  for (const group of groups) {
    checkOpen();
    const base = group[0]!.baseOffset;
    const out = LogSegment.create(log.dir, base, 0, CLEANED_SUFFIX);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const drain = (): void => {
      if (pendingBytes === 0) return;
      out.append(pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes), interval, now);
      pending = [];
      pendingBytes = 0;
    };
    try {
      for (const seg of group) {
        stats.bytesBefore += seg.size;
        await scanSliced(seg, seg.size, checkOpen, (buf, at, size) => {
          const kept = cleanBatch(buf, at, size, latest, now, cfg.deleteRetentionMs, stats);
          if (kept === null) return;
          if (kept.horizon < nextHorizon) nextHorizon = kept.horizon;
          pending.push(kept.bytes);
          pendingBytes += kept.bytes.length;
          if (pendingBytes >= WRITE_CHUNK) drain();
        });
        seg.releaseFd();
        await yieldToLoop();
      }
      drain();
      checkOpen();
      out.seal();
      out.markDirty();
      out.syncLogNow();
      out.syncIndexes();
      out.releaseFd();
    } catch (err) {
      out.deleteFiles();
      throw err;
    }
    stats.bytesAfter += out.size;
    swapIn(log, group, out);
    stats.segmentsAfter++;
  }
  log.nextTombstoneHorizonMs = nextHorizon;
  return stats;
}

/** Consecutive segments whose total size fits segment.bytes and whose offsets fit a 32-bit delta. */
function groupSegments(
  segments: LogSegment[], endOffset: number, all: readonly LogSegment[], maxBytes: number,
): LogSegment[][] {
  const groups: LogSegment[][] = [];
  const endOf = (s: LogSegment): number => all[all.indexOf(s) + 1]?.baseOffset ?? endOffset;
  let i = 0;
  while (i < segments.length) {
    const group = [segments[i]!];
    let bytes = segments[i]!.size;
    i++;
    while (i < segments.length) {
      const s = segments[i]!;
      if (bytes + s.size > maxBytes || endOf(s) - group[0]!.baseOffset - 1 > INT32_MAX) break;
      group.push(s);
      bytes += s.size;
      i++;
    }
    groups.push(group);
  }
  return groups;
}

async function scanSliced(
  seg: LogSegment, limit: number, checkOpen: () => void, visit: (buf: Buffer, at: number, size: number) => void,
): Promise<void> {
  let pos = 0;
  while (pos < limit) {
    checkOpen();
    const sliceStart = pos;
    const outcome = seg.scan(pos, limit, 'whole', (buf, at, position, size) => {
      if (position - sliceStart >= YIELD_EVERY_BYTES) return false;
      visit(buf, at, size);
      return true;
    });
    if (outcome.problem !== null) {
      throw new Error(`cannot clean segment ${seg.logFile}: ${outcome.problem}`);
    }
    if (outcome.end === pos) break;
    pos = outcome.end;
    if (pos < limit) await yieldToLoop();
  }
}

/**
 * The batch at `buf[at, at+size)` after cleaning: the same bytes when every record stays,
 * a re-encoded batch when some go, null when none stays. `horizon` is the delete horizon of
 * tombstones it keeps (Infinity when none).
 */
function cleanBatch(
  buf: Buffer, at: number, size: number, latest: Map<string, number>, now: number, deleteRetentionMs: number,
  stats: CleanStats,
): { bytes: Buffer; horizon: number } | null {
  const h = new BatchHeader(buf, at);
  const original = (): Buffer => Buffer.from(buf.subarray(at, at + size));
  if (h.isControl || h.isTransactional) return { bytes: original(), horizon: Infinity };
  const hasHorizon = (h.attributes & ATTR_DELETE_HORIZON) !== 0;
  const horizonPassed = hasHorizon && now >= h.baseTimestamp;
  const { records } = decodeBatch(buf, at);
  const kept: DecodedRecord[] = [];
  let tombstones = 0;
  for (const r of records) {
    if (r.key !== null) {
      const newest = latest.get(r.key.toString('latin1'));
      if (newest !== undefined && newest > r.offset) continue;
      if (r.value === null) {
        if (horizonPassed) continue;
        tombstones++;
      }
    }
    kept.push(r);
  }
  stats.recordsDropped += records.length - kept.length;
  if (kept.length === 0) return null;
  const horizon = tombstones === 0 ? Infinity : hasHorizon ? h.baseTimestamp : now + deleteRetentionMs;
  if (kept.length === records.length && (tombstones === 0 || hasHorizon)) return { bytes: original(), horizon };

  const base = h.baseOffset;
  const logAppend = h.hasLogAppendTime;
  const inputs: RecordInput[] = kept.map((r) => ({ key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp }));
  const bytes = encodeBatch({
    baseOffset: base,
    records: inputs,
    compression: h.compression as CompressionCodec,
    timestampType: logAppend ? 'log-append' : 'create',
    now: logAppend ? h.maxTimestamp : undefined,
    producerId: h.producerId,
    producerEpoch: h.producerEpoch,
    baseSequence: h.baseSequence,
    partitionLeaderEpoch: h.partitionLeaderEpoch,
    offsetDeltas: kept.map((r) => r.offset - base),
    lastOffsetDelta: h.lastOffsetDelta,
    deleteHorizonMs: tombstones > 0 ? horizon : undefined,
  });
  return { bytes, horizon };
}

/** Commits one cleaned group: `.cleaned` → `.swap` (log last), delete the old segments, `.swap` → final names. */
function swapIn(log: PartitionLog, group: LogSegment[], out: LogSegment): void {
  if (log.closed) {
    out.deleteFiles();
    throw new CleanerAbortedError(`log ${log.topic}-${log.partition} closed during cleaning`);
  }
  const dir = log.dir;
  const base = out.baseOffset;
  const name = (suffix: string): string => path.join(dir, offsetFileName(base, suffix));
  fs.renameSync(name(INDEX_SUFFIX + CLEANED_SUFFIX), name(INDEX_SUFFIX + SWAP_SUFFIX));
  fs.renameSync(name(TIME_INDEX_SUFFIX + CLEANED_SUFFIX), name(TIME_INDEX_SUFFIX + SWAP_SUFFIX));
  fs.renameSync(name(LOG_SUFFIX + CLEANED_SUFFIX), name(LOG_SUFFIX + SWAP_SUFFIX));
  fsyncDir(dir);
  for (const seg of group) seg.deleteFiles();
  fs.renameSync(name(INDEX_SUFFIX + SWAP_SUFFIX), name(INDEX_SUFFIX));
  fs.renameSync(name(TIME_INDEX_SUFFIX + SWAP_SUFFIX), name(TIME_INDEX_SUFFIX));
  fs.renameSync(name(LOG_SUFFIX + SWAP_SUFFIX), name(LOG_SUFFIX));
  fsyncDir(dir);
  log.replaceSegments(group, LogSegment.open(dir, base));
}

/** Removes `.cleaned` files a failed pass may have left (the next startup would too). */
export function removeCleanerLeftovers(dir: string): void {
  for (const n of fs.readdirSync(dir)) {
    if (n.endsWith(CLEANED_SUFFIX)) unlinkIfExists(path.join(dir, n));
  }
}
