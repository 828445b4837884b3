import { afterEach, describe, expect, it } from 'vitest';
import { ASSIGNED_GROUPS } from '../../../../connectors/mirror/checkpoint/assigned-groups.js';
import { MirrorCheckpointTask } from '../../../../connectors/mirror/checkpoint/mirror-checkpoint-task.js';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../../../../connectors/mirror/records/checkpoint.js';
import { encodeOffsetSync } from '../../../../connectors/mirror/records/offset-sync.js';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import type { SourceRecord } from '../../../../connectors/sdk/connect-record.js';
import { until } from '../../../helpers/until.js';
import { pollFor, pollUntil, taskContext, twoRegions } from './mirror-contexts.js';

const SYNCS = 'mm2-offset-syncs.B.internal';
const CHECKPOINTS = 'A.checkpoints.internal';

function setup(extra: Record<string, string> = {}) {
  const { a, b, kafka, config } = twoRegions({
    name: 'cp', [ASSIGNED_GROUPS]: 'g1,g2', 'emit.checkpoints.interval.seconds': '1', 'consumer.poll.timeout.ms': '50', ...extra,
  });
  a.createTopic(SYNCS, 1);
  const sync = (topic: string, partition: number, upstreamOffset: number, downstreamOffset: number, cluster = a, syncTopic = SYNCS) => {
    const { key, value } = encodeOffsetSync({ topic, partition, upstreamOffset, downstreamOffset });
    cluster.append(syncTopic, 0, key, value);
  };
  return { a, b, kafka, config, sync };
}

const checkpointsOf = (records: SourceRecord[]): Checkpoint[] => records.map((r) => decodeCheckpoint(r.key as Buffer, r.value as Buffer));

const tasks: MirrorCheckpointTask[] = [];
function newTask(): MirrorCheckpointTask {
  const task = new MirrorCheckpointTask();
  tasks.push(task);
  return task;
}
afterEach(async () => {
  await Promise.all(tasks.splice(0).map((t) => t.stop()));
});

describe('MirrorCheckpointTask', () => {
  it('emits checkpoint records: bytes, remote topic name, partition 0, source partition and offset maps', async () => {
    const { a, kafka, config, sync } = setup();
    sync('orders', 0, 100, 40);
    a.commit('g1', 'orders', 0, 100, 'meta');
    const task = newTask();
    task.start(config, taskContext(kafka));
    const [record] = await pollUntil(task, (all) => all.length >= 1);
    expect(record).toMatchObject({ topic: CHECKPOINTS, kafkaPartition: 0, keySchema: Schema.OPTIONAL_BYTES_SCHEMA, valueSchema: Schema.OPTIONAL_BYTES_SCHEMA });
    const expected: Checkpoint = { group: 'g1', topic: 'A.orders', partition: 0, upstreamOffset: 100, downstreamOffset: 40, metadata: 'meta' };
    expect(decodeCheckpoint(record!.key as Buffer, record!.value as Buffer)).toEqual(expected);
    expect(Buffer.compare(record!.key as Buffer, encodeCheckpoint(expected).key)).toBe(0);
    expect(Object.entries(record!.sourcePartition)).toEqual([['partition', 0], ['topic', 'A.orders'], ['group', 'g1']]);
    expect(record!.sourceOffset).toEqual({ offset: 0 });
  });

  it('reads every offset sync before translating, so the first checkpoint uses the latest sync', async () => {
    const { a, kafka, config, sync } = setup();
    for (let i = 0; i <= 50; i++) sync('orders', 0, i * 100, i * 100);
    a.maxRecordsPerPoll = 1;
    a.commit('g1', 'orders', 0, 5_050);
    const task = newTask();
    task.start(config, taskContext(kafka));
    const records = await pollUntil(task, (all) => all.length >= 1);
    expect(checkpointsOf(records)).toEqual([expect.objectContaining({ upstreamOffset: 5_050, downstreamOffset: 5_001 })]);
  });

  it('translates with syncs that arrive while running, and emits again only when the translation moves forward', async () => {
    const { a, kafka, config, sync } = setup();
    sync('orders', 0, 0, 0);
    a.commit('g1', 'orders', 0, 10);
    const task = newTask();
    task.start(config, taskContext(kafka));
    expect(checkpointsOf(await pollUntil(task, (all) => all.length >= 1))).toEqual([expect.objectContaining({ upstreamOffset: 10, downstreamOffset: 1 })]);
    sync('orders', 0, 10, 10);
    const next = await pollUntil(task, (all) => all.length >= 1);
    expect(checkpointsOf(next)).toEqual([expect.objectContaining({ upstreamOffset: 10, downstreamOffset: 10 })]);
    // Nothing changes: more intervals pass without a record.
    expect(await pollFor(task, 2_200)).toEqual([]);
  });

  it('checkpoints only assigned groups, replicated topics, partitions with syncs, and never a topic that came from the target', async () => {
    const { a, kafka, config, sync } = setup({ 'topics.exclude': 'secret.*' });
    sync('orders', 0, 5, 5);
    sync('secrets', 0, 5, 5);
    sync('B.orders', 0, 5, 5);
    a.commit('g1', 'orders', 0, 5);
    a.commit('g1', 'orders', 1, 5);
    a.commit('g1', 'secrets', 0, 5);
    a.commit('g1', 'B.orders', 0, 5);
    a.commit('g3', 'orders', 0, 5);
    a.commit('g2', 'orders', 0, 2);
    const task = newTask();
    task.start(config, taskContext(kafka));
    await until(() => task.ready);
    const records = await pollUntil(task, (all) => all.length >= 1);
    expect(checkpointsOf(records).map((c) => `${c.group}/${c.topic}-${c.partition}`)).toEqual(['g1/A.orders-0']);
  });

  it('names remote topics per the replication policy (Identity keeps names)', async () => {
    const { a, kafka, config, sync } = setup({ 'replication.policy.class': 'IdentityReplicationPolicy' });
    sync('orders', 0, 5, 5);
    a.commit('g1', 'orders', 0, 5);
    const task = newTask();
    task.start(config, taskContext(kafka));
    const records = await pollUntil(task, (all) => all.length >= 1);
    expect(checkpointsOf(records)[0]!.topic).toBe('orders');
  });

  it('reads offset syncs from the target when offset-syncs.topic.location=target', async () => {
    const { a, b, kafka, config, sync } = setup({ 'offset-syncs.topic.location': 'target' });
    b.createTopic('mm2-offset-syncs.A.internal', 1);
    sync('orders', 0, 7, 3, b, 'mm2-offset-syncs.A.internal');
    a.commit('g1', 'orders', 0, 7);
    const task = newTask();
    task.start(config, taskContext(kafka));
    const records = await pollUntil(task, (all) => all.length >= 1);
    expect(checkpointsOf(records)).toEqual([expect.objectContaining({ upstreamOffset: 7, downstreamOffset: 3 })]);
  });

  it('never emits a checkpoint behind one already in the checkpoints topic (restart), unless the group rewound upstream', async () => {
    const { a, b, kafka, config, sync } = setup();
    b.createTopic(CHECKPOINTS, 1);
    const earlier = encodeCheckpoint({ group: 'g1', topic: 'A.orders', partition: 0, upstreamOffset: 500, downstreamOffset: 500, metadata: '' });
    b.append(CHECKPOINTS, 0, earlier.key, earlier.value);
    const other = encodeCheckpoint({ group: 'g2', topic: 'A.orders', partition: 0, upstreamOffset: 500, downstreamOffset: 500, metadata: '' });
    b.append(CHECKPOINTS, 0, other.key, other.value);
    // After a restart only a coarse sync is known: g1 at 600 translates to 101, behind the stored 500.
    sync('orders', 0, 100, 100);
    a.commit('g1', 'orders', 0, 600);
    // g2 was rewound on purpose to 150: upstream went back, so it is emitted although downstream does too.
    a.commit('g2', 'orders', 0, 150);
    const task = newTask();
    task.start(config, taskContext(kafka));
    const records = await pollUntil(task, (all) => all.length >= 1);
    records.push(...await pollFor(task, 1_200));
    expect(checkpointsOf(records)).toEqual([expect.objectContaining({ group: 'g2', upstreamOffset: 150, downstreamOffset: 101 })]);
  });

  it('keeps running while the source is unreachable and checkpoints once it is back', async () => {
    const { a, kafka, config, sync } = setup();
    sync('orders', 0, 5, 5);
    a.commit('g1', 'orders', 0, 5);
    a.unreachable = new Error('connect ECONNREFUSED');
    const context = taskContext(kafka);
    const task = newTask();
    task.start(config, context);
    await until(() => context.logger.entries.some((e) => e.level === 'warn'));
    a.unreachable = undefined;
    const records = await pollUntil(task, (all) => all.length >= 1, 15_000);
    expect(checkpointsOf(records)).toEqual([expect.objectContaining({ group: 'g1', downstreamOffset: 5 })]);
  });

  it('returns promptly from poll when aborted, and stop closes every client', async () => {
    const { kafka, config } = setup({ 'consumer.poll.timeout.ms': '60000' });
    const task = newTask();
    task.start(config, taskContext(kafka));
    const abort = new AbortController();
    const started = Date.now();
    const polled = task.poll(abort.signal);
    setTimeout(() => abort.abort(), 50);
    expect(await polled).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5_000);
    await task.stop();
    expect(kafka.open()).toEqual([]);
  });
});

describe('MirrorCheckpointTask with sync.group.offsets.enabled', () => {
  it('commits translated offsets into idle or unknown target groups, forward only, never into active ones', async () => {
    const { a, b, kafka, config, sync } = setup({
      'sync.group.offsets.enabled': 'true', 'sync.group.offsets.interval.seconds': '1', [ASSIGNED_GROUPS]: 'idle,fresh,busy,ahead',
    });
    b.createTopic('A.orders', 2);
    sync('orders', 0, 100, 90);
    sync('orders', 1, 100, 80);
    sync('gone', 0, 100, 80);
    for (const g of ['idle', 'fresh', 'busy', 'ahead']) {
      a.commit(g, 'orders', 0, 100);
      a.commit(g, 'orders', 1, 100);
      a.commit(g, 'gone', 0, 100);
    }
    b.commit('idle', 'A.orders', 0, 10);
    b.setGroupState('idle', 'Empty');
    b.commit('busy', 'A.orders', 0, 10);
    b.setGroupState('busy', 'Stable');
    b.commit('ahead', 'A.orders', 0, 95);
    b.setGroupState('ahead', 'Empty');
    const task = newTask();
    task.start(config, taskContext(kafka));
    await until(() => b.committed('fresh').size > 0 && b.committed('idle').get('A.orders-1') !== undefined && b.committed('ahead').get('A.orders-1') !== undefined);
    expect(Object.fromEntries(b.committed('idle'))).toEqual({ 'A.orders-0': 90, 'A.orders-1': 80 });
    expect(Object.fromEntries(b.committed('fresh'))).toEqual({ 'A.orders-0': 90, 'A.orders-1': 80 });
    expect(Object.fromEntries(b.committed('ahead'))).toEqual({ 'A.orders-0': 95, 'A.orders-1': 80 });
    expect(Object.fromEntries(b.committed('busy'))).toEqual({ 'A.orders-0': 10 });
  });
});
