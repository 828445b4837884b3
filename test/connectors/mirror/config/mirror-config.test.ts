import { describe, expect, it } from 'vitest';
import { clientProperties } from '../../../../connectors/mirror/config/client-properties.js';
import { mirrorCheckpointSettings, mirrorCheckpointSpec } from '../../../../connectors/mirror/config/mirror-checkpoint-config.js';
import { mirrorHeartbeatSettings, mirrorHeartbeatSpec } from '../../../../connectors/mirror/config/mirror-heartbeat-config.js';
import { mirrorSourceSettings, mirrorSourceSpec } from '../../../../connectors/mirror/config/mirror-source-config.js';
import { ConfigError } from '../../../../connectors/sdk/config/config-spec.js';

const BASE = { 'source.cluster.bootstrap.servers': 'a:9092', 'target.cluster.bootstrap.servers': 'b:9092' };

function issuesOf(run: () => unknown): { name: string; message: string }[] {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('MirrorMaker defaults (reference §6.2)', () => {
  it('source connector', () => {
    const s = mirrorSourceSettings(BASE);
    expect(s.sourceClusterAlias).toBe('source');
    expect(s.targetClusterAlias).toBe('target');
    expect(s.enabled).toBe(true);
    expect(s.policy.formatRemoteTopic('source', 'orders')).toBe('source.orders');
    expect(s.offsetSyncsTopicLocation).toBe('source');
    expect(s.offsetSyncsTopic).toBe('mm2-offset-syncs.target.internal');
    expect(s.emitOffsetSyncsEnabled).toBe(true);
    expect(s.adminTimeoutMs).toBe(60000);
    expect(s.replicationFactor).toBe(2);
    expect(s.offsetSyncsTopicReplicationFactor).toBe(3);
    expect([s.refreshTopicsEnabled, s.refreshTopicsIntervalMs]).toEqual([true, 600_000]);
    expect([s.syncTopicConfigsEnabled, s.syncTopicConfigsIntervalMs]).toEqual([true, 600_000]);
    expect([s.syncTopicAclsEnabled, s.syncTopicAclsIntervalMs]).toEqual([true, 600_000]);
    expect(s.offsetLagMax).toBe(100);
    expect(s.heartbeatsReplicationEnabled).toBe(true);
    expect(s.consumerPollTimeoutMs).toBe(1000);
    expect(s.topicFilter.shouldReplicateTopic('orders')).toBe(true);
    expect(s.topicFilter.shouldReplicateTopic('mm2-offset-syncs.target.internal')).toBe(false);
    expect(s.configPropertyFilter.shouldReplicateConfigProperty('min.insync.replicas')).toBe(false);
    expect(s.configPropertyFilter.shouldReplicateConfigProperty('retention.ms')).toBe(true);
  });

  it('checkpoint connector', () => {
    const s = mirrorCheckpointSettings(BASE);
    expect(s.groupFilter.shouldReplicateGroup('billing')).toBe(true);
    expect(s.groupFilter.shouldReplicateGroup('console-consumer-42')).toBe(false);
    expect(s.topicFilter.shouldReplicateTopic('__consumer_offsets')).toBe(false);
    expect([s.refreshGroupsEnabled, s.refreshGroupsIntervalMs]).toEqual([true, 600_000]);
    expect([s.emitCheckpointsEnabled, s.emitCheckpointsIntervalMs]).toEqual([true, 60_000]);
    expect([s.syncGroupOffsetsEnabled, s.syncGroupOffsetsIntervalMs]).toEqual([false, 60_000]);
    expect(s.checkpointsTopicReplicationFactor).toBe(3);
    expect(s.checkpointsTopic).toBe('source.checkpoints.internal');
    expect(s.consumerPollTimeoutMs).toBe(1000);
  });

  it('heartbeat connector', () => {
    const s = mirrorHeartbeatSettings(BASE);
    expect([s.emitHeartbeatsEnabled, s.emitHeartbeatsIntervalMs]).toEqual([true, 1000]);
    expect(s.heartbeatsTopicReplicationFactor).toBe(3);
    expect(s.heartbeatsTopic).toBe('heartbeats');
  });

  it('declares the common keys once: the same definition in all three specs', () => {
    for (const key of ['source.cluster.alias', 'replication.policy.class', 'offset-syncs.topic.location', 'admin.timeout.ms']) {
      expect(mirrorCheckpointSpec.fields[key]).toBe(mirrorSourceSpec.fields[key]);
      expect(mirrorHeartbeatSpec.fields[key]).toBe(mirrorSourceSpec.fields[key]);
    }
    expect(mirrorCheckpointSpec.fields['topics']).toBe(mirrorSourceSpec.fields['topics']);
    expect(mirrorHeartbeatSpec.names).not.toContain('topics');
    expect(mirrorHeartbeatSpec.names).not.toContain('groups');
    expect(mirrorSourceSpec.names).not.toContain('groups');
  });
});

describe('derived settings', () => {
  it('puts the offset-syncs topic on the target named after the source alias when located there', () => {
    const s = mirrorCheckpointSettings({ ...BASE, 'source.cluster.alias': 'A', 'target.cluster.alias': 'B', 'offset-syncs.topic.location': 'target' });
    expect(s.offsetSyncsTopic).toBe('mm2-offset-syncs.A.internal');
    expect(s.checkpointsTopic).toBe('A.checkpoints.internal');
  });

  it('builds the policy from the policy keys: Identity by simple name, custom separator', () => {
    const identity = mirrorSourceSettings({ ...BASE, 'source.cluster.alias': 'A', 'replication.policy.class': 'IdentityReplicationPolicy' });
    expect(identity.policy.formatRemoteTopic('A', 'orders')).toBe('orders');
    expect(identity.policy.topicSource('orders')).toBe('A');
    const underscore = mirrorCheckpointSettings({ ...BASE, 'source.cluster.alias': 'A', 'replication.policy.separator': '_' });
    expect(underscore.checkpointsTopic).toBe('A_checkpoints_internal');
    expect(underscore.offsetSyncsTopic).toBe('mm2-offset-syncs_target_internal');
    const legacy = mirrorCheckpointSettings({
      ...BASE, 'source.cluster.alias': 'A', 'replication.policy.separator': '_', 'replication.policy.internal.topic.separator.enabled': 'false',
    });
    expect(legacy.checkpointsTopic).toBe('A.checkpoints.internal');
  });

  it('turns periodic jobs off with their flag or a negative interval', () => {
    const s = mirrorCheckpointSettings({ ...BASE, 'refresh.groups.enabled': 'false', 'emit.checkpoints.interval.seconds': '-1', 'sync.group.offsets.enabled': 'true', 'sync.group.offsets.interval.seconds': '5' });
    expect(s.refreshGroupsEnabled).toBe(false);
    expect(s.emitCheckpointsEnabled).toBe(false);
    expect([s.syncGroupOffsetsEnabled, s.syncGroupOffsetsIntervalMs]).toEqual([true, 5000]);
    expect(mirrorHeartbeatSettings({ ...BASE, 'emit.heartbeats.enabled': 'false' }).emitHeartbeatsEnabled).toBe(false);
    expect(mirrorSourceSettings({ ...BASE, enabled: 'false' }).enabled).toBe(false);
  });

  it('applies topics / groups lists with their excludes', () => {
    const s = mirrorCheckpointSettings({ ...BASE, topics: 'orders, pay.*', 'topics.exclude': 'pay-test', groups: 'app-.*', 'groups.exclude': 'app-tmp' });
    expect(s.topicFilter.shouldReplicateTopic('orders')).toBe(true);
    expect(s.topicFilter.shouldReplicateTopic('payments')).toBe(true);
    expect(s.topicFilter.shouldReplicateTopic('pay-test')).toBe(false);
    expect(s.topicFilter.shouldReplicateTopic('users')).toBe(false);
    expect(s.groupFilter.shouldReplicateGroup('app-1')).toBe(true);
    expect(s.groupFilter.shouldReplicateGroup('app-tmp')).toBe(false);
    expect(s.groupFilter.shouldReplicateGroup('console-consumer-1')).toBe(false);
  });
});

describe('validation names the bad key', () => {
  it('requires both bootstrap servers', () => {
    const issues = issuesOf(() => mirrorHeartbeatSettings({}));
    expect(issues.map((i) => i.name).sort()).toEqual(['source.cluster.bootstrap.servers', 'target.cluster.bootstrap.servers']);
    expect(issues[0].message).toMatch(/Missing required configuration/);
    expect(issuesOf(() => mirrorSourceSettings({ 'source.cluster.bootstrap.servers': 'a:1' })).map((i) => i.name)).toEqual(['target.cluster.bootstrap.servers']);
    expect(issuesOf(() => mirrorSourceSettings({ ...BASE, 'target.cluster.bootstrap.servers': ' , ' })).map((i) => i.name)).toEqual(['target.cluster.bootstrap.servers']);
  });

  const SETTINGS = { source: mirrorSourceSettings, checkpoint: mirrorCheckpointSettings, heartbeat: mirrorHeartbeatSettings };

  it.each([
    ['source', 'replication.policy.class', 'com.example.CustomPolicy', /must be one of/],
    ['source', 'replication.policy.separator', '', /non-empty/],
    ['source', 'offset-syncs.topic.location', 'elsewhere', /must be one of/],
    ['source', 'topics', 'orders, bad(', /Invalid pattern bad\(/],
    ['source', 'config.properties.exclude', '[z-a]', /Invalid pattern/],
    ['source', 'replication.factor', '0', /-1 \(broker default\) or at least 1/],
    ['source', 'refresh.topics.interval.seconds', '0', /positive, or negative to disable/],
    ['source', 'offset.lag.max', 'lots', /Invalid value lots/],
    ['source', 'source.cluster.alias', '', /non-empty/],
    ['source', 'forwarding.admin.class', 'com.example.Admin', /must be one of/],
    ['checkpoint', 'groups.exclude', '(', /Invalid pattern/],
    ['checkpoint', 'emit.checkpoints.interval.seconds', '0', /positive/],
    ['checkpoint', 'checkpoints.topic.replication.factor', '-2', /-1 \(broker default\)/],
    ['checkpoint', 'sync.group.offsets.enabled', 'maybe', /Invalid value maybe/],
    ['heartbeat', 'heartbeats.topic.replication.factor', '40000', /Invalid value 40000/],
    ['heartbeat', 'emit.heartbeats.interval.seconds', '0', /positive/],
  ] as const)('%s connector: %s=%s', (connector, key, value, message) => {
    const issues = issuesOf(() => SETTINGS[connector]({ ...BASE, [key]: value }));
    expect(issues).toHaveLength(1);
    expect(issues[0].name).toBe(key);
    expect(issues[0].message).toMatch(message);
  });

  it('reports several bad keys at once', () => {
    const v = mirrorCheckpointSpec.validate({ ...BASE, groups: '(', 'sync.group.offsets.interval.seconds': '0', 'source.cluster.alias': '' });
    expect(v.issues.map((i) => i.name).sort()).toEqual(['groups', 'source.cluster.alias', 'sync.group.offsets.interval.seconds']);
  });
});

describe('client properties', () => {
  const raw = {
    'source.cluster.alias': 'A',
    'source.cluster.bootstrap.servers': 'a:9092',
    'source.cluster.security.protocol': 'SASL_SSL',
    'source.cluster.producer.linger.ms': '7',
    'source.cluster.consumer.fetch.min.bytes': '10',
    'source.consumer.fetch.max.bytes': '1000',
    'source.admin.request.timeout.ms': '5000',
    'consumer.fetch.max.bytes': '500',
    'consumer.max.poll.records': '9',
    'producer.acks': '1',
    'producer.override.acks': 'all',
    'target.cluster.bootstrap.servers': 'b:9092',
    'target.producer.batch.size': '65536',
    'target.consumer.auto.offset.reset': 'latest',
    'source.consumer.enable.auto.commit': 'true',
  };

  it('starts from <side>.cluster.* without other roles\' sub-prefixes or the alias', () => {
    expect(clientProperties(raw, 'source', 'admin')).toEqual({
      'bootstrap.servers': 'a:9092', 'security.protocol': 'SASL_SSL', 'request.timeout.ms': '5000',
    });
  });

  it('layers <side>.cluster.<role>.*, <role>.*, then <side>.<role>.*; consumers never auto-commit and read from earliest unless told', () => {
    expect(clientProperties(raw, 'source', 'consumer')).toEqual({
      'bootstrap.servers': 'a:9092', 'security.protocol': 'SASL_SSL', 'fetch.min.bytes': '10', 'fetch.max.bytes': '1000', 'max.poll.records': '9',
      'enable.auto.commit': 'false', 'auto.offset.reset': 'earliest',
    });
    expect(clientProperties(raw, 'target', 'consumer')).toMatchObject({ 'bootstrap.servers': 'b:9092', 'auto.offset.reset': 'latest', 'enable.auto.commit': 'false' });
  });

  it('leaves out the worker\'s producer.override.* keys and keeps sides apart', () => {
    expect(clientProperties(raw, 'source', 'producer')).toEqual({ 'bootstrap.servers': 'a:9092', 'security.protocol': 'SASL_SSL', 'linger.ms': '7', acks: '1' });
    expect(clientProperties(raw, 'target', 'producer')).toEqual({ 'bootstrap.servers': 'b:9092', acks: '1', 'batch.size': '65536' });
  });

  it('is exposed on the settings for every side and role', () => {
    const s = mirrorCheckpointSettings(raw);
    expect(s.sourceConsumerProps['fetch.max.bytes']).toBe('1000');
    expect(s.targetAdminProps['bootstrap.servers']).toBe('b:9092');
    expect(s.targetConsumerProps['bootstrap.servers']).toBe('b:9092');
    expect(s.sourceProducerProps['linger.ms']).toBe('7');
    expect(s.targetProducerProps['batch.size']).toBe('65536');
    expect(s.sourceAdminProps['request.timeout.ms']).toBe('5000');
  });
});
