/**
 * One client connection: framing, header decoding, ordered dispatch, response writing.
 *
 * Invariants:
 * - Responses leave in the order requests arrived (kafka-python depends on it). Requests are
 *   handled one at a time per connection, as Kafka does; other connections are unaffected.
 * - A frame that is oversized, truncated or undecodable, an unknown API key, or an
 *   unsupported version of any API but ApiVersions closes this connection only, with one
 *   log line. ApiVersions newer than we serve gets the v0-shaped UNSUPPORTED_VERSION reply.
 * - While the socket is backed up (write returned false), no further request is handled.
 * - A frame larger than the FrameAssembler's landing buffer is read straight into a buffer
 *   borrowed from the broker's pool (a fresh one would cost a page fault per 4 KiB). It goes
 *   back to the pool only when its API's handler declares `requestBytesTransient` and has
 *   returned and its response is encoded; any other frame buffer is left to the garbage
 *   collector, since its handler may keep views of the request's bytes.
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { Reader } from '../protocol/reader.js';
import { Writer } from '../protocol/writer.js';
import { ProtocolError } from '../protocol/protocol-error.js';
import {
  API_VERSIONS_KEY, readHeaderPrefix, readHeaderRest, writeResponseHeader, type RequestHeader,
} from '../protocol/request-header.js';
import { ApiVersions } from '../protocol/apis/api-versions.js';
import { NO_RESPONSE, type ApiHandler, type RequestContext } from './api-handler.js';
import type { ReadBufferPool } from '../log/read-buffers.js';
import { FrameAssembler, type Frame } from '../protocol/frame-assembler.js';
import { readInto } from './direct-reads.js';
import type { InProcessSocket } from './in-process-socket.js';
import type { ConnectionStream } from '../protocol/connection-stream.js';

const UNSUPPORTED_VERSION = 35;
/** The request header's fixed start: api key, api version and correlation id. */
const MIN_REQUEST_BYTES = 8;

export interface ConnectionOptions {
  readonly id: number;
  readonly maxRequestBytes: number;
  readonly handlers: ReadonlyMap<number, ApiHandler>;
  readonly log: Logger;
  /** Where frames larger than the landing buffer are read. */
  readonly buffers: ReadBufferPool;
  /** Called once the connection's socket has closed. */
  readonly onSocketClosed: () => void;
}

export class Connection {
  private readonly socket: ConnectionStream;
  private readonly queue: Frame[] = [];
  private processing = false;
  private closed = false;
  private corked = false;
  private readonly abort = new AbortController();
  private readonly clientHost: string;

  /** `accepted` must come from a server listening with `pauseOnConnect` (see readInto), or be an in-process end. */
  constructor(accepted: Socket | InProcessSocket, private readonly opts: ConnectionOptions) {
    const frames = new FrameAssembler({
      minFrameBytes: MIN_REQUEST_BYTES,
      maxFrameBytes: opts.maxRequestBytes,
      frameBuffer: (size) => opts.buffers.take(size),
      onFrame: (frame) => this.onFrame(frame),
      onInvalidSize: (size) => this.close(`invalid request size ${size} (limit ${opts.maxRequestBytes})`),
    });
    const socket = readInto(accepted, frames);
    this.socket = socket;
    this.clientHost = socket.remoteAddress ?? '';
    socket.setNoDelay(true);
    socket.on('error', (err) => opts.log.debug({ err, connection: opts.id }, 'connection error'));
    socket.on('close', () => {
      this.onClosed();
      opts.onSocketClosed();
    });
  }

  close(reason?: string): void {
    if (this.closed) return;
    if (reason) this.opts.log.warn({ connection: this.opts.id, client: this.clientHost }, `closing connection: ${reason}`);
    this.onClosed();
    this.socket.destroy();
  }

  private onClosed(): void {
    this.closed = true;
    this.queue.length = 0;
    this.abort.abort();
  }

  private onFrame(frame: Frame): void {
    if (this.closed) return;
    this.queue.push(frame);
    if (!this.processing) void this.drainQueue();
  }

  private async drainQueue(): Promise<void> {
    this.processing = true;
    try {
      while (!this.closed && this.queue.length > 0) {
        const frame = this.queue.shift()!;
        const transient = await this.handleFrame(frame.bytes);
        if (transient && frame.pooled !== null) this.opts.buffers.give(frame.pooled);
        if (this.socket.writableNeedDrain) await this.waitForDrain();
      }
    } finally {
      this.processing = false;
    }
  }

  private waitForDrain(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /**
   * Decodes, handles and answers one request. Resolves true when nothing holds views of
   * `frame` any more (its handler declares its request bytes transient and has returned).
   */
  private async handleFrame(frame: Buffer): Promise<boolean> {
    const reader = new Reader(frame);
    let prefix: Omit<RequestHeader, 'clientId'>;
    try {
      prefix = readHeaderPrefix(reader);
    } catch {
      this.close('request header is truncated');
      return false;
    }
    const handler = this.opts.handlers.get(prefix.apiKey);
    if (!handler) {
      this.close(`unsupported API key ${prefix.apiKey}`);
      return false;
    }
    const { api } = handler;
    if (prefix.apiVersion < api.minVersion || prefix.apiVersion > api.maxVersion) {
      if (prefix.apiKey === API_VERSIONS_KEY && prefix.apiVersion > api.maxVersion) {
        this.sendUnsupportedApiVersions(prefix.correlationId, api.maxVersion);
      } else {
        this.close(`unsupported version ${prefix.apiVersion} of ${api.name} (serving ${api.minVersion}-${api.maxVersion})`);
      }
      return false;
    }
    const flexible = prefix.apiVersion >= api.flexibleSince;
    let header: RequestHeader;
    let request: unknown;
    try {
      header = { ...prefix, clientId: readHeaderRest(reader, flexible) };
      request = api.request.decode(reader, prefix.apiVersion);
    } catch (err) {
      if (err instanceof ProtocolError || err instanceof RangeError) {
        this.close(`malformed ${api.name} v${prefix.apiVersion} request: ${err.message}`);
        return false;
      }
      throw err;
    }
    const written: (() => void)[] = [];
    const ctx: RequestContext = {
      header,
      clientHost: this.clientHost,
      connectionId: this.opts.id,
      signal: this.abort.signal,
      afterResponseWritten: (fn) => { written.push(fn); },
    };
    let response: unknown;
    try {
      response = await handler.handle(request as never, ctx);
    } catch (err) {
      this.opts.log.error({ err, api: api.name, version: header.apiVersion }, 'request handler failed');
      this.close(`${api.name} handler failed`);
      return false;
    }
    const transient = handler.requestBytesTransient === true;
    if (response === NO_RESPONSE || this.closed) return transient;
    const w = new Writer(1024);
    try {
      writeResponseHeader(w, api.key, header.correlationId, flexible);
      api.response.encode(w, header.apiVersion, response as never);
    } catch (err) {
      this.opts.log.error({ err, api: api.name, version: header.apiVersion }, 'response could not be encoded');
      this.close(`${api.name} response could not be encoded`);
      return false;
    }
    this.send(w, written);
    return transient;
  }

  /** The v0-shaped reply to an ApiVersions request newer than we serve (broker notes §1.6). */
  private sendUnsupportedApiVersions(correlationId: number, maxVersion: number): void {
    const w = new Writer(32);
    writeResponseHeader(w, API_VERSIONS_KEY, correlationId, false);
    ApiVersions.response.encode(w, 0, {
      errorCode: UNSUPPORTED_VERSION,
      apiKeys: [{ apiKey: API_VERSIONS_KEY, minVersion: 0, maxVersion }],
    });
    this.send(w);
  }

  /**
   * Responses written in the same tick leave in one socket write (pipelined produce acks).
   * `written` runs once the socket has taken every byte (the write callback without error).
   */
  private send(w: Writer, written: readonly (() => void)[] = []): void {
    const size = Buffer.allocUnsafe(4);
    size.writeInt32BE(w.length, 0);
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(size);
    const chunks = w.toChunks();
    const last = chunks.length - 1;
    for (let i = 0; i < last; i++) this.socket.write(chunks[i]!);
    if (written.length === 0) {
      if (last >= 0) this.socket.write(chunks[last]!);
      return;
    }
    const onWritten = (err?: Error | null) => {
      if (err) return;
      for (const fn of written) fn();
    };
    if (last >= 0) this.socket.write(chunks[last]!, onWritten);
    else this.socket.write(Buffer.alloc(0), onWritten);
  }
}
