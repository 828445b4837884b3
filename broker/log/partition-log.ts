/**
 * The log of one partition: a directory `<topic>-<partition>` of segments (broker notes §6),
 * with idempotent-producer state (§3.7), recovery (§6.5), retention (§6.4), flushing and the
 * hooks the log cleaner uses (§6.6).
 *
 * Concurrency: everything that changes the log runs synchronously on the event loop
 * (append, roll, retention, the cleaner's swap step), so a read never sees a half-applied
 * change. Only fdatasync runs off the loop. One node: high watermark = log end offset.
 *
 * Durability: an append is one positional write to the active segment, so once append()
 * returns the bytes are in the OS page cache and survive a kill of the process. They are
 * durable against power loss only after flush() (fdatasync), which the produce path awaits
 * when `needsFlushBeforeAck()` says so (flush.messages), and which a timer runs every
 * flush.ms. The recovery point (everything below it is fsynced) bounds what startup
 * re-verifies after an unclean shutdown.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { BATCH, BATCH_HEADER_SIZE, BATCH_LOG_OVERHEAD, BatchHeader, readInt64At } from '../protocol/batch-header.js';
import { assignOffsets, controlRecordType, decodeBatch, setLogAppendTime } from '../protocol/record-batch.js';
import type { LogConfig } from './log-config.js';
import {
  CLEANED_SUFFIX, INDEX_SUFFIX, LOG_SUFFIX, SWAP_SUFFIX, TIME_INDEX_SUFFIX, offsetFileName, parseOffsetFileName,
  trashName, unlinkIfExists,
} from './log-files.js';
import { LogSegment, scanFileForNextOffset } from './log-segment.js';
import {
  DUPLICATE_SEQUENCE_NUMBER, type ProducerEntry, ProducerStateManager, type StagedProducers,
} from './producer-state.js';
import type { ReadAllocator } from './read-buffers.js';

export const OFFSET_OUT_OF_RANGE = 1;
export const CORRUPT_MESSAGE = 2;
export const KAFKA_STORAGE_ERROR = 56;
export const INVALID_RECORD = 87;

const INT32_MAX = 2147483647;
const EMPTY: Buffer = Buffer.alloc(0);
/** Closed segments kept open (descriptor + indexes) for readers catching up. */
const OPEN_CLOSED_SEGMENTS = 4;

export interface PartitionLogOptions {
  /** The partition directory; created when missing. */
  dir: string;
  topic: string;
  partition: number;
  config: LogConfig;
  /** Offset below which data is known to be fsynced (recovery-point checkpoint); 0 if unknown. */
  recoveryPoint?: number;
  /** Log start offset from the checkpoint; the first segment's base if unknown. */
  logStartOffset?: number;
  /** The data directory was shut down cleanly: trust segment sizes and index files. */
  cleanShutdown?: boolean;
  /** Clock for background work (flush timer bookkeeping, expiry during replay). */
  now?: () => number;
  logger?: Logger;
  /** Called (synchronously) whenever the log start offset moves. */
  onLogStartOffsetChange?: (log: PartitionLog) => void;
}

export interface AppendOptions {
  /** Wall-clock time of the append (LogAppendTime, segment.ms, producer expiry). */
  now: number;
  /** Stamp batches with LogAppendTime = now (topic message.timestamp.type). */
  logAppendTime: boolean;
}

export type AppendResult =
  | {
    ok: true;
    baseOffset: number;
    lastOffset: number;
    /** `now` for LogAppendTime appends, else -1. */
    logAppendTimeMs: number;
    logStartOffset: number;
    /** The batch repeated one of the producer's last 5 batches: nothing was written; offsets are the original ones. */
    duplicate: boolean;
  }
  | { ok: false; errorCode: number; message: string };

export type ReadResult = { records: Buffer } | { error: 'OFFSET_OUT_OF_RANGE' };

export interface ReadOptions {
  /** Return the first batch whole even if it exceeds maxBytes (KIP-74). */
  minOneBatch: boolean;
  /** Exclusive upper bound (e.g. the last stable offset); defaults to the high watermark. */
  maxOffset?: number;
  /**
   * Where to read into (the fetch path's reusable buffers); the records returned then live
   * in its buffers and must not be used once they are given back.
   */
  buffers?: ReadAllocator;
}

export class PartitionLog {
  readonly dir: string;
  readonly topic: string;
  readonly partition: number;
  readonly producers: ProducerStateManager;
  private cfg: LogConfig;
  private readonly clock: () => number;
  private readonly logger: Logger | undefined;
  private readonly onLogStartChange: ((log: PartitionLog) => void) | undefined;

  private segs: LogSegment[] = [];
  private leo = 0;
  private startOffset = 0;
  private recoveredTo = 0;
  private unflushedMessages = 0;
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private flushQueued: Promise<void> | null = null;
  private recentReads: LogSegment[] = [];
  /** Rolled segments whose index files still need an fsync. */
  private sealedUnsynced: LogSegment[] = [];
  private listeners = new Set<() => void>();
  private closedFlag = false;
  private deleted = false;
  /** Set while the cleaner works on this log; retention waits for it. */
  cleaning: Promise<void> | null = null;
  /** Earliest delete horizon of tombstones the cleaner kept, for eligibility. */
  nextTombstoneHorizonMs = Infinity;

  private constructor(opts: PartitionLogOptions) {
    this.dir = opts.dir;
    this.topic = opts.topic;
    this.partition = opts.partition;
    this.cfg = opts.config;
    this.clock = opts.now ?? Date.now;
    this.logger = opts.logger;
    this.onLogStartChange = opts.onLogStartOffsetChange;
    this.producers = new ProducerStateManager(opts.dir, opts.config.producerIdExpirationMs);
  }

  /** Opens (recovering if needed) or creates the partition log. */
  static open(opts: PartitionLogOptions): PartitionLog {
    const log = new PartitionLog(opts);
    log.load(opts);
    return log;
  }

  get config(): LogConfig { return this.cfg; }
  get logStartOffset(): number { return this.startOffset; }
  get logEndOffset(): number { return this.leo; }
  /** Single replica: the high watermark is the log end offset. */
  get highWatermark(): number { return this.leo; }
  /** First offset of the earliest open transaction, or the high watermark. */
  get lastStableOffset(): number { return this.producers.firstUnstableOffset() ?? this.leo; }
  get recoveryPoint(): number { return this.recoveredTo; }
  get closed(): boolean { return this.closedFlag; }
  get segmentCount(): number { return this.segs.length; }
  /** Bytes in all segments. */
  get size(): number {
    let n = 0;
    for (const s of this.segs) n += s.size;
    return n;
  }
  /** Segments oldest first; the last one is active. For the cleaner and tests. */
  get segments(): readonly LogSegment[] { return this.segs; }
  get activeSegment(): LogSegment { return this.segs[this.segs.length - 1]!; }

  updateConfig(config: LogConfig): void {
    this.cfg = config;
    this.producers.expirationMs = config.producerIdExpirationMs;
    if (this.flushTimer !== null) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    this.armFlushTimer();
  }

  // --- loading and recovery --------------------------------------------------------------

  private load(opts: PartitionLogOptions): void {
    fs.mkdirSync(this.dir, { recursive: true });
    this.completeInterruptedSwaps();
    const interval = this.cfg.indexIntervalBytes;
    const names = fs.readdirSync(this.dir);
    const bases: number[] = [];
    const logNames = new Set<string>();
    for (const n of names) {
      const base = parseOffsetFileName(n, LOG_SUFFIX);
      if (base !== null) {
        bases.push(base);
        logNames.add(n.slice(0, 20));
      }
    }
    for (const n of names) {
      const isIndex = parseOffsetFileName(n, INDEX_SUFFIX) !== null || parseOffsetFileName(n, TIME_INDEX_SUFFIX) !== null;
      if ((isIndex && !logNames.has(n.slice(0, 20))) || n.endsWith('.tmp')) unlinkIfExists(path.join(this.dir, n));
    }
    bases.sort((a, b) => a - b);
    this.segs = bases.map((b) => LogSegment.open(this.dir, b, this.jitter()));

    if (this.segs.length === 0) {
      const start = Math.max(0, opts.logStartOffset ?? 0);
      this.segs.push(LogSegment.create(this.dir, start, this.jitter()));
    } else if (opts.cleanShutdown === true) {
      this.activeSegment.recoverTail(interval);
    } else {
      this.recoverSegments(opts.recoveryPoint ?? 0);
    }

    const active = this.activeSegment;
    this.leo = active.nextOffset(interval);
    if (active.size > 0) active.rollStartMs = this.firstBatchTimestamp(active);
    this.startOffset = Math.min(Math.max(opts.logStartOffset ?? 0, this.segs[0]!.baseOffset), this.leo);
    this.recoveredTo = this.leo;
    this.loadProducerState(opts.cleanShutdown === true);
    // Tombstone horizons kept by earlier passes are in the batches, not in memory: look again
    // once every tombstone the last run could have stamped has expired.
    if (this.cfg.cleanupCompact && this.segs.length > 1) this.nextTombstoneHorizonMs = this.clock() + this.cfg.deleteRetentionMs;
  }

  private jitter(): number {
    const j = this.cfg.segmentJitterMs;
    return j > 0 ? Math.floor(Math.random() * j) : 0;
  }

  private firstBatchTimestamp(seg: LogSegment): number {
    const now = this.clock();
    let ts = now;
    seg.scan(0, seg.size, 'headers', (buf, at) => {
      const t = readInt64At(buf, at + BATCH.MAX_TIMESTAMP);
      if (t >= 0 && t < now) ts = t;
      return false;
    });
    return ts;
  }

  /**
   * Re-verifies every segment from the one holding the recovery point: sizes, magic,
   * CRC-32C and offset order. Truncates at the first bad or partial batch and deletes every
   * later segment; rebuilds the indexes of what it checked; fsyncs what it changed.
   */
  private recoverSegments(recoveryPoint: number): void {
    const interval = this.cfg.indexIntervalBytes;
    let first = 0;
    for (let i = 0; i < this.segs.length; i++) {
      if (this.segs[i]!.baseOffset <= recoveryPoint) first = i;
    }
    for (let i = first; i < this.segs.length; i++) {
      const seg = this.segs[i]!;
      const cut = seg.rebuild(interval, 'verify');
      seg.markDirty();
      seg.syncLogNow();
      if (cut > 0) {
        this.logger?.warn({ topic: this.topic, partition: this.partition, segment: seg.baseOffset, cutBytes: cut },
          'log recovery truncated a segment and dropped the segments after it');
        for (const later of this.segs.splice(i + 1)) later.deleteFiles();
        this.producers.deleteSnapshotsAbove(seg.nextOffset(interval));
        break;
      }
    }
  }

  /**
   * Completes a compaction that crashed after its output became a `.swap` (the commit
   * point): the segments it covers are deleted and the swap files take their place.
   * `.cleaned` files (an unfinished output) are deleted.
   */
  private completeInterruptedSwaps(): void {
    const names = fs.readdirSync(this.dir);
    for (const n of names) {
      if (n.endsWith(CLEANED_SUFFIX)) unlinkIfExists(path.join(this.dir, n));
    }
    const swaps = names.filter((n) => n.endsWith(LOG_SUFFIX + SWAP_SUFFIX)).sort();
    for (const swapName of swaps) {
      const base = parseOffsetFileName(swapName.slice(0, -SWAP_SUFFIX.length), LOG_SUFFIX);
      if (base === null) continue;
      const swapFile = path.join(this.dir, swapName);
      const next = scanFileForNextOffset(swapFile, base);
      for (const n of fs.readdirSync(this.dir)) {
        const b = parseOffsetFileName(n, LOG_SUFFIX);
        if (b !== null && b >= base && b < next) {
          unlinkIfExists(path.join(this.dir, n));
          unlinkIfExists(path.join(this.dir, offsetFileName(b, INDEX_SUFFIX)));
          unlinkIfExists(path.join(this.dir, offsetFileName(b, TIME_INDEX_SUFFIX)));
        }
      }
      for (const suffix of [INDEX_SUFFIX, TIME_INDEX_SUFFIX]) {
        const s = path.join(this.dir, offsetFileName(base, suffix + SWAP_SUFFIX));
        if (fs.existsSync(s)) fs.renameSync(s, path.join(this.dir, offsetFileName(base, suffix)));
      }
      fs.renameSync(swapFile, path.join(this.dir, offsetFileName(base, LOG_SUFFIX)));
      this.logger?.info({ topic: this.topic, partition: this.partition, segment: base }, 'completed an interrupted compaction swap');
    }
    for (const n of fs.readdirSync(this.dir)) {
      if (n.endsWith(SWAP_SUFFIX)) unlinkIfExists(path.join(this.dir, n));
    }
  }

  /** Newest snapshot ≤ log end, then replay of the batches after it. */
  private loadProducerState(clean: boolean): void {
    const now = this.clock();
    this.producers.deleteSnapshotsAbove(this.leo);
    const from = this.producers.loadSnapshot(this.leo, now);
    if (!(clean && from === this.leo)) this.replayProducerState(Math.max(from, this.segs[0]!.baseOffset), now);
    this.producers.truncateHead(this.startOffset);
  }

  private replayProducerState(from: number, now: number): void {
    for (let i = this.segmentIndexFor(from); i < this.segs.length; i++) {
      const seg = this.segs[i]!;
      seg.scan(0, seg.size, 'whole', (buf, at) => {
        const h = new BatchHeader(buf, at);
        if (h.lastOffset < from || h.producerId < 0) return true;
        this.producers.update(h, now, h.isControl ? markerType(buf, at) : undefined);
        return true;
      });
      if (seg !== this.activeSegment) seg.releaseFd();
    }
  }

  // --- append ----------------------------------------------------------------------------

  /**
   * Appends one or more validated batches laid back to back (a produce request's records,
   * or batches built by the broker). Assigns offsets from the log end, leader epoch 0, and
   * LogAppendTime when asked; checks and records idempotent-producer state. A single batch
   * that repeats one of its producer's last 5 batches is not written: the result carries
   * the original offsets and `duplicate: true`. A duplicate inside a multi-batch append
   * fails the append with 46 DUPLICATE_SEQUENCE_NUMBER. Error codes: 47, 45, 46, 2, 87, 56.
   */
  append(batches: Buffer, opts: AppendOptions): AppendResult {
    if (this.closedFlag) return { ok: false, errorCode: KAFKA_STORAGE_ERROR, message: `log ${this.name} is closed` };
    const len = batches.length;
    let count = 0;
    let records = 0;
    let hasProducers = false;
    for (let at = 0; at < len;) {
      if (at + BATCH_HEADER_SIZE > len) return corrupt(`${len - at} trailing bytes cannot hold a batch header`);
      const size = batches.readInt32BE(at + BATCH.LENGTH) + BATCH_LOG_OVERHEAD;
      if (size < BATCH_HEADER_SIZE || at + size > len) return corrupt(`batch at ${at} of ${size} bytes does not fit`);
      const delta = batches.readInt32BE(at + BATCH.LAST_OFFSET_DELTA);
      if (delta < 0) return { ok: false, errorCode: INVALID_RECORD, message: `lastOffsetDelta ${delta} is negative` };
      records += delta + 1;
      if (readInt64At(batches, at + BATCH.PRODUCER_ID) >= 0) hasProducers = true;
      count++;
      at += size;
    }
    if (count === 0) return { ok: false, errorCode: INVALID_RECORD, message: 'no record batch to append' };

    if (hasProducers) {
      let staged: StagedProducers | undefined;
      for (let at = 0; at < len;) {
        const h = new BatchHeader(batches, at);
        at += h.size;
        if (h.producerId < 0) continue;
        const check = this.producers.check(h, staged);
        if (!check.ok) {
          if ('duplicateOf' in check) {
            if (count === 1) {
              return {
                ok: true, baseOffset: check.duplicateOf.baseOffset, lastOffset: check.duplicateOf.lastOffset,
                logAppendTimeMs: -1, logStartOffset: this.startOffset, duplicate: true,
              };
            }
            return { ok: false, errorCode: DUPLICATE_SEQUENCE_NUMBER, message: 'duplicate batch inside a multi-batch append' };
          }
          return { ok: false, errorCode: check.errorCode, message: check.message };
        }
        if (count > 1 && !h.isControl) {
          staged ??= new Map();
          staged.set(h.producerId, { epoch: h.producerEpoch, lastSeq: h.lastSequence });
        }
      }
    }

    const now = opts.now;
    const lastOffset = this.leo + records - 1;
    try {
      if (this.shouldRoll(len, lastOffset, now)) this.roll();
    } catch (err) {
      this.logger?.error({ err, topic: this.topic, partition: this.partition }, 'segment roll failed');
      return { ok: false, errorCode: KAFKA_STORAGE_ERROR, message: (err as Error).message };
    }
    const baseOffset = this.leo;
    let next = baseOffset;
    for (let at = 0; at < len;) {
      const size = batches.readInt32BE(at + BATCH.LENGTH) + BATCH_LOG_OVERHEAD;
      assignOffsets(batches, at, next, 0);
      if (opts.logAppendTime) setLogAppendTime(batches, at, now);
      next += batches.readInt32BE(at + BATCH.LAST_OFFSET_DELTA) + 1;
      at += size;
    }
    try {
      this.activeSegment.append(batches, this.cfg.indexIntervalBytes, now);
    } catch (err) {
      this.logger?.error({ err, topic: this.topic, partition: this.partition }, 'append failed');
      return { ok: false, errorCode: KAFKA_STORAGE_ERROR, message: (err as Error).message };
    }
    this.leo = next;
    if (hasProducers) {
      for (let at = 0; at < len;) {
        const h = new BatchHeader(batches, at);
        at += h.size;
        if (h.producerId >= 0) this.producers.update(h, now, h.isControl ? markerType(batches, h.at) : undefined);
      }
    }
    this.unflushedMessages += records;
    this.armFlushTimer();
    for (const listener of this.listeners) listener();
    return {
      ok: true, baseOffset, lastOffset: next - 1, logAppendTimeMs: opts.logAppendTime ? now : -1,
      logStartOffset: this.startOffset, duplicate: false,
    };
  }

  private get name(): string { return `${this.topic}-${this.partition}`; }

  private shouldRoll(appendBytes: number, lastOffset: number, now: number): boolean {
    const seg = this.activeSegment;
    if (seg.size === 0) return false;
    const c = this.cfg;
    return seg.size + appendBytes > c.segmentBytes
      || (seg.rollStartMs >= 0 && now - seg.rollStartMs > Math.max(0, c.segmentMs - seg.rollJitterMs))
      || seg.indexFull(c.segmentIndexBytes)
      || lastOffset - seg.baseOffset > INT32_MAX;
  }

  /** Starts a new active segment at the log end; the old one is sealed and fsynced in the background. */
  roll(): void {
    const old = this.activeSegment;
    if (old.size === 0) return;
    old.seal();
    this.producers.takeSnapshot(this.leo);
    this.segs.push(LogSegment.create(this.dir, this.leo, this.jitter()));
    this.sealedUnsynced.push(old);
    this.flush().catch((err: unknown) => {
      this.logger?.error({ err, topic: this.topic, partition: this.partition }, 'flush after segment roll failed');
    });
  }

  /** Calls `listener` after every append (to wake long-polling fetches). Returns an unsubscribe function. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // --- flush -----------------------------------------------------------------------------

  /**
   * True when flush.messages unflushed records have accumulated: the produce path must
   * await flush() before acknowledging (flush.messages=1 makes every ack durable).
   */
  needsFlushBeforeAck(): boolean {
    return this.unflushedMessages > 0 && this.unflushedMessages >= this.cfg.flushMessages;
  }

  /**
   * fdatasync of every segment with unsynced writes (normally the active one). Concurrent
   * callers share fsyncs: a call made while one is running waits for the next one, which
   * starts as soon as the current one ends (group commit). Resolves once everything
   * appended before the call is durable.
   */
  flush(): Promise<void> {
    if (this.flushing === null) {
      this.flushing = this.flushOnce().finally(() => { this.flushing = null; });
      return this.flushing;
    }
    this.flushQueued ??= this.flushing.catch(() => undefined).then(() => {
      this.flushQueued = null;
      return this.flush();
    });
    return this.flushQueued;
  }

  private async flushOnce(): Promise<void> {
    if (this.deleted) return;
    if (this.flushTimer !== null) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    const target = this.leo;
    const messages = this.unflushedMessages;
    const segs = this.segs.filter((s) => s.hasUnsyncedWrites);
    const sealed = this.sealedUnsynced.splice(0);
    for (const s of segs) s.flushIndexes();
    try {
      await Promise.all(segs.map((s) => s.syncLog()));
      for (const s of sealed) s.syncIndexes();
    } catch (err) {
      this.sealedUnsynced.push(...sealed);
      throw err;
    }
    this.unflushedMessages = Math.max(0, this.unflushedMessages - messages);
    if (target > this.recoveredTo) this.recoveredTo = target;
    this.armFlushTimer();
  }

  private armFlushTimer(): void {
    if (this.flushTimer !== null || this.closedFlag || this.unflushedMessages === 0) return;
    const ms = this.cfg.flushMs;
    if (!Number.isFinite(ms)) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flush().catch((err: unknown) => {
        this.logger?.error({ err, topic: this.topic, partition: this.partition }, 'periodic flush failed');
      });
    }, Math.min(ms, INT32_MAX));
    this.flushTimer.unref();
  }

  // --- read ------------------------------------------------------------------------------

  /** Index of the last segment whose base offset ≤ offset (0 when offset is below all). */
  segmentIndexFor(offset: number): number {
    let lo = 0;
    let hi = this.segs.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.segs[mid]!.baseOffset <= offset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /**
   * Whole batches from the one containing fetchOffset (batch-aligned), up to maxBytes
   * (soft for the first batch when minOneBatch), below maxOffset. Offsets below the log
   * start or above the log end are out of range; the log end itself reads as empty.
   */
  read(fetchOffset: number, maxBytes: number, opts: ReadOptions): ReadResult {
    if (fetchOffset < this.startOffset || fetchOffset > this.leo) return { error: 'OFFSET_OUT_OF_RANGE' };
    const bound = Math.min(opts.maxOffset ?? this.leo, this.leo);
    if (fetchOffset >= bound) return { records: EMPTY };
    const interval = this.cfg.indexIntervalBytes;
    const parts: Buffer[] = [];
    let total = 0;
    const active = this.activeSegment;
    for (let i = this.segmentIndexFor(fetchOffset); i < this.segs.length; i++) {
      const seg = this.segs[i]!;
      if (seg.baseOffset >= bound) break;
      if (seg !== active) this.noteRead(seg);
      const r = seg.read(fetchOffset, maxBytes - total, opts.minOneBatch && total === 0, bound, interval, opts.buffers);
      if (r.records.length > 0) {
        parts.push(r.records);
        total += r.records.length;
      }
      if (!r.exhausted || total >= maxBytes) break;
    }
    if (parts.length === 0) return { records: EMPTY };
    if (parts.length === 1) return { records: parts[0]! };
    const records = opts.buffers ? opts.buffers.alloc(total) : Buffer.allocUnsafe(total);
    let at = 0;
    for (const part of parts) at += part.copy(records, at);
    return { records };
  }

  /**
   * Keeps the last few closed segments read from open (descriptor and indexes); reading
   * another one closes the least recently read (its indexes reload on demand).
   */
  private noteRead(seg: LogSegment): void {
    const reads = this.recentReads;
    if (reads[reads.length - 1] === seg) return;
    const i = reads.indexOf(seg);
    if (i >= 0) reads.splice(i, 1);
    reads.push(seg);
    if (reads.length > OPEN_CLOSED_SEGMENTS) {
      const evicted = reads.shift()!;
      if (evicted !== this.activeSegment) {
        evicted.releaseFd();
        evicted.unloadIndexes();
      }
    }
  }

  /** First record at or after the log start with timestamp ≥ ts, or null (ListOffsets by time). */
  offsetForTimestamp(ts: number): { offset: number; timestamp: number } | null {
    const interval = this.cfg.indexIntervalBytes;
    for (let i = this.segmentIndexFor(this.startOffset); i < this.segs.length; i++) {
      const seg = this.segs[i]!;
      if (seg.maxTimestamp(interval).timestamp < ts) continue;
      if (seg !== this.activeSegment) this.noteRead(seg);
      const found = seg.findByTimestamp(ts, interval, this.startOffset);
      if (found !== null) return found;
    }
    return null;
  }

  /** The record with the largest timestamp (the first such), or null for an empty log (ListOffsets -3). */
  maxTimestamp(): { offset: number; timestamp: number } | null {
    const interval = this.cfg.indexIntervalBytes;
    let best: LogSegment | null = null;
    let bestTs = -1;
    let bestBatch = -1;
    for (const seg of this.segs) {
      const m = seg.maxTimestamp(interval);
      if (m.timestamp > bestTs) {
        best = seg;
        bestTs = m.timestamp;
        bestBatch = m.batchOffset;
      }
    }
    if (best === null) return null;
    const decoded = best.decodeBatchAt(bestBatch, interval);
    const rec = decoded?.records.find((r) => r.timestamp === bestTs);
    return rec === undefined ? null : { offset: rec.offset, timestamp: rec.timestamp };
  }

  abortedTransactions(fromOffset: number, toOffset: number): Array<{ producerId: number; firstOffset: number }> {
    return this.producers.abortedTransactions(fromOffset, toOffset);
  }

  activeProducers(): ProducerEntry[] {
    return this.producers.activeProducers();
  }

  // --- log start, retention --------------------------------------------------------------

  /**
   * DeleteRecords: moves the log start offset to `beforeOffset` (-1 = high watermark).
   * Beyond the high watermark → 1 OFFSET_OUT_OF_RANGE. Never moves it backwards. Whole
   * segments below the new start are deleted.
   */
  deleteRecords(beforeOffset: number): { lowWatermark: number } | { errorCode: number; message: string } {
    const target = beforeOffset === -1 ? this.leo : beforeOffset;
    if (target < 0 || target > this.leo) {
      return { errorCode: OFFSET_OUT_OF_RANGE, message: `offset ${beforeOffset} is outside [0, ${this.leo}]` };
    }
    if (target > this.startOffset) {
      this.startOffset = target;
      this.producers.truncateHead(target);
      if (this.cleaning === null) this.deleteSegmentsWhile((_seg, next) => next.baseOffset <= this.startOffset);
      this.onLogStartChange?.(this);
    }
    return { lowWatermark: this.startOffset };
  }

  /**
   * Retention (cleanup.policy=delete, §6.4) and log-start cleanup: deletes closed segments,
   * oldest first, while one is entirely below the log start, older than retention.ms, or
   * the log exceeds retention.bytes without it. Never the active segment. Returns the
   * number of segments deleted.
   */
  deleteOldSegments(now: number): number {
    if (this.closedFlag || this.cleaning !== null) return 0;
    const c = this.cfg;
    const interval = c.indexIntervalBytes;
    let excess = c.cleanupDelete && c.retentionBytes >= 0 ? this.size - c.retentionBytes : -1;
    return this.deleteSegmentsWhile((seg, next) => {
      if (next.baseOffset <= this.startOffset) return true;
      if (!c.cleanupDelete) return false;
      if (excess >= 0 && excess - seg.size >= 0) {
        excess -= seg.size;
        return true;
      }
      if (c.retentionMs >= 0) {
        let newest = seg.maxTimestamp(interval).timestamp;
        if (newest < 0) newest = fs.statSync(seg.logFile).mtimeMs;
        if (now - newest > c.retentionMs) {
          excess -= seg.size;
          return true;
        }
      }
      return false;
    });
  }

  private deleteSegmentsWhile(deletable: (seg: LogSegment, next: LogSegment) => boolean): number {
    let n = 0;
    while (this.segs.length > 1 && deletable(this.segs[0]!, this.segs[1]!)) {
      const seg = this.segs.shift()!;
      this.forgetRead(seg);
      seg.deleteFiles();
      n++;
    }
    if (n > 0) {
      const newStart = this.segs[0]!.baseOffset;
      if (newStart > this.startOffset) {
        this.startOffset = newStart;
        this.producers.truncateHead(newStart);
        this.onLogStartChange?.(this);
      }
      this.logger?.debug({ topic: this.topic, partition: this.partition, deleted: n, logStartOffset: this.startOffset }, 'deleted old segments');
    }
    return n;
  }

  /** Drops producer state idle for producer.id.expiration.ms. */
  expireProducers(now: number): number {
    return this.producers.expire(now);
  }

  private forgetRead(seg: LogSegment): void {
    const i = this.recentReads.indexOf(seg);
    if (i >= 0) this.recentReads.splice(i, 1);
  }

  // --- cleaner hooks ---------------------------------------------------------------------

  /**
   * Replaces consecutive closed segments `old` with `replacement` (already renamed into
   * place by the cleaner). Synchronous, so reads see either the old or the new segments.
   */
  replaceSegments(old: LogSegment[], replacement: LogSegment): void {
    const first = this.segs.indexOf(old[0]!);
    if (first < 0 || this.segs[first + old.length - 1] !== old[old.length - 1]) {
      throw new Error('segments to replace are no longer in the log');
    }
    this.segs.splice(first, old.length, replacement);
    for (const seg of old) this.forgetRead(seg);
  }

  // --- shutdown --------------------------------------------------------------------------

  /**
   * Flushes and closes: fsyncs unsynced data, writes index files and a producer-state
   * snapshot at the log end, closes descriptors. Waits for a running cleaner pass to stop.
   */
  async close(): Promise<void> {
    if (this.closedFlag) return;
    this.closedFlag = true;
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.cleaning !== null) await this.cleaning.catch(() => undefined);
    await this.flush();
    this.activeSegment.seal();
    this.activeSegment.syncIndexes();
    this.producers.takeSnapshot(this.leo);
    for (const s of this.segs) s.close();
    this.listeners.clear();
  }

  /**
   * Closes without flushing and removes the partition directory (topic deletion). The
   * directory is renamed away synchronously, so a topic of the same name can be created
   * right after this call; the files are removed once pending work has stopped.
   */
  async delete(): Promise<void> {
    if (this.deleted) return;
    this.closedFlag = true;
    this.deleted = true;
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.listeners.clear();
    const trash = trashName(this.dir);
    fs.renameSync(this.dir, trash);
    if (this.cleaning !== null) await this.cleaning.catch(() => undefined);
    if (this.flushing !== null) await this.flushing.catch(() => undefined);
    for (const s of this.segs) s.releaseFd();
    fs.rmSync(trash, { recursive: true, force: true });
  }
}

function corrupt(message: string): AppendResult {
  return { ok: false, errorCode: CORRUPT_MESSAGE, message };
}

/** Marker type (0 abort, 1 commit) of the control batch at `at`, or undefined if unreadable. */
function markerType(buf: Buffer, at: number): number | undefined {
  try {
    const { records } = decodeBatch(buf, at);
    const t = records[0] === undefined ? null : controlRecordType(records[0]);
    return t ?? undefined;
  } catch {
    return undefined;
  }
}
