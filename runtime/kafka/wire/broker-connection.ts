/**
 * One TCP (or TLS, or in-process: in-process-brokers.ts) connection to one broker, speaking the
 * Kafka protocol with the broker's own codecs (broker/protocol).
 *
 * Invariants:
 * - Opening a connection runs the handshake before anything else is sent: ApiVersions
 *   (starting at the highest version the codec knows, falling back to what the broker
 *   advertises for key 18 on UNSUPPORTED_VERSION), then SASL (SaslHandshake v1 +
 *   SaslAuthenticate) when credentials are configured. Each later request uses the highest
 *   version inside both the broker's range and the codec's (version-negotiation.ts).
 * - Requests are written in call order, each with the next correlation id; Kafka answers in
 *   the order it received them, so a response must match the oldest request in flight.
 *   Anything else (or an undecodable frame header) means the stream is out of step: the
 *   connection is closed and every pending request fails with WireConnectionError.
 * - A request that outlives its timeout closes the connection (its answer could still come
 *   and would be mistaken for the next one's). Long polls pass a timeout above their wait.
 * - Every request must have a response (Produce with acks=0 is not supported here).
 * - The connection never reconnects; WireCluster replaces closed connections.
 *
 * Nothing here is specific to one API family, so group membership (JoinGroup, SyncGroup,
 * Heartbeat with protocol type "connect") can run over the same class later, on its own
 * connection so a parked JoinGroup does not delay other requests.
 */
import net from 'node:net';
import tls from 'node:tls';
import { ApiVersions } from '../../../broker/protocol/apis/api-versions.js';
import { SaslAuthenticate } from '../../../broker/protocol/apis/sasl-authenticate.js';
import { SaslHandshake } from '../../../broker/protocol/apis/sasl-handshake.js';
import type { ConnectionStream } from '../../../broker/protocol/connection-stream.js';
import { FrameAssembler, onreadInto } from '../../../broker/protocol/frame-assembler.js';
import { Reader } from '../../../broker/protocol/reader.js';
import { readResponseHeader, writeRequestHeader } from '../../../broker/protocol/request-header.js';
import type { ApiDefinition, Encodable, Fields, Struct } from '../../../broker/protocol/schema.js';
import { Writer } from '../../../broker/protocol/writer.js';
import { KafkaError, WireConnectionError } from './kafka-error.js';
import { inProcessBroker } from './in-process-brokers.js';
import { ScramClient } from './scram-client.js';
import { negotiateVersion, type BrokerApiVersions, type VersionRange } from './version-negotiation.js';

export type SaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

export interface SaslCredentials {
  readonly mechanism: SaslMechanism;
  readonly username: string;
  readonly password: string;
}

export interface ConnectionSettings {
  readonly clientId: string;
  /** Present: connect with TLS using these options. */
  readonly tls?: tls.ConnectionOptions;
  readonly sasl?: SaslCredentials;
  /** socket.connection.setup.timeout.ms */
  readonly connectTimeoutMs?: number;
  /** request.timeout.ms */
  readonly requestTimeoutMs?: number;
}

export interface BrokerAddress {
  readonly host: string;
  readonly port: number;
}

export interface SendOptions {
  /** Overrides the negotiated version. */
  readonly version?: number;
  /** Overrides request.timeout.ms for this request (long polls). */
  readonly timeoutMs?: number;
}

type AnyApi = ApiDefinition<Fields, Fields>;

interface InFlight {
  readonly correlationId: number;
  readonly api: AnyApi;
  readonly version: number;
  readonly resolve: (body: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

const SOFTWARE_NAME = 'ferry';
const SOFTWARE_VERSION = '0.1.0';
const UNSUPPORTED_VERSION = 35;
const MAX_FRAME = 1024 * 1024 * 1024;
/** A response frame holds at least its correlation id. */
const MIN_RESPONSE_BYTES = 4;

export class BrokerConnection {
  #socket!: ConnectionStream;
  readonly #settings: ConnectionSettings;
  readonly #frames: FrameAssembler;
  readonly #inFlight: InFlight[] = [];
  readonly #closeListeners = new Set<(error: Error) => void>();
  #versions: BrokerApiVersions = new Map();
  #nextCorrelationId = 0;
  #closedWith: Error | undefined;

  private constructor(readonly address: BrokerAddress, settings: ConnectionSettings) {
    this.#settings = settings;
    this.#frames = new FrameAssembler({
      minFrameBytes: MIN_RESPONSE_BYTES,
      maxFrameBytes: MAX_FRAME,
      onFrame: (frame) => this.#onFrame(frame.bytes),
      onInvalidSize: (size) => this.#fail(new WireConnectionError(`response frame of ${size} bytes from ${this.#where()}`)),
    });
  }

  #attach(socket: ConnectionStream): void {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('error', (err) => this.#fail(new WireConnectionError(`connection to ${this.#where()} failed: ${err.message}`)));
    socket.on('close', () => this.#fail(new WireConnectionError(`connection to ${this.#where()} closed`)));
    // It may have failed between connecting and these listeners (its 'close' is then missed).
    if (socket.destroyed) this.#fail(new WireConnectionError(`connection to ${this.#where()} closed`));
  }

  /** Connects, negotiates API versions and authenticates. */
  static async open(address: BrokerAddress, settings: ConnectionSettings): Promise<BrokerConnection> {
    const connection = new BrokerConnection(address, settings);
    connection.#attach(await connectSocket(address, settings, connection.#frames));
    try {
      await connection.#negotiateVersions();
      if (settings.sasl) await connection.#authenticate(settings.sasl);
    } catch (err) {
      connection.close();
      throw err;
    }
    return connection;
  }

  get closed(): boolean {
    return this.#closedWith !== undefined;
  }

  /** The broker's advertised range for an API key, if it serves the API. */
  brokerRange(apiKey: number): VersionRange | undefined {
    return this.#versions.get(apiKey);
  }

  versionFor(api: AnyApi): number {
    return negotiateVersion(api, this.#versions);
  }

  supports(api: AnyApi): boolean {
    try {
      this.versionFor(api);
      return true;
    } catch {
      return false;
    }
  }

  /** Calls `listener` once, when the connection closes for any reason. */
  onClose(listener: (error: Error) => void): () => void {
    if (this.#closedWith) {
      listener(this.#closedWith);
      return () => {};
    }
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  send<Req extends Fields, Res extends Fields>(
    api: ApiDefinition<Req, Res>,
    body: Encodable<Struct<Req>>,
    options: SendOptions = {},
  ): Promise<Struct<Res>> {
    if (this.#closedWith) return Promise.reject(this.#closedWith);
    let version: number;
    try {
      version = options.version ?? this.versionFor(api as unknown as AnyApi);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    const correlationId = this.#nextCorrelationId;
    this.#nextCorrelationId = (this.#nextCorrelationId + 1) & 0x7fffffff;
    const flexible = api.request.isFlexible(version);
    const w = new Writer(256);
    writeRequestHeader(w, { apiKey: api.key, apiVersion: version, correlationId, clientId: this.#settings.clientId }, flexible);
    try {
      api.request.encode(w, version, body);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    const chunks = w.toChunks();
    const size = Buffer.allocUnsafe(4);
    size.writeInt32BE(w.length, 0);
    const timeoutMs = options.timeoutMs ?? this.#settings.requestTimeoutMs ?? 30_000;
    return new Promise<Struct<Res>>((resolve, reject) => {
      const timer = setTimeout(
        () => this.#fail(new WireConnectionError(`${api.name} v${version} to ${this.#where()} timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.#inFlight.push({
        correlationId, api: api as unknown as AnyApi, version, timer, reject,
        resolve: resolve as (body: unknown) => void,
      });
      this.#socket.cork();
      this.#socket.write(size);
      for (const chunk of chunks) this.#socket.write(chunk);
      this.#socket.uncork();
    });
  }

  close(): void {
    this.#fail(new WireConnectionError(`connection to ${this.#where()} was closed by the client`));
  }

  #where(): string {
    return `${this.address.host}:${this.address.port}`;
  }

  async #negotiateVersions(): Promise<void> {
    let version = ApiVersions.maxVersion;
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await this.send(ApiVersions, { clientSoftwareName: SOFTWARE_NAME, clientSoftwareVersion: SOFTWARE_VERSION }, { version });
      if (response.errorCode === UNSUPPORTED_VERSION) {
        const own = response.apiKeys.find((k) => k.apiKey === ApiVersions.key);
        version = own ? Math.min(own.maxVersion, version - 1) : 0;
        if (version < 0) break;
        continue;
      }
      if (response.errorCode !== 0) throw new KafkaError(response.errorCode, `ApiVersions to ${this.#where()}`);
      this.#versions = new Map(response.apiKeys.map((k) => [k.apiKey, { min: k.minVersion, max: k.maxVersion }]));
      return;
    }
    throw new KafkaError(UNSUPPORTED_VERSION, `ApiVersions to ${this.#where()}`);
  }

  async #authenticate(sasl: SaslCredentials): Promise<void> {
    const handshake = await this.send(SaslHandshake, { mechanism: sasl.mechanism }, { version: 1 });
    if (handshake.errorCode !== 0) {
      throw new KafkaError(handshake.errorCode, `SASL handshake with ${this.#where()}`, `broker offers ${handshake.mechanisms.join(', ')}`);
    }
    const exchange = async (bytes: Buffer): Promise<Buffer> => {
      const response = await this.send(SaslAuthenticate, { authBytes: bytes });
      if (response.errorCode !== 0) throw new KafkaError(response.errorCode, `SASL ${sasl.mechanism} with ${this.#where()}`, response.errorMessage);
      return Buffer.from(response.authBytes);
    };
    if (sasl.mechanism === 'PLAIN') {
      await exchange(Buffer.from(`\0${sasl.username}\0${sasl.password}`, 'utf8'));
      return;
    }
    const scram = new ScramClient(sasl.mechanism, sasl.username, sasl.password);
    const serverFirst = await exchange(Buffer.from(scram.clientFirst(), 'utf8'));
    const serverFinal = await exchange(Buffer.from(scram.clientFinal(serverFirst.toString('utf8')), 'utf8'));
    scram.verifyServerFinal(serverFinal.toString('utf8'));
  }

  #onFrame(frame: Buffer): void {
    if (this.#closedWith) return;
    const head = this.#inFlight[0];
    const correlationId = frame.readInt32BE(0);
    if (!head || head.correlationId !== correlationId) {
      this.#fail(new WireConnectionError(
        `response with correlation id ${correlationId} from ${this.#where()} while expecting ${head ? head.correlationId : 'none'}`,
      ));
      return;
    }
    this.#inFlight.shift();
    clearTimeout(head.timer);
    try {
      const r = new Reader(frame);
      readResponseHeader(r, head.api.key, head.api.response.isFlexible(head.version));
      head.resolve(this.#decodeBody(head, r));
    } catch (err) {
      head.reject(err as Error);
    }
  }

  #decodeBody(request: InFlight, r: Reader): unknown {
    if (request.api.key === ApiVersions.key && r.remaining >= 2 && r.buf.readInt16BE(r.offset) === UNSUPPORTED_VERSION) {
      // A broker that does not know the version answers in the v0 layout (broker notes §1.6).
      return request.api.response.decode(r, 0);
    }
    return request.api.response.decode(r, request.version);
  }

  #fail(error: Error): void {
    if (this.#closedWith) return;
    this.#closedWith = error;
    this.#socket.destroy();
    for (const request of this.#inFlight.splice(0)) {
      clearTimeout(request.timer);
      request.reject(error);
    }
    for (const listener of this.#closeListeners) listener(error);
    this.#closeListeners.clear();
  }
}

/**
 * A connected socket whose reads go to `frames`: straight into the buffers it chooses over
 * plain TCP (Node's `onread`), copied in from 'data' events over TLS, delivered by the broker's
 * end when the broker runs in this process.
 */
function connectSocket(address: BrokerAddress, settings: ConnectionSettings, frames: FrameAssembler): Promise<ConnectionStream> {
  const where = `${address.host}:${address.port}`;
  const local = settings.tls ? undefined : inProcessBroker(address.host, address.port);
  if (local !== undefined) {
    try {
      return Promise.resolve(local(frames));
    } catch (err) {
      return Promise.reject(new WireConnectionError(`cannot connect to ${where}: ${(err as Error).message}`));
    }
  }
  return new Promise((resolve, reject) => {
    const timeoutMs = settings.connectTimeoutMs ?? 10_000;
    let socket: net.Socket;
    if (settings.tls) {
      socket = tls.connect({ servername: net.isIP(address.host) ? undefined : address.host, ...settings.tls, host: address.host, port: address.port });
      socket.on('data', (chunk: Buffer) => frames.push(chunk));
    } else {
      socket = net.connect({ host: address.host, port: address.port, onread: onreadInto(frames) });
    }
    const ready = settings.tls ? 'secureConnect' : 'connect';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new WireConnectionError(`connecting to ${where} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    const onError = (err: Error) => {
      clearTimeout(timer);
      reject(new WireConnectionError(`cannot connect to ${where}: ${err.message}`));
    };
    // Stays attached (later calls do nothing): an error between connecting and the
    // BrokerConnection's own listener would otherwise be an uncaught 'error' event.
    socket.on('error', onError);
    socket.once(ready, () => {
      clearTimeout(timer);
      resolve(socket);
    });
  });
}
