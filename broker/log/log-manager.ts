/**
 * The data directory: its partition logs, the clean-shutdown marker, the lock file, the
 * checkpoint files (recovery points, log start offsets, cleaner offsets) and the background
 * scheduler for retention, producer-id expiry, compaction and checkpointing (broker notes
 * §6.1, §6.5).
 *
 * Startup: an existing `.kafka_cleanshutdown` marker means every log was flushed and closed,
 * so logs load from their index files; the marker is deleted (and the deletion fsynced)
 * before any log opens, so a crash from then on is treated as unclean, which re-verifies
 * each log from its recovery point. close() stops the scheduler, closes every log (fsync,
 * index files, producer snapshot), writes the checkpoints and then the marker.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { CleanerAbortedError, cleanLog, cleanableRange, needsCleaning } from './log-cleaner.js';
import type { LogConfig } from './log-config.js';
import { fsyncDir, trashName, unlinkIfExists, writeFileAtomic } from './log-files.js';
import {
  CLEANER_OFFSET_CHECKPOINT, LOG_START_OFFSET_CHECKPOINT, RECOVERY_POINT_CHECKPOINT, partitionKey, readOffsetCheckpoint,
  writeOffsetCheckpoint,
} from './offset-checkpoint.js';
import { PartitionLog } from './partition-log.js';

export const CLEAN_SHUTDOWN_MARKER = '.kafka_cleanshutdown';
export const LOCK_FILE = '.lock';

/** Another live process holds the data directory's lock file. */
export class DataDirectoryLockedError extends Error {
  override readonly name = 'DataDirectoryLockedError';

  constructor(readonly dataDir: string, readonly pid: number) {
    super(`data directory ${dataDir} is in use by process ${pid}`);
  }
}
const DELETE_SUFFIX = '-delete';
const PARTITION_DIR = /^(.+)-(\d+)$/;

export interface LogManagerOptions {
  dataDir: string;
  now?: () => number;
  logger?: Logger;
  /** log.retention.check.interval.ms (Kafka 300000). */
  retentionCheckIntervalMs?: number;
  /** log.cleaner.backoff.ms: pause between cleaner runs (ferry 15000). */
  cleanerBackoffMs?: number;
  /** log.cleaner.enable */
  cleanerEnabled?: boolean;
  /** log.flush.offset.checkpoint.interval.ms (Kafka 60000). */
  checkpointIntervalMs?: number;
}

export interface PartitionDir {
  topic: string;
  partition: number;
  dir: string;
}

export class LogManager {
  readonly dataDir: string;
  /** The previous run ended with a clean shutdown. */
  readonly wasCleanShutdown: boolean;
  private readonly clock: () => number;
  private readonly logger: Logger | undefined;
  private readonly opts: LogManagerOptions;
  private readonly logs = new Map<string, PartitionLog>();
  private readonly recoveryPoints: Map<string, number>;
  private readonly logStartOffsets: Map<string, number>;
  private readonly cleanerOffsets: Map<string, number>;
  private timers: NodeJS.Timeout[] = [];
  private cleanerRun: Promise<void> | null = null;
  private logStartDirty = false;
  private inRetention = false;
  private closed = false;

  private constructor(opts: LogManagerOptions, clean: boolean) {
    this.opts = opts;
    this.dataDir = opts.dataDir;
    this.clock = opts.now ?? Date.now;
    this.logger = opts.logger;
    this.wasCleanShutdown = clean;
    this.recoveryPoints = readOffsetCheckpoint(path.join(this.dataDir, RECOVERY_POINT_CHECKPOINT));
    this.logStartOffsets = readOffsetCheckpoint(path.join(this.dataDir, LOG_START_OFFSET_CHECKPOINT));
    this.cleanerOffsets = readOffsetCheckpoint(path.join(this.dataDir, CLEANER_OFFSET_CHECKPOINT));
  }

  /** Locks the data directory, consumes the clean-shutdown marker and removes leftovers of deleted partitions. */
  static open(opts: LogManagerOptions): LogManager {
    const dataDir = opts.dataDir;
    fs.mkdirSync(dataDir, { recursive: true });
    acquireLock(dataDir);
    const marker = path.join(dataDir, CLEAN_SHUTDOWN_MARKER);
    const clean = fs.existsSync(marker);
    if (clean) {
      fs.unlinkSync(marker);
      fsyncDir(dataDir);
    }
    for (const name of fs.readdirSync(dataDir)) {
      if (name.endsWith(DELETE_SUFFIX)) fs.rmSync(path.join(dataDir, name), { recursive: true, force: true });
    }
    return new LogManager(opts, clean);
  }

  /** Partition directories present on disk. */
  partitionDirs(): PartitionDir[] {
    const out: PartitionDir[] = [];
    for (const entry of fs.readdirSync(this.dataDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const m = PARTITION_DIR.exec(entry.name);
      if (m === null) continue;
      out.push({ topic: m[1]!, partition: Number(m[2]), dir: path.join(this.dataDir, entry.name) });
    }
    return out;
  }

  /** Deletes a partition directory that belongs to no known topic. */
  removeStrayDir(dir: string): void {
    const trash = trashName(dir);
    fs.renameSync(dir, trash);
    fs.rmSync(trash, { recursive: true, force: true });
  }

  /** Opens (recovering as needed) or creates the log of a partition. */
  openLog(topic: string, partition: number, config: LogConfig): PartitionLog {
    const key = partitionKey(topic, partition);
    const existing = this.logs.get(key);
    if (existing) return existing;
    const log = PartitionLog.open({
      dir: path.join(this.dataDir, key),
      topic,
      partition,
      config,
      recoveryPoint: this.recoveryPoints.get(key) ?? 0,
      logStartOffset: this.logStartOffsets.get(key) ?? 0,
      cleanShutdown: this.wasCleanShutdown,
      now: this.clock,
      logger: this.logger,
      onLogStartOffsetChange: () => this.logStartMoved(),
    });
    this.logs.set(key, log);
    return log;
  }

  /**
   * DeleteRecords must survive a crash: write the checkpoint right away. Moves made by a
   * retention pass are written once at its end.
   */
  private logStartMoved(): void {
    this.logStartDirty = true;
    if (!this.inRetention) this.safely('log start checkpoint', () => this.writeLogStartCheckpoint());
  }

  getLog(topic: string, partition: number): PartitionLog | undefined {
    return this.logs.get(partitionKey(topic, partition));
  }

  allLogs(): IterableIterator<PartitionLog> {
    return this.logs.values();
  }

  /**
   * Closes the log and removes its directory (renamed away before the first await). The
   * caller then writes the checkpoints: a stale recovery point must not outlive the log, or
   * a new log of the same name would trust it.
   */
  async deleteLog(topic: string, partition: number): Promise<void> {
    const key = partitionKey(topic, partition);
    const log = this.logs.get(key);
    this.logs.delete(key);
    this.recoveryPoints.delete(key);
    this.logStartOffsets.delete(key);
    this.cleanerOffsets.delete(key);
    if (log) {
      await log.delete();
    } else {
      const dir = path.join(this.dataDir, key);
      if (fs.existsSync(dir)) this.removeStrayDir(dir);
    }
  }

  // --- background work -------------------------------------------------------------------

  /** Starts the periodic retention, cleaner and checkpoint tasks. */
  startScheduler(): void {
    if (this.timers.length > 0 || this.closed) return;
    const every = (ms: number, task: () => void): void => {
      const t = setInterval(task, Math.max(1, Math.min(ms, 2147483647)));
      t.unref();
      this.timers.push(t);
    };
    every(this.opts.retentionCheckIntervalMs ?? 300000, () => this.runRetention());
    every(this.opts.checkpointIntervalMs ?? 60000, () => this.safely('checkpoint', () => this.writeCheckpoints()));
    if (this.opts.cleanerEnabled !== false) {
      every(this.opts.cleanerBackoffMs ?? 15000, () => {
        if (this.cleanerRun === null) void this.runCleaner();
      });
    }
  }

  private safely(what: string, task: () => void): void {
    try {
      task();
    } catch (err) {
      this.logger?.error({ err }, `${what} failed`);
    }
  }

  /** One retention pass over every log (segments by time/size/log start; idle producer ids). */
  runRetention(now = this.clock()): number {
    let deleted = 0;
    this.inRetention = true;
    try {
      for (const log of this.logs.values()) {
        this.safely(`retention of ${log.topic}-${log.partition}`, () => {
          deleted += log.deleteOldSegments(now);
          log.expireProducers(now);
        });
      }
    } finally {
      this.inRetention = false;
    }
    if (this.logStartDirty) this.safely('log start checkpoint', () => this.writeLogStartCheckpoint());
    return deleted;
  }

  /**
   * One cleaner run: every compacted log whose dirty ratio, max compaction lag or a passed
   * tombstone horizon calls for it gets a pass (one log at a time). Resolves when done.
   */
  runCleaner(now?: number): Promise<void> {
    if (this.cleanerRun !== null) return this.cleanerRun;
    this.cleanerRun = this.cleanAll(now).finally(() => { this.cleanerRun = null; });
    return this.cleanerRun;
  }

  private async cleanAll(fixedNow: number | undefined): Promise<void> {
    let cleaned = false;
    for (const log of [...this.logs.values()]) {
      if (this.closed) break;
      if (log.closed || !log.config.cleanupCompact) continue;
      const key = partitionKey(log.topic, log.partition);
      const now = fixedNow ?? this.clock();
      const range = cleanableRange(log, this.cleanerOffsets.get(key) ?? 0, now);
      if (range === null || !needsCleaning(log, range, now)) continue;
      const pass = cleanLog(log, range, now);
      log.cleaning = pass.then(() => undefined, () => undefined);
      try {
        const stats = await pass;
        this.cleanerOffsets.set(key, stats.cleanedUpTo);
        cleaned = true;
        this.logger?.debug({ topic: log.topic, partition: log.partition, ...stats }, 'cleaned log');
      } catch (err) {
        if (!(err instanceof CleanerAbortedError)) {
          this.logger?.error({ err, topic: log.topic, partition: log.partition }, 'log cleaning failed');
        }
      } finally {
        log.cleaning = null;
      }
    }
    if (cleaned && !this.closed) this.safely('cleaner checkpoint', () => this.writeCleanerCheckpoint());
  }

  // --- checkpoints -----------------------------------------------------------------------

  private entries(value: (log: PartitionLog) => number): Array<{ topic: string; partition: number; offset: number }> {
    return [...this.logs.values()].map((log) => ({ topic: log.topic, partition: log.partition, offset: value(log) }));
  }

  writeCheckpoints(): void {
    writeOffsetCheckpoint(path.join(this.dataDir, RECOVERY_POINT_CHECKPOINT), this.entries((l) => l.recoveryPoint));
    this.writeLogStartCheckpoint();
    this.writeCleanerCheckpoint();
  }

  /** Written right away when DeleteRecords moves a log start (and after retention). */
  writeLogStartCheckpoint(): void {
    this.logStartDirty = false;
    writeOffsetCheckpoint(path.join(this.dataDir, LOG_START_OFFSET_CHECKPOINT), this.entries((l) => l.logStartOffset));
  }

  private writeCleanerCheckpoint(): void {
    const entries: Array<{ topic: string; partition: number; offset: number }> = [];
    for (const log of this.logs.values()) {
      const offset = this.cleanerOffsets.get(partitionKey(log.topic, log.partition));
      if (offset !== undefined) entries.push({ topic: log.topic, partition: log.partition, offset });
    }
    writeOffsetCheckpoint(path.join(this.dataDir, CLEANER_OFFSET_CHECKPOINT), entries);
  }

  // --- shutdown --------------------------------------------------------------------------

  /**
   * Stops background work, closes every log, writes checkpoints and the clean-shutdown
   * marker. `markClean: false` (startup failed before every log was recovered) leaves the
   * marker out, so the next start recovers every log.
   */
  async close(opts: { markClean?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    const results = await Promise.allSettled([...this.logs.values()].map((log) => log.close()));
    if (this.cleanerRun !== null) await this.cleanerRun;
    const failed = results.filter((r) => r.status === 'rejected');
    let clean = failed.length === 0;
    if (!clean) {
      this.logger?.error({ err: (failed[0] as PromiseRejectedResult).reason }, 'logs failed to close; the next start recovers them');
    }
    try {
      this.writeCheckpoints();
    } catch (err) {
      clean = false;
      this.logger?.error({ err }, 'writing checkpoints at shutdown failed');
    }
    if (clean && opts.markClean !== false) writeFileAtomic(path.join(this.dataDir, CLEAN_SHUTDOWN_MARKER), '');
    releaseLock(this.dataDir);
  }
}

function acquireLock(dataDir: string): void {
  const file = path.join(dataDir, LOCK_FILE);
  let holder = NaN;
  try {
    holder = Number(fs.readFileSync(file, 'utf8').trim());
  } catch {
    // no lock file
  }
  if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
    throw new DataDirectoryLockedError(dataDir, holder);
  }
  fs.writeFileSync(file, `${process.pid}\n`);
}

function releaseLock(dataDir: string): void {
  const file = path.join(dataDir, LOCK_FILE);
  try {
    if (Number(fs.readFileSync(file, 'utf8').trim()) === process.pid) unlinkIfExists(file);
  } catch {
    // already gone
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
