/**
 * Cuts a Kafka connection's byte stream (requests on the broker, responses on a client) into
 * size-prefixed frames, choosing where each socket read lands so that a large frame is read
 * straight into the buffer that will hold it.
 *
 * With Node's `onread` option the socket asks `nextBuffer()` where to put its next read and
 * reports with `filled(n)` how many bytes arrived there; a socket that only has 'data' events
 * hands each chunk to `push()`, which copies it in the same way. Between frames reads land in
 * the connection's landing buffer (64 KiB, reused): every frame found there complete is copied
 * out into a buffer of its own, since whoever handles it may keep views of it after the
 * landing buffer has been read into again. A frame too large for the landing buffer gets its
 * own buffer as soon as its size prefix is in (from `frameBuffer`, else freshly allocated); the
 * bytes already landed are copied over and the rest of the frame is read directly into it,
 * with no copy at all. For a stream of ~1 MB produce requests or fetch responses that saves
 * the copy of every byte, and the fresh 64 KiB chunk per read (and the scavenges those cause)
 * that 'data' events cost.
 *
 * Invariants:
 * - The buffer returned by nextBuffer() is the only one the next read may fill, and
 *   `filled(n)` reports bytes in it, in order; nothing else writes into the stream's buffers.
 * - Frames are emitted in stream order, without their 4-byte size prefix. `pooled` is the
 *   buffer `frameBuffer` lent for the frame, or null when the frame's buffer is its own.
 * - A size prefix outside [minFrameBytes, maxFrameBytes] stops the assembler for good: it
 *   reports the size once and ignores everything after.
 * - A large frame's buffer is allocated when its size prefix arrives, as Kafka allocates a
 *   request's (bounded by maxFrameBytes, as socket.request.max.bytes bounds Kafka's); the
 *   memory of a fresh one becomes resident only as the bytes arrive in it.
 */
import type { OnReadOpts } from 'node:net';

/** A frame (size prefix removed) and the lent buffer holding it, if any. */
export interface Frame {
  readonly bytes: Buffer;
  readonly pooled: Buffer | null;
}

export interface FrameAssemblerOptions {
  readonly minFrameBytes: number;
  readonly maxFrameBytes: number;
  /** A lent buffer of at least `size` bytes for a frame too large to land, or null to allocate one. */
  readonly frameBuffer?: (size: number) => Buffer | null;
  readonly onFrame: (frame: Frame) => void;
  /** Called once with the offending size prefix; the assembler then ignores its input. */
  readonly onInvalidSize: (size: number) => void;
}

/** Where a connection's reads go: a FrameAssembler, or anything offering the same three methods. */
export interface ReadTarget {
  nextBuffer(): Buffer;
  filled(n: number): void;
  push(chunk: Buffer): void;
}

/** Node's `onread` socket option, reading into the buffers `target` offers. */
export function onreadInto(target: ReadTarget): OnReadOpts {
  return {
    buffer: () => target.nextBuffer(),
    callback: (n: number) => {
      target.filled(n);
      return true;
    },
  };
}

const LANDING_BYTES = 64 * 1024;
const SIZE_PREFIX = 4;

export class FrameAssembler implements ReadTarget {
  private readonly landing = Buffer.allocUnsafeSlow(LANDING_BYTES);
  /** Bytes of the landing buffer holding data not yet cut into frames: [0, landed). */
  private landed = 0;
  /** The frame being read directly into its own buffer, or null while reads land. */
  private direct: { bytes: Buffer; pooled: Buffer | null; filled: number } | null = null;
  private failed = false;

  constructor(private readonly opts: FrameAssemblerOptions) {}

  /** Where the next socket read goes: the rest of the current large frame, or the landing buffer. Never empty. */
  nextBuffer(): Buffer {
    if (this.failed) return this.landing;
    const direct = this.direct;
    if (direct !== null) return direct.bytes.subarray(direct.filled);
    return this.landing.subarray(this.landed);
  }

  /** `n` bytes arrived at the start of the buffer nextBuffer() returned last. */
  filled(n: number): void {
    if (this.failed) return;
    const direct = this.direct;
    if (direct !== null) {
      direct.filled += n;
      if (direct.filled === direct.bytes.length) {
        this.direct = null;
        this.opts.onFrame({ bytes: direct.bytes, pooled: direct.pooled });
      }
      return;
    }
    this.landed += n;
    this.cutLanded();
  }

  /** A chunk from a 'data' event: copied in as the reads of nextBuffer() and filled() would place it. */
  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length && !this.failed) {
      const into = this.nextBuffer();
      const n = Math.min(into.length, chunk.length - offset);
      chunk.copy(into, 0, offset, offset + n);
      offset += n;
      this.filled(n);
    }
  }

  /** Emits the complete frames in the landing buffer and keeps or moves out the partial one. */
  private cutLanded(): void {
    const landing = this.landing;
    let start = 0;
    while (this.landed - start >= SIZE_PREFIX) {
      const size = landing.readInt32BE(start);
      if (size < this.opts.minFrameBytes || size > this.opts.maxFrameBytes) {
        this.failed = true;
        this.opts.onInvalidSize(size);
        return;
      }
      const available = this.landed - start - SIZE_PREFIX;
      if (available >= size) {
        const bytes = Buffer.allocUnsafe(size);
        landing.copy(bytes, 0, start + SIZE_PREFIX, start + SIZE_PREFIX + size);
        start += SIZE_PREFIX + size;
        this.opts.onFrame({ bytes, pooled: null });
        continue;
      }
      if (SIZE_PREFIX + size > LANDING_BYTES) {
        const pooled = this.opts.frameBuffer?.(size) ?? null;
        const bytes = pooled === null ? Buffer.allocUnsafe(size) : pooled.subarray(0, size);
        landing.copy(bytes, 0, start + SIZE_PREFIX, this.landed);
        this.direct = { bytes, pooled, filled: available };
        this.landed = 0;
        return;
      }
      break;
    }
    if (start > 0) {
      landing.copyWithin(0, start, this.landed);
      this.landed -= start;
    }
  }
}
