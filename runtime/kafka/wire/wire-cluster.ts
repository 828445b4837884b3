/**
 * The wire client's view of a cluster: bootstrap, broker addresses, topic metadata (leader
 * per partition), group coordinators, and a pool of connections.
 *
 * Connections are pooled per (lane, broker address). A lane is a name chosen by the caller
 * so requests that park on the broker (a Fetch long poll, later a JoinGroup) get their own
 * connection and never delay requests on another lane: Kafka serves one request per
 * connection at a time. 'control' is the default lane for short requests.
 *
 * A connection that fails or closes leaves the pool and is reopened on next use. Metadata is
 * refreshed on demand (callers refresh after stale-metadata errors); this class never retries
 * by itself, callers wrap operations in withRetries().
 */
import type { Logger } from 'pino';
import type { CommonSettings } from '../client-settings.js';
import { FindCoordinator } from '../../../broker/protocol/apis/find-coordinator.js';
import { Metadata } from '../../../broker/protocol/apis/metadata.js';
import type { ApiDefinition, Encodable, Fields, Struct } from '../../../broker/protocol/schema.js';
import { BrokerConnection, type BrokerAddress, type ConnectionSettings, type SendOptions } from './broker-connection.js';
import { KafkaError, UnsupportedApiError, WireConnectionError } from './kafka-error.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js';

export interface WireClusterOptions {
  /** bootstrap.servers entries, `host:port` (IPv6 as `[addr]:port`). */
  readonly bootstrap: readonly string[];
  readonly connection: ConnectionSettings;
  readonly logger: Logger;
  readonly retry?: RetryPolicy;
}

export interface PartitionInfo {
  readonly partition: number;
  /** -1 while the partition has no leader. */
  readonly leader: number;
  readonly errorCode: number;
}

export interface TopicInfo {
  readonly name: string;
  readonly errorCode: number;
  readonly internal: boolean;
  /** Sorted by partition. */
  readonly partitions: readonly PartitionInfo[];
}

export const CONTROL_LANE = 'control';

const COORDINATOR_GROUP = 0;
const COORDINATOR_TRANSACTION = 1;

/** FindCoordinator key types: a consumer/connect group, or a producer's transactional id. */
export type CoordinatorKind = 'group' | 'transaction';

export class WireCluster {
  readonly retry: RetryPolicy;
  readonly logger: Logger;
  readonly #bootstrap: BrokerAddress[];
  readonly #settings: ConnectionSettings;
  readonly #brokers = new Map<number, BrokerAddress>();
  readonly #topics = new Map<string, TopicInfo>();
  readonly #coordinators = new Map<string, number>();
  readonly #transactionCoordinators = new Map<string, number>();
  readonly #connections = new Map<string, Promise<BrokerConnection>>();
  #clusterId: string | null = null;
  #controllerId = -1;
  #closed = false;

  constructor(options: WireClusterOptions) {
    if (options.bootstrap.length === 0) throw new Error('bootstrap.servers is empty');
    this.#bootstrap = options.bootstrap.map(parseAddress);
    this.#settings = options.connection;
    this.logger = options.logger;
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  /** A cluster client with the connection and retry settings of parsed client properties. */
  static fromSettings(settings: CommonSettings, logger: Logger): WireCluster {
    return new WireCluster({
      bootstrap: settings.bootstrap,
      connection: {
        clientId: settings.clientId,
        ...(settings.tls ? { tls: settings.tls } : {}),
        ...(settings.sasl ? { sasl: settings.sasl } : {}),
        connectTimeoutMs: settings.connectTimeoutMs,
        requestTimeoutMs: settings.requestTimeoutMs,
      },
      logger,
      retry: settings.retry,
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** From the last metadata response (Metadata v2+), null before the first one. */
  get clusterId(): string | null {
    return this.#clusterId;
  }

  /** request.timeout.ms of the connections. */
  get requestTimeoutMs(): number {
    return this.#settings.requestTimeoutMs ?? 30_000;
  }

  get controllerId(): number {
    return this.#controllerId;
  }

  /** Ids of the brokers the last metadata response listed. */
  brokerIds(): number[] {
    return [...this.#brokers.keys()].sort((a, b) => a - b);
  }

  /** The cached metadata of a topic, as of the last refresh that included it. */
  topic(name: string): TopicInfo | undefined {
    return this.#topics.get(name);
  }

  /**
   * Asks any broker for metadata of `topics` (null: every topic) and caches the answer.
   * Never creates topics.
   */
  async refreshMetadata(topics: readonly string[] | null): Promise<TopicInfo[]> {
    const response = await this.sendToAny(Metadata, {
      topics: topics === null ? null : topics.map((name) => ({ name })),
      allowAutoTopicCreation: false,
    });
    for (const b of response.brokers) this.#brokers.set(b.nodeId, { host: b.host, port: b.port });
    if (response.clusterId !== null) this.#clusterId = response.clusterId;
    this.#controllerId = response.controllerId;
    const infos: TopicInfo[] = [];
    for (const t of response.topics) {
      if (t.name === null) continue;
      const info: TopicInfo = {
        name: t.name,
        errorCode: t.errorCode,
        internal: t.isInternal,
        partitions: t.partitions
          .map((p) => ({ partition: p.partitionIndex, leader: p.leaderId, errorCode: p.errorCode }))
          .sort((a, b) => a.partition - b.partition),
      };
      if (t.errorCode === 0) this.#topics.set(t.name, info);
      else this.#topics.delete(t.name);
      infos.push(info);
    }
    return infos;
  }

  /** Metadata of one topic, refreshed; throws KafkaError when the broker reports an error. */
  async describeTopic(name: string): Promise<TopicInfo> {
    const [info] = await this.refreshMetadata([name]);
    if (!info) throw new KafkaError(3, `metadata for topic ${name}`);
    if (info.errorCode !== 0) throw new KafkaError(info.errorCode, `metadata for topic ${name}`);
    return info;
  }

  /** The coordinator of a consumer/connect group, or of a transactional id (cached until forgotten). */
  async coordinatorFor(key: string, kind: CoordinatorKind = 'group'): Promise<number> {
    const cache = kind === 'group' ? this.#coordinators : this.#transactionCoordinators;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const connection = await this.anyConnection();
    const version = connection.versionFor(FindCoordinator);
    const keyType = kind === 'group' ? COORDINATOR_GROUP : COORDINATOR_TRANSACTION;
    if (keyType !== COORDINATOR_GROUP && version < 1) throw new UnsupportedApiError('the broker cannot look up transaction coordinators (FindCoordinator v1+)');
    const response = await connection.send(FindCoordinator, { key, keyType, coordinatorKeys: [key] }, { version });
    const answer = version >= 4 ? response.coordinators[0] : response;
    if (!answer) throw new KafkaError(15, `FindCoordinator for ${kind} ${key}`);
    if (answer.errorCode !== 0) throw new KafkaError(answer.errorCode, `FindCoordinator for ${kind} ${key}`, answer.errorMessage);
    this.#brokers.set(answer.nodeId, { host: answer.host, port: answer.port });
    cache.set(key, answer.nodeId);
    return answer.nodeId;
  }

  forgetCoordinator(key: string, kind: CoordinatorKind = 'group'): void {
    (kind === 'group' ? this.#coordinators : this.#transactionCoordinators).delete(key);
  }

  /** A connection to a broker known from metadata. */
  nodeConnection(nodeId: number, lane = CONTROL_LANE): Promise<BrokerConnection> {
    const address = this.#brokers.get(nodeId);
    if (!address) return Promise.reject(new WireConnectionError(`broker ${nodeId} is not in the cluster metadata`));
    return this.#connection(address, lane);
  }

  /** A connection to any reachable broker: known brokers first, then the bootstrap list. */
  async anyConnection(lane = CONTROL_LANE): Promise<BrokerConnection> {
    for (const [key, pending] of this.#connections) {
      if (!key.startsWith(`${lane}|`)) continue;
      const connection = await pending.catch(() => undefined);
      if (connection && !connection.closed) return connection;
    }
    const candidates = [...this.#brokers.values(), ...this.#bootstrap];
    let lastError: unknown;
    for (const address of candidates) {
      try {
        return await this.#connection(address, lane);
      } catch (err) {
        lastError = err;
      }
    }
    throw lastError instanceof Error ? lastError : new WireConnectionError('no broker is reachable');
  }

  sendToNode<Req extends Fields, Res extends Fields>(
    nodeId: number, api: ApiDefinition<Req, Res>, body: Encodable<Struct<Req>>, options: SendOptions & { lane?: string } = {},
  ): Promise<Struct<Res>> {
    return this.nodeConnection(nodeId, options.lane).then((c) => c.send(api, body, options));
  }

  sendToAny<Req extends Fields, Res extends Fields>(
    api: ApiDefinition<Req, Res>, body: Encodable<Struct<Req>>, options: SendOptions & { lane?: string } = {},
  ): Promise<Struct<Res>> {
    return this.anyConnection(options.lane).then((c) => c.send(api, body, options));
  }

  /** Closes every connection of a lane (in-flight requests on it fail). */
  closeLane(lane: string): void {
    for (const [key, pending] of this.#connections) {
      if (!key.startsWith(`${lane}|`)) continue;
      this.#connections.delete(key);
      void pending.then((c) => c.close(), () => {});
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#connections.values()];
    this.#connections.clear();
    await Promise.all(all.map((p) => p.then((c) => c.close(), () => {})));
  }

  #connection(address: BrokerAddress, lane: string): Promise<BrokerConnection> {
    if (this.#closed) return Promise.reject(new WireConnectionError('the cluster client is closed'));
    const key = `${lane}|${address.host}:${address.port}`;
    const existing = this.#connections.get(key);
    if (existing) return existing;
    const opening = BrokerConnection.open(address, this.#settings);
    this.#connections.set(key, opening);
    opening.then(
      (connection) => {
        if (this.#closed) connection.close();
        connection.onClose(() => {
          if (this.#connections.get(key) === opening) this.#connections.delete(key);
        });
      },
      (err: unknown) => {
        if (this.#connections.get(key) === opening) this.#connections.delete(key);
        this.logger.debug({ err, broker: key }, 'kafka connection failed');
      },
    );
    return opening;
  }
}

export function parseAddress(entry: string): BrokerAddress {
  const text = entry.trim().replace(/^[a-zA-Z_]+:\/\//, '');
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  if (!match) throw new Error(`invalid broker address "${entry}": expected host:port`);
  return { host: match[1]!, port: Number(match[2]) };
}
