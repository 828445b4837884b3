/**
 * The framework keys every connector config carries (Kafka Connect's ConnectorConfig,
 * SinkConnectorConfig and SourceConnectorConfig), with Kafka's defaults, groups, orders and
 * display names, and the cross-field rules Kafka enforces. Docs are ferry's own words.
 *
 * `enrichConnectorSpec` adds the per-alias keys a given config asks for (`transforms.<alias>.*`,
 * `predicates.<alias>.*`, `topic.creation.<group>.*`), as Kafka's validate endpoint reports them.
 */
import type { ConfigSpec, ConfigFields, ParsedConfig } from '../../connectors/sdk/config/config-spec.js';
import { boolean, choice, classField, defineConfig, int, list, long, short, string } from '../../connectors/sdk/config/config-spec.js';
import type { RawConfig } from '../../connectors/sdk/config/config-value.js';
import { all, atLeast, eachItem, nonEmptyString, nonEmptyStringWithoutControlChars, uniqueItems, validator, validRegex } from '../../connectors/sdk/config/validators.js';

export const COMMON_GROUP = 'Common';
export const TRANSFORMS_GROUP = 'Transforms';
export const PREDICATES_GROUP = 'Predicates';
export const ERROR_GROUP = 'Error Handling';
export const TOPIC_CREATION_GROUP = 'Topic Creation';
export const EXACTLY_ONCE_SUPPORT_GROUP = 'Exactly Once Support';
export const OFFSETS_TOPIC_GROUP = 'offsets.topic';

const uniqueAliases = (kind: string) =>
  all(uniqueItems('Duplicate alias provided.', `unique ${kind} aliases`), eachItem(nonEmptyString()));

/** -1 (use the broker's default) or a positive count: replication factors and partition counts. */
export const positiveOrBrokerDefault = validator(
  (n: number) => (n === -1 || n >= 1 ? undefined : 'Value must be -1 (broker default) or at least 1'),
  '-1 or [1,...]',
);

export const commonConnectorSpec = defineConfig({
  'name': string({
    doc: 'Unique name of the connector within the Connect cluster. Changing it creates a different connector.',
    importance: 'HIGH', validator: nonEmptyStringWithoutControlChars(),
    group: COMMON_GROUP, orderInGroup: 1, width: 'MEDIUM', displayName: 'Connector name',
  }),
  'connector.class': string({
    doc: 'The connector plugin to run: its fully qualified class name, or an alias such as the simple class name '
      + 'with or without the "Connector" suffix.',
    importance: 'HIGH', group: COMMON_GROUP, orderInGroup: 2, width: 'LONG', displayName: 'Connector class',
  }),
  'tasks.max': int({
    doc: 'Upper bound on the number of tasks the connector may run. A connector may create fewer tasks when it cannot '
      + 'split its work that far.',
    default: 1, validator: atLeast(1), importance: 'HIGH',
    group: COMMON_GROUP, orderInGroup: 3, width: 'SHORT', displayName: 'Tasks max',
  }),
  'tasks.max.enforce': boolean({
    doc: 'Whether a connector that produces more task configs than tasks.max is failed. Switching it off only exists '
      + 'to ease migration and will be removed.',
    default: true, importance: 'LOW', deprecated: 'keep the default and fix the connector',
    group: COMMON_GROUP, orderInGroup: 4, width: 'SHORT', displayName: 'Enforce tasks max',
  }),
  'key.converter': classField({
    doc: 'Converter between record keys and the bytes stored in Kafka for this connector. Unset means the worker\'s '
      + 'key.converter is used. Settings for it go under the key.converter. prefix.',
    default: null, importance: 'LOW', group: COMMON_GROUP, orderInGroup: 5, width: 'SHORT', displayName: 'Key converter class',
  }),
  'value.converter': classField({
    doc: 'Converter between record values and the bytes stored in Kafka for this connector. Unset means the worker\'s '
      + 'value.converter is used. Settings for it go under the value.converter. prefix.',
    default: null, importance: 'LOW', group: COMMON_GROUP, orderInGroup: 6, width: 'SHORT', displayName: 'Value converter class',
  }),
  'header.converter': classField({
    doc: 'Converter between record header values and the bytes stored in Kafka for this connector. Unset means the '
      + 'worker\'s header.converter is used. Settings for it go under the header.converter. prefix.',
    default: null, importance: 'LOW', group: COMMON_GROUP, orderInGroup: 7, width: 'SHORT', displayName: 'Header converter class',
  }),
  'transforms': list({
    doc: 'Aliases of the single message transforms to apply, in order. Each alias is configured under '
      + 'transforms.<alias>., starting with transforms.<alias>.type.',
    default: [], validator: uniqueAliases('transformation'), importance: 'LOW',
    group: TRANSFORMS_GROUP, orderInGroup: 8, width: 'LONG', displayName: 'Transforms',
  }),
  'predicates': list({
    doc: 'Aliases of the predicates transforms can be made conditional on. Each alias is configured under '
      + 'predicates.<alias>., starting with predicates.<alias>.type.',
    default: [], validator: uniqueAliases('predicate'), importance: 'LOW',
    group: PREDICATES_GROUP, orderInGroup: 9, width: 'LONG', displayName: 'Predicates',
  }),
  'config.action.reload': choice({
    doc: 'What to do when a config provider reports that a value this connector uses has changed: "restart" '
      + 'restarts the connector with the new values, "none" does nothing.',
    values: ['none', 'restart'], default: 'restart', importance: 'LOW',
    group: COMMON_GROUP, orderInGroup: 10, width: 'MEDIUM', displayName: 'Reload Action',
  }),
  'errors.retry.timeout': long({
    doc: 'How long, in milliseconds, a failed operation is retried before giving up. 0 disables retries; -1 retries '
      + 'without limit.',
    default: 0, importance: 'MEDIUM', group: ERROR_GROUP, orderInGroup: 1, width: 'MEDIUM',
    displayName: 'Retry Timeout for Errors',
  }),
  'errors.retry.delay.max.ms': long({
    doc: 'Longest wait, in milliseconds, between two retries. Waits start small and double up to this cap, with jitter.',
    default: 60000, importance: 'MEDIUM', group: ERROR_GROUP, orderInGroup: 2, width: 'MEDIUM',
    displayName: 'Maximum Delay Between Retries for Errors',
  }),
  'errors.tolerance': choice({
    doc: 'What to do with a record that fails conversion or transformation: "none" fails the task at once, "all" skips '
      + 'the record (reporting it if error logging or a dead letter queue is set up).',
    values: ['none', 'all'], caseInsensitive: true, default: 'none', importance: 'MEDIUM',
    group: ERROR_GROUP, orderInGroup: 3, width: 'SHORT', displayName: 'Error Tolerance',
  }),
  'errors.log.enable': boolean({
    doc: 'Log every failed operation and every skipped record. Off by default, so only failures that stop the task '
      + 'are logged.',
    default: false, importance: 'MEDIUM', group: ERROR_GROUP, orderInGroup: 4, width: 'SHORT', displayName: 'Log Errors',
  }),
  'errors.log.include.messages': boolean({
    doc: 'Include the record that failed (topic, partition, offset, timestamp, key and value) in error logs.',
    default: false, importance: 'MEDIUM', group: ERROR_GROUP, orderInGroup: 5, width: 'SHORT', displayName: 'Log Error Details',
  }),
});

function isBlank(raw: RawConfig[string]): boolean {
  return raw === undefined || raw === null || String(raw).trim() === '';
}

function fullMatch(regex: string, text: string): boolean {
  try {
    return new RegExp(`^(?:${regex})$`).test(text);
  } catch {
    return false;
  }
}

export const sinkConnectorSpec = commonConnectorSpec.extend({
  'topics': list({
    doc: 'Topics to consume, comma-separated. Set either this or topics.regex.',
    default: [], omitEmpty: true, importance: 'HIGH', group: COMMON_GROUP, orderInGroup: 4, width: 'LONG', displayName: 'Topics',
  }),
  'topics.regex': string({
    doc: 'Regular expression; every topic whose whole name matches it is consumed, including topics created later. '
      + 'Set either this or topics.',
    default: '', validator: validRegex(), importance: 'HIGH', group: COMMON_GROUP, orderInGroup: 4, width: 'LONG',
    displayName: 'Topics regex',
  }),
  'errors.deadletterqueue.topic.name': string({
    doc: 'Topic that receives records which fail conversion or transformation when errors.tolerance is "all". '
      + 'Empty disables the dead letter queue. The topic is created when missing.',
    default: '', importance: 'MEDIUM', group: ERROR_GROUP, orderInGroup: 6, width: 'MEDIUM',
    displayName: 'Dead Letter Queue Topic Name',
  }),
  'errors.deadletterqueue.topic.replication.factor': short({
    doc: 'Replication factor used when the dead letter queue topic is created; -1 uses the broker default.',
    default: 3, validator: positiveOrBrokerDefault, importance: 'MEDIUM', group: ERROR_GROUP, orderInGroup: 7, width: 'MEDIUM',
    displayName: 'Dead Letter Queue Topic Replication Factor',
  }),
  'errors.deadletterqueue.context.headers.enable': boolean({
    doc: 'Add headers prefixed __connect.errors. to dead letter queue records, describing where and why each record '
      + 'failed.',
    default: false, importance: 'MEDIUM', group: ERROR_GROUP, orderInGroup: 8, width: 'MEDIUM',
    displayName: 'Enable Error Context Headers',
  }),
}, {
  validateCrossField(v, raw) {
    const issues: { name: string; message: string }[] = [];
    const both = (message: string) => issues.push({ name: 'topics', message }, { name: 'topics.regex', message });
    const topics = v.topics ?? [];
    const hasTopics = topics.length > 0;
    const hasRegex = v.topicsRegex !== undefined ? v.topicsRegex !== '' : !isBlank(raw['topics.regex']);
    if (hasTopics && hasRegex) both('topics and topics.regex are mutually exclusive options, but both are set.');
    if (!hasTopics && !hasRegex) both('Must configure one of topics or topics.regex');
    const dlq = v.errorsDeadletterqueueTopicName;
    if (dlq) {
      if (topics.includes(dlq)) {
        issues.push({
          name: 'errors.deadletterqueue.topic.name',
          message: `The dead letter queue topic '${dlq}' may not be one of the topics the connector consumes (topics=${topics.join(',')})`,
        });
      }
      if (v.topicsRegex && fullMatch(v.topicsRegex, dlq)) {
        issues.push({
          name: 'errors.deadletterqueue.topic.name',
          message: `The dead letter queue topic '${dlq}' may not match the regex of topics the connector consumes (topics.regex=${v.topicsRegex})`,
        });
      }
    }
    return issues;
  },
});

export const sourceConnectorSpec = commonConnectorSpec.extend({
  'topic.creation.groups': list({
    doc: 'Aliases of topic creation groups besides "default". Each group is configured under topic.creation.<group>. '
      + 'with include/exclude regex lists, and the first group whose rules match a new topic decides its settings.',
    default: [], validator: uniqueAliases('topic creation group'), importance: 'LOW',
    group: TOPIC_CREATION_GROUP, orderInGroup: 1, width: 'LONG', displayName: 'Topic Creation Groups',
  }),
  'exactly.once.support': choice({
    doc: '"required" makes validation fail unless the connector declares it can deliver exactly once; "requested" '
      + 'accepts connectors that do not say. Only meaningful when the worker enables exactly-once source support.',
    values: ['requested', 'required'], caseInsensitive: true, default: 'requested', importance: 'MEDIUM',
    group: EXACTLY_ONCE_SUPPORT_GROUP, orderInGroup: 1, width: 'SHORT', displayName: 'Exactly once support',
  }),
  'transaction.boundary': choice({
    doc: 'Where transactions end when exactly-once source support is on: "poll" after every batch a task returns, '
      + '"interval" every transaction.boundary.interval.ms, "connector" wherever the connector says.',
    values: ['poll', 'interval', 'connector'], caseInsensitive: true, default: 'poll', importance: 'MEDIUM',
    group: EXACTLY_ONCE_SUPPORT_GROUP, orderInGroup: 2, width: 'SHORT', displayName: 'Transaction Boundary',
  }),
  'transaction.boundary.interval.ms': long({
    doc: 'Transaction length in milliseconds when transaction.boundary is "interval". Unset means the worker\'s '
      + 'offset.flush.interval.ms.',
    default: null, validator: atLeast(0), importance: 'LOW',
    group: EXACTLY_ONCE_SUPPORT_GROUP, orderInGroup: 3, width: 'SHORT', displayName: 'Transaction boundary interval',
  }),
  'offsets.storage.topic': string({
    doc: 'A topic of its own for this connector\'s source offsets, created when missing. Unset means the worker\'s '
      + 'offsets topic. Distributed mode only.',
    default: null, validator: nonEmptyString(), importance: 'LOW',
    group: OFFSETS_TOPIC_GROUP, orderInGroup: 1, width: 'LONG', displayName: 'Offsets topic',
  }),
});

export type CommonConnectorConfig = ParsedConfig<typeof commonConnectorSpec>;
export type SinkConnectorConfig = ParsedConfig<typeof sinkConnectorSpec>;
export type SourceConnectorConfig = ParsedConfig<typeof sourceConnectorSpec>;

/** Keys every transform alias has besides `type` (under `transforms.<alias>.`). */
export const transformAliasSpec = defineConfig({
  'predicate': string({
    doc: 'Alias of the predicate that decides whether this transform applies to a record. Unset applies it to all.',
    default: null, importance: 'MEDIUM',
  }),
  'negate': boolean({ doc: 'Apply the transform to records that do not match the predicate instead.', default: false, importance: 'MEDIUM' }),
});

const regexList = eachItem(validRegex());

/** The `default` topic creation group (under `topic.creation.default.`): partitions and replication are required. */
export const topicCreationDefaultGroupSpec = defineConfig({
  'include': list({ doc: 'Regexes of topic names this group applies to.', default: ['.*'], validator: regexList, importance: 'LOW' }),
  'exclude': list({ doc: 'Regexes of topic names this group never applies to; exclusion wins over inclusion.', default: [], validator: regexList, importance: 'LOW' }),
  'replication.factor': short({ doc: 'Replication factor of created topics; -1 uses the broker default.', validator: positiveOrBrokerDefault, importance: 'LOW' }),
  'partitions': int({ doc: 'Partition count of created topics; -1 uses the broker default.', validator: positiveOrBrokerDefault, importance: 'LOW' }),
});

/** A named topic creation group (under `topic.creation.<group>.`); sizes default to the default group's. */
export function topicCreationGroupSpec(defaults: { replicationFactor: number | null; partitions: number | null }) {
  return defineConfig({
    'include': list({ doc: 'Regexes of topic names this group applies to.', default: [], validator: regexList, importance: 'LOW' }),
    'exclude': list({ doc: 'Regexes of topic names this group never applies to; exclusion wins over inclusion.', default: [], validator: regexList, importance: 'LOW' }),
    'replication.factor': short({ doc: 'Replication factor of created topics; -1 uses the broker default.', default: defaults.replicationFactor, validator: positiveOrBrokerDefault, importance: 'LOW' }),
    'partitions': int({ doc: 'Partition count of created topics; -1 uses the broker default.', default: defaults.partitions, validator: positiveOrBrokerDefault, importance: 'LOW' }),
  });
}

export type TopicCreationGroupConfig = ParsedConfig<typeof topicCreationDefaultGroupSpec>;

export interface EnrichOptions {
  /** The spec of a transformation class, or the error to report on `transforms.<alias>.type`. */
  transformSpec?(className: string): ConfigSpec<ConfigFields> | string;
  /** The spec of a predicate class, or the error to report on `predicates.<alias>.type`. */
  predicateSpec?(className: string): ConfigSpec<ConfigFields> | string;
  /** The worker's topic.creation.enable; topic creation keys are only checked when it is on. */
  topicCreationEnabled?: boolean;
}

function aliasesIn(raw: RawConfig[string]): string[] {
  if (raw === undefined || raw === null || String(raw).trim() === '') return [];
  return [...new Set(String(raw).trim().split(/\s*,\s*/).filter((a) => a !== ''))];
}

function intOrNull(raw: RawConfig[string]): number | null {
  const n = raw === undefined || raw === null ? NaN : Number(raw);
  return Number.isInteger(n) ? n : null;
}

function aliasSpec(
  kind: 'transformation' | 'predicate',
  alias: string,
  className: RawConfig[string],
  resolve: ((className: string) => ConfigSpec<ConfigFields> | string) | undefined,
  extra: ConfigSpec<ConfigFields> | undefined,
): ConfigSpec<ConfigFields> {
  const [key, group, label] = kind === 'transformation'
    ? ['transforms', `${TRANSFORMS_GROUP}: ${alias}`, 'Transformation']
    : ['predicates', `${PREDICATES_GROUP}: ${alias}`, 'Predicate'];
  const resolved = typeof className === 'string' && className.trim() !== '' && resolve ? resolve(className.trim()) : undefined;
  const prefix = `${key}.${alias}.`;
  const typeSpec = defineConfig({
    [`${prefix}type`]: classField({
      doc: `Class for the '${alias}' ${kind}.`, importance: 'HIGH', group, orderInGroup: 0, width: 'LONG',
      displayName: `${label} type for ${alias}`,
      validator: () => (typeof resolved === 'string' ? resolved : undefined),
    }),
  });
  let own: ConfigSpec<ConfigFields> = extra ?? defineConfig({});
  if (resolved !== undefined && typeof resolved !== 'string') own = own.merge(resolved, { onConflict: 'keep' });
  return typeSpec.merge(own.embed(prefix, { group, startingOrder: 1 }), { onConflict: 'keep' });
}

/**
 * The framework spec plus the keys `raw` implies: per transform alias (`Transforms: <alias>` group:
 * type, predicate, negate and the transform's own keys), per predicate alias, and, for source
 * connectors with topic creation on and any `topic.creation.` key set, the topic creation groups.
 * A transform naming a predicate that is not configured is reported on its `predicate` key.
 */
export function enrichConnectorSpec(base: ConfigSpec<ConfigFields>, raw: RawConfig, options: EnrichOptions = {}): ConfigSpec<ConfigFields> {
  let spec = base;
  const predicates = aliasesIn(raw['predicates']);
  for (const alias of aliasesIn(raw['transforms'])) {
    spec = spec.merge(aliasSpec('transformation', alias, raw[`transforms.${alias}.type`], options.transformSpec, transformAliasSpec), { onConflict: 'keep' });
  }
  for (const alias of predicates) {
    spec = spec.merge(aliasSpec('predicate', alias, raw[`predicates.${alias}.type`], options.predicateSpec, undefined), { onConflict: 'keep' });
  }
  const predicateRule = defineConfig({}, {
    validateCrossField(_v, r) {
      return aliasesIn(r['transforms']).flatMap((alias) => {
        const name = `transforms.${alias}.predicate`;
        const p = r[name];
        if (isBlank(p) || predicates.includes(String(p).trim())) return [];
        return [{ name, message: `Predicate '${String(p).trim()}' is not one of the configured predicates (predicates=${predicates.join(',')})` }];
      });
    },
  });
  spec = spec.merge(predicateRule);
  const topicCreationUsed = Object.keys(raw).some((k) => k.startsWith('topic.creation.') && k !== 'topic.creation.groups');
  if (options.topicCreationEnabled && 'topic.creation.groups' in base.fields && topicCreationUsed) {
    spec = spec.merge(topicCreationDefaultGroupSpec.embed('topic.creation.default.', { group: 'default' }), { onConflict: 'keep' });
    const defaults = {
      replicationFactor: intOrNull(raw['topic.creation.default.replication.factor']),
      partitions: intOrNull(raw['topic.creation.default.partitions']),
    };
    for (const alias of aliasesIn(raw['topic.creation.groups'])) {
      if (alias === 'default') continue;
      spec = spec.merge(topicCreationGroupSpec(defaults).embed(`topic.creation.${alias}.`, { group: alias }), { onConflict: 'keep' });
    }
  }
  return spec;
}
