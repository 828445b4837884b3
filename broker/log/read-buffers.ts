/**
 * Reusable buffers for the fetch path's segment reads and for request frames too large for a
 * connection's landing buffer (a produce request's ~1 MB batch; see FrameAssembler).
 *
 * A fetch reads up to a partition's max bytes (1 MiB for most clients) from a segment file
 * with one positional read. Into a freshly allocated Buffer that read costs a page fault per
 * 4 KiB of it — about 1 ms per MiB on the benchmark machine, seven times the copy from the
 * page cache itself — so the fetch handler reads into buffers borrowed from this pool and
 * gives them back once the response holding them has been handed to the socket.
 *
 * Safety rests on one rule: a buffer is reused only after whoever borrowed it released it.
 * A lease that is never released (connection closed, write failed) is simply dropped and its
 * buffers are garbage-collected. The pool keeps at most `maxPooledBytes` of idle buffers,
 * so the broker's memory stays bounded whatever the clients ask for.
 */

/** Where a log read gets the buffer it reads into. */
export interface ReadAllocator {
  /** A buffer of exactly `size` bytes (contents unspecified). */
  alloc(size: number): Buffer;
}

export interface ReadBufferPoolOptions {
  /** Idle buffers kept for reuse, in bytes (default 16 MiB). */
  maxPooledBytes?: number;
  /** Smaller requests get a plain Buffer.allocUnsafe (default 64 KiB). */
  minPooledSize?: number;
  /** Larger requests get a plain Buffer.allocUnsafe (default 8 MiB). */
  maxPooledSize?: number;
}

const KiB = 1024;
const ROUND = 64 * KiB;

export class ReadBufferPool {
  private readonly free: Buffer[] = [];
  private freeBytes = 0;
  private readonly maxPooledBytes: number;
  private readonly minPooledSize: number;
  private readonly maxPooledSize: number;

  constructor(opts: ReadBufferPoolOptions = {}) {
    this.maxPooledBytes = opts.maxPooledBytes ?? 16 * KiB * KiB;
    this.minPooledSize = opts.minPooledSize ?? 64 * KiB;
    this.maxPooledSize = opts.maxPooledSize ?? 8 * KiB * KiB;
  }

  /** Bytes of idle buffers held for reuse. */
  get idleBytes(): number {
    return this.freeBytes;
  }

  /** A set of borrowed buffers, given back together by release(). */
  lease(): ReadLease {
    return new ReadLease(this);
  }

  /** @internal A whole pooled buffer of at least `size` bytes, or null when `size` is not pooled. */
  take(size: number): Buffer | null {
    if (size < this.minPooledSize || size > this.maxPooledSize) return null;
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const cap = this.free[i]!.length;
      // Best fit, but not a buffer more than twice the size (it would pin memory a small read does not need).
      if (cap >= size && cap <= 2 * size + ROUND && (best < 0 || cap < this.free[best]!.length)) best = i;
    }
    if (best < 0) return Buffer.allocUnsafe(Math.ceil(size / ROUND) * ROUND);
    const buf = this.free[best]!;
    this.free[best] = this.free[this.free.length - 1]!;
    this.free.pop();
    this.freeBytes -= buf.length;
    return buf;
  }

  /** @internal Takes back a buffer from take(); dropped when the pool is full. */
  give(buf: Buffer): void {
    if (this.freeBytes + buf.length > this.maxPooledBytes) return;
    this.free.push(buf);
    this.freeBytes += buf.length;
  }
}

export class ReadLease implements ReadAllocator {
  private held: Buffer[] = [];

  constructor(private readonly pool: ReadBufferPool) {}

  alloc(size: number): Buffer {
    const buf = this.pool.take(size);
    if (buf === null) return Buffer.allocUnsafe(size);
    this.held.push(buf);
    return buf.subarray(0, size);
  }

  /** Gives every buffer from alloc() back to the pool. Nothing may use them afterwards. Idempotent. */
  release(): void {
    const held = this.held;
    this.held = [];
    for (const buf of held) this.pool.give(buf);
  }
}
