import { afterEach, describe, expect, it } from 'vitest';
import { mirrorHeartbeatPlugin } from '../../../../connectors/mirror/heartbeat/index.js';
import { decodeHeartbeat } from '../../../../connectors/mirror/records/heartbeat.js';
import type { Connector } from '../../../../connectors/sdk/connector.js';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import type { SourceTask } from '../../../../connectors/sdk/source-task.js';
import { until } from '../../../helpers/until.js';
import { connectorContext, pollUntil, taskContext, twoRegions } from '../checkpoint/mirror-contexts.js';

const setup = (extra: Record<string, string> = {}) => twoRegions({ name: 'hb', ...extra });

const running: (Connector | SourceTask)[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

describe('MirrorHeartbeatConnector', () => {
  it('is registered under the Java class names and short names', () => {
    expect(mirrorHeartbeatPlugin.className).toBe('org.apache.kafka.connect.mirror.MirrorHeartbeatConnector');
    expect(mirrorHeartbeatPlugin.taskClassName).toBe('org.apache.kafka.connect.mirror.MirrorHeartbeatTask');
    expect(mirrorHeartbeatPlugin.aliases).toEqual(['MirrorHeartbeatConnector', 'MirrorHeartbeat']);
  });

  it('creates the heartbeats topic on the target (one partition, compacted) before it hands out its one task', async () => {
    const { b, kafka, config } = setup({ 'heartbeats.topic.replication.factor': '1' });
    const connector = mirrorHeartbeatPlugin.createConnector();
    running.push(connector);
    await connector.start(config, connectorContext(kafka));
    const configs = await connector.taskConfigs(5);
    expect(configs).toEqual([config]);
    expect(b.topics.get('heartbeats')).toMatchObject({ replicationFactor: 1, configs: { 'cleanup.policy': 'compact' } });
    expect(b.topics.get('heartbeats')!.partitions).toHaveLength(1);
  });

  it('fails naming heartbeats.topic.replication.factor when the target cannot have that many replicas', async () => {
    const { b, kafka, config } = setup();
    b.createTopicError = new Error('INVALID_REPLICATION_FACTOR: replication factor 3 is not possible on a single broker; use 1 or -1');
    const context = connectorContext(kafka);
    const connector = mirrorHeartbeatPlugin.createConnector();
    running.push(connector);
    await connector.start(config, context);
    await until(() => context.errors.length > 0);
    expect(context.errors[0]!.message).toMatch(/heartbeats on the target cluster with replication factor 3 \(heartbeats\.topic\.replication\.factor\).*use 1 or -1/);
  });

  it.each([
    ['emit.heartbeats.enabled=false', { 'emit.heartbeats.enabled': 'false' }],
    ['enabled=false', { enabled: 'false' }],
    ['a negative interval', { 'emit.heartbeats.interval.seconds': '-1' }],
  ])('runs no task and creates nothing with %s', async (_name, extra) => {
    const { b, kafka, config } = setup(extra);
    const connector = mirrorHeartbeatPlugin.createConnector();
    running.push(connector);
    await connector.start(config, connectorContext(kafka));
    expect(await connector.taskConfigs(3)).toEqual([]);
    expect(b.topics.size).toBe(0);
    expect(kafka.connections).toEqual([]);
  });
});

describe('MirrorHeartbeatTask', () => {
  it('emits a heartbeat at once and then every interval, with MM2 bytes, timestamp and maps', async () => {
    const { kafka, config } = setup({ 'emit.heartbeats.interval.seconds': '1' });
    const task = mirrorHeartbeatPlugin.createTask();
    running.push(task);
    const before = Date.now();
    await task.start(config, taskContext(kafka));
    const records = await pollUntil(task, (all) => all.length >= 3, 5_000);
    const after = Date.now();
    expect(after - before).toBeGreaterThanOrEqual(1_900);
    for (const r of records) {
      expect(r).toMatchObject({ topic: 'heartbeats', kafkaPartition: 0, keySchema: Schema.OPTIONAL_BYTES_SCHEMA, valueSchema: Schema.OPTIONAL_BYTES_SCHEMA });
      const h = decodeHeartbeat(r.key as Buffer, r.value as Buffer);
      expect(h).toMatchObject({ sourceClusterAlias: 'A', targetClusterAlias: 'B' });
      expect(h.timestamp).toBe(r.timestamp);
      expect(Object.entries(r.sourcePartition)).toEqual([['sourceClusterAlias', 'A'], ['targetClusterAlias', 'B']]);
      expect(r.sourceOffset).toEqual({ offset: 0 });
    }
    const times = records.map((r) => r.timestamp!);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(950);
  });

  it('returns promptly with nothing when aborted between heartbeats', async () => {
    const { kafka, config } = setup({ 'emit.heartbeats.interval.seconds': '60' });
    const task = mirrorHeartbeatPlugin.createTask();
    running.push(task);
    await task.start(config, taskContext(kafka));
    expect(await task.poll(new AbortController().signal)).toHaveLength(1);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 20);
    const started = Date.now();
    expect(await task.poll(abort.signal)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(500);
  });
});
