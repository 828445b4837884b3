/**
 * The built-in predicates by every name they answer to: the Kafka class name
 * (`org.apache.kafka.connect.transforms.predicates.TopicNameMatches`) and the short name
 * (`TopicNameMatches`).
 */
import type { PredicatePlugin } from '../../../connectors/sdk/transform.js';
import { hasHeaderKeyPlugin } from './has-header-key.js';
import { recordIsTombstonePlugin } from './record-is-tombstone.js';
import { topicNameMatchesPlugin } from './topic-name-matches.js';

/** Each built-in predicate once, in documentation order. */
export const BUILTIN_PREDICATE_PLUGINS: readonly PredicatePlugin[] = [topicNameMatchesPlugin, hasHeaderKeyPlugin, recordIsTombstonePlugin];

export const builtinPredicates: ReadonlyMap<string, PredicatePlugin> = new Map(
  BUILTIN_PREDICATE_PLUGINS.flatMap((p) => [p.className, ...p.aliases].map((name) => [name, p] as const)),
);
