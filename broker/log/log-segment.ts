/**
 * One segment of a partition log: `<base>.log` with its `.index` and `.timeindex`
 * (broker notes §6.1–6.3).
 *
 * Invariants:
 * - Only the active segment is appended to, with one synchronous positional write per
 *   append, so acknowledged bytes are in the page cache (they survive a process kill).
 * - `size` is the number of valid bytes; reads never look past it.
 * - Index entries live in memory and reach their files on flush, roll and close. Indexes of
 *   closed segments are loaded on first use and rebuilt from the .log when inconsistent.
 * - The log file descriptor is opened lazily; closing it waits for an fdatasync in flight
 *   (closing a descriptor under a pending sync could sync a reused descriptor number).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  BATCH, BATCH_HEADER_SIZE, BATCH_LOG_OVERHEAD, readInt64At,
} from '../protocol/batch-header.js';
import { decodeBatch, validateBatch } from '../protocol/record-batch.js';
import {
  INDEX_SUFFIX, LOG_SUFFIX, TIME_INDEX_SUFFIX, offsetFileName, readAt, unlinkIfExists, writeFully,
} from './log-files.js';
import { OffsetIndex } from './offset-index.js';
import { TIME_INDEX_ENTRY_SIZE, TimeIndex } from './time-index.js';
import type { ReadAllocator } from './read-buffers.js';

const SCAN_CHUNK = 256 * 1024;
const READ_SLACK = 16 * 1024;
const MAGIC_V2 = 2;
const EMPTY: Buffer = Buffer.alloc(0);

export type ScanMode = 'headers' | 'whole' | 'verify';

/** Visitor over batches: `buf[at, at + size)` is the batch (only its header in 'headers' mode). */
export type BatchVisitor = (buf: Buffer, at: number, position: number, size: number) => boolean | void;

export interface ScanOutcome {
  /** Position after the last batch that passed. */
  end: number;
  /** Why the scan stopped early at `end`, or null when it reached the limit (or the visitor stopped). */
  problem: string | null;
}

export interface SegmentRead {
  records: Buffer;
  /** True when every batch up to the segment's end was taken and the caller may go on. */
  exhausted: boolean;
}

export class LogSegment {
  readonly logFile: string;
  readonly indexFile: string;
  readonly timeIndexFile: string;
  size: number;
  /** Wall-clock start used by segment.ms rolling. */
  rollStartMs = -1;
  readonly rollJitterMs: number;

  private fd = -1;
  private offsetIdx: OffsetIndex | null = null;
  private timeIdx: TimeIndex | null = null;
  private next = -1;
  private maxTs = -1;
  private offsetOfMaxTs = -1;
  private maxTsKnown = false;
  private bytesSinceIndexEntry = 0;
  private writeGeneration = 0;
  private syncedGeneration = 0;
  private syncInFlight: Promise<void> | null = null;
  private closeAfterSync = false;

  private constructor(readonly dir: string, readonly baseOffset: number, size: number, jitterMs: number, suffix = '') {
    this.logFile = path.join(dir, offsetFileName(baseOffset, LOG_SUFFIX + suffix));
    this.indexFile = path.join(dir, offsetFileName(baseOffset, INDEX_SUFFIX + suffix));
    this.timeIndexFile = path.join(dir, offsetFileName(baseOffset, TIME_INDEX_SUFFIX + suffix));
    this.size = size;
    this.rollJitterMs = jitterMs;
  }

  /**
   * A new, empty segment (truncating any file of that name). A `suffix` (e.g. `.cleaned`)
   * is appended to all three file names: the log cleaner writes its output that way.
   */
  static create(dir: string, baseOffset: number, jitterMs = 0, suffix = ''): LogSegment {
    const seg = new LogSegment(dir, baseOffset, 0, jitterMs, suffix);
    seg.fd = fs.openSync(seg.logFile, 'w+');
    unlinkIfExists(seg.indexFile);
    unlinkIfExists(seg.timeIndexFile);
    seg.offsetIdx = OffsetIndex.empty(baseOffset, seg.indexFile);
    seg.timeIdx = TimeIndex.empty(baseOffset, seg.timeIndexFile);
    seg.next = baseOffset;
    seg.maxTsKnown = true;
    return seg;
  }

  /** An existing segment file; indexes load on first use. */
  static open(dir: string, baseOffset: number, jitterMs = 0): LogSegment {
    const seg = new LogSegment(dir, baseOffset, 0, jitterMs);
    seg.size = fs.statSync(seg.logFile).size;
    return seg;
  }

  get indexesLoaded(): boolean { return this.offsetIdx !== null; }
  get offsetIndexEntries(): number { return this.offsetIdx?.entries ?? 0; }
  get timeIndexEntries(): number { return this.timeIdx?.entries ?? 0; }
  get hasUnsyncedWrites(): boolean { return this.syncedGeneration !== this.writeGeneration; }

  private ensureFd(): number {
    if (this.fd < 0) {
      this.fd = fs.openSync(this.logFile, 'r+');
      this.closeAfterSync = false;
    }
    return this.fd;
  }

  /** Largest record timestamp in the segment (-1 when none), and the base offset of its batch. */
  maxTimestamp(intervalBytes: number): { timestamp: number; batchOffset: number } {
    if (!this.maxTsKnown && !this.peekMaxTimestamp()) this.loadIndexes(intervalBytes);
    return { timestamp: this.maxTs, batchOffset: this.offsetOfMaxTs };
  }

  /**
   * A sealed segment's largest timestamp is its time index's last entry: read just those
   * 12 bytes (retention checks every segment; loading whole indexes would cost memory).
   */
  private peekMaxTimestamp(): boolean {
    let fd: number | undefined;
    try {
      fd = fs.openSync(this.timeIndexFile, 'r');
      const size = fs.fstatSync(fd).size;
      if (size === 0 || size % TIME_INDEX_ENTRY_SIZE !== 0) return false;
      const last = readAt(fd, size - TIME_INDEX_ENTRY_SIZE, TIME_INDEX_ENTRY_SIZE);
      if (last.length !== TIME_INDEX_ENTRY_SIZE || last.readInt32BE(8) < 0) return false;
      this.maxTs = readInt64At(last, 0);
      this.offsetOfMaxTs = this.baseOffset + last.readInt32BE(8);
      this.maxTsKnown = true;
      return true;
    } catch {
      return false;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  /** Offset after the segment's last batch (the base offset when empty). */
  nextOffset(intervalBytes: number): number {
    if (this.next < 0) this.recoverTail(intervalBytes);
    return this.next;
  }

  /**
   * Loads both indexes, rebuilding them from the .log when a file is missing or
   * inconsistent (including a last offset-index entry that does not point at a batch
   * starting at that offset).
   */
  loadIndexes(intervalBytes: number): void {
    if (this.offsetIdx !== null) return;
    const oi = OffsetIndex.load(this.baseOffset, this.indexFile, this.size);
    const ti = oi === null ? null : TimeIndex.load(this.baseOffset, this.timeIndexFile);
    if (oi !== null && ti !== null && this.lastEntryMatches(oi)) {
      this.offsetIdx = oi;
      this.timeIdx = ti;
      if (ti.entries > 0) {
        this.maxTs = ti.lastTimestamp();
        this.offsetOfMaxTs = ti.offsetAt(ti.entries - 1);
      }
      this.maxTsKnown = true;
      return;
    }
    this.rebuild(intervalBytes, 'headers');
  }

  private lastEntryMatches(oi: OffsetIndex): boolean {
    const last = oi.last();
    if (last === null) return true;
    const head = readAt(this.ensureFd(), last.position, BATCH_LOG_OVERHEAD);
    return head.length === BATCH_LOG_OVERHEAD && readInt64At(head, BATCH.BASE_OFFSET) === last.offset;
  }

  /**
   * Rescans the whole segment and rebuilds both indexes and the bookkeeping. The file is
   * truncated at the first partial or malformed batch; in 'verify' mode also at the first
   * CRC mismatch or offset going backwards. Returns the number of bytes cut off.
   */
  rebuild(intervalBytes: number, mode: 'headers' | 'verify'): number {
    const oi = OffsetIndex.empty(this.baseOffset, this.indexFile);
    const ti = TimeIndex.empty(this.baseOffset, this.timeIndexFile);
    this.offsetIdx = oi;
    this.timeIdx = ti;
    this.maxTs = -1;
    this.offsetOfMaxTs = -1;
    this.maxTsKnown = true;
    this.bytesSinceIndexEntry = 0;
    this.next = this.baseOffset;
    const outcome = this.scan(0, this.size, mode, (buf, at, position, size) => {
      if (mode === 'verify' && readInt64At(buf, at + BATCH.BASE_OFFSET) < this.next) return false;
      this.indexBatch(buf, at, position, size, intervalBytes);
      return true;
    });
    const cut = this.size - outcome.end;
    if (cut > 0) this.truncateTo(outcome.end);
    ti.maybeAppend(this.maxTs, this.offsetOfMaxTs);
    oi.writeAll();
    ti.writeAll();
    return cut;
  }

  /**
   * For the active segment after a clean shutdown: loads the indexes and scans the batches
   * after the last offset-index entry to restore the append bookkeeping. A partial batch at
   * the end (which a clean shutdown should never leave) is cut off.
   */
  recoverTail(intervalBytes: number): void {
    this.loadIndexes(intervalBytes);
    const last = this.offsetIdx!.last();
    const from = last === null ? 0 : last.position;
    this.next = last === null ? this.baseOffset : last.offset;
    this.bytesSinceIndexEntry = 0;
    const outcome = this.scan(from, this.size, 'headers', (buf, at, _position, size) => {
      const base = readInt64At(buf, at + BATCH.BASE_OFFSET);
      this.next = base + buf.readInt32BE(at + BATCH.LAST_OFFSET_DELTA) + 1;
      this.trackTimestamp(buf, at, base);
      this.bytesSinceIndexEntry += size;
    });
    if (outcome.problem !== null && outcome.end < this.size) this.truncateTo(outcome.end);
  }

  private trackTimestamp(buf: Buffer, at: number, base: number): void {
    const ts = readInt64At(buf, at + BATCH.MAX_TIMESTAMP);
    if (ts > this.maxTs) {
      this.maxTs = ts;
      this.offsetOfMaxTs = base;
    }
  }

  private indexBatch(buf: Buffer, at: number, position: number, size: number, intervalBytes: number): void {
    const base = readInt64At(buf, at + BATCH.BASE_OFFSET);
    this.trackTimestamp(buf, at, base);
    if (this.bytesSinceIndexEntry > intervalBytes) {
      this.offsetIdx!.append(base, position);
      this.timeIdx!.maybeAppend(this.maxTs, this.offsetOfMaxTs);
      this.bytesSinceIndexEntry = 0;
    }
    this.bytesSinceIndexEntry += size;
    this.next = base + buf.readInt32BE(at + BATCH.LAST_OFFSET_DELTA) + 1;
  }

  /** Walks batches in `[from, limit)` of this segment's .log; see `scanBatches`. */
  scan(from: number, limit: number, mode: ScanMode, visit: BatchVisitor): ScanOutcome {
    if (from >= limit) return { end: from, problem: null };
    return scanBatches(this.ensureFd(), from, limit, mode, visit);
  }

  /**
   * Appends batches whose offsets are already assigned (one positional write), then
   * updates the in-memory indexes. On a write error the file is cut back to its old size.
   */
  append(buf: Buffer, intervalBytes: number, now: number): void {
    const fd = this.ensureFd();
    const start = this.size;
    try {
      writeFully(fd, buf, start);
    } catch (err) {
      try { fs.ftruncateSync(fd, start); } catch { /* the original error matters more */ }
      throw err;
    }
    if (start === 0 || this.rollStartMs < 0) this.rollStartMs = now;
    this.size = start + buf.length;
    this.writeGeneration++;
    for (let at = 0; at < buf.length;) {
      const size = buf.readInt32BE(at + BATCH.LENGTH) + BATCH_LOG_OVERHEAD;
      this.indexBatch(buf, at, start + at, size, intervalBytes);
      at += size;
    }
  }

  /**
   * Whole batches starting with the first one whose last offset ≥ fetchOffset, up to
   * maxBytes (the first batch may exceed it when `minOneBatch`), stopping before a batch
   * whose base offset ≥ maxOffset. One read normally; a second for a first batch that did
   * not fit the first read. Reads into buffers from `alloc` when given.
   */
  read(
    fetchOffset: number, maxBytes: number, minOneBatch: boolean, maxOffset: number, intervalBytes: number, alloc?: ReadAllocator,
  ): SegmentRead {
    this.loadIndexes(intervalBytes);
    const limit = this.size;
    let chunkPos = this.offsetIdx!.lookup(fetchOffset).position;
    if (chunkPos >= limit) return { records: EMPTY, exhausted: true };
    const fd = this.ensureFd();
    const window = (from: number, atLeast = 0): number =>
      Math.min(limit - from, Math.max(atLeast, Math.max(maxBytes, BATCH_HEADER_SIZE) + intervalBytes + READ_SLACK));
    let chunk = readAt(fd, chunkPos, window(chunkPos), alloc);
    let at = 0;

    // Skip batches that end before fetchOffset.
    for (;;) {
      if (chunkPos + at >= limit) return { records: EMPTY, exhausted: true };
      if (at + BATCH.LAST_OFFSET_DELTA + 4 > chunk.length) {
        chunkPos += at;
        at = 0;
        chunk = readAt(fd, chunkPos, window(chunkPos), alloc);
        if (chunk.length < BATCH.LAST_OFFSET_DELTA + 4) return { records: EMPTY, exhausted: true };
        continue;
      }
      const size = chunk.readInt32BE(at + BATCH.LENGTH) + BATCH_LOG_OVERHEAD;
      const last = readInt64At(chunk, at + BATCH.BASE_OFFSET) + chunk.readInt32BE(at + BATCH.LAST_OFFSET_DELTA);
      if (last >= fetchOffset) break;
      at += size;
    }

    let start = at;
    let total = 0;
    for (;;) {
      if (chunkPos + at >= limit) return { records: chunk.subarray(start, at), exhausted: true };
      if (at + BATCH_LOG_OVERHEAD > chunk.length) {
        if (total > 0) return { records: chunk.subarray(start, at), exhausted: false };
        chunkPos += at;
        at = 0;
        start = 0;
        chunk = readAt(fd, chunkPos, window(chunkPos), alloc);
        if (chunk.length < BATCH_LOG_OVERHEAD) return { records: EMPTY, exhausted: true };
        continue;
      }
      const base = readInt64At(chunk, at + BATCH.BASE_OFFSET);
      if (base >= maxOffset) return { records: chunk.subarray(start, at), exhausted: false };
      const size = chunk.readInt32BE(at + BATCH.LENGTH) + BATCH_LOG_OVERHEAD;
      if (total + size > maxBytes && !(total === 0 && minOneBatch)) {
        return { records: chunk.subarray(start, at), exhausted: false };
      }
      if (at + size > chunk.length) {
        if (total > 0) return { records: chunk.subarray(start, at), exhausted: false };
        chunkPos += at;
        at = 0;
        start = 0;
        chunk = readAt(fd, chunkPos, window(chunkPos, size), alloc);
        if (chunk.length < size) return { records: EMPTY, exhausted: true };
        continue;
      }
      total += size;
      at += size;
    }
  }

  /** First record at or after minOffset with timestamp ≥ target in this segment, or null. */
  findByTimestamp(target: number, intervalBytes: number, minOffset = 0): { offset: number; timestamp: number } | null {
    this.loadIndexes(intervalBytes);
    if (this.maxTs < target) return null;
    const fromOffset = this.timeIdx!.lookup(target);
    const from = this.offsetIdx!.lookup(fromOffset).position;
    let found: { offset: number; timestamp: number } | null = null;
    this.scan(from, this.size, 'whole', (buf, at) => {
      if (readInt64At(buf, at + BATCH.MAX_TIMESTAMP) < target) return true;
      const { records } = decodeBatch(buf, at);
      for (const r of records) {
        if (r.timestamp >= target && r.offset >= minOffset) {
          found = { offset: r.offset, timestamp: r.timestamp };
          return false;
        }
      }
      return true;
    });
    return found;
  }

  /** The batch containing `offset`, decoded, or null. */
  decodeBatchAt(offset: number, intervalBytes: number): ReturnType<typeof decodeBatch> | null {
    this.loadIndexes(intervalBytes);
    const from = this.offsetIdx!.lookup(offset).position;
    let result: ReturnType<typeof decodeBatch> | null = null;
    this.scan(from, this.size, 'whole', (buf, at) => {
      const base = readInt64At(buf, at + BATCH.BASE_OFFSET);
      if (base + buf.readInt32BE(at + BATCH.LAST_OFFSET_DELTA) < offset) return true;
      if (base <= offset) result = decodeBatch(buf, at);
      return false;
    });
    return result;
  }

  /** True when one more index entry of either kind would not fit segment.index.bytes. */
  indexFull(segmentIndexBytes: number): boolean {
    if (this.offsetIdx === null) return false;
    return this.offsetIdx.sizeInBytes + 8 > segmentIndexBytes || this.timeIdx!.sizeInBytes + 12 > segmentIndexBytes;
  }

  /** Writes the index entries not yet on disk. */
  flushIndexes(): void {
    this.offsetIdx?.writePending();
    this.timeIdx?.writePending();
  }

  /** Called when this segment stops being the active one: seals the time index, writes indexes. */
  seal(): void {
    this.timeIdx?.maybeAppend(this.maxTs, this.offsetOfMaxTs);
    this.flushIndexes();
  }

  /** fdatasync of the index files (for sealed segments). */
  syncIndexes(): void {
    this.offsetIdx?.sync();
    this.timeIdx?.sync();
  }

  /**
   * fdatasync of the .log (asynchronous, on the thread pool). Resolves once every write made
   * before the call is durable. Concurrent calls share one fsync when nothing was written
   * in between.
   */
  async syncLog(): Promise<void> {
    while (this.syncInFlight !== null) await this.syncInFlight;
    if (!this.hasUnsyncedWrites) return;
    const generation = this.writeGeneration;
    const fd = this.ensureFd();
    this.syncInFlight = new Promise<void>((resolve, reject) => {
      fs.fdatasync(fd, (err) => (err ? reject(err) : resolve()));
    }).finally(() => {
      this.syncInFlight = null;
      if (this.closeAfterSync) this.closeFdNow();
    });
    await this.syncInFlight;
    if (generation > this.syncedGeneration) this.syncedGeneration = generation;
  }

  /** Synchronous fdatasync (startup recovery and close). */
  syncLogNow(): void {
    if (this.hasUnsyncedWrites) {
      fs.fdatasyncSync(this.ensureFd());
      this.syncedGeneration = this.writeGeneration;
    }
  }

  /** Marks data written by recovery (truncation) as needing an fsync. */
  markDirty(): void { this.writeGeneration++; }

  truncateTo(position: number): void {
    fs.ftruncateSync(this.ensureFd(), position);
    this.size = position;
    this.writeGeneration++;
  }

  /** Closes the log descriptor (after any fdatasync in flight). Index entries are written first. */
  close(): void {
    this.flushIndexes();
    this.releaseFd();
  }

  /** Closes the descriptor without touching index files (reads of closed segments). */
  releaseFd(): void {
    if (this.fd < 0) return;
    if (this.syncInFlight !== null) {
      this.closeAfterSync = true;
      return;
    }
    this.closeFdNow();
  }

  private closeFdNow(): void {
    if (this.fd >= 0) {
      fs.closeSync(this.fd);
      this.fd = -1;
    }
    this.closeAfterSync = false;
  }

  /** Drops the in-memory indexes of a closed segment (they reload on demand). */
  unloadIndexes(): void {
    if (this.offsetIdx === null) return;
    this.flushIndexes();
    this.offsetIdx = null;
    this.timeIdx = null;
  }

  deleteFiles(): void {
    this.releaseFd();
    this.offsetIdx = null;
    this.timeIdx = null;
    unlinkIfExists(this.logFile);
    unlinkIfExists(this.indexFile);
    unlinkIfExists(this.timeIndexFile);
  }
}

/**
 * Walks batches in `[from, limit)` of the file open as `fd`. Stops with a problem at a
 * partial or malformed batch (and, in 'verify' mode, at a CRC mismatch). 'whole' and
 * 'verify' hand the visitor the complete batch; 'headers' guarantees only the 61-byte header.
 * Reads in chunks of 256 KiB (or one batch when larger).
 */
export function scanBatches(fd: number, from: number, limit: number, mode: ScanMode, visit: BatchVisitor): ScanOutcome {
  let chunk = EMPTY;
  let chunkPos = from;
  let pos = from;
  const have = (bytes: number): boolean => {
    if (pos - chunkPos + bytes <= chunk.length) return true;
    chunkPos = pos;
    chunk = readAt(fd, pos, Math.min(limit - pos, Math.max(SCAN_CHUNK, bytes)));
    return bytes <= chunk.length;
  };
  while (pos < limit) {
    if (!have(BATCH_LOG_OVERHEAD)) return { end: pos, problem: `partial batch header at ${pos}` };
    const batchLength = chunk.readInt32BE(pos - chunkPos + BATCH.LENGTH);
    if (batchLength < BATCH_HEADER_SIZE - BATCH_LOG_OVERHEAD) {
      return { end: pos, problem: `batch length ${batchLength} at ${pos} is too small` };
    }
    const size = batchLength + BATCH_LOG_OVERHEAD;
    if (pos + size > limit) return { end: pos, problem: `partial batch at ${pos}: ${size} bytes, ${limit - pos} present` };
    if (!have(mode === 'headers' ? BATCH_HEADER_SIZE : size)) return { end: pos, problem: `short read at ${pos}` };
    const at = pos - chunkPos;
    const magic = chunk.readInt8(at + BATCH.MAGIC);
    if (magic !== MAGIC_V2) return { end: pos, problem: `batch at ${pos} has magic ${magic}` };
    if (mode === 'verify') {
      const bad = validateBatch(chunk, at, size, { checkRecords: false, origin: 'log' });
      if (bad !== null) return { end: pos, problem: `batch at ${pos}: ${bad.message}` };
    }
    if (visit(chunk, at, pos, size) === false) return { end: pos, problem: null };
    pos += size;
  }
  return { end: pos, problem: null };
}

/** Offset after the last whole batch of a segment file that is not open as a LogSegment. */
export function scanFileForNextOffset(file: string, baseOffset: number): number {
  const fd = fs.openSync(file, 'r');
  try {
    let next = baseOffset;
    scanBatches(fd, 0, fs.fstatSync(fd).size, 'headers', (buf, at) => {
      next = readInt64At(buf, at + BATCH.BASE_OFFSET) + buf.readInt32BE(at + BATCH.LAST_OFFSET_DELTA) + 1;
    });
    return next;
  } finally {
    fs.closeSync(fd);
  }
}
