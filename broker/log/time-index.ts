/**
 * `.timeindex`: sparse map from timestamp to offset (broker notes §6.2). Entry = timestamp
 * int64 + relativeOffset int32, timestamps strictly increasing. Entry (T, o) means T is the
 * largest timestamp of the segment up to the batch starting at o, and every record before
 * that batch has a timestamp < T. On roll/close the segment's largest timestamp is appended,
 * so the last entry is the segment's maximum.
 */
import { readInt64At, writeInt64At } from '../protocol/batch-header.js';
import { IndexFile } from './index-file.js';

export const TIME_INDEX_ENTRY_SIZE = 12;

export class TimeIndex extends IndexFile {
  private constructor(readonly baseOffset: number, file: string, initial?: Buffer) {
    super(file, TIME_INDEX_ENTRY_SIZE, initial);
  }

  static empty(baseOffset: number, file: string): TimeIndex {
    return new TimeIndex(baseOffset, file);
  }

  /** Loads the file when entries are whole and both columns increase; otherwise null. */
  static load(baseOffset: number, file: string): TimeIndex | null {
    const data = IndexFile.readEntries(file, TIME_INDEX_ENTRY_SIZE);
    if (data === null) return null;
    let prevTs = -Infinity;
    let prevRel = -1;
    for (let at = 0; at < data.length; at += TIME_INDEX_ENTRY_SIZE) {
      const ts = readInt64At(data, at);
      const rel = data.readInt32BE(at + 8);
      if (ts <= prevTs || rel < prevRel || rel < 0) return null;
      prevTs = ts;
      prevRel = rel;
    }
    return new TimeIndex(baseOffset, file, data);
  }

  timestampAt(i: number): number { return readInt64At(this.buf, i * TIME_INDEX_ENTRY_SIZE); }
  offsetAt(i: number): number { return this.baseOffset + this.buf.readInt32BE(i * TIME_INDEX_ENTRY_SIZE + 8); }

  /** The last entry's timestamp, or -1 when empty. */
  lastTimestamp(): number {
    return this.count === 0 ? -1 : this.timestampAt(this.count - 1);
  }

  /** Adds (timestamp, offset) if the timestamp is larger than the last entry's. */
  maybeAppend(timestamp: number, offset: number): void {
    if (timestamp < 0) return;
    if (this.count > 0 && timestamp <= this.timestampAt(this.count - 1)) return;
    const at = this.slot();
    writeInt64At(this.buf, at, timestamp);
    this.buf.writeInt32BE(offset - this.baseOffset, at + 8);
  }

  /** Offset of the last entry whose timestamp ≤ target, or the segment base when none is. */
  lookup(targetTimestamp: number): number {
    const i = this.floorIndex(targetTimestamp, (k) => this.timestampAt(k));
    return i < 0 ? this.baseOffset : this.offsetAt(i);
  }
}
