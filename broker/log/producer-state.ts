/**
 * Idempotent/transactional producer state of one partition (broker notes §3.7): per producer
 * id the current epoch, the last 5 batches (sequence range → assigned offsets) for duplicate
 * detection, the first offset of an open transaction (for the last stable offset), plus the
 * list of aborted transactions (for read_committed fetches).
 *
 * Persistence: `<offset>.snapshot` files hold the whole state as of that log offset (binary,
 * CRC-32C protected). Recovery loads the newest valid snapshot at or below the log end and
 * replays the batches after it through `update`.
 *
 * Expiry uses the wall-clock time of the producer's last append (not the batch timestamps,
 * which producers that copy old records would make look ancient).
 */
import fs from 'node:fs';
import path from 'node:path';
import { type BatchHeader, readInt64At, writeInt64At } from '../protocol/batch-header.js';
import { crc32c } from '../protocol/crc32c.js';
import { SNAPSHOT_SUFFIX, offsetFileName, parseOffsetFileName, unlinkIfExists, writeFileAtomic } from './log-files.js';

export const INVALID_PRODUCER_EPOCH = 47;
export const OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
export const DUPLICATE_SEQUENCE_NUMBER = 46;

const RETAINED_BATCHES = 5;
const INT32_MAX = 2147483647;
const SNAPSHOT_VERSION = 1;
const SNAPSHOTS_KEPT = 2;

export interface BatchMetadata {
  firstSeq: number;
  lastSeq: number;
  firstOffset: number;
  lastOffset: number;
}

export interface ProducerEntry {
  producerId: number;
  epoch: number;
  coordinatorEpoch: number;
  /** Wall-clock ms of the last append (drives producer.id.expiration.ms). */
  lastUpdateMs: number;
  /** Max timestamp of the last data batch (-1 if none), for DescribeProducers. */
  lastTimestamp: number;
  /** First offset of the open transaction in this partition, or -1. */
  currentTxnFirstOffset: number;
  /** Oldest first, at most 5. */
  batches: BatchMetadata[];
}

export interface AbortedTxn {
  producerId: number;
  firstOffset: number;
  /** Offset of the abort marker. */
  lastOffset: number;
}

export type ProducerCheck =
  | { ok: true }
  | { ok: false; duplicateOf: { baseOffset: number; lastOffset: number } }
  | { ok: false; errorCode: number; message: string };

/** Epoch and last sequence of a producer after earlier batches of the same append call. */
export type StagedProducers = Map<number, { epoch: number; lastSeq: number }>;

const OK: ProducerCheck = { ok: true };

function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === INT32_MAX);
}

export class ProducerStateManager {
  private producers = new Map<number, ProducerEntry>();
  private aborted: AbortedTxn[] = [];

  constructor(readonly dir: string, public expirationMs: number) {}

  get size(): number { return this.producers.size; }

  entry(producerId: number): ProducerEntry | undefined {
    return this.producers.get(producerId);
  }

  activeProducers(): ProducerEntry[] {
    return [...this.producers.values()];
  }

  /**
   * Checks a batch from a producer (producerId ≥ 0) against the stored state (§3.7).
   * `staged` carries epochs/sequences of earlier batches of the same append, which are not
   * in the state yet; a batch may not be a duplicate of those.
   */
  check(header: BatchHeader, staged?: StagedProducers): ProducerCheck {
    const pid = header.producerId;
    if (pid < 0) return OK;
    const epoch = header.producerEpoch;
    const entry = this.producers.get(pid);
    const stage = staged?.get(pid);
    const currentEpoch = stage?.epoch ?? entry?.epoch;
    if (currentEpoch === undefined) return OK;
    if (epoch < currentEpoch) {
      return {
        ok: false, errorCode: INVALID_PRODUCER_EPOCH,
        message: `producer ${pid} epoch ${epoch} is older than the current epoch ${currentEpoch}`,
      };
    }
    if (header.isControl) return OK;
    const firstSeq = header.baseSequence;
    if (epoch > currentEpoch) {
      if (firstSeq !== 0) {
        return {
          ok: false, errorCode: OUT_OF_ORDER_SEQUENCE_NUMBER,
          message: `producer ${pid} started epoch ${epoch} at sequence ${firstSeq}, expected 0`,
        };
      }
      return OK;
    }
    if (stage === undefined && entry !== undefined) {
      const lastSeq = header.lastSequence;
      for (const b of entry.batches) {
        if (b.firstSeq === firstSeq && b.lastSeq === lastSeq) {
          return { ok: false, duplicateOf: { baseOffset: b.firstOffset, lastOffset: b.lastOffset } };
        }
      }
    }
    const lastSeq = stage?.lastSeq ?? lastSequenceOf(entry!);
    if (!inSequence(lastSeq, firstSeq)) {
      return {
        ok: false, errorCode: OUT_OF_ORDER_SEQUENCE_NUMBER,
        message: `producer ${pid} epoch ${epoch}: sequence ${firstSeq} does not follow ${lastSeq}`,
      };
    }
    return OK;
  }

  /**
   * Records an appended batch (offsets assigned). `controlType` is the marker type of a
   * control batch (0 abort, 1 commit). Returns the aborted transaction a marker completed.
   */
  update(header: BatchHeader, nowMs: number, controlType?: number): AbortedTxn | null {
    const pid = header.producerId;
    if (pid < 0) return null;
    let entry = this.producers.get(pid);
    if (entry === undefined) {
      entry = {
        producerId: pid, epoch: header.producerEpoch, coordinatorEpoch: -1, lastUpdateMs: nowMs,
        lastTimestamp: -1, currentTxnFirstOffset: -1, batches: [],
      };
      this.producers.set(pid, entry);
    }
    if (header.producerEpoch !== entry.epoch) {
      entry.epoch = header.producerEpoch;
      entry.batches = [];
    }
    entry.lastUpdateMs = nowMs;
    const baseOffset = header.baseOffset;
    if (header.isControl) {
      let completed: AbortedTxn | null = null;
      if (controlType === 0 && entry.currentTxnFirstOffset >= 0) {
        completed = { producerId: pid, firstOffset: entry.currentTxnFirstOffset, lastOffset: baseOffset };
        this.aborted.push(completed);
      }
      entry.currentTxnFirstOffset = -1;
      return completed;
    }
    entry.lastTimestamp = header.maxTimestamp;
    if (header.isTransactional && entry.currentTxnFirstOffset < 0) entry.currentTxnFirstOffset = baseOffset;
    if (header.baseSequence >= 0) {
      entry.batches.push({
        firstSeq: header.baseSequence, lastSeq: header.lastSequence, firstOffset: baseOffset, lastOffset: header.lastOffset,
      });
      if (entry.batches.length > RETAINED_BATCHES) entry.batches.shift();
    }
    return null;
  }

  /** Smallest first offset of an open transaction, or null when none is open. */
  firstUnstableOffset(): number | null {
    let min: number | null = null;
    for (const e of this.producers.values()) {
      if (e.currentTxnFirstOffset >= 0 && (min === null || e.currentTxnFirstOffset < min)) min = e.currentTxnFirstOffset;
    }
    return min;
  }

  /** Aborted transactions overlapping offsets [from, to). */
  abortedTransactions(from: number, to: number): Array<{ producerId: number; firstOffset: number }> {
    const out: Array<{ producerId: number; firstOffset: number }> = [];
    for (const a of this.aborted) {
      if (a.lastOffset >= from && a.firstOffset < to) out.push({ producerId: a.producerId, firstOffset: a.firstOffset });
    }
    return out;
  }

  /** Forgets producers idle longer than producer.id.expiration.ms (never one with an open transaction). */
  expire(nowMs: number): number {
    let removed = 0;
    for (const [pid, e] of this.producers) {
      if (e.currentTxnFirstOffset < 0 && nowMs - e.lastUpdateMs >= this.expirationMs) {
        this.producers.delete(pid);
        removed++;
      }
    }
    return removed;
  }

  /** Drops aborted-transaction entries that end below the log start offset. */
  truncateHead(logStartOffset: number): void {
    if (this.aborted.length > 0 && this.aborted[0]!.lastOffset < logStartOffset) {
      this.aborted = this.aborted.filter((a) => a.lastOffset >= logStartOffset);
    }
  }

  clear(): void {
    this.producers.clear();
    this.aborted = [];
  }

  // --- snapshots -------------------------------------------------------------------------

  snapshotOffsets(): number[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return [];
    }
    const offsets: number[] = [];
    for (const n of names) {
      const o = parseOffsetFileName(n, SNAPSHOT_SUFFIX);
      if (o !== null) offsets.push(o);
    }
    return offsets.sort((a, b) => a - b);
  }

  /** Writes `<offset>.snapshot` (atomic against a process kill) and keeps only the newest two. */
  takeSnapshot(offset: number): void {
    writeFileAtomic(path.join(this.dir, offsetFileName(offset, SNAPSHOT_SUFFIX)), this.serialize(), false);
    const offsets = this.snapshotOffsets();
    for (const o of offsets.slice(0, Math.max(0, offsets.length - SNAPSHOTS_KEPT))) {
      unlinkIfExists(path.join(this.dir, offsetFileName(o, SNAPSHOT_SUFFIX)));
    }
  }

  deleteSnapshotsAbove(offset: number): void {
    for (const o of this.snapshotOffsets()) {
      if (o > offset) unlinkIfExists(path.join(this.dir, offsetFileName(o, SNAPSHOT_SUFFIX)));
    }
  }

  /**
   * Replaces the state with the newest readable snapshot at or below `maxOffset` and
   * returns its offset (where replay must start), or -1 when there is none (replay from
   * the start of the log). Unreadable snapshots are deleted.
   */
  loadSnapshot(maxOffset: number, nowMs: number): number {
    this.clear();
    const offsets = this.snapshotOffsets().filter((o) => o <= maxOffset).reverse();
    for (const o of offsets) {
      const file = path.join(this.dir, offsetFileName(o, SNAPSHOT_SUFFIX));
      try {
        if (this.deserialize(fs.readFileSync(file), nowMs)) return o;
      } catch {
        // unreadable: fall through to an older one
      }
      this.clear();
      unlinkIfExists(file);
    }
    return -1;
  }

  private serialize(): Buffer {
    let size = 2 + 4 + 4;
    for (const e of this.producers.values()) size += 8 + 2 + 4 + 8 + 8 + 8 + 1 + e.batches.length * 24;
    size += 4 + this.aborted.length * 24;
    const buf = Buffer.alloc(size);
    let at = 0;
    buf.writeInt16BE(SNAPSHOT_VERSION, at); at += 2;
    at += 4; // crc
    buf.writeInt32BE(this.producers.size, at); at += 4;
    for (const e of this.producers.values()) {
      writeInt64At(buf, at, e.producerId); at += 8;
      buf.writeInt16BE(e.epoch, at); at += 2;
      buf.writeInt32BE(e.coordinatorEpoch, at); at += 4;
      writeInt64At(buf, at, e.lastUpdateMs); at += 8;
      writeInt64At(buf, at, e.lastTimestamp); at += 8;
      writeInt64At(buf, at, e.currentTxnFirstOffset); at += 8;
      buf.writeInt8(e.batches.length, at); at += 1;
      for (const b of e.batches) {
        buf.writeInt32BE(b.firstSeq, at); at += 4;
        buf.writeInt32BE(b.lastSeq, at); at += 4;
        writeInt64At(buf, at, b.firstOffset); at += 8;
        writeInt64At(buf, at, b.lastOffset); at += 8;
      }
    }
    buf.writeInt32BE(this.aborted.length, at); at += 4;
    for (const a of this.aborted) {
      writeInt64At(buf, at, a.producerId); at += 8;
      writeInt64At(buf, at, a.firstOffset); at += 8;
      writeInt64At(buf, at, a.lastOffset); at += 8;
    }
    buf.writeUInt32BE(crc32c(buf, 6), 2);
    return buf;
  }

  private deserialize(buf: Buffer, nowMs: number): boolean {
    if (buf.length < 10 || buf.readInt16BE(0) !== SNAPSHOT_VERSION) return false;
    if (buf.readUInt32BE(2) !== crc32c(buf, 6)) return false;
    let at = 6;
    const n = buf.readInt32BE(at); at += 4;
    for (let i = 0; i < n; i++) {
      const producerId = readInt64At(buf, at); at += 8;
      const epoch = buf.readInt16BE(at); at += 2;
      const coordinatorEpoch = buf.readInt32BE(at); at += 4;
      const lastUpdateMs = Math.min(readInt64At(buf, at), nowMs); at += 8;
      const lastTimestamp = readInt64At(buf, at); at += 8;
      const currentTxnFirstOffset = readInt64At(buf, at); at += 8;
      const count = buf.readInt8(at); at += 1;
      const batches: BatchMetadata[] = [];
      for (let j = 0; j < count; j++) {
        const firstSeq = buf.readInt32BE(at); at += 4;
        const lastSeq = buf.readInt32BE(at); at += 4;
        const firstOffset = readInt64At(buf, at); at += 8;
        const lastOffset = readInt64At(buf, at); at += 8;
        batches.push({ firstSeq, lastSeq, firstOffset, lastOffset });
      }
      this.producers.set(producerId, {
        producerId, epoch, coordinatorEpoch, lastUpdateMs, lastTimestamp, currentTxnFirstOffset, batches,
      });
    }
    const m = buf.readInt32BE(at); at += 4;
    for (let i = 0; i < m; i++) {
      const producerId = readInt64At(buf, at); at += 8;
      const firstOffset = readInt64At(buf, at); at += 8;
      const lastOffset = readInt64At(buf, at); at += 8;
      this.aborted.push({ producerId, firstOffset, lastOffset });
    }
    return at === buf.length;
  }
}

function lastSequenceOf(entry: ProducerEntry): number {
  const b = entry.batches[entry.batches.length - 1];
  return b === undefined ? -1 : b.lastSeq;
}
