import fs from 'node:fs';
import path from 'node:path';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMirrorCommand } from '../../../cli/commands/mirror-command.js';
import { encodeCheckpoint, type Checkpoint } from '../../../connectors/mirror/records/checkpoint.js';
import { kafkaClient } from '../../helpers/kafkajs-clients.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';
import { captureCommand } from './process-output.js';

/** Cluster B alone: the checkpoints a running A->B flow would have written, produced by the test. */
let broker: TestBroker;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;
const dir = tempDir('ferry-mirror-cli-');

function run(...args: string[]) {
  return captureCommand(() => runMirrorCommand(args));
}

function onB(...args: string[]) {
  return run('translate-offsets', '--from', 'A', '--to', 'B', '--bootstrap-server', broker.bootstrap, ...args);
}

const checkpoint = (group: string, topic: string, partition: number, upstreamOffset: number, downstreamOffset: number): Checkpoint => (
  { group, topic, partition, upstreamOffset, downstreamOffset, metadata: '' });

async function writeCheckpoints(topic: string, checkpoints: Checkpoint[], extra: { key: Buffer; value: Buffer }[] = []): Promise<void> {
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }], waitForLeaders: true });
  await producer.send({ topic, messages: [...checkpoints.map((c) => encodeCheckpoint(c)), ...extra] });
}

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = kafkaClient(broker.bootstrap, 'mirror-cli-test');
  admin = kafka.admin();
  producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
  await admin.createTopics({ topics: [{ topic: 'A.orders', numPartitions: 2 }], waitForLeaders: true });
  await producer.send({ topic: 'A.orders', messages: Array.from({ length: 40 }, (_, i) => ({ partition: i % 2, value: `v${i}` })) });
  await writeCheckpoints('A.checkpoints.internal', [
    checkpoint('g1', 'A.orders', 0, 10, 8),
    checkpoint('g1', 'A.orders', 1, 5, 5),
    checkpoint('g2', 'A.orders', 0, 100, 19),
    checkpoint('g1', 'A.orders', 0, 20, 18),
  ]);
});

afterAll(async () => {
  await Promise.all([admin?.disconnect(), producer?.disconnect()]);
  await broker?.close();
});

it('prints the latest checkpoint of each partition for the group, like RemoteClusterUtils.translateOffsets', async () => {
  const { code, stdout, stderr } = await onB('--group', 'g1');
  expect(code).toBe(0);
  expect(stdout).toBe([
    'TOPIC     PARTITION  OFFSET  UPSTREAM-OFFSET',
    'A.orders  0          18      20',
    'A.orders  1          5       5',
    '',
  ].join('\n'));
  expect(stderr).toBe('');
});

it('skips records that are not checkpoints, and says so', async () => {
  await writeCheckpoints('J.checkpoints.internal', [checkpoint('g1', 'J.orders', 0, 3, 3)], [{ key: Buffer.from('not a checkpoint'), value: Buffer.from('x') }]);
  const { code, stdout, stderr } = await run('translate-offsets', '--group', 'g1', '--from', 'J', '--to', 'B', '--bootstrap-server', broker.bootstrap);
  expect(code).toBe(0);
  expect(stdout).toMatch(/^J\.orders\s+0\s+3\s+3$/m);
  expect(stderr).toBe('ferry mirror: skipped 1 records of J.checkpoints.internal that are not checkpoints\n');
});

it('prints JSON for scripts', async () => {
  const { code, stdout } = await onB('--group', 'g2', '--json');
  expect(code).toBe(0);
  expect(JSON.parse(stdout)).toEqual({
    group: 'g2', from: 'A', to: 'B', checkpointsTopic: 'A.checkpoints.internal', applied: false,
    offsets: [{ topic: 'A.orders', partition: 0, offset: 19, upstreamOffset: 100, metadata: '' }],
  });
});

describe('--apply (in order: the first test leaves a consumer of g1 running)', () => {
  let consumer: Consumer | undefined;
  afterAll(async () => consumer?.disconnect());

  it('commits the printed offsets, and a consumer of the group on B starts there', async () => {
    const { code, stdout } = await onB('--group', 'g1', '--apply');
    expect(code).toBe(0);
    expect(stdout).toContain('Committed 2 offsets to group g1 on B.\n');
    const committed = await admin.fetchOffsets({ groupId: 'g1', topics: ['A.orders'] });
    expect(committed[0]!.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual([[0, '18'], [1, '5']]);

    consumer = kafka.consumer({ groupId: 'g1', maxWaitTimeInMs: 100 });
    const first = new Map<number, string>();
    await consumer.connect();
    await consumer.subscribe({ topics: ['A.orders'], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ partition, message }) => { if (!first.has(partition)) first.set(partition, message.offset); } });
    await until(() => first.size === 2, { what: 'a record from each partition' });
    expect(Object.fromEntries(first)).toEqual({ 0: '18', 1: '5' });
  });

  it('refuses while the group has active members on B, in one line', async () => {
    const { code, stdout, stderr } = await onB('--group', 'g1', '--apply');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^ferry mirror translate-offsets: group 'g1' has active members on B \(127\.0\.0\.1:\d+\): stop its consumers there, then run --apply again\n$/);
  });
});

it('reads the checkpoints topic the policy in the MirrorMaker file names, with B\'s address from it', async () => {
  await writeCheckpoints('S_checkpoints_internal', [checkpoint('g3', 'S_orders', 0, 7, 6)]);
  const file = path.join(dir, 'mm2.properties');
  fs.writeFileSync(file, `clusters = S, B\nS.bootstrap.servers = 127.0.0.1:1\nB.bootstrap.servers = ${broker.bootstrap}\nreplication.policy.separator = _\n`);
  const { code, stdout } = await run('translate-offsets', '--group', 'g3', '--from', 'S', '--to', 'B', '--config', file);
  expect(code).toBe(0);
  expect(stdout).toMatch(/^S_orders\s+0\s+6\s+7$/m);
});

it.each([
  ['no checkpoints topic', ['--group', 'g1', '--from', 'C'], /^ferry mirror translate-offsets: B \(127\.0\.0\.1:\d+\) has no topic C\.checkpoints\.internal: no checkpoints from C yet \(is the C->B flow running\?\)\n$/],
  ['no checkpoints of the group', ['--group', 'nobody'], /^ferry mirror translate-offsets: no checkpoints for group 'nobody' in A\.checkpoints\.internal on B \(127\.0\.0\.1:\d+\)\n$/],
])('fails on %s with one line', async (_what, args, message) => {
  const { code, stderr } = await run('translate-offsets', '--from', 'A', '--to', 'B', '--bootstrap-server', broker.bootstrap, ...args);
  expect(code).toBe(1);
  expect(stderr).toMatch(message);
});

it.each([
  [[], /^ferry mirror: missing command\n/],
  [['translate'], /unknown command 'translate'/],
  [['translate-offsets', '--from', 'A', '--to', 'B', '--bootstrap-server', 'x:1'], /^ferry mirror translate-offsets: --group G is required \(the consumer group\)\n/],
  [['translate-offsets', '--group', 'g', '--from', 'A', '--to', 'B'], /needs either --config or --bootstrap-server/],
  [['translate-offsets', '--group', 'g', '--from', 'A', '--to', 'A', '--bootstrap-server', 'x:1'], /--from and --to must name different clusters/],
])('usage mistake %j exits 2', async (args, message) => {
  const { code, stderr } = await run(...args);
  expect(code).toBe(2);
  expect(stderr).toMatch(message);
  expect(stderr).toMatch(/Run 'ferry mirror (<command>|translate-offsets) --help' for /);
});

it('names a --from cluster the file does not have', async () => {
  const file = path.join(dir, 'two.properties');
  fs.writeFileSync(file, 'clusters = A, B\nA.bootstrap.servers = a:1\nB.bootstrap.servers = b:1\n');
  const { code, stderr } = await run('translate-offsets', '--group', 'g', '--from', 'X', '--to', 'B', '--config', file);
  expect(code).toBe(1);
  expect(stderr).toMatch(/^ferry mirror translate-offsets: --from names 'X', which is not in clusters \(A, B\) of .*two\.properties\n$/);
});
