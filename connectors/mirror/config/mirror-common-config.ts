/**
 * The keys all three MirrorMaker connectors share (reference §6.2), declared once, and the typed
 * settings derived from them: aliases, the replication policy, the offset-syncs topic and the
 * client properties of each cluster. Interval keys are in seconds as MirrorMaker has them; a
 * negative interval (or the matching `*.enabled=false`) turns the periodic job off, zero is refused.
 */
import type { RawConfig } from '../../sdk/connector.js';
import {
  boolean, choice, classField, defineConfig, list, long, short, string, validators, type ConfigField, type ParsedConfig,
} from '../../sdk/config/config-spec.js';
import type { ClientProperties } from '../../sdk/kafka-clusters.js';
import { compileJavaPatterns } from '../policy/java-regex.js';
import {
  createReplicationPolicy, DEFAULT_REPLICATION_POLICY_CLASS, REPLICATION_POLICY_CLASS_NAMES, type ReplicationPolicy,
} from '../policy/replication-policy.js';
import { clientProperties } from './client-properties.js';

export const CLUSTERS_GROUP = 'Clusters';
export const POLICY_GROUP = 'Replication policy';
export const TOPICS_GROUP = 'Topics';

const FORWARDING_ADMIN = 'org.apache.kafka.clients.admin.ForwardingAdmin';
export const MIRROR_PACKAGE = 'org.apache.kafka.connect.mirror.';

/** A pluggable-class key of which ferry has only the default: that class, by full or simple name. */
export function onlyClass(javaClass: string, doc: string, group: string): ConfigField<string> {
  const simple = javaClass.slice(javaClass.lastIndexOf('.') + 1);
  return classField({ doc, default: javaClass, importance: 'LOW', group, validator: validators.oneOf([javaClass, simple]) });
}

/**
 * A periodic job's pair of keys, `<prefix>.enabled` and `<prefix>.interval.seconds` (positive, or
 * negative to turn the job off).
 */
export function periodicFields<const P extends string>(prefix: P, o: { enabledDoc: string; intervalDoc: string; enabled: boolean; seconds: number; group: string }):
  Record<`${P}.enabled`, ConfigField<boolean>> & Record<`${P}.interval.seconds`, ConfigField<number>> {
  return {
    [`${prefix}.enabled`]: boolean({ doc: o.enabledDoc, default: o.enabled, importance: 'LOW', group: o.group }),
    [`${prefix}.interval.seconds`]: long({ doc: o.intervalDoc, default: o.seconds, importance: 'LOW', group: o.group, validator: intervalSeconds }),
  } as Record<`${P}.enabled`, ConfigField<boolean>> & Record<`${P}.interval.seconds`, ConfigField<number>>;
}

/** A list of Java regexes; an element JS cannot compile is an error naming the key. */
export const javaPatternList = validators.validator((patterns: readonly string[]) => {
  compileJavaPatterns(patterns);
}, 'list of Java regular expressions matched against whole names');

/** Replication factors: -1 (the broker's default) or at least 1. */
export const replicationFactor = validators.validator(
  (n: number) => (n === -1 || n >= 1 ? undefined : 'Value must be -1 (broker default) or at least 1'),
  '-1 or [1,...]',
);

/** Interval seconds: positive, or negative to turn the job off. */
export const intervalSeconds = validators.validator(
  (n: number) => (n === 0 ? 'Value must be positive, or negative to disable' : undefined),
  'non-zero; negative disables',
);

export const mirrorCommonSpec = defineConfig({
  'source.cluster.alias': string({
    doc: 'Name of the cluster records are read from; prefixes remote topic names and names the checkpoints topic.',
    default: 'source', importance: 'HIGH', group: CLUSTERS_GROUP, validator: validators.nonEmptyString(),
  }),
  'target.cluster.alias': string({
    doc: 'Name of the cluster records are written to; names the offset-syncs topic and is never sent a topic that came from it.',
    default: 'target', importance: 'HIGH', group: CLUSTERS_GROUP, validator: validators.nonEmptyString(),
  }),
  'source.cluster.bootstrap.servers': list({
    doc: 'Bootstrap servers of the source cluster. Every other `source.cluster.*` key (security.protocol, sasl.*, ssl.*, ...) '
      + 'applies to all clients of that cluster; `source.consumer.*`, `source.producer.*` and `source.admin.*` to one kind.',
    importance: 'HIGH', group: CLUSTERS_GROUP, omitEmpty: true, validator: validators.nonEmptyList(),
  }),
  'target.cluster.bootstrap.servers': list({
    doc: 'Bootstrap servers of the target cluster; `target.cluster.*`, `target.consumer.*`, `target.producer.*` and '
      + '`target.admin.*` as for the source.',
    importance: 'HIGH', group: CLUSTERS_GROUP, omitEmpty: true, validator: validators.nonEmptyList(),
  }),
  'enabled': boolean({
    doc: 'false: the connector runs no tasks (dedicated mode sets it for flows that are not enabled).',
    default: true, importance: 'LOW', group: CLUSTERS_GROUP,
  }),
  'admin.timeout.ms': long({
    doc: 'How long admin operations on either cluster may take before they fail.',
    default: 60000, importance: 'LOW', group: CLUSTERS_GROUP, validator: validators.atLeast(1),
  }),
  'forwarding.admin.class': onlyClass(FORWARDING_ADMIN, 'KIP-787 admin class. ferry uses its own admin client; only the default is accepted.', CLUSTERS_GROUP),
  'replication.policy.class': classField({
    doc: 'How remote topics are named: DefaultReplicationPolicy prefixes them with the source alias, IdentityReplicationPolicy '
      + 'keeps names (heartbeats are still prefixed; cycles cannot be detected, so no active/active).',
    default: DEFAULT_REPLICATION_POLICY_CLASS, importance: 'LOW', group: POLICY_GROUP,
    validator: validators.oneOf(REPLICATION_POLICY_CLASS_NAMES),
  }),
  'replication.policy.separator': string({
    doc: 'Separator between the source alias and the topic in remote topic names.',
    default: '.', importance: 'LOW', group: POLICY_GROUP, validator: validators.nonEmptyString(),
  }),
  'replication.policy.internal.topic.separator.enabled': boolean({
    doc: 'Use the separator in the checkpoints and offset-syncs topic names too (KIP-690). false keeps their dotted names, '
      + 'as deployments from before Kafka 3.1 with a custom separator have them.',
    default: true, importance: 'LOW', group: POLICY_GROUP,
  }),
  'offset-syncs.topic.location': choice({
    doc: 'The cluster holding the offset-syncs topic: source (mm2-offset-syncs.<target alias>.internal) or target '
      + '(mm2-offset-syncs.<source alias>.internal).',
    values: ['source', 'target'], default: 'source', caseInsensitive: true, importance: 'LOW', group: POLICY_GROUP,
  }),
  'emit.offset-syncs.enabled': boolean({
    doc: 'Whether the source connector writes offset syncs; the checkpoint connector needs them to translate offsets.',
    default: true, importance: 'LOW', group: POLICY_GROUP,
  }),
});

/** `topics`, `topics.exclude` and the filter class: used by the source and the checkpoint connectors. */
export const mirrorTopicFilterSpec = defineConfig({
  'topics': list({
    doc: 'Topics to replicate: comma-separated names or Java regexes, each matched against the whole name.',
    default: ['.*'], importance: 'HIGH', group: TOPICS_GROUP, validator: javaPatternList,
  }),
  'topics.exclude': list({
    doc: 'Topics never replicated, even when `topics` matches them.',
    default: ['.*[\\-\\.]internal', '.*\\.replica', '__.*'], importance: 'HIGH', group: TOPICS_GROUP, validator: javaPatternList,
  }),
  'topic.filter.class': onlyClass(`${MIRROR_PACKAGE}DefaultTopicFilter`, 'Topic filter; ferry has MirrorMaker\'s DefaultTopicFilter (topics minus topics.exclude).', TOPICS_GROUP),
});

export interface MirrorCommonSettings {
  readonly sourceClusterAlias: string;
  readonly targetClusterAlias: string;
  /** false: the connector runs no tasks. */
  readonly enabled: boolean;
  readonly policy: ReplicationPolicy;
  readonly sourceAdminProps: ClientProperties;
  readonly targetAdminProps: ClientProperties;
  readonly sourceConsumerProps: ClientProperties;
  readonly sourceProducerProps: ClientProperties;
  readonly targetProducerProps: ClientProperties;
  readonly targetConsumerProps: ClientProperties;
  readonly offsetSyncsTopicLocation: 'source' | 'target';
  /** The offset-syncs topic's name on the cluster `offsetSyncsTopicLocation` names. */
  readonly offsetSyncsTopic: string;
  readonly emitOffsetSyncsEnabled: boolean;
  readonly adminTimeoutMs: number;
}

/** The typed common settings of a config already parsed by a spec that includes `mirrorCommonSpec`. */
export function commonSettings(config: ParsedConfig<typeof mirrorCommonSpec>, raw: RawConfig): MirrorCommonSettings {
  const policy = createReplicationPolicy({
    className: config.replicationPolicyClass,
    separator: config.replicationPolicySeparator,
    internalTopicSeparatorEnabled: config.replicationPolicyInternalTopicSeparatorEnabled,
    sourceClusterAlias: config.sourceClusterAlias,
  });
  const location = config.offsetSyncsTopicLocation;
  return {
    sourceClusterAlias: config.sourceClusterAlias,
    targetClusterAlias: config.targetClusterAlias,
    enabled: config.enabled,
    policy,
    sourceAdminProps: clientProperties(raw, 'source', 'admin'),
    targetAdminProps: clientProperties(raw, 'target', 'admin'),
    sourceConsumerProps: clientProperties(raw, 'source', 'consumer'),
    sourceProducerProps: clientProperties(raw, 'source', 'producer'),
    targetProducerProps: clientProperties(raw, 'target', 'producer'),
    targetConsumerProps: clientProperties(raw, 'target', 'consumer'),
    offsetSyncsTopicLocation: location,
    offsetSyncsTopic: policy.offsetSyncsTopic(location === 'source' ? config.targetClusterAlias : config.sourceClusterAlias),
    emitOffsetSyncsEnabled: config.emitOffsetSyncsEnabled,
    adminTimeoutMs: config.adminTimeoutMs,
  };
}

/** A periodic job: on when its flag is true and its interval positive; the interval in ms. */
export function periodic(flag: boolean, seconds: number): { readonly enabled: boolean; readonly intervalMs: number } {
  return { enabled: flag && seconds > 0, intervalMs: seconds * 1000 };
}

/** Shared declarations of keys two specs both have. */
export const consumerPollTimeoutField = (group: string) => long({
  doc: 'How long one poll of the source cluster waits for records.',
  default: 1000, importance: 'LOW', group, validator: validators.atLeast(0),
});

export const topicReplicationFactorField = (what: string, group: string) => short({
  doc: `Replication factor of the ${what} topic when the connector creates it; -1 takes the broker's default.`,
  default: 3, importance: 'LOW', group, validator: replicationFactor,
});
