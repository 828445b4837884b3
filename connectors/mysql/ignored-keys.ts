/**
 * Debezium has many keys ferry does not act on (JDBC driver tuning, Java class plug-ins, metrics
 * tags, ...). Existing connector JSON must still load, so such keys are accepted and reported
 * once, at start, as ignored; Kafka Connect's own keys are never reported.
 */
import type { RawConfig } from '../sdk/connector.js';

const FRAMEWORK_KEYS = new Set(['name', 'connector.class', 'tasks.max', 'task.class', 'config.action.reload', 'exactly.once.support', 'transaction.boundary']);
const FRAMEWORK_PREFIXES = [
  'key.converter', 'value.converter', 'header.converter', 'transforms', 'predicates', 'errors.', 'topic.creation.',
  'producer.override.', 'consumer.override.', 'admin.override.', 'transaction.boundary.', 'offsets.storage.',
  // pass-through client settings of the schema history topic (kept for the history's Kafka clients)
  'schema.history.internal.producer.', 'schema.history.internal.consumer.',
];

/** Keys of `config` that neither the connector's spec nor Kafka Connect declares. */
export function ignoredKeys(config: RawConfig, declared: ReadonlySet<string>): string[] {
  return Object.keys(config)
    .filter((key) => !declared.has(key) && !FRAMEWORK_KEYS.has(key) && !FRAMEWORK_PREFIXES.some((p) => key.startsWith(p)))
    .sort();
}
