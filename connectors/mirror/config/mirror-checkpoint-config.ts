/** MirrorCheckpointConnector's keys (reference §6.2) on top of the common ones, and its typed settings. */
import type { RawConfig } from '../../sdk/connector.js';
import { list } from '../../sdk/config/config-spec.js';
import { DEFAULT_GROUPS, DEFAULT_GROUPS_EXCLUDE, GroupFilter } from '../policy/group-filter.js';
import { TopicFilter } from '../policy/topic-filter.js';
import {
  commonSettings, consumerPollTimeoutField, javaPatternList, MIRROR_PACKAGE, mirrorCommonSpec, mirrorTopicFilterSpec, onlyClass, periodic,
  periodicFields, topicReplicationFactorField, type MirrorCommonSettings,
} from './mirror-common-config.js';

const GROUPS_GROUP = 'Consumer groups';
const CHECKPOINTS_GROUP = 'Checkpoints';

export const mirrorCheckpointSpec = mirrorCommonSpec.merge(mirrorTopicFilterSpec).extend({
  'groups': list({
    doc: 'Consumer groups whose offsets are checkpointed: comma-separated names or Java regexes over whole group ids.',
    default: DEFAULT_GROUPS, importance: 'HIGH', group: GROUPS_GROUP, validator: javaPatternList,
  }),
  'groups.exclude': list({
    doc: 'Groups never checkpointed, even when `groups` matches them.',
    default: DEFAULT_GROUPS_EXCLUDE, importance: 'HIGH', group: GROUPS_GROUP, validator: javaPatternList,
  }),
  'group.filter.class': onlyClass(`${MIRROR_PACKAGE}DefaultGroupFilter`, 'Group filter; ferry has MirrorMaker\'s DefaultGroupFilter (groups minus groups.exclude).', GROUPS_GROUP),
  ...periodicFields('refresh.groups', {
    enabledDoc: 'Look for new consumer groups on the source periodically.', intervalDoc: 'How often the source\'s groups are listed.',
    enabled: true, seconds: 600, group: GROUPS_GROUP,
  }),
  ...periodicFields('emit.checkpoints', {
    enabledDoc: 'Write checkpoints (translated group offsets) to the target\'s checkpoints topic.',
    intervalDoc: 'How often groups\' offsets are translated and checkpointed.', enabled: true, seconds: 60, group: CHECKPOINTS_GROUP,
  }),
  ...periodicFields('sync.group.offsets', {
    enabledDoc: 'Also commit translated offsets into the target\'s consumer groups, for groups with no active members there.',
    intervalDoc: 'How often translated offsets are committed to target groups.', enabled: false, seconds: 60, group: CHECKPOINTS_GROUP,
  }),
  'checkpoints.topic.replication.factor': topicReplicationFactorField('checkpoints', CHECKPOINTS_GROUP),
  'consumer.poll.timeout.ms': consumerPollTimeoutField(CHECKPOINTS_GROUP),
});

export interface MirrorCheckpointSettings extends MirrorCommonSettings {
  readonly groupFilter: GroupFilter;
  readonly topicFilter: TopicFilter;
  readonly refreshGroupsEnabled: boolean;
  readonly refreshGroupsIntervalMs: number;
  readonly emitCheckpointsEnabled: boolean;
  readonly emitCheckpointsIntervalMs: number;
  readonly syncGroupOffsetsEnabled: boolean;
  readonly syncGroupOffsetsIntervalMs: number;
  readonly checkpointsTopicReplicationFactor: number;
  /** `<source alias>.checkpoints.internal` (per the policy), on the target. */
  readonly checkpointsTopic: string;
  readonly consumerPollTimeoutMs: number;
}

/** Parses and validates (throws a ConfigError naming every bad key). */
export function mirrorCheckpointSettings(raw: RawConfig): MirrorCheckpointSettings {
  const c = mirrorCheckpointSpec.parse(raw);
  const common = commonSettings(c, raw);
  const refresh = periodic(c.refreshGroupsEnabled, c.refreshGroupsIntervalSeconds);
  const emit = periodic(c.emitCheckpointsEnabled, c.emitCheckpointsIntervalSeconds);
  const sync = periodic(c.syncGroupOffsetsEnabled, c.syncGroupOffsetsIntervalSeconds);
  return {
    ...common,
    groupFilter: new GroupFilter(c.groups, c.groupsExclude),
    topicFilter: new TopicFilter(c.topics, c.topicsExclude),
    refreshGroupsEnabled: refresh.enabled,
    refreshGroupsIntervalMs: refresh.intervalMs,
    emitCheckpointsEnabled: emit.enabled,
    emitCheckpointsIntervalMs: emit.intervalMs,
    syncGroupOffsetsEnabled: sync.enabled,
    syncGroupOffsetsIntervalMs: sync.intervalMs,
    checkpointsTopicReplicationFactor: c.checkpointsTopicReplicationFactor,
    checkpointsTopic: common.policy.checkpointsTopic(common.sourceClusterAlias),
    consumerPollTimeoutMs: c.consumerPollTimeoutMs,
  };
}
