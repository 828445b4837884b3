/**
 * Maps Kafka client properties given as `schema.history.internal.producer.*` and
 * `schema.history.internal.consumer.*` onto kafkajs options, where kafkajs has an equivalent:
 * client.id, request.timeout.ms, connections/session timeouts, security.protocol (SSL,
 * SASL_PLAINTEXT, SASL_SSL), sasl.mechanism with sasl.jaas.config (PLAIN and SCRAM username and
 * password), group.id, max.in.flight.requests.per.connection, enable.idempotence.
 * Properties without a kafkajs equivalent are reported so the caller can warn about them.
 */
import type { ConsumerConfig, KafkaConfig, ProducerConfig, SASLOptions } from 'kafkajs';

export interface KafkajsSettings {
  client: Partial<KafkaConfig>;
  producer: Partial<ProducerConfig>;
  consumer: Partial<ConsumerConfig>;
  /** Property names given but not mapped. */
  unsupported: string[];
}

const CLIENT_KEYS = new Set(['client.id', 'request.timeout.ms', 'connections.max.idle.ms', 'security.protocol', 'sasl.mechanism', 'sasl.jaas.config', 'socket.connection.setup.timeout.ms', 'bootstrap.servers', 'ssl.endpoint.identification.algorithm']);

function jaasCredentials(jaas: string): { username: string; password: string } | null {
  const user = /username\s*=\s*"([^"]*)"/.exec(jaas);
  const pass = /password\s*=\s*"([^"]*)"/.exec(jaas);
  return user && pass ? { username: user[1]!, password: pass[1]! } : null;
}

function clientSettings(props: Record<string, string>, unsupported: string[]): Partial<KafkaConfig> {
  const client: Partial<KafkaConfig> = {};
  if (props['client.id']) client.clientId = props['client.id'];
  if (props['request.timeout.ms']) client.requestTimeout = Number(props['request.timeout.ms']);
  if (props['socket.connection.setup.timeout.ms']) client.connectionTimeout = Number(props['socket.connection.setup.timeout.ms']);
  const protocol = (props['security.protocol'] ?? 'PLAINTEXT').toUpperCase();
  if (protocol === 'SSL' || protocol === 'SASL_SSL') client.ssl = true;
  if (protocol.startsWith('SASL')) {
    const mechanism = (props['sasl.mechanism'] ?? 'PLAIN').toLowerCase();
    const creds = jaasCredentials(props['sasl.jaas.config'] ?? '');
    if (creds && (mechanism === 'plain' || mechanism === 'scram-sha-256' || mechanism === 'scram-sha-512')) {
      client.sasl = { mechanism, ...creds } as SASLOptions;
    } else {
      unsupported.push('sasl.mechanism');
    }
  }
  return client;
}

export function kafkajsSettings(producerProps: Record<string, string>, consumerProps: Record<string, string>): KafkajsSettings {
  const unsupported: string[] = [];
  const client = { ...clientSettings(consumerProps, []), ...clientSettings(producerProps, unsupported) };
  const producer: Partial<ProducerConfig> = { idempotent: false, maxInFlightRequests: 1 };
  if (producerProps['enable.idempotence']) producer.idempotent = producerProps['enable.idempotence'] === 'true';
  if (producerProps['max.in.flight.requests.per.connection']) producer.maxInFlightRequests = Number(producerProps['max.in.flight.requests.per.connection']);
  if (producerProps['transaction.timeout.ms']) producer.transactionTimeout = Number(producerProps['transaction.timeout.ms']);
  const consumer: Partial<ConsumerConfig> = {};
  if (consumerProps['group.id']) consumer.groupId = consumerProps['group.id'];
  if (consumerProps['session.timeout.ms']) consumer.sessionTimeout = Number(consumerProps['session.timeout.ms']);
  if (consumerProps['heartbeat.interval.ms']) consumer.heartbeatInterval = Number(consumerProps['heartbeat.interval.ms']);
  if (consumerProps['max.partition.fetch.bytes']) consumer.maxBytesPerPartition = Number(consumerProps['max.partition.fetch.bytes']);
  const producerKnown = new Set([...CLIENT_KEYS, 'enable.idempotence', 'max.in.flight.requests.per.connection', 'transaction.timeout.ms', 'acks']);
  const consumerKnown = new Set([...CLIENT_KEYS, 'group.id', 'session.timeout.ms', 'heartbeat.interval.ms', 'max.partition.fetch.bytes', 'auto.offset.reset', 'enable.auto.commit']);
  for (const key of Object.keys(producerProps)) if (!producerKnown.has(key)) unsupported.push(`producer.${key}`);
  for (const key of Object.keys(consumerProps)) if (!consumerKnown.has(key)) unsupported.push(`consumer.${key}`);
  return { client, producer, consumer, unsupported };
}

/** The `<prefix>*` properties of `props`, with the prefix removed. */
export function withPrefix(props: Record<string, unknown>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(props)) {
    if (key.startsWith(prefix) && value !== undefined && value !== null) out[key.slice(prefix.length)] = String(value);
  }
  return out;
}
