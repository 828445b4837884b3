/**
 * File names inside a partition directory (broker notes §6.1) and the small file-system
 * helpers the log shares: atomic replace (temp + fsync + rename + directory fsync) and
 * directory fsync.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ReadAllocator } from './read-buffers.js';

export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
export const TIME_INDEX_SUFFIX = '.timeindex';
export const SNAPSHOT_SUFFIX = '.snapshot';
/** A compaction output still being written; deleted on startup. */
export const CLEANED_SUFFIX = '.cleaned';
/** A complete compaction output waiting to replace the segments it covers. */
export const SWAP_SUFFIX = '.swap';

export function offsetFileName(offset: number, suffix: string): string {
  return String(offset).padStart(20, '0') + suffix;
}

/** The offset a `<20 digits><suffix>` name starts with, or null for other names. */
export function parseOffsetFileName(name: string, suffix: string): number | null {
  if (name.length !== 20 + suffix.length || !name.endsWith(suffix)) return null;
  const digits = name.slice(0, 20);
  if (!/^\d{20}$/.test(digits)) return null;
  return Number(digits);
}

export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on directories; the rename itself still happened.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Replaces `file` with `data` so that a crash leaves either the old or the new content:
 * write a temp file, fsync it, rename it over the target, fsync the directory.
 * `durable: false` skips both fsyncs (the rename is still atomic against a process kill).
 */
export function writeFileAtomic(file: string, data: Buffer | string, durable = true): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    writeFully(fd, buf, 0);
    if (durable) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  if (durable) fsyncDir(path.dirname(file));
}

/** Positional write of all of `buf` (writeSync may write less than asked). */
export function writeFully(fd: number, buf: Buffer, position: number): void {
  let done = 0;
  while (done < buf.length) {
    done += fs.writeSync(fd, buf, done, buf.length - done, position + done);
  }
}

/**
 * Positional read of up to `length` bytes into a new buffer (or one from `alloc`); shorter
 * only at end of file.
 */
export function readAt(fd: number, position: number, length: number, alloc?: ReadAllocator): Buffer {
  const buf = alloc ? alloc.alloc(length) : Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buf, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? buf : buf.subarray(0, done);
}

export function unlinkIfExists(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * A short sibling path ending in `-delete` to rename a directory to before removing it
 * (the data directory deletes such leftovers at startup). Short so that long topic names
 * still fit the file-name limit.
 */
export function trashName(dir: string): string {
  return path.join(path.dirname(dir), `${randomBytes(8).toString('hex')}-delete`);
}
