import { afterEach, describe, expect, it } from 'vitest';
import { ASSIGNED_GROUPS, mirrorCheckpointPlugin } from '../../../../connectors/mirror/checkpoint/index.js';
import { spreadGroups } from '../../../../connectors/mirror/checkpoint/assigned-groups.js';
import type { Connector } from '../../../../connectors/sdk/connector.js';
import { until } from '../../../helpers/until.js';
import { connectorContext, twoRegions } from './mirror-contexts.js';

function setup(extra: Record<string, string> = {}) {
  const regions = twoRegions({ name: 'cp', ...extra });
  return { ...regions, context: connectorContext(regions.kafka) };
}

const connectors: Connector[] = [];
function start(config: Record<string, string>, context: ReturnType<typeof connectorContext>): Connector {
  const connector = mirrorCheckpointPlugin.createConnector();
  connectors.push(connector);
  void connector.start(config, context);
  return connector;
}
afterEach(async () => {
  await Promise.all(connectors.splice(0).map((c) => c.stop()));
});

describe('MirrorCheckpointConnector', () => {
  it('is registered under the Java class names and short names', () => {
    expect(mirrorCheckpointPlugin.className).toBe('org.apache.kafka.connect.mirror.MirrorCheckpointConnector');
    expect(mirrorCheckpointPlugin.taskClassName).toBe('org.apache.kafka.connect.mirror.MirrorCheckpointTask');
    expect(mirrorCheckpointPlugin.aliases).toEqual(['MirrorCheckpointConnector', 'MirrorCheckpoint']);
    expect(mirrorCheckpointPlugin.kind).toBe('source');
  });

  it('creates <source>.checkpoints.internal on the target: one partition, compacted, with the configured replication factor', async () => {
    const { b, config, context } = setup({ 'checkpoints.topic.replication.factor': '1' });
    start(config, context);
    await until(() => b.topics.get('A.checkpoints.internal'));
    expect(b.topics.get('A.checkpoints.internal')).toMatchObject({ replicationFactor: 1, configs: { 'cleanup.policy': 'compact' } });
    expect(b.topics.get('A.checkpoints.internal')!.partitions).toHaveLength(1);
  });

  it('fails with a message naming checkpoints.topic.replication.factor when the target cannot have that many replicas', async () => {
    const { b, config, context } = setup();
    b.createTopicError = new Error('INVALID_REPLICATION_FACTOR: replication factor 3 is not possible on a single broker; use 1 or -1');
    start(config, context);
    await until(() => context.errors.length > 0);
    expect(context.errors[0]!.message).toMatch(/Cannot create A\.checkpoints\.internal on the target cluster with replication factor 3 \(checkpoints\.topic\.replication\.factor\)/);
  });

  it('deals the groups that pass the filters and consume replicated topics round-robin over tasks', async () => {
    const { a, config, context } = setup({ 'groups.exclude': 'skip-.*, console-consumer-.*' });
    a.commit('g1', 'orders', 0, 1);
    a.commit('g2', 'orders', 0, 1);
    a.commit('g3', 'payments', 1, 1);
    a.commit('skip-me', 'orders', 0, 1);
    a.commit('console-consumer-7', 'orders', 0, 1);
    a.commit('internal-only', '__consumer_offsets', 0, 1);
    a.commit('loops', 'B.orders', 0, 1);
    const connector = start(config, context);
    const configs = await connector.taskConfigs(2);
    expect(configs.map((c) => c[ASSIGNED_GROUPS])).toEqual(['g1,g3', 'g2']);
    expect(configs[0]).toMatchObject(config);
    expect((await connector.taskConfigs(10)).map((c) => c[ASSIGNED_GROUPS])).toEqual(['g1', 'g2', 'g3']);
  });

  it('asks for new task configs when the set of groups changes', async () => {
    const { a, config, context } = setup({ 'refresh.groups.interval.seconds': '1' });
    a.commit('g1', 'orders', 0, 1);
    const connector = start(config, context);
    expect((await connector.taskConfigs(4)).map((c) => c[ASSIGNED_GROUPS])).toEqual(['g1']);
    const before = context.reconfigurations;
    a.commit('g2', 'orders', 0, 1);
    await until(() => context.reconfigurations > before, { timeoutMs: 5_000 });
    expect((await connector.taskConfigs(4)).map((c) => c[ASSIGNED_GROUPS])).toEqual(['g1', 'g2']);
  });

  it.each([
    ['enabled=false', { enabled: 'false' }],
    ['emit.checkpoints.enabled=false', { 'emit.checkpoints.enabled': 'false' }],
    ['emit.offset-syncs.enabled=false', { 'emit.offset-syncs.enabled': 'false' }],
  ])('runs no tasks with %s', async (_name, extra) => {
    const { a, kafka, config, context } = setup(extra);
    a.commit('g1', 'orders', 0, 1);
    const connector = start(config, context);
    expect(await connector.taskConfigs(4)).toEqual([]);
    expect(kafka.connections).toEqual([]);
  });

  it('runs no tasks while no group qualifies', async () => {
    const { config, context } = setup();
    const connector = start(config, context);
    expect(await connector.taskConfigs(4)).toEqual([]);
  });

  it('keeps retrying an unreachable source and closes its clients on stop', async () => {
    const { a, kafka, config, context } = setup();
    a.unreachable = new Error('connect ECONNREFUSED');
    a.commit('g1', 'orders', 0, 1);
    const connector = start(config, context);
    await until(() => context.logger.entries.some((e) => e.level === 'warn' && /list the source consumer groups/.test(e.msg)));
    a.unreachable = undefined;
    await until(async () => (await connector.taskConfigs(1)).length === 1, { timeoutMs: 10_000 });
    await connector.stop();
    expect(kafka.open()).toEqual([]);
    expect(context.errors).toEqual([]);
  });
});

describe('spreadGroups', () => {
  it('sorts and deals round-robin, never more tasks than groups', () => {
    expect(spreadGroups(['c', 'a', 'b', 'd', 'e'], 2)).toEqual([['a', 'c', 'e'], ['b', 'd']]);
    expect(spreadGroups(['a'], 5)).toEqual([['a']]);
    expect(spreadGroups([], 3)).toEqual([]);
  });
});
