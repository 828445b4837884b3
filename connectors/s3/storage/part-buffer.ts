/**
 * The bytes of one part being filled, written straight into one contiguous Buffer: a record's
 * text is encoded as UTF-8 into it (no Buffer per record), bytes are copied in, and `take`
 * hands out the part as a view of that Buffer, without joining blocks.
 *
 * Memory: the Buffer starts at BUFFER_MIN and doubles when a record does not fit (the bytes so
 * far are copied once into the larger one), and from POOLED_FROM on it grows fourfold: each step
 * writes the part again into memory touched for the first time, and only the pages written cost,
 * so fewer, larger steps cost less. Buffers of POOLED_FROM bytes or more come from and
 * go back to a pool shared by the process, because fresh memory is what costs most here: on the
 * VMs ferry runs on, pages touched for the first time cost about 1 ms per MB, several times the
 * copy itself, and a freed large Buffer gives its pages back to the system. A part taken out is
 * returned with `releasePart` once S3 accepted it (or it was dropped), never before: until then
 * its bytes may still be sent. `length` is exactly the bytes written (what the task's memory
 * budget counts), not the Buffer's capacity.
 *
 * Hash: the part's SHA-256 is computed while it fills, HASH_STEP bytes at a time, and handed out
 * with it by `take`. SigV4 signs a request body's SHA-256 (x-amz-content-sha256), and the SDK
 * would hash the whole body when the request is sent: about 7 ms per 10 MB here, during which S3
 * waits for an upload that could have started. Hashed while filling, it is done while the part
 * before is still uploading.
 */
import { createHash, type Hash } from 'node:crypto';

/** Bytes hashed at a time: few calls per part, and the bytes hashed are still in the CPU's caches. */
const HASH_STEP = 256 * 1024;
const BUFFER_MIN = 16 * 1024;
/** UTF-8 needs at most 3 bytes per UTF-16 code unit. */
const MAX_UTF8_PER_UNIT = 3;
/** Smaller Buffers are cheap to allocate (and come from warm memory): only larger ones are pooled. */
const POOLED_FROM = 1024 * 1024;
/** The most free bytes the pool keeps; beyond it released Buffers are left to the garbage collector. */
const POOL_MAX_BYTES = 64 * 1024 * 1024;
/** A part being sent and one being filled per busy file, and one to spare. */
const POOL_MAX_BUFFERS = 3;

const pool: Buffer[] = [];
let pooledBytes = 0;

/**
 * A Buffer of at least `size` bytes: the largest pooled one when it is large enough (a part
 * that grows once takes the size parts had before, so it rarely grows again), else a new one.
 */
function acquire(size: number): Buffer {
  let largest = -1;
  for (let i = 0; i < pool.length; i++) if (largest < 0 || pool[i]!.length > pool[largest]!.length) largest = i;
  if (largest < 0 || pool[largest]!.length < size) return Buffer.allocUnsafeSlow(size);
  const buffer = pool.splice(largest, 1)[0]!;
  pooledBytes -= buffer.length;
  return buffer;
}

/**
 * Gives back the whole Buffer behind `view` (a Buffer from `acquire`, or a view of one, such as a
 * part from `PartBuffer.take` once nothing reads it any more: S3 accepted it, or it was dropped;
 * each part is released at most once). The pool keeps the largest: at most POOL_MAX_BUFFERS, and
 * POOL_MAX_BYTES in all, so the smaller Buffers a part grew through do not stay once larger ones
 * came back.
 */
export function releasePart(view: Uint8Array): void {
  const whole = view.buffer;
  if (whole.byteLength < POOLED_FROM) return;
  pool.push(Buffer.from(whole));
  pooledBytes += whole.byteLength;
  while (pool.length > POOL_MAX_BUFFERS || pooledBytes > POOL_MAX_BYTES) {
    let smallest = 0;
    for (let i = 1; i < pool.length; i++) if (pool[i]!.length < pool[smallest]!.length) smallest = i;
    pooledBytes -= pool.splice(smallest, 1)[0]!.length;
  }
}

/** A part's bytes and their SHA-256 in hex (what x-amz-content-sha256 carries). */
export interface FilledPart {
  readonly bytes: Buffer;
  readonly sha256: string;
}

export class PartBuffer {
  #buffer: Buffer | null = null;
  #length = 0;
  #hash: Hash | null = null;
  /** Bytes of the part fed to `#hash` so far. */
  #hashed = 0;

  get length(): number {
    return this.#length;
  }

  /** Appends bytes, a string as UTF-8, or bytes and their terminator. */
  append(bytes: Uint8Array | string | { readonly bytes: Uint8Array; readonly terminator: Uint8Array }): void {
    if (!(typeof bytes === 'string' || bytes instanceof Uint8Array)) {
      this.#appendBytes(bytes.bytes);
      this.#appendBytes(bytes.terminator);
      return;
    }
    if (bytes.length === 0) return;
    if (typeof bytes === 'string') {
      const buffer = this.#room(bytes.length * MAX_UTF8_PER_UNIT, bytes);
      this.#length += buffer.write(bytes, this.#length, 'utf8');
      if (this.#length - this.#hashed >= HASH_STEP) this.#hashWritten();
      return;
    }
    this.#appendBytes(bytes);
  }

  #appendBytes(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const buffer = this.#room(bytes.length, null);
    buffer.set(bytes, this.#length);
    this.#length += bytes.length;
    if (this.#length - this.#hashed >= HASH_STEP) this.#hashWritten();
  }

  #hashWritten(): void {
    (this.#hash ??= createHash('sha256')).update(this.#buffer!.subarray(this.#hashed, this.#length));
    this.#hashed = this.#length;
  }

  /** Every byte written, as one Buffer (to be given to `releasePart` when done with), and its hash; the buffer is empty afterwards. */
  take(): FilledPart {
    if (this.#length > this.#hashed) this.#hashWritten();
    const sha256 = (this.#hash ?? createHash('sha256')).digest('hex');
    const buffer = this.#buffer;
    const length = this.#length;
    this.#reset();
    return { bytes: buffer === null ? Buffer.alloc(0) : buffer.subarray(0, length), sha256 };
  }

  /** Gives the bytes written back to the pool, unhashed (the part is dropped); the buffer is empty afterwards. */
  drop(): void {
    if (this.#buffer !== null) releasePart(this.#buffer);
    this.#reset();
  }

  #reset(): void {
    this.#buffer = null;
    this.#length = 0;
    this.#hash = null;
    this.#hashed = 0;
  }

  /** The Buffer, with at least `room` bytes free (or, for `text`, room for its exact UTF-8 length). */
  #room(room: number, text: string | null): Buffer {
    const current = this.#buffer;
    if (current !== null && current.length - this.#length >= room) return current;
    const needed = this.#length + (text === null ? room : Buffer.byteLength(text, 'utf8'));
    if (current !== null && current.length >= needed) return current;
    const next = acquire(Math.max(needed, current === null ? BUFFER_MIN : current.length * (current.length < POOLED_FROM ? 2 : 4)));
    if (current !== null) {
      current.copy(next, 0, 0, this.#length);
      releasePart(current);
    }
    this.#buffer = next;
    return next;
  }
}
