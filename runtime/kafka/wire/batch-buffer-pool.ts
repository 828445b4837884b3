/**
 * The producer's batch buffers, reused once the broker has acknowledged their batch, as Java's
 * producer reuses its batch.size buffers (BufferPool).
 *
 * Why: a batch of batch.size bytes (1 MiB by default) does not fit Node's small-buffer pool, so
 * each one was a new ArrayBuffer. V8 counts those bytes as external memory: every 32 MB of them
 * allocated since the last young-generation collection forces one, and every 64 MB that
 * survives into the old generation (batches waiting behind the one in flight do) starts a full
 * collection. A source restoring 512 MB from S3 paid for about a collection per 30 MB produced.
 *
 * Every buffer handed out is a view of a slab of `capacity` bytes; a batch larger than that (a
 * single record above batch.size) gets a buffer of its own, which is never pooled. At most
 * `maxFree` slabs wait for reuse; slabs given back beyond that are left to the garbage
 * collector, so the pool holds no more than maxFree × capacity bytes while the producer idles.
 *
 * Invariant, kept by the caller: a buffer is given back only when nothing can read it again.
 * For a produce request that is once the broker has answered it (it answers only after reading
 * the whole request, so no socket write still reads the buffer) with success for the batch; a
 * batch that is retried, split (its records are decoded into views of its bytes) or failed is
 * never given back. A buffer this pool did not hand out, or one given back twice, is ignored.
 */
export class BatchBufferPool {
  readonly capacity: number;
  readonly #maxFree: number;
  readonly #free: ArrayBuffer[] = [];
  /** Slabs handed out and not yet given back. */
  readonly #out = new WeakSet<ArrayBuffer>();
  /** Bytes of slabs this pool has allocated, in use or free (Java's buffer-total-bytes, for pooled buffers). */
  allocatedBytes = 0;

  constructor(capacity: number, maxFree: number) {
    this.capacity = capacity;
    this.#maxFree = maxFree;
  }

  /** A buffer of exactly `size` bytes, uninitialised. */
  take(size: number): Buffer {
    if (size > this.capacity) return Buffer.allocUnsafeSlow(size);
    let slab = this.#free.pop();
    if (slab === undefined) {
      slab = Buffer.allocUnsafeSlow(this.capacity).buffer as ArrayBuffer;
      this.allocatedBytes += this.capacity;
    }
    this.#out.add(slab);
    return Buffer.from(slab, 0, size);
  }

  /** `buffer`, from take(), may be overwritten from now on. */
  give(buffer: Buffer): void {
    const slab = buffer.buffer as ArrayBuffer;
    if (!this.#out.delete(slab)) return;
    if (this.#free.length < this.#maxFree) this.#free.push(slab);
    else this.allocatedBytes -= this.capacity;
  }
}
