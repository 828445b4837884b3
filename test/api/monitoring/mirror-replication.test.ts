/**
 * GET /connectors/{c}/replication against two bundled brokers (regions A and B) and a
 * `ferry worker` next to B running MirrorMaker's connectors: the flow A → B, the replicated topic
 * with its remote name, the lag per partition falling to zero once everything is copied and
 * growing while the connector is paused, the latest checkpoint of a consumer group, the same
 * answers from a second worker of the cluster, and what the answer says when the source cluster
 * is down.
 */
import { describe, expect, it } from 'vitest';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { startFerryWorker } from '../../helpers/ferry-process.js';
import { until } from '../../helpers/until.js';
import { flowConfig, runConnector, stopRegion, twoRegionsWithWorker } from '../../connectors/mirror/mirror-harness.js';
import { createTopic, numberedRecords, produce } from '../../connectors/mirror/mirror-topics.js';

interface ReplicatedPartition {
  partition: number;
  upstream_offset: number | null;
  upstream_end_offset: number | null;
  lag: number | null;
}

interface ConnectorReplication {
  name: string;
  connector_class: string;
  kind: string;
  source_cluster_alias: string;
  target_cluster_alias: string;
  topics: { source_topic: string; target_topic: string; lag: number | null; partitions: ReplicatedPartition[] }[];
  total_lag: number | null;
  checkpoints_topic: string | null;
  checkpoints: { group: string; topic: string; partition: number; upstream_offset: number; downstream_offset: number; timestamp: number }[];
  error: string | null;
}

const regions = twoRegionsWithWorker();

async function replicationOf(name: string): Promise<ConnectorReplication> {
  const res = await regions.worker.rest.request<ConnectorReplication>('GET', `/connectors/${name}/replication`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function untilReplication(name: string, what: string, accept: (r: ConnectorReplication) => boolean): Promise<ConnectorReplication> {
  let last: ConnectorReplication | undefined;
  try {
    return await until(async () => {
      last = await replicationOf(name);
      return accept(last) ? last : undefined;
    }, { timeoutMs: 60_000, intervalMs: 250, what });
  } catch (err) {
    throw new Error(`${(err as Error).message}; last answer: ${JSON.stringify(last)}`, { cause: err });
  }
}

const partitionsAt = (offset: number) => [0, 1, 2].map((partition) => ({ partition, upstream_offset: offset, upstream_end_offset: offset, lag: 0 }));

describe('GET /connectors/{c}/replication between two regions', () => {
  it('shows the flow A → B and the replicated topic, with no lag once every record is copied', async () => {
    await createTopic(regions.A.kafka, 'orders', 3);
    await produce(regions.A.kafka, 'orders', numberedRecords('orders', 0, 300, 3));
    await runConnector(regions.worker.rest, 'mirror-source', {
      'connector.class': 'MirrorSourceConnector', topics: 'orders', ...flowConfig(regions.A, regions.B),
    }, 1);
    const caughtUp = await untilReplication('mirror-source', 'no replication lag', (r) => r.total_lag === 0 && r.topics.length === 1);
    expect(caughtUp).toEqual({
      name: 'mirror-source', connector_class: 'org.apache.kafka.connect.mirror.MirrorSourceConnector', kind: 'source',
      source_cluster_alias: 'A', target_cluster_alias: 'B',
      topics: [{ source_topic: 'orders', target_topic: 'A.orders', lag: 0, partitions: partitionsAt(100) }],
      total_lag: 0, checkpoints_topic: null, checkpoints: [], error: null,
    });
  }, 120_000);

  it('shows the records written upstream while the connector is paused as replication lag', async () => {
    expect((await regions.worker.rest.request('PUT', '/connectors/mirror-source/pause')).status).toBe(202);
    await regions.worker.rest.untilStates('mirror-source', { connector: 'PAUSED', tasks: ['PAUSED'] });
    await produce(regions.A.kafka, 'orders', numberedRecords('orders', 300, 30, 3));
    const paused = await untilReplication('mirror-source', 'a lag of 30 records', (r) => r.total_lag === 30);
    expect(paused.topics[0]!.partitions).toEqual([0, 1, 2].map((partition) => ({ partition, upstream_offset: 100, upstream_end_offset: 110, lag: 10 })));

    expect((await regions.worker.rest.request('PUT', '/connectors/mirror-source/resume')).status).toBe(202);
    const resumed = await untilReplication('mirror-source', 'no lag after resume', (r) => r.total_lag === 0);
    expect(resumed.topics[0]!.partitions).toEqual(partitionsAt(110));
  }, 120_000);

  it('shows the latest checkpoint of a consumer group of the source cluster', async () => {
    const admin = regions.A.kafka.admin();
    await admin.connect();
    await admin.setOffsets({ groupId: 'billing', topic: 'orders', partitions: [0, 1, 2].map((partition) => ({ partition, offset: '50' })) });
    await admin.disconnect();
    await runConnector(regions.worker.rest, 'mirror-checkpoint', {
      'connector.class': 'MirrorCheckpointConnector', groups: 'billing', topics: 'orders', ...flowConfig(regions.A, regions.B),
    }, 1);
    const answer = await untilReplication('mirror-checkpoint', 'a checkpoint of billing for each partition', (r) => r.checkpoints.length === 3);
    expect({ ...answer, checkpoints: [] }).toEqual({
      name: 'mirror-checkpoint', connector_class: 'org.apache.kafka.connect.mirror.MirrorCheckpointConnector', kind: 'checkpoint',
      source_cluster_alias: 'A', target_cluster_alias: 'B', topics: [], total_lag: null,
      checkpoints_topic: 'A.checkpoints.internal', checkpoints: [], error: null,
    });
    for (const [partition, checkpoint] of answer.checkpoints.entries()) {
      expect(checkpoint).toMatchObject({ group: 'billing', topic: 'A.orders', partition, upstream_offset: 50 });
      // Translated through the offset syncs: never past the same record on B (offsets match here, nothing else writes A.orders).
      expect(checkpoint.downstream_offset).toBeGreaterThan(0);
      expect(checkpoint.downstream_offset).toBeLessThanOrEqual(50);
      expect(Math.abs(Date.now() - checkpoint.timestamp)).toBeLessThan(120_000);
    }
  }, 120_000);

  it('answers 400 for a connector that is not a MirrorMaker connector, and 404 for an unknown one', async () => {
    await runConnector(regions.worker.rest, 'plain-sink', {
      'connector.class': 'FileStreamSink', file: '/dev/null', topics: 'A.orders',
    });
    expect(await regions.worker.rest.request('GET', '/connectors/plain-sink/replication')).toEqual({
      status: 400,
      body: { error_code: 400, message: 'Connector plain-sink is not a MirrorMaker connector (MirrorSourceConnector, MirrorCheckpointConnector or MirrorHeartbeatConnector)' },
    });
    expect(await regions.worker.rest.request('GET', '/connectors/nope/replication')).toEqual({
      status: 404, body: { error_code: 404, message: 'Connector nope not found' },
    });
  });

  it('answers the same through a second worker of the cluster, whichever worker runs the tasks', async () => {
    const second = await startFerryWorker(regions.worker.propertiesFile);
    try {
      const other = new ConnectRest(second.restUrl);
      for (const path of ['/connectors/mirror-source/replication', '/connectors/mirror-checkpoint/replication', '/connectors/plain-sink/lag']) {
        // Both read the same Kafka state; polled because the sink may still be committing while the tasks are spread over both.
        const [here] = await until(async () => {
          const answers = await Promise.all([regions.worker.rest.request('GET', path), other.request('GET', path)]);
          return JSON.stringify(answers[0]) === JSON.stringify(answers[1]) ? answers : undefined;
        }, { timeoutMs: 30_000, intervalMs: 250, what: `the same answer to GET ${path} from both workers` });
        expect(here.status, path).toBe(200);
      }
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('keeps the replicated offsets and says why the end offsets are missing while the source cluster is down', async () => {
    await stopRegion(regions.A);
    const answer = await replicationOf('mirror-source');
    expect(answer.error).toMatch(/^Could not read the end offsets of cluster A: /);
    expect(answer.total_lag).toBeNull();
    expect(answer.topics[0]!.partitions).toEqual([0, 1, 2].map((partition) => ({ partition, upstream_offset: 110, upstream_end_offset: null, lag: null })));
  }, 60_000);
});
