/**
 * createKafkaClient: the runtime's one way to get Kafka clients.
 *
 * Property layering (later wins), as Kafka Connect does it (kafka-connect.md §2.1, §3.4):
 * - internal producer:  {acks=all} < un-prefixed worker properties < {enable.idempotence=false}
 * - connector producer: {acks=all, max.in.flight.requests.per.connection=1, linger.ms=0,
 *                       enable.idempotence=false, delivery.timeout.ms=MAX} < producer.* < producer.override.*
 * - transactional producer: the internal or connector producer's layers < {enable.idempotence=true,
 *                       transactional.id=<requested>}; a different value the user gave for either is
 *                       logged with Kafka Connect's warning (forcedSettingWarning)
 * - topic reader, internal admin: un-prefixed worker properties
 * - connector admin:    admin.* < admin.override.*
 * - sink consumer:      {group.id=<requested>, auto.offset.reset=earliest, session.timeout.ms=6000,
 *                       heartbeat.interval.ms=1000} < consumer.* < consumer.override.*
 *   (a 6 s session, the lowest Apache Kafka accepts by default, so a dead worker's sink
 *   partitions move within seconds instead of the Java consumer's 45 s)
 * bootstrap.servers comes from the options unless a layer sets it; a request's clientId wins
 * over client.id. Connector clients do not inherit the un-prefixed security settings (Java
 * Connect does not either): set them with the producer./consumer./admin. prefixes.
 *
 * Implementations: all wire clients (./wire). Sink consumers are consumer-group members
 * (wire-sink-consumer.ts: range assignor, eager rebalancing, fetching ahead with a
 * WirePartitionReader); producers read batch.size here (ferry's default 1 MiB, see
 * wire-record-producer.ts), the rest from ProducerSettings.
 */
import {
  parseBatchSize, parseCommonSettings, parseConsumerSettings, parseProducerSettings, type ProducerSettings, type SettingsBase,
} from './client-settings.js';
import type {
  AdminRequest, KafkaClient, KafkaClientOptions, ProducerRequest, RecordProducer, SinkConsumer, SinkConsumerOptions,
  TopicAdmin, TopicReader, TopicReaderRequest, TransactionalProducer, TransactionalProducerRequest,
} from './kafka-client.js';
import { WireCluster } from './wire/wire-cluster.js';
import { WireRecordProducer } from './wire/wire-record-producer.js';
import { WireSinkConsumer } from './wire/wire-sink-consumer.js';
import { WireTopicAdmin } from './wire/wire-topic-admin.js';
import { WireTopicReader } from './wire/wire-topic-reader.js';
import { WireTransactionalProducer } from './wire/wire-transactional-producer.js';

type Props = Readonly<Record<string, string>>;

const INTERNAL_PRODUCER_DEFAULTS: Props = { acks: 'all' };
const INTERNAL_PRODUCER_FORCED: Props = { 'enable.idempotence': 'false' };
/** Over every layer of a transactional producer, with transactional.id (kafka-connect.md §7.3). */
const TRANSACTIONAL_PRODUCER_FORCED: Props = { 'enable.idempotence': 'true' };
export const CONNECTOR_PRODUCER_DEFAULTS: Props = {
  acks: 'all',
  'max.in.flight.requests.per.connection': '1',
  'linger.ms': '0',
  'enable.idempotence': 'false',
  'delivery.timeout.ms': '2147483647',
};

/** Sink consumer defaults ferry chooses over the Java consumer's (see the header). */
const SINK_CONSUMER_DEFAULTS = {
  'auto.offset.reset': 'earliest',
  'session.timeout.ms': '6000',
  'heartbeat.interval.ms': '1000',
};

/**
 * Kafka Connect's warning for a producer setting the user gave that exactly-once source support
 * overrides (enable.idempotence, transactional.id; exactly-once.md §7.3).
 */
export function forcedSettingWarning(key: string, given: string, forced: string): string {
  return `The value '${given}' for the '${key}' property will be ignored as it cannot be overridden for connectors `
    + `when exactly-once source support is enabled. The value '${forced}' will be used instead.`;
}

export function createKafkaClient(options: KafkaClientOptions): KafkaClient {
  return new DefaultKafkaClient(options);
}

class DefaultKafkaClient implements KafkaClient {
  readonly #options: KafkaClientOptions;
  readonly #open = new Set<{ close(): Promise<void> }>();
  #closed = false;

  constructor(options: KafkaClientOptions) {
    this.#options = options;
  }

  producer(request: ProducerRequest): RecordProducer {
    const { 'transactional.id': _ignored, ...props } = this.#producerProps(request);
    const { base, settings, batchSizeBytes } = this.#producerSettings(request, props);
    const producer = new WireRecordProducer(WireCluster.fromSettings(settings, base.logger), settings, base.logger, {
      batchSizeBytes,
      ownsCluster: true,
    });
    return this.#track(producer, 'close');
  }

  transactionalProducer(request: TransactionalProducerRequest): TransactionalProducer {
    const forced: Props = { ...TRANSACTIONAL_PRODUCER_FORCED, 'transactional.id': request.transactionalId };
    const props = { ...this.#producerProps(request), ...forced };
    const { base, settings, batchSizeBytes } = this.#producerSettings(request, props);
    const userLayers = request.role === 'internal' ? this.#options.properties ?? {} : { ...this.#options.producer, ...request.overrides };
    for (const [key, value] of Object.entries(forced)) {
      const given = userLayers[key];
      const same = key === 'transactional.id' ? given === value : given?.trim().toLowerCase() === value;
      if (given !== undefined && !same) base.logger.warn({ property: key }, forcedSettingWarning(key, given, value));
    }
    const producer = new WireTransactionalProducer(WireCluster.fromSettings(settings, base.logger), settings, base.logger, {
      batchSizeBytes,
      ownsCluster: true,
      transactionalId: request.transactionalId,
      transactionTimeoutMs: settings.transactionTimeoutMs,
    });
    return this.#track(producer, 'close');
  }

  #producerProps(request: ProducerRequest): Props {
    return request.role === 'internal'
      ? { ...INTERNAL_PRODUCER_DEFAULTS, ...this.#options.properties, ...INTERNAL_PRODUCER_FORCED }
      : { ...CONNECTOR_PRODUCER_DEFAULTS, ...this.#options.producer, ...request.overrides };
  }

  #producerSettings(request: ProducerRequest, props: Props): { base: SettingsBase; settings: ProducerSettings; batchSizeBytes: number } {
    const base = this.#base(request.clientId, 'producer');
    const { 'batch.size': batchSize, 'transactional.id': _id, ...rest } = props;
    return { base, settings: parseProducerSettings(rest, base), batchSizeBytes: parseBatchSize(batchSize) };
  }

  topicReader(request: TopicReaderRequest): TopicReader {
    const props = this.#options.properties ?? {};
    const base = this.#base(request.clientId, 'topic-reader');
    const consumer = parseConsumerSettings(props, { ...base, logger: base.logger.child({}, { level: 'silent' }) });
    const cluster = this.#cluster(props, base);
    const reader = new WireTopicReader(cluster, request.topic, {
      maxWaitMs: consumer.fetchMaxWaitMs,
      partitionMaxBytes: consumer.maxPartitionFetchBytes,
      maxBytes: consumer.fetchMaxBytes,
      requestTimeoutMs: consumer.requestTimeoutMs,
      ownsCluster: true,
      readCommitted: request.readCommitted ?? false,
    });
    return this.#track(reader, 'stop');
  }

  admin(request: AdminRequest): TopicAdmin {
    const props = request.role === 'internal'
      ? { ...this.#options.properties }
      : { ...this.#options.admin, ...request.overrides };
    const admin = new WireTopicAdmin(this.#cluster(props, this.#base(request.clientId, 'admin')), { ownsCluster: true });
    return this.#track(admin, 'close');
  }

  sinkConsumer(options: SinkConsumerOptions): SinkConsumer {
    const props = { ...SINK_CONSUMER_DEFAULTS, 'group.id': options.groupId, ...this.#options.consumer, ...options.overrides };
    const base = this.#base(options.clientId, 'sink-consumer');
    const settings = parseConsumerSettings(props, base);
    const groupId = settings.groupId ?? options.groupId;
    const consumer = new WireSinkConsumer(
      WireCluster.fromSettings(settings, base.logger), settings, { ...options, groupId }, base.logger.child({ groupId }),
    );
    return this.#track(consumer, 'stop');
  }

  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#open];
    this.#open.clear();
    await Promise.allSettled(all.map((c) => c.close()));
  }

  #base(clientId: string, client: string): SettingsBase {
    if (this.#closed) throw new Error('kafka client is closed');
    return {
      bootstrap: this.#options.bootstrapServers,
      clientId: clientId || this.#options.clientId,
      logger: this.#options.logger.child({ kafkaClient: client, clientId: clientId || this.#options.clientId }),
    };
  }

  #cluster(props: Props, base: SettingsBase): WireCluster {
    return WireCluster.fromSettings(parseCommonSettings(props, base), base.logger);
  }

  /** Remembers `client` until its close/stop method runs, so close() reaches everything still open. */
  #track<T extends Record<M, () => Promise<void>>, M extends 'close' | 'stop'>(client: T, method: M): T {
    const original = client[method].bind(client);
    const entry = { close: original };
    this.#open.add(entry);
    client[method] = (async () => {
      this.#open.delete(entry);
      await original();
    }) as T[M];
    return client;
  }
}

