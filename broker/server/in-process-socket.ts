/**
 * A connection between a Kafka client and the broker in the same process, without TCP: two
 * ends, each a Writable whose written chunks are delivered to the other end's read target (a
 * FrameAssembler, which copies them into the frame buffers it chooses, as a socket read would).
 * `ferry start` connects its worker to its own broker this way, which spares every produced and
 * fetched byte the loopback hop: a write and a read system call, the kernel's TCP path, and a
 * copy into the kernel and one out of it (one copy is left: into the reader's frame buffer).
 *
 * Invariants:
 * - Chunks arrive in the order they were written, whole, never merged or split by this layer.
 * - A write's callback runs only once the peer's target has taken (copied) its bytes, as a TCP
 *   write's runs once the kernel has them: a writer may then reuse the buffer (the broker hands
 *   fetched log buffers back to its pool after its response is written).
 * - Delivery runs from setImmediate, once per event-loop turn for everything written since, so
 *   a request and its answer each cross an event-loop turn, as over TCP: other I/O (an S3
 *   download, a REST call) is never starved by two ends answering each other.
 * - destroy() on either end (or end()) closes both; chunks not yet delivered fail their write
 *   callbacks, and both ends emit 'close'.
 */
import { Writable } from 'node:stream';
import type { ConnectionStream } from '../protocol/connection-stream.js';
import type { ReadTarget } from '../protocol/frame-assembler.js';

/** Room for written bytes not yet delivered before write() says to wait for 'drain' (a loopback socket buffer's order). */
const HIGH_WATER_MARK = 8 * 1024 * 1024;

/** What a write not delivered before either end closed fails with. */
const closedError = (): Error => new Error('the in-process connection was closed');

interface Delivery {
  readonly chunks: readonly Buffer[];
  readonly done: (error?: Error | null) => void;
}

export class InProcessSocket extends Writable implements ConnectionStream {
  /** What the broker reports as the client's host (DescribeGroups): this machine, as over loopback. */
  readonly remoteAddress = '127.0.0.1';
  #peer!: InProcessSocket;
  #target: ReadTarget | undefined;
  readonly #inbox: Delivery[] = [];
  #delivery: NodeJS.Immediate | undefined;

  private constructor() {
    super({ highWaterMark: HIGH_WATER_MARK, decodeStrings: false });
  }

  /** Two connected ends: what one writes, the other reads. */
  static pair(): [InProcessSocket, InProcessSocket] {
    const a = new InProcessSocket();
    const b = new InProcessSocket();
    a.#peer = b;
    b.#peer = a;
    return [a, b];
  }

  /** Where the bytes the peer writes go. Bytes written before this is set wait for it. */
  readInto(target: ReadTarget): void {
    this.#target = target;
    this.#schedule();
  }

  /** There is no Nagle delay to turn off. */
  setNoDelay(): this {
    return this;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.#peer.#receive([chunk], done);
  }

  override _writev(chunks: { chunk: Buffer }[], done: (error?: Error | null) => void): void {
    this.#peer.#receive(chunks.map((c) => c.chunk), done);
  }

  override _final(done: (error?: Error | null) => void): void {
    done();
    this.destroy();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    if (this.#delivery !== undefined) clearImmediate(this.#delivery);
    this.#delivery = undefined;
    if (!this.#peer.destroyed) this.#peer.destroy();
    const undelivered = this.#inbox.splice(0);
    for (const delivery of undelivered) delivery.done(closedError());
    done(error);
  }

  #receive(chunks: readonly Buffer[], done: (error?: Error | null) => void): void {
    if (this.destroyed) {
      done(closedError());
      return;
    }
    this.#inbox.push({ chunks, done });
    this.#schedule();
  }

  #schedule(): void {
    if (this.#delivery === undefined && this.#target !== undefined && this.#inbox.length > 0) {
      this.#delivery = setImmediate(() => this.#deliver());
    }
  }

  #deliver(): void {
    this.#delivery = undefined;
    const target = this.#target!;
    for (const delivery of this.#inbox.splice(0)) {
      // A frame handled inside push() may close the connection (an invalid request).
      if (this.destroyed) {
        delivery.done(closedError());
        continue;
      }
      for (const chunk of delivery.chunks) target.push(chunk);
      delivery.done();
    }
  }
}
