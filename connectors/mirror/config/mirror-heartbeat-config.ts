/** MirrorHeartbeatConnector's keys (reference §6.2) on top of the common ones, and its typed settings. */
import type { RawConfig } from '../../sdk/connector.js';
import {
  commonSettings, mirrorCommonSpec, periodic, periodicFields, topicReplicationFactorField, type MirrorCommonSettings,
} from './mirror-common-config.js';

const HEARTBEATS_GROUP = 'Heartbeats';

export const mirrorHeartbeatSpec = mirrorCommonSpec.extend({
  ...periodicFields('emit.heartbeats', {
    enabledDoc: 'Write a heartbeat to the target\'s heartbeats topic periodically; false: the connector runs no task.',
    intervalDoc: 'How often a heartbeat is written.', enabled: true, seconds: 1, group: HEARTBEATS_GROUP,
  }),
  'heartbeats.topic.replication.factor': topicReplicationFactorField('heartbeats', HEARTBEATS_GROUP),
});

export interface MirrorHeartbeatSettings extends MirrorCommonSettings {
  readonly emitHeartbeatsEnabled: boolean;
  readonly emitHeartbeatsIntervalMs: number;
  readonly heartbeatsTopicReplicationFactor: number;
  /** `heartbeats` (per the policy), on the target. */
  readonly heartbeatsTopic: string;
}

/** Parses and validates (throws a ConfigError naming every bad key). */
export function mirrorHeartbeatSettings(raw: RawConfig): MirrorHeartbeatSettings {
  const c = mirrorHeartbeatSpec.parse(raw);
  const common = commonSettings(c, raw);
  const emit = periodic(c.emitHeartbeatsEnabled, c.emitHeartbeatsIntervalSeconds);
  return {
    ...common,
    emitHeartbeatsEnabled: emit.enabled,
    emitHeartbeatsIntervalMs: emit.intervalMs,
    heartbeatsTopicReplicationFactor: c.heartbeatsTopicReplicationFactor,
    heartbeatsTopic: common.policy.heartbeatsTopic(),
  };
}
