/**
 * A growable byte window over a stream of text that hands out complete lines and tracks the
 * absolute byte offset of every boundary.
 *
 * Lines end at `\n`, `\r\n` or a lone `\r` (as Kafka's FileStreamSourceTask splits them); a `\r`
 * that is the last buffered byte is held back until the next byte shows whether a `\n` follows.
 * Terminators are found with Buffer.indexOf (native search) and the scan positions are cached,
 * so a long partial line is not rescanned on every append and files without `\r` never pay for
 * the `\r` search more than once per append.
 *
 * Offsets: `base` is the stream offset of `buf[0]`; `consumed` (base + start) is the offset just
 * after the last line handed out, `filled` (base + end) the offset just after the last byte
 * appended.
 */

const LF = 10;
const CR = 13;

export type LineEncoding = 'utf8' | 'latin1';

export class LineBuffer {
  #buf: Buffer;
  #view: Buffer;
  #start = 0;
  #end = 0;
  #base = 0;
  /** No LF in [start, lfFrom). */
  #lfFrom = 0;
  /** Index of the next CR at or after start when >= start; otherwise none in [start, crFrom). */
  #cr = -1;
  #crFrom = 0;
  readonly #encoding: LineEncoding;

  constructor(capacity: number, encoding: LineEncoding) {
    this.#buf = Buffer.allocUnsafe(capacity);
    this.#view = this.#buf.subarray(0, 0);
    this.#encoding = encoding;
  }

  /** Stream offset just after the last line handed out. */
  get consumed(): number {
    return this.#base + this.#start;
  }

  /** Stream offset just after the last byte appended. */
  get filled(): number {
    return this.#base + this.#end;
  }

  /** Bytes appended but not yet handed out as lines. */
  get pending(): number {
    return this.#end - this.#start;
  }

  /** Drops everything buffered; the next byte appended is at stream offset `offset`. */
  reset(offset: number): void {
    this.#start = 0;
    this.#end = 0;
    this.#base = offset;
    this.#view = this.#buf.subarray(0, 0);
    this.#lfFrom = 0;
    this.#cr = -1;
    this.#crFrom = 0;
  }

  /**
   * Room for at least `min` more bytes (compacting or growing as needed): read into
   * `buffer[offset, offset + length)` and then call `commit` with the count.
   */
  reserve(min = 1): { buffer: Buffer; offset: number; length: number } {
    const capacity = this.#buf.length;
    if (capacity - this.#end < Math.max(min, capacity >>> 2)) {
      if (this.#start > 0) this.#compact();
      if (this.#buf.length - this.#end < min) this.#grow(this.#end + min);
    }
    return { buffer: this.#buf, offset: this.#end, length: this.#buf.length - this.#end };
  }

  commit(bytes: number): void {
    this.#end += bytes;
    this.#view = this.#buf.subarray(0, this.#end);
  }

  append(chunk: Uint8Array): void {
    const room = this.reserve(chunk.length);
    room.buffer.set(chunk, room.offset);
    this.commit(chunk.length);
  }

  /** The next complete line without its terminator, or null when none is buffered. */
  nextLine(): string | null {
    const s = this.#start;
    const e = this.#end;
    if (s === e) return null;
    const v = this.#view;
    let lf = -1;
    if (this.#lfFrom < e) {
      lf = v.indexOf(LF, this.#lfFrom > s ? this.#lfFrom : s);
      if (lf === -1) this.#lfFrom = e;
    }
    const cr = this.#nextCr(s, e);
    let lineEnd: number;
    let next: number;
    if (cr !== -1 && (lf === -1 || cr < lf)) {
      if (cr + 1 >= e) return null;
      lineEnd = cr;
      next = v[cr + 1] === LF ? cr + 2 : cr + 1;
    } else if (lf !== -1) {
      lineEnd = lf;
      next = lf + 1;
    } else {
      return null;
    }
    this.#start = next;
    return v.toString(this.#encoding, s, lineEnd);
  }

  /** Everything still buffered as one last line (a trailing `\r` dropped), or null when empty. */
  rest(): string | null {
    const s = this.#start;
    let e = this.#end;
    if (s === e) return null;
    this.#start = e;
    if (this.#view[e - 1] === CR) e -= 1;
    return this.#view.toString(this.#encoding, s, e);
  }

  #nextCr(s: number, e: number): number {
    if (this.#cr >= s) return this.#cr;
    const from = this.#crFrom > s ? this.#crFrom : s;
    if (from >= e) return -1;
    const cr = this.#view.indexOf(CR, from);
    if (cr === -1) {
      this.#crFrom = e;
      this.#cr = -1;
    } else {
      this.#cr = cr;
    }
    return cr;
  }

  #compact(): void {
    const shift = this.#start;
    this.#buf.copy(this.#buf, 0, shift, this.#end);
    this.#end -= shift;
    this.#base += shift;
    this.#start = 0;
    this.#lfFrom = Math.max(0, this.#lfFrom - shift);
    this.#crFrom = Math.max(0, this.#crFrom - shift);
    this.#cr = this.#cr >= shift ? this.#cr - shift : -1;
    this.#view = this.#buf.subarray(0, this.#end);
  }

  #grow(needed: number): void {
    let capacity = this.#buf.length * 2;
    while (capacity < needed) capacity *= 2;
    const next = Buffer.allocUnsafe(capacity);
    this.#buf.copy(next, 0, 0, this.#end);
    this.#buf = next;
    this.#view = next.subarray(0, this.#end);
  }
}
