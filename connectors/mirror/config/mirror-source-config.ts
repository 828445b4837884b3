/** MirrorSourceConnector's keys (reference §6.2) on top of the common ones, and its typed settings. */
import type { RawConfig } from '../../sdk/connector.js';
import { boolean, int, list, long } from '../../sdk/config/config-spec.js';
import { ConfigPropertyFilter, DEFAULT_CONFIG_PROPERTIES_EXCLUDE } from '../policy/config-property-filter.js';
import { TopicFilter } from '../policy/topic-filter.js';
import {
  commonSettings, consumerPollTimeoutField, javaPatternList, MIRROR_PACKAGE, mirrorCommonSpec, mirrorTopicFilterSpec, onlyClass, periodic,
  periodicFields, replicationFactor, topicReplicationFactorField, TOPICS_GROUP, type MirrorCommonSettings,
} from './mirror-common-config.js';

const SOURCE_GROUP = 'Source';

export const mirrorSourceSpec = mirrorCommonSpec.merge(mirrorTopicFilterSpec).extend({
  'config.properties.exclude': list({
    doc: 'Topic configs never copied to remote topics (Java regexes over whole config names).',
    default: DEFAULT_CONFIG_PROPERTIES_EXCLUDE, importance: 'HIGH', group: TOPICS_GROUP, validator: javaPatternList,
  }),
  'config.property.filter.class': onlyClass(`${MIRROR_PACKAGE}DefaultConfigPropertyFilter`,
    'Topic config filter; ferry has MirrorMaker\'s DefaultConfigPropertyFilter (everything but config.properties.exclude).', TOPICS_GROUP),
  'replication.factor': int({
    doc: 'Replication factor of remote topics the connector creates; -1 takes the broker\'s default.',
    default: 2, importance: 'HIGH', group: SOURCE_GROUP, validator: replicationFactor,
  }),
  'offset-syncs.topic.replication.factor': topicReplicationFactorField('offset-syncs', SOURCE_GROUP),
  ...periodicFields('refresh.topics', {
    enabledDoc: 'Look for new source topics and added partitions periodically.', intervalDoc: 'How often to look for new topics and partitions.',
    enabled: true, seconds: 600, group: SOURCE_GROUP,
  }),
  ...periodicFields('sync.topic.configs', {
    enabledDoc: 'Copy topic configs to remote topics periodically.', intervalDoc: 'How often topic configs are copied.',
    enabled: true, seconds: 600, group: SOURCE_GROUP,
  }),
  ...periodicFields('sync.topic.acls', {
    enabledDoc: 'Copy topic ACLs to remote topics periodically.', intervalDoc: 'How often topic ACLs are copied.',
    enabled: true, seconds: 600, group: SOURCE_GROUP,
  }),
  'offset.lag.max': long({
    doc: 'How far (in records) the target may get past the last offset sync of a partition before a new sync is written.',
    default: 100, importance: 'LOW', group: SOURCE_GROUP,
  }),
  'heartbeats.replication.enabled': boolean({
    doc: 'Replicate heartbeats topics even when `topics` does not name them.', default: true, importance: 'LOW', group: SOURCE_GROUP,
  }),
  'consumer.poll.timeout.ms': consumerPollTimeoutField(SOURCE_GROUP),
});

export interface MirrorSourceSettings extends MirrorCommonSettings {
  readonly topicFilter: TopicFilter;
  readonly configPropertyFilter: ConfigPropertyFilter;
  readonly replicationFactor: number;
  readonly offsetSyncsTopicReplicationFactor: number;
  readonly refreshTopicsEnabled: boolean;
  readonly refreshTopicsIntervalMs: number;
  readonly syncTopicConfigsEnabled: boolean;
  readonly syncTopicConfigsIntervalMs: number;
  readonly syncTopicAclsEnabled: boolean;
  readonly syncTopicAclsIntervalMs: number;
  readonly offsetLagMax: number;
  readonly emitOffsetSyncsEnabled: boolean;
  readonly heartbeatsReplicationEnabled: boolean;
  readonly consumerPollTimeoutMs: number;
}

/** Parses and validates (throws a ConfigError naming every bad key). */
export function mirrorSourceSettings(raw: RawConfig): MirrorSourceSettings {
  const c = mirrorSourceSpec.parse(raw);
  const refresh = periodic(c.refreshTopicsEnabled, c.refreshTopicsIntervalSeconds);
  const configs = periodic(c.syncTopicConfigsEnabled, c.syncTopicConfigsIntervalSeconds);
  const acls = periodic(c.syncTopicAclsEnabled, c.syncTopicAclsIntervalSeconds);
  return {
    ...commonSettings(c, raw),
    topicFilter: new TopicFilter(c.topics, c.topicsExclude),
    configPropertyFilter: new ConfigPropertyFilter(c.configPropertiesExclude),
    replicationFactor: c.replicationFactor,
    offsetSyncsTopicReplicationFactor: c.offsetSyncsTopicReplicationFactor,
    refreshTopicsEnabled: refresh.enabled,
    refreshTopicsIntervalMs: refresh.intervalMs,
    syncTopicConfigsEnabled: configs.enabled,
    syncTopicConfigsIntervalMs: configs.intervalMs,
    syncTopicAclsEnabled: acls.enabled,
    syncTopicAclsIntervalMs: acls.intervalMs,
    offsetLagMax: c.offsetLagMax,
    heartbeatsReplicationEnabled: c.heartbeatsReplicationEnabled,
    consumerPollTimeoutMs: c.consumerPollTimeoutMs,
  };
}
