/**
 * The heartbeat and checkpoint connectors and the checkpoint task against two bundled brokers
 * (regions A and B) through the runtime's own Kafka clients: what the real admin, reader and
 * group coordinator answer, not a fake's. The worker's part (producing the task's records to B)
 * is played by a producer here; whole flows through a worker are in the lead's e2e suite.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSIGNED_GROUPS, mirrorCheckpointPlugin } from '../../../../connectors/mirror/checkpoint/index.js';
import { MirrorCheckpointTask } from '../../../../connectors/mirror/checkpoint/mirror-checkpoint-task.js';
import { mirrorHeartbeatPlugin } from '../../../../connectors/mirror/heartbeat/index.js';
import { decodeCheckpoint, type Checkpoint } from '../../../../connectors/mirror/records/checkpoint.js';
import { encodeOffsetSync } from '../../../../connectors/mirror/records/offset-sync.js';
import type { SourceRecord } from '../../../../connectors/sdk/connect-record.js';
import type { ClusterClient } from '../../../../connectors/sdk/kafka-clusters.js';
import { ConnectorClusters } from '../../../../runtime/kafka/connector-clusters.js';
import { startTestBroker, type TestBroker } from '../../../helpers/test-broker.js';
import { until } from '../../../helpers/until.js';
import { connectorContext, pollUntil, taskContext } from './mirror-contexts.js';

let a: TestBroker;
let b: TestBroker;
const kafka = new ConnectorClusters(pino({ level: process.env.FERRY_TEST_LOG ?? 'silent' }));
let clientA: ClusterClient;
let clientB: ClusterClient;

beforeAll(async () => {
  [a, b] = await Promise.all([startTestBroker(), startTestBroker()]);
  clientA = kafka.connect({ 'bootstrap.servers': a.bootstrap }, { clientId: 'test-a' });
  clientB = kafka.connect({ 'bootstrap.servers': b.bootstrap }, { clientId: 'test-b' });
});

afterAll(async () => {
  await kafka.closeAll();
  await Promise.all([a?.close(), b?.close()]);
});

function flow(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'source.cluster.alias': 'A', 'target.cluster.alias': 'B',
    'source.cluster.bootstrap.servers': a.bootstrap, 'target.cluster.bootstrap.servers': b.bootstrap,
    'checkpoints.topic.replication.factor': '1', 'heartbeats.topic.replication.factor': '1',
    'emit.checkpoints.interval.seconds': '1', 'refresh.groups.interval.seconds': '1', 'consumer.poll.timeout.ms': '100', ...extra,
  };
}

/** What the worker does with a source task's records: produce them to the target. */
async function produceToB(records: readonly SourceRecord[]): Promise<void> {
  const producer = clientB.producer();
  await producer.send(records.map((r) => ({ topic: r.topic, partition: r.kafkaPartition ?? undefined, key: r.key as Buffer, value: r.value as Buffer })));
  await producer.close();
}

async function writeSyncs(syncs: readonly [topic: string, partition: number, upstream: number, downstream: number][]): Promise<void> {
  await clientA.admin().createTopic({ name: 'mm2-offset-syncs.B.internal', partitions: 1, replicationFactor: 1, configs: { 'cleanup.policy': 'compact' } });
  const producer = clientA.producer();
  await producer.send(syncs.map(([topic, partition, upstreamOffset, downstreamOffset]) => ({
    topic: 'mm2-offset-syncs.B.internal', partition: 0, ...encodeOffsetSync({ topic, partition, upstreamOffset, downstreamOffset }),
  })));
  await producer.close();
}

async function stopAll(...running: { stop(): unknown }[]): Promise<void> {
  for (const r of running) await r.stop();
}

describe('on two bundled brokers', () => {
  it('the heartbeat connector names heartbeats.topic.replication.factor when the target has too few brokers', async () => {
    const context = connectorContext(kafka);
    const connector = mirrorHeartbeatPlugin.createConnector();
    await connector.start(flow({ 'heartbeats.topic.replication.factor': '3' }), context);
    await until(() => context.errors.length > 0, { timeoutMs: 30_000 });
    await connector.stop();
    expect(context.errors[0]!.message).toMatch(/Cannot create heartbeats on the target cluster with replication factor 3 \(heartbeats\.topic\.replication\.factor\)/);
    expect((await clientB.admin().listTopics())).not.toContain('heartbeats');
  });

  it('the heartbeat connector creates heartbeats compacted with one partition, and its task\'s records decode', async () => {
    const connector = mirrorHeartbeatPlugin.createConnector();
    await connector.start(flow(), connectorContext(kafka));
    const [config] = await connector.taskConfigs(1);
    expect(await clientB.admin().partitionCounts(['heartbeats'])).toEqual(new Map([['heartbeats', 1]]));
    expect(await clientB.admin().topicConfigOverrides('heartbeats')).toMatchObject({ 'cleanup.policy': 'compact' });
    const task = mirrorHeartbeatPlugin.createTask();
    await task.start(config!, taskContext(kafka));
    const records = await pollUntil(task, (all) => all.length >= 1);
    await produceToB(records);
    await stopAll(task, connector);
    expect((await clientB.admin().endOffsets('heartbeats')).get(0)).toBe(1);
  });

  it('checkpoints a group committed on A, commits it into B\'s idle group, and a restarted task does not repeat itself', async () => {
    await clientB.admin().createTopic({ name: 'A.orders', partitions: 2, replicationFactor: 1 });
    await clientA.admin().createTopic({ name: 'orders', partitions: 2, replicationFactor: 1 });
    await writeSyncs([['orders', 0, 0, 0], ['orders', 0, 120, 100], ['orders', 1, 50, 40]]);
    await clientA.admin().alterGroupOffsets('billing', [{ topic: 'orders', partition: 0, offset: 130 }, { topic: 'orders', partition: 1, offset: 50 }]);
    await clientA.admin().alterGroupOffsets('console-consumer-1', [{ topic: 'orders', partition: 0, offset: 1 }]);
    await clientB.admin().alterGroupOffsets('billing', [{ topic: 'A.orders', partition: 0, offset: 7 }]);

    const context = connectorContext(kafka);
    const connector = mirrorCheckpointPlugin.createConnector();
    await connector.start(flow({ 'sync.group.offsets.enabled': 'true', 'sync.group.offsets.interval.seconds': '1' }), context);
    const configs = await connector.taskConfigs(4);
    expect(configs.map((c) => c[ASSIGNED_GROUPS])).toEqual(['billing']);
    expect(await clientB.admin().topicConfigOverrides('A.checkpoints.internal')).toMatchObject({ 'cleanup.policy': 'compact' });

    let task = new MirrorCheckpointTask();
    await task.start(configs[0]!, taskContext(kafka));
    const records = await pollUntil(task, (all) => all.length >= 2, 20_000);
    const checkpoints = records.map((r) => decodeCheckpoint(r.key as Buffer, r.value as Buffer));
    expect(checkpoints.sort((x, y) => x.partition - y.partition)).toEqual<Checkpoint[]>([
      { group: 'billing', topic: 'A.orders', partition: 0, upstreamOffset: 130, downstreamOffset: 101, metadata: '' },
      { group: 'billing', topic: 'A.orders', partition: 1, upstreamOffset: 50, downstreamOffset: 40, metadata: '' },
    ]);
    await produceToB(records);
    await until(async () => {
      const offsets = await clientB.admin().groupOffsets('billing');
      return offsets.length === 2 && offsets.every((o) => o.offset === (o.partition === 0 ? 101 : 40));
    }, { timeoutMs: 20_000, what: 'translated offsets in B\'s group billing' });
    await task.stop();

    // Restarted: the same offsets translate to the same checkpoints, which are already in B's checkpoints topic.
    task = new MirrorCheckpointTask();
    await task.start(configs[0]!, taskContext(kafka));
    await until(() => task.ready, { timeoutMs: 20_000 });
    const again: SourceRecord[] = [];
    const deadline = Date.now() + 2_500;
    while (Date.now() < deadline) again.push(...await task.poll(new AbortController().signal));
    expect(again).toEqual([]);
    await stopAll(task, connector);
    expect(context.errors).toEqual([]);
  });
});
