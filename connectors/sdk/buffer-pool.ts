/**
 * Buffers handed out and given back for reuse, for memory that lives longer than V8's
 * young-generation collections: the Kafka producer's record batches (until the broker
 * acknowledges them, as Java's producer reuses its batch.size buffers) and the objects the S3
 * source reads (until Kafka acknowledges their records).
 *
 * Why: a Buffer larger than Node's small-buffer pool is a new ArrayBuffer, and V8 counts its bytes
 * as external memory. Every 32 MB of them allocated since the last young-generation collection
 * forces one, and every 64 MB that survives into the old generation (anything kept for a round
 * trip to Kafka does) starts a full collection. A restore of 512 MB from S3 paid for a full
 * collection every 30-40 MB it produced.
 *
 * Each buffer handed out is a view of a slab: the smallest free slab that holds it, else a new one
 * of at least `minCapacity` bytes. Given back, a slab waits for reuse while the free slabs stay
 * within `maxFreeBytes`; beyond that it is left to the garbage collector, so an idle holder keeps
 * no more than that.
 *
 * Invariant, kept by the caller: a buffer is given back only when nothing can read it again. A
 * buffer this pool did not hand out, or one given back twice, is ignored, so a slab is never in
 * two holders' hands at once.
 */
export interface BufferPoolOptions {
  /** The smallest slab allocated (the size most buffers are asked for). */
  readonly minCapacity: number;
  /** Free slabs kept for reuse, in bytes. */
  readonly maxFreeBytes: number;
}

export class BufferPool {
  readonly #minCapacity: number;
  readonly #maxFreeBytes: number;
  readonly #free: ArrayBuffer[] = [];
  #freeBytes = 0;
  /** Slabs handed out and not yet given back. */
  readonly #out = new WeakSet<ArrayBuffer>();
  /** Bytes of slabs this pool has allocated and not let go: in use or free. */
  allocatedBytes = 0;

  constructor(options: BufferPoolOptions) {
    this.#minCapacity = options.minCapacity;
    this.#maxFreeBytes = options.maxFreeBytes;
  }

  /** A buffer of exactly `size` bytes, uninitialised. */
  take(size: number): Buffer {
    const free = this.#free;
    let best = -1;
    for (let i = 0; i < free.length; i++) {
      const capacity = free[i]!.byteLength;
      if (capacity >= size && (best < 0 || capacity < free[best]!.byteLength)) best = i;
    }
    let slab: ArrayBuffer;
    if (best >= 0) {
      slab = free[best]!;
      free[best] = free[free.length - 1]!;
      free.pop();
      this.#freeBytes -= slab.byteLength;
    } else {
      slab = Buffer.allocUnsafeSlow(Math.max(size, this.#minCapacity)).buffer as ArrayBuffer;
      this.allocatedBytes += slab.byteLength;
    }
    this.#out.add(slab);
    return Buffer.from(slab, 0, size);
  }

  /** `buffer`, from take(), may be overwritten from now on. */
  give(buffer: Buffer): void {
    const slab = buffer.buffer as ArrayBuffer;
    if (!this.#out.delete(slab)) return;
    if (this.#freeBytes + slab.byteLength <= this.#maxFreeBytes) {
      this.#free.push(slab);
      this.#freeBytes += slab.byteLength;
    } else {
      this.allocatedBytes -= slab.byteLength;
    }
  }
}
