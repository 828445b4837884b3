/**
 * Lines from a byte stream (standard input when the source has no `file`). Positions are not
 * tracked, as in Kafka: a stream cannot be rewound, so every line's offset is null. When the
 * stream ends, an unterminated last line is handed out as well.
 */
import type { Readable } from 'node:stream';
import { idleWait } from './idle-wait.js';
import { LineBuffer, type LineEncoding } from './line-buffer.js';
import type { LineHandler, LineReader } from './line-reader.js';

const INITIAL_BYTES = 64 * 1024;

export class StreamLineReader implements LineReader {
  readonly #stream: Readable;
  readonly #lines: LineBuffer;
  #ended = false;
  #error: Error | null = null;
  #wake: (() => void) | null = null;
  readonly #onReadable = () => this.#wake?.();
  readonly #onEnd = () => {
    this.#ended = true;
    this.#wake?.();
  };
  readonly #onError = (err: Error) => {
    this.#error = err;
    this.#wake?.();
  };

  constructor(stream: Readable, encoding: LineEncoding) {
    this.#stream = stream;
    this.#lines = new LineBuffer(INITIAL_BYTES, encoding);
    stream.on('readable', this.#onReadable);
    stream.on('end', this.#onEnd);
    stream.on('error', this.#onError);
  }

  async readLines(max: number, handle: LineHandler): Promise<number> {
    if (this.#error !== null) throw this.#error;
    let count = 0;
    for (;;) {
      while (count < max) {
        const line = this.#lines.nextLine();
        if (line === null) break;
        count++;
        if (!handle(line, null)) return count;
      }
      if (count >= max) return count;
      const chunk = this.#stream.read() as Buffer | string | null;
      if (chunk !== null) {
        this.#lines.append(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
        continue;
      }
      if (this.#ended) {
        const last = this.#lines.rest();
        if (last !== null) {
          count++;
          handle(last, null);
        }
      }
      return count;
    }
  }

  waitForData(ms: number, signal: AbortSignal): Promise<void> {
    if (this.#error !== null || this.#stream.readableLength > 0) return Promise.resolve();
    if (this.#ended) return idleWait(ms, signal);
    return idleWait(ms, signal, (wake) => {
      this.#wake = wake;
    });
  }

  async close(): Promise<void> {
    this.#stream.off('readable', this.#onReadable);
    this.#stream.off('end', this.#onEnd);
    this.#stream.off('error', this.#onError);
    this.#wake?.();
  }
}

