/**
 * createKafkaClient: the runtime's one way to get Kafka clients.
 *
 * Property layering (later wins), as Kafka Connect does it (kafka-connect.md §2.1, §3.4):
 * - internal producer:  {acks=all} < un-prefixed worker properties < {enable.idempotence=false}
 * - connector producer: {acks=all, max.in.flight.requests.per.connection=1,
 *                       enable.idempotence=false, delivery.timeout.ms=MAX} < producer.* < producer.override.*
 * - topic reader, internal admin: un-prefixed worker properties
 * - connector admin:    admin.* < admin.override.*
 * - sink consumer:      {group.id=<requested>, auto.offset.reset=earliest} < consumer.* < consumer.override.*
 * bootstrap.servers comes from the options unless a layer sets it; a request's clientId wins
 * over client.id. Connector clients do not inherit the un-prefixed security settings (Java
 * Connect does not either): set them with the producer./consumer./admin. prefixes.
 *
 * Implementations: producers and sink consumers are kafkajs (with snappy/lz4/zstd registered),
 * topic readers and admin clients are the wire client (./wire).
 */
import kafkajs from 'kafkajs';
import {
  parseCommonSettings, parseConsumerSettings, parseProducerSettings, type SettingsBase,
} from './client-settings.js';
import type {
  AdminRequest, KafkaClient, KafkaClientOptions, ProducerRequest, RecordProducer, SinkConsumer, SinkConsumerOptions,
  TopicAdmin, TopicReader, TopicReaderRequest,
} from './kafka-client.js';
import { registerKafkajsCodecs } from './kafkajs-codecs.js';
import { kafkaConfig } from './kafkajs-config.js';
import { KafkajsRecordProducer } from './kafkajs-producer.js';
import { KafkajsSinkConsumer } from './kafkajs-sink-consumer.js';
import { WireCluster } from './wire/wire-cluster.js';
import { WireTopicAdmin } from './wire/wire-topic-admin.js';
import { WireTopicReader } from './wire/wire-topic-reader.js';

const { Kafka } = kafkajs;

type Props = Readonly<Record<string, string>>;

const INTERNAL_PRODUCER_DEFAULTS: Props = { acks: 'all' };
const INTERNAL_PRODUCER_FORCED: Props = { 'enable.idempotence': 'false' };
const CONNECTOR_PRODUCER_DEFAULTS: Props = {
  acks: 'all',
  'max.in.flight.requests.per.connection': '1',
  'enable.idempotence': 'false',
  'delivery.timeout.ms': '2147483647',
};

export function createKafkaClient(options: KafkaClientOptions): KafkaClient {
  registerKafkajsCodecs();
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
    const props = request.role === 'internal'
      ? { ...INTERNAL_PRODUCER_DEFAULTS, ...this.#options.properties, ...INTERNAL_PRODUCER_FORCED }
      : { ...CONNECTOR_PRODUCER_DEFAULTS, ...this.#options.producer, ...request.overrides };
    const base = this.#base(request.clientId, 'producer');
    const settings = parseProducerSettings(props, base);
    const producer = new KafkajsRecordProducer(new Kafka(kafkaConfig(settings, base.logger)), settings, base.logger);
    return this.#track(producer, 'close');
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
    const props = { 'group.id': options.groupId, 'auto.offset.reset': 'earliest', ...this.#options.consumer, ...options.overrides };
    const base = this.#base(options.clientId, 'sink-consumer');
    const settings = parseConsumerSettings(props, base);
    const groupId = settings.groupId ?? options.groupId;
    const consumer = new KafkajsSinkConsumer(
      new Kafka(kafkaConfig(settings, base.logger)), settings, { ...options, groupId }, base.logger.child({ groupId }),
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
    const settings = parseCommonSettings(props, base);
    return new WireCluster({
      bootstrap: settings.bootstrap,
      connection: {
        clientId: settings.clientId,
        ...(settings.tls ? { tls: settings.tls } : {}),
        ...(settings.sasl ? { sasl: settings.sasl } : {}),
        connectTimeoutMs: settings.connectTimeoutMs,
        requestTimeoutMs: settings.requestTimeoutMs,
      },
      logger: base.logger,
      retry: settings.retry,
    });
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
