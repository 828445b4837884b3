/**
 * Follows one file path the way `tail -F` does and hands out its complete lines with byte
 * offsets.
 *
 * - Reads are positional (pread) in chunks of up to CHUNK_BYTES into a LineBuffer; a trailing
 *   partial line stays buffered until its terminator arrives.
 * - The path is only re-examined when the open file is read to its end:
 *   - the open file got shorter than what was read (truncation, e.g. copytruncate): warn and
 *     read it again from offset 0;
 *   - the path now names another file (rename + recreate): read the old file to its end once
 *     more, hand out its unterminated last line if any, then switch to the new file at 0;
 *   - the path is missing: keep the old file open and wait for the path to reappear.
 * - A file missing at the first open is waited for; when it appears it is read from 0 whatever
 *   `start` said about the file that was not there. A start offset beyond the file's size means
 *   the file was truncated or replaced while the task was down: read from 0 with a warning.
 *
 * Not safe for concurrent calls: the source task calls it from its single poll loop.
 */
import type { BigIntStats } from 'node:fs';
import fs from 'node:fs/promises';
import { ConnectError } from '../sdk/errors.js';
import type { TaskLogger } from '../sdk/task-logger.js';
import { ChangeNotifier } from './change-notifier.js';
import { LineBuffer, type LineEncoding } from './line-buffer.js';
import type { LineHandler, LineReader } from './line-reader.js';

const CHUNK_BYTES = 1 << 20;

export interface FileTailerOptions {
  readonly path: string;
  readonly encoding: LineEncoding;
  /** Where reading starts in the file found at the first open: a byte offset or its end. */
  readonly start: number | 'end';
  readonly logger: TaskLogger;
}

interface OpenFile {
  readonly handle: fs.FileHandle;
  readonly dev: bigint;
  readonly ino: bigint;
}

export class FileTailer implements LineReader {
  readonly #path: string;
  readonly #logger: TaskLogger;
  readonly #lines: LineBuffer;
  readonly #notifier: ChangeNotifier;
  #start: number | 'end' | null;
  #file: OpenFile | null = null;
  #rotationSeen = false;
  #waitingLogged = false;
  #closed = false;

  constructor(options: FileTailerOptions) {
    this.#path = options.path;
    this.#logger = options.logger;
    this.#start = options.start;
    this.#lines = new LineBuffer(CHUNK_BYTES, options.encoding);
    this.#notifier = new ChangeNotifier(options.path);
  }

  async readLines(max: number, handle: LineHandler): Promise<number> {
    if (this.#closed) return 0;
    this.#notifier.arm();
    if (this.#file === null && !(await this.#openFirst())) return 0;
    const lines = this.#lines;
    let count = 0;
    for (;;) {
      while (count < max) {
        const line = lines.nextLine();
        if (line === null) break;
        count++;
        if (!handle(line, lines.consumed)) return count;
      }
      if (count >= max) return count;
      if ((await this.#readChunk()) > 0) continue;
      const next = await this.#examineAtEnd();
      if (next === 'wait') return count;
      if (next === 'read-again') continue;
      const last = lines.rest();
      const lastEnd = lines.filled;
      await this.#switchTo(next);
      if (last !== null) {
        count++;
        if (!handle(last, lastEnd)) return count;
      }
    }
  }

  waitForData(ms: number, signal: AbortSignal): Promise<void> {
    return this.#notifier.wait(ms, signal);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#notifier.close();
    const file = this.#file;
    this.#file = null;
    await file?.handle.close();
  }

  async #openFirst(): Promise<boolean> {
    const file = await this.#open();
    if (file === null) {
      if (!this.#waitingLogged) {
        this.#logger.info({ file: this.#path }, 'File does not exist yet; waiting for it to appear');
        this.#waitingLogged = true;
      }
      this.#start = 0;
      return false;
    }
    const size = Number((await file.handle.stat({ bigint: true })).size);
    let offset = this.#start === 'end' ? size : this.#start ?? 0;
    if (offset > size) {
      this.#logger.warn(
        { file: this.#path, position: offset, size },
        'Stored position is beyond the end of the file, which was truncated or replaced; reading it from the beginning',
      );
      offset = 0;
    }
    this.#start = null;
    this.#file = file;
    this.#lines.reset(offset);
    this.#logger.info({ file: this.#path, position: offset }, 'Reading file');
    return true;
  }

  async #open(): Promise<OpenFile | null> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.#path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new ConnectError(`Cannot open ${this.#path}: ${(err as Error).message}`, { cause: err });
    }
    try {
      const stats = await handle.stat({ bigint: true });
      return { handle, dev: stats.dev, ino: stats.ino };
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  async #readChunk(): Promise<number> {
    const file = this.#file as OpenFile;
    const room = this.#lines.reserve();
    const length = Math.min(room.length, CHUNK_BYTES);
    const { bytesRead } = await file.handle.read(room.buffer, room.offset, length, this.#lines.filled);
    this.#lines.commit(bytesRead);
    return bytesRead;
  }

  /** At the end of the open file: whether to wait, read on, or switch to the file now at the path. */
  async #examineAtEnd(): Promise<'wait' | 'read-again' | OpenFile> {
    const file = this.#file as OpenFile;
    const size = Number((await file.handle.stat({ bigint: true })).size);
    if (size < this.#lines.filled) {
      this.#logger.warn(
        { file: this.#path, position: this.#lines.filled, size },
        'File was truncated; reading it again from the beginning',
      );
      this.#lines.reset(0);
      this.#rotationSeen = false;
      return 'read-again';
    }
    let current: BigIntStats;
    try {
      current = await fs.stat(this.#path, { bigint: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'wait';
      throw err;
    }
    if (current.ino === file.ino && current.dev === file.dev) return 'wait';
    if (!this.#rotationSeen) {
      // Whatever the writer appended to the old file before it reopened the path is read first.
      this.#rotationSeen = true;
      return 'read-again';
    }
    const next = await this.#open();
    return next ?? 'wait';
  }

  async #switchTo(next: OpenFile): Promise<void> {
    const old = this.#file as OpenFile;
    this.#file = next;
    this.#rotationSeen = false;
    this.#lines.reset(0);
    this.#logger.info({ file: this.#path }, 'File was rotated; reading the new file from the beginning');
    await old.handle.close();
  }
}
