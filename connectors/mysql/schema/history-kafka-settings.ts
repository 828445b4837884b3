/**
 * The Kafka client properties of the schema history's one cluster client (admin, producer and
 * recovery reader), from `schema.history.internal.kafka.bootstrap.servers` and the
 * `schema.history.internal.producer.*` / `consumer.*` properties, which the runtime's client
 * reads as Java clients do (security.protocol, sasl.*, ssl.*, timeouts, compression.type,
 * fetch sizes, ...).
 *
 * Where the producer and consumer properties both set a key, the producer's wins, so settings
 * both clients share (security, client.id) are one client's. Ferry's defaults for the history:
 * one request in flight, no idempotence, no linger (every record is sent and awaited on its
 * own), recovery fetches waiting at most 100 ms, sasl.mechanism PLAIN under SASL_*; acks=all and
 * the bootstrap servers are always the history's own, whatever the prefixed properties say.
 */
import type { ClientProperties } from '../../sdk/kafka-clusters.js';

const HISTORY_DEFAULTS: Readonly<Record<string, string>> = {
  'max.in.flight.requests.per.connection': '1',
  'enable.idempotence': 'false',
  'linger.ms': '0',
  'fetch.max.wait.ms': '100',
};

export function historyClientProperties(
  bootstrapServers: string,
  producerProps: Readonly<Record<string, string>>,
  consumerProps: Readonly<Record<string, string>>,
): ClientProperties {
  const props: Record<string, string> = { ...HISTORY_DEFAULTS, ...consumerProps, ...producerProps };
  if ((props['security.protocol'] ?? '').toUpperCase().startsWith('SASL') && !props['sasl.mechanism']) props['sasl.mechanism'] = 'PLAIN';
  props['bootstrap.servers'] = bootstrapServers;
  props.acks = 'all';
  return props;
}

/** The `<prefix>*` properties of `props`, with the prefix removed. */
export function withPrefix(props: Record<string, unknown>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(props)) {
    if (key.startsWith(prefix) && value !== undefined && value !== null) out[key.slice(prefix.length)] = String(value);
  }
  return out;
}
