/**
 * Writes a converter's small outputs (a record's JSON) into slices of one large Buffer instead
 * of a Buffer of their own. Node's Buffer.from/allocUnsafe carve small buffers out of an 8 KiB
 * pool, so a ~3 KB record value cost a new ArrayBuffer every second record: at a CDC snapshot's
 * rate that allocation alone was ~10% of the worker's CPU, and every ArrayBuffer is tracked by
 * the GC as external memory.
 *
 * Invariants: the returned Buffers never overlap and are never written again by the slab (a
 * new slab is started when the current one is too small for the next output); a slab lives as
 * long as any Buffer cut from it, so slabs are kept small (SLAB_BYTES) and outputs larger than
 * a quarter of one get a Buffer of their own. Not shared across threads of control.
 */
const SLAB_BYTES = 128 * 1024;
const DEDICATED_FROM = SLAB_BYTES / 4;

export class Utf8Slab {
  #slab: Buffer = Buffer.allocUnsafeSlow(0);
  #used = 0;

  /** `text` as UTF-8. */
  encode(text: string): Buffer {
    const room = text.length * 3;
    if (room >= DEDICATED_FROM) return Buffer.from(text, 'utf8');
    this.#reserve(room);
    const start = this.#used;
    const end = start + this.#slab.write(text, start, 'utf8');
    return this.#cut(start, end);
  }

  /** `head`, then `text` as UTF-8, then the byte `last`. */
  encodeBetween(head: Uint8Array, text: string, last: number): Buffer {
    const room = head.length + text.length * 3 + 1;
    if (room >= DEDICATED_FROM) {
      const size = head.length + Buffer.byteLength(text, 'utf8') + 1;
      const bytes = Buffer.allocUnsafe(size);
      bytes.set(head, 0);
      bytes.write(text, head.length, 'utf8');
      bytes[size - 1] = last;
      return bytes;
    }
    this.#reserve(room);
    const slab = this.#slab;
    const start = this.#used;
    slab.set(head, start);
    let end = start + head.length;
    end += slab.write(text, end, 'utf8');
    slab[end++] = last;
    return this.#cut(start, end);
  }

  /** `head`, then `bytes`, then the byte `last`. */
  copyBetween(head: Uint8Array, bytes: Uint8Array, last: number): Buffer {
    const size = head.length + bytes.length + 1;
    const dedicated = size >= DEDICATED_FROM;
    if (!dedicated) this.#reserve(size);
    const target = dedicated ? Buffer.allocUnsafe(size) : this.#slab;
    const start = dedicated ? 0 : this.#used;
    target.set(head, start);
    target.set(bytes, start + head.length);
    target[start + size - 1] = last;
    return dedicated ? target : this.#cut(start, start + size);
  }

  #reserve(room: number): void {
    if (this.#slab.length - this.#used >= room) return;
    this.#slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    this.#used = 0;
  }

  #cut(start: number, end: number): Buffer {
    this.#used = (end + 7) & ~7;
    return this.#slab.subarray(start, end);
  }
}
