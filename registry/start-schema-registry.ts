/**
 * Starts a Confluent-compatible Schema Registry against any Kafka cluster: its state in the
 * compacted `_schemas` topic (created if missing), its REST API on `port`, and its place in the
 * `schema-registry` group, where one instance is elected to write and the others forward
 * writes to it. Resolves once the topic is replayed, the API listens and (up to
 * `electionTimeoutMs`) a leader is known.
 *
 * `close()` leaves the group first (another instance takes over at once), then stops the API
 * and the Kafka clients.
 */
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { parseCommonSettings } from '../runtime/kafka/client-settings.js';
import { createKafkaClient } from '../runtime/kafka/create-kafka-client.js';
import { WireCluster } from '../runtime/kafka/wire/wire-cluster.js';
import { DEFAULT_REGISTRY_GROUP, RegistryElection } from './leader/registry-election.js';
import { buildRegistryServer } from './rest/registry-server.js';
import { SchemasStore } from './store/schemas-store.js';
import type { CompatibilityLevel, SchemaProvider } from './service/schema-provider.js';
import { defaultSchemaProvider } from './service/default-schema-provider.js';
import { SchemaRegistryService } from './service/schema-registry-service.js';

export const DEFAULT_REGISTRY_PORT = 8081;

/** The registry's port is taken by another process. */
export class RegistryPortInUseError extends Error {
  constructor(readonly host: string, readonly port: number) {
    super(`port ${port} on ${host} is already in use, so the schema registry cannot listen there`);
    this.name = 'RegistryPortInUseError';
  }
}

export interface SchemaRegistryOptions {
  /** Kafka's bootstrap.servers: `host:port[,host:port]` or a list. */
  readonly bootstrapServers: string | readonly string[];
  /** 8081 when absent; 0 picks a free port. */
  readonly port?: number;
  /** Interface to listen on; 0.0.0.0 when absent. */
  readonly host?: string;
  /** Host the other instances reach this one at (its leader URL); `host`, or 127.0.0.1 for 0.0.0.0. */
  readonly advertisedHost?: string;
  /** kafkastore.topic, `_schemas` by default. */
  readonly topic?: string;
  /** schema.registry.group.id, `schema-registry` by default. */
  readonly groupId?: string;
  /** leader.eligibility: whether this instance may be elected to write (true by default). */
  readonly leaderEligibility?: boolean;
  /** schema.compatibility.level when no config is stored (BACKWARD by default). */
  readonly compatibilityLevel?: CompatibilityLevel;
  /** Replication factor of a newly created `_schemas` topic (the broker's default when absent). */
  readonly topicReplicationFactor?: number;
  /** Kafka client properties (security.protocol, sasl.*, ssl.*, ...). */
  readonly kafkaProperties?: Readonly<Record<string, string>>;
  /** kafkastore.timeout.ms: how long a write may take to be acknowledged and read back before 50002 (10 s by default). */
  readonly storeTimeoutMs?: number;
  /** How long start waits for the first leader election (30 s by default). */
  readonly electionTimeoutMs?: number;
  readonly logger?: Logger;
  /** The schema formats (tests); the registry's own parsers and checkers by default. */
  readonly schemaProvider?: SchemaProvider;
}

export interface RunningSchemaRegistry {
  /** `http://host:port`, as clients reach it. */
  readonly url: string;
  readonly port: number;
  /** Whether this instance writes `_schemas` now. */
  isLeader(): boolean;
  close(): Promise<void>;
}

export async function startSchemaRegistry(options: SchemaRegistryOptions): Promise<RunningSchemaRegistry> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const clientId = 'schema-registry';
  const kafka = createKafkaClient({
    bootstrapServers: options.bootstrapServers, clientId, properties: options.kafkaProperties ?? {}, logger: logger.child({ component: 'kafka' }),
  });
  const closers: (() => Promise<unknown>)[] = [() => kafka.close()];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch((err: unknown) => logger.warn({ err }, 'closing the schema registry failed'));
  };
  try {
    const store = new SchemasStore({
      client: kafka, topic: options.topic, clientId: `${clientId}-store`, logger, replicationFactor: options.topicReplicationFactor,
      timeoutMs: options.storeTimeoutMs,
    });
    closers.push(() => store.stop());
    await store.start();
    const role: { election: RegistryElection | null } = { election: null };
    const service = new SchemaRegistryService({
      store, provider: options.schemaProvider ?? defaultSchemaProvider, defaultCompatibility: options.compatibilityLevel,
      mayWrite: () => role.election?.isLeader() ?? false,
    });
    const groupId = options.groupId ?? DEFAULT_REGISTRY_GROUP;
    const admin = kafka.admin({ clientId: `${clientId}-admin`, role: 'internal' });
    const app = buildRegistryServer({
      service,
      forwarding: {
        role: { isLeader: () => role.election?.isLeader() ?? false, leaderUrl: () => role.election?.leaderUrl() ?? null },
        catchUp: () => store.catchUp(),
      },
      metadata: async () => ({ kafkaClusterId: await admin.clusterId(), groupId }),
    });
    closers.push(() => app.close());
    const host = options.host ?? '0.0.0.0';
    const requestedPort = options.port ?? DEFAULT_REGISTRY_PORT;
    try {
      await app.listen({ host, port: requestedPort });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new RegistryPortInUseError(host, requestedPort);
      throw err;
    }
    const port = (app.server.address() as AddressInfo).port;
    const advertisedHost = options.advertisedHost ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
    const url = `http://${advertisedHost}:${port}`;

    const groupLogger = logger.child({ component: 'schema-registry-group' });
    const cluster = WireCluster.fromSettings(parseCommonSettings(options.kafkaProperties ?? {}, {
      bootstrap: options.bootstrapServers, clientId: `${clientId}-group`, logger: groupLogger.child({}, { level: 'silent' }),
    }), groupLogger);
    closers.push(() => cluster.close());
    const election = new RegistryElection({ cluster, groupId, url, leaderEligibility: options.leaderEligibility ?? true, logger: groupLogger });
    role.election = election;
    closers.push(() => election.stop());
    election.start();
    if (!await election.firstElection(options.electionTimeoutMs ?? 30_000)) {
      logger.warn({ groupId }, 'no schema registry leader elected yet; writes answer 50004 until one is');
    }
    logger.info({ url, topic: store.topic, groupId }, 'schema registry listening');
    return { url, port, isLeader: () => election.isLeader(), close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
