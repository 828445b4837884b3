import { describe, expect, it } from 'vitest';
import {
  createReplicationPolicy, isCycle, REPLICATION_POLICY_CLASS_NAMES, type ReplicationPolicySettings,
} from '../../../../connectors/mirror/policy/replication-policy.js';

const settings = (over: Partial<ReplicationPolicySettings> = {}): ReplicationPolicySettings => ({
  className: 'org.apache.kafka.connect.mirror.DefaultReplicationPolicy', separator: '.', internalTopicSeparatorEnabled: true,
  sourceClusterAlias: 'A', ...over,
});

describe('DefaultReplicationPolicy', () => {
  const policy = createReplicationPolicy(settings());

  it('prefixes remote topics with the source alias and reads hops back', () => {
    expect(policy.formatRemoteTopic('A', 'orders')).toBe('A.orders');
    expect(policy.topicSource('A.orders')).toBe('A');
    expect(policy.upstreamTopic('A.orders')).toBe('orders');
    expect(policy.topicSource('B.A.orders')).toBe('B');
    expect(policy.upstreamTopic('B.A.orders')).toBe('A.orders');
    expect(policy.originalTopic('B.A.orders')).toBe('orders');
    expect(policy.topicSource('orders')).toBeNull();
    expect(policy.upstreamTopic('orders')).toBeNull();
    expect(policy.originalTopic('orders')).toBe('orders');
  });

  it('treats a trailing separator as no hop, as Java String.split does', () => {
    expect(policy.topicSource('A.')).toBeNull();
    expect(policy.topicSource('A..')).toBeNull();
    expect(policy.topicSource('.x')).toBe('');
  });

  it('names the internal topics as MM2 does', () => {
    expect(policy.heartbeatsTopic()).toBe('heartbeats');
    expect(policy.checkpointsTopic('A')).toBe('A.checkpoints.internal');
    expect(policy.offsetSyncsTopic('B')).toBe('mm2-offset-syncs.B.internal');
    expect(policy.isHeartbeatsTopic('heartbeats')).toBe(true);
    expect(policy.isHeartbeatsTopic('B.A.heartbeats')).toBe(true);
    expect(policy.isHeartbeatsTopic('myheartbeats')).toBe(false);
    expect(policy.isCheckpointsTopic('A.checkpoints.internal')).toBe(true);
    expect(policy.isCheckpointsTopic('A.checkpoints')).toBe(false);
  });

  it('never replicates internal topics: *.internal, *-internal, __*, .*; heartbeats are replicated', () => {
    for (const t of ['mm2-offset-syncs.B.internal', 'A.checkpoints.internal', 'connect-offsets-internal', 'x.internal', '__consumer_offsets', '.hidden']) {
      expect(policy.isInternalTopic(t), t).toBe(true);
    }
    for (const t of ['heartbeats', 'A.heartbeats', 'orders', 'internal', 'orders_internal']) expect(policy.isInternalTopic(t), t).toBe(false);
    expect(policy.isMM2InternalTopic('mm2-offset-syncs.B.internal')).toBe(true);
    expect(policy.isMM2InternalTopic('orders')).toBe(false);
  });

  it('uses a custom separator for data and, by default, internal topic names (KIP-690)', () => {
    const p = createReplicationPolicy(settings({ separator: '_' }));
    expect(p.formatRemoteTopic('A', 'orders')).toBe('A_orders');
    expect(p.topicSource('A_orders.v1')).toBe('A');
    expect(p.upstreamTopic('B_A_orders')).toBe('A_orders');
    expect(p.originalTopic('B_A_orders')).toBe('orders');
    expect(p.checkpointsTopic('A')).toBe('A_checkpoints_internal');
    expect(p.offsetSyncsTopic('B')).toBe('mm2-offset-syncs_B_internal');
    expect(p.isCheckpointsTopic('A_checkpoints_internal')).toBe(true);
    expect(p.isInternalTopic('mm2-offset-syncs_B_internal')).toBe(true);
    expect(p.isHeartbeatsTopic('B_A_heartbeats')).toBe(true);
  });

  it('keeps dotted internal names with the flag off, for deployments from before 3.1', () => {
    const p = createReplicationPolicy(settings({ separator: '__', internalTopicSeparatorEnabled: false }));
    expect(p.formatRemoteTopic('A', 'orders')).toBe('A__orders');
    expect(p.checkpointsTopic('A')).toBe('A.checkpoints.internal');
    expect(p.offsetSyncsTopic('B')).toBe('mm2-offset-syncs.B.internal');
    expect(p.isCheckpointsTopic('A.checkpoints.internal')).toBe(true);
    expect(p.isInternalTopic('mm2-offset-syncs.B.internal')).toBe(true);
  });

  it('handles a multi-character separator', () => {
    const p = createReplicationPolicy(settings({ separator: '--' }));
    expect(p.topicSource('A--my-topic')).toBe('A');
    expect(p.upstreamTopic('A--my-topic')).toBe('my-topic');
    expect(p.topicSource('my-topic')).toBeNull();
  });
});

describe('IdentityReplicationPolicy', () => {
  const policy = createReplicationPolicy(settings({ className: 'org.apache.kafka.connect.mirror.IdentityReplicationPolicy' }));

  it('keeps topic names and reports the configured source alias', () => {
    expect(policy.formatRemoteTopic('A', 'orders')).toBe('orders');
    expect(policy.topicSource('orders')).toBe('A');
    expect(policy.upstreamTopic('orders')).toBe('orders');
    expect(policy.originalTopic('orders')).toBe('orders');
    expect(policy.originalTopic('A.orders')).toBe('A.orders');
  });

  it('still prefixes heartbeats, so hops show in their names', () => {
    expect(policy.formatRemoteTopic('A', 'heartbeats')).toBe('A.heartbeats');
    expect(policy.topicSource('A.heartbeats')).toBe('A');
    expect(policy.upstreamTopic('B.A.heartbeats')).toBe('A.heartbeats');
    expect(policy.topicSource('heartbeats')).toBeNull();
    expect(policy.isHeartbeatsTopic('B.A.heartbeats')).toBe(true);
  });

  it('names internal topics as the default policy does', () => {
    expect(policy.checkpointsTopic('A')).toBe('A.checkpoints.internal');
    expect(policy.offsetSyncsTopic('B')).toBe('mm2-offset-syncs.B.internal');
    expect(policy.isInternalTopic('A.checkpoints.internal')).toBe(true);
  });
});

describe('createReplicationPolicy', () => {
  it('accepts full Java class names and simple names', () => {
    expect(REPLICATION_POLICY_CLASS_NAMES).toEqual([
      'org.apache.kafka.connect.mirror.DefaultReplicationPolicy', 'DefaultReplicationPolicy',
      'org.apache.kafka.connect.mirror.IdentityReplicationPolicy', 'IdentityReplicationPolicy',
    ]);
    expect(createReplicationPolicy(settings({ className: 'DefaultReplicationPolicy' })).formatRemoteTopic('A', 't')).toBe('A.t');
    expect(createReplicationPolicy(settings({ className: 'IdentityReplicationPolicy' })).formatRemoteTopic('A', 't')).toBe('t');
  });

  it('refuses unknown classes and an empty separator', () => {
    expect(() => createReplicationPolicy(settings({ className: 'com.example.MyPolicy' }))).toThrow(/Unknown replication policy com.example.MyPolicy/);
    expect(() => createReplicationPolicy(settings({ className: 'toString' }))).toThrow(/Unknown replication policy/);
    expect(() => createReplicationPolicy(settings({ separator: '' }))).toThrow(/separator must not be empty/);
  });
});

describe('isCycle', () => {
  const policy = createReplicationPolicy(settings());

  it('finds the target alias at any hop', () => {
    expect(isCycle(policy, 'B.orders', 'B')).toBe(true);
    expect(isCycle(policy, 'C.B.orders', 'B')).toBe(true);
    expect(isCycle(policy, 'C.D.orders', 'B')).toBe(false);
    expect(isCycle(policy, 'orders', 'B')).toBe(false);
    expect(isCycle(policy, 'B.heartbeats', 'B')).toBe(true);
  });

  it('under Identity naming sees only the configured source alias and terminates', () => {
    const identity = createReplicationPolicy(settings({ className: 'IdentityReplicationPolicy' }));
    expect(isCycle(identity, 'orders', 'B')).toBe(false);
    expect(isCycle(identity, 'B.orders', 'B')).toBe(false);
    expect(isCycle(identity, 'B.heartbeats', 'B')).toBe(true);
    const selfTarget = createReplicationPolicy(settings({ className: 'IdentityReplicationPolicy', sourceClusterAlias: 'B' }));
    expect(isCycle(selfTarget, 'orders', 'B')).toBe(true);
  });
});
