/**
 * A bare TCP connection to the broker for tests that speak the wire protocol by hand:
 * send arbitrary bytes or well-formed requests, read size-delimited response frames, and
 * observe whether the broker closed the connection.
 */
import net from 'node:net';
import { Reader } from '../../broker/protocol/reader.js';
import { readResponseHeader, writeRequestHeader } from '../../broker/protocol/request-header.js';
import type { ApiDefinition, DecodedResponseOf, Encodable, Fields, Struct } from '../../broker/protocol/schema.js';
import { Writer } from '../../broker/protocol/writer.js';

type RequestValue<A> = A extends ApiDefinition<infer Req, Fields> ? Encodable<Struct<Req>> : never;

export class RawKafkaSocket {
  /** Resolves once the connection is closed, by either side. */
  readonly closed: Promise<void>;
  private buffered = Buffer.alloc(0);
  private readonly waiting: { resolve: (frame: Buffer) => void; reject: (err: Error) => void }[] = [];
  private isClosed = false;
  private nextCorrelationId = 1;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.deliver();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.on('close', () => {
      this.isClosed = true;
      for (const w of this.waiting.splice(0)) w.reject(new Error('connection closed before a response arrived'));
      resolve();
    }));
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawKafkaSocket> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, host);
      socket.once('connect', () => resolve(new RawKafkaSocket(socket)));
      socket.once('error', reject);
    });
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Sends `body` behind its 4-byte size prefix. */
  sendFrame(body: Buffer): void {
    const size = Buffer.alloc(4);
    size.writeInt32BE(body.length);
    this.write(Buffer.concat([size, body]));
  }

  /** The next response frame (without its size prefix). */
  readFrame(): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.isClosed) {
        reject(new Error('connection is closed'));
        return;
      }
      this.waiting.push({ resolve, reject });
      this.deliver();
    });
  }

  /** Sends a request of `api` at `version` encoded as `bodyVersion` (default: the same). */
  sendRequest<A extends ApiDefinition<Fields, Fields>>(
    api: A, version: number, body: RequestValue<A>, opts: { bodyVersion?: number; correlationId?: number } = {},
  ): number {
    const correlationId = opts.correlationId ?? this.nextCorrelationId++;
    const bodyVersion = opts.bodyVersion ?? version;
    const w = new Writer();
    writeRequestHeader(w, { apiKey: api.key, apiVersion: version, correlationId, clientId: 'raw-socket' }, version >= api.flexibleSince);
    api.request.encode(w, bodyVersion, body as Encodable<Struct<Fields>>);
    this.sendFrame(w.toBuffer());
    return correlationId;
  }

  /**
   * Reads the next response, decoding its body as `api` at `version`; `unread` counts the
   * frame's bytes left after the body (0 when the response has exactly that shape).
   */
  async readResponse<A extends ApiDefinition<Fields, Fields>>(
    api: A, version: number,
  ): Promise<{ correlationId: number; body: DecodedResponseOf<A>; unread: number }> {
    const frame = await this.readFrame();
    const r = new Reader(frame);
    const correlationId = readResponseHeader(r, api.key, version >= api.flexibleSince);
    const body = api.response.decode(r, version) as DecodedResponseOf<A>;
    return { correlationId, body, unread: r.remaining };
  }

  /** Resolves true when the broker closes the connection within `ms`, false otherwise. */
  async closesWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
    try {
      return await Promise.race([this.closed.then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops reading from the socket, so the broker's responses back up (resume() reads on). */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private deliver(): void {
    while (this.waiting.length > 0 && this.buffered.length >= 4) {
      const size = this.buffered.readInt32BE(0);
      if (this.buffered.length < size + 4) return;
      const frame = this.buffered.subarray(4, size + 4);
      this.buffered = this.buffered.subarray(size + 4);
      this.waiting.shift()!.resolve(frame);
    }
  }
}
