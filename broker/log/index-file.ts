/**
 * Shared storage of the two sparse segment indexes: fixed-size big-endian entries kept in a
 * growable in-memory buffer, written to the file only on flush, roll and close (appending
 * the entries not yet written). Index files carry no checksum; a loader that finds one
 * inconsistent rebuilds it from the segment's .log.
 */
import fs from 'node:fs';
import { writeFully } from './log-files.js';

const INITIAL_ENTRIES = 16;

export abstract class IndexFile {
  protected buf: Buffer;
  protected count = 0;
  private written = 0;
  private fileWritten = false;

  protected constructor(readonly file: string, readonly entrySize: number, initial?: Buffer) {
    if (initial && initial.length > 0) {
      this.buf = initial;
      this.count = Math.floor(initial.length / entrySize);
      this.written = this.count;
      this.fileWritten = true;
    } else {
      this.buf = Buffer.alloc(INITIAL_ENTRIES * entrySize);
    }
  }

  get entries(): number { return this.count; }
  get sizeInBytes(): number { return this.count * this.entrySize; }
  get hasUnwritten(): boolean { return this.written < this.count; }

  /** Room for one more entry; returns the byte position to fill. */
  protected slot(): number {
    const at = this.count * this.entrySize;
    if (at + this.entrySize > this.buf.length) {
      const bigger = Buffer.alloc(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, at);
      this.buf = bigger;
    }
    this.count++;
    return at;
  }

  /** Binary search: index of the last entry whose key is ≤ target, or -1. */
  protected floorIndex(target: number, keyAt: (i: number) => number): number {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (keyAt(mid) <= target) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Appends the entries not yet in the file (one positional write); creates the file if needed. */
  writePending(): void {
    if (!this.hasUnwritten && this.fileWritten) return;
    const fd = fs.openSync(this.file, this.written === 0 ? 'w' : 'r+');
    try {
      writeFully(fd, this.buf.subarray(this.written * this.entrySize, this.count * this.entrySize), this.written * this.entrySize);
    } finally {
      fs.closeSync(fd);
    }
    this.written = this.count;
    this.fileWritten = true;
  }

  /** Rewrites the whole file from memory (after a rebuild), truncating what was there. */
  writeAll(): void {
    fs.writeFileSync(this.file, this.buf.subarray(0, this.count * this.entrySize));
    this.written = this.count;
    this.fileWritten = true;
  }

  /** fsync of the index file (after writePending), for segments that were just rolled. */
  sync(): void {
    let fd: number | undefined;
    try {
      fd = fs.openSync(this.file, 'r');
      fs.fdatasyncSync(fd);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  /** The raw file content when its length is a whole number of entries, else null. */
  protected static readEntries(file: string, entrySize: number): Buffer | null {
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch {
      return null;
    }
    if (data.length % entrySize !== 0) return null;
    return data;
  }
}
