/**
 * `ferry groups` from the build, as a child process, against a bundled broker started here, with
 * consumer groups made by kafkajs (a client nobody here wrote): the lag it reports against
 * kafkajs's committed offsets and the end offsets kcat reports, reset-offsets as a dry run and
 * executed (checked with kafkajs), and its refusal while the group has a member.
 */
import { spawn } from 'node:child_process';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reapAfterFile } from '../helpers/child-reaper.js';
import { collect, kafkaClient } from '../helpers/kafkajs-clients.js';
import { runProcess, type ProcessResult } from '../helpers/run-process.js';
import { CLI, startTestBroker, type TestBroker } from '../helpers/test-broker.js';
import { until } from '../helpers/until.js';

let broker: TestBroker;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;

function groups(args: string[]): Promise<ProcessResult> {
  return runProcess(process.execPath, [CLI, 'groups', ...args, '--bootstrap-server', broker.bootstrap], { timeoutMs: 30_000 });
}

async function kcatEndOffset(topic: string, partition: number): Promise<number> {
  const result = await runProcess('kcat', ['-b', broker.bootstrap, '-Q', '-t', `${topic}:${partition}:-1`], { timeoutMs: 30_000 });
  const match = /offset (\d+)/.exec(result.stdout);
  if (!match) throw new Error(`kcat -Q printed ${result.stdout}${result.stderr}`);
  return Number(match[1]);
}

/** The group's committed offsets as kafkajs reads them, by partition (-1: none). */
async function kafkajsCommitted(group: string, topic: string): Promise<Map<number, number>> {
  const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  return new Map(offsets!.partitions.map((p) => [p.partition, Number(p.offset)]));
}

function expectOneLineError(result: ProcessResult, pattern: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr.trimEnd()).toMatch(pattern);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
}

interface DescribedGroup {
  group: string;
  state: string;
  type: string;
  members: { memberId: string; clientId: string; host: string; partitions: number }[];
  partitions: { topic: string; partition: number; committedOffset: number | null; endOffset: number | null; lag: number | null; clientId: string | null }[];
  totalLag: number;
}

async function describeJson(group: string): Promise<DescribedGroup> {
  const result = await groups(['describe', group, '--json']);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as DescribedGroup;
}

const T0 = Date.parse('2026-01-01T00:00:00Z');

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = kafkaClient(broker.bootstrap, 'groups-cli-test');
  admin = kafka.admin();
  producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
  await admin.createTopics({ topics: [{ topic: 'payments', numPartitions: 3 }, { topic: 'ticks', numPartitions: 1 }], waitForLeaders: true });
  await producer.send({ topic: 'payments', messages: Array.from({ length: 12 }, (_, i) => ({ partition: i % 3, value: `p${i}` })) });
  await producer.send({ topic: 'ticks', messages: Array.from({ length: 10 }, (_, i) => ({ value: `t${i}`, timestamp: String(T0 + i * 60_000) })) });
  // A group that read everything there is, then stopped: its lag is what arrives afterwards.
  await collect(kafka, { topics: ['payments'], groupId: 'billing', done: (records) => records.length === 12 });
  await producer.send({ topic: 'payments', messages: [{ partition: 0, value: 'late-0' }, { partition: 2, value: 'late-2a' }, { partition: 2, value: 'late-2b' }] });
  await collect(kafka, { topics: ['ticks'], groupId: 'chart', done: (records) => records.length === 10 });
});

afterAll(async () => {
  await Promise.all([admin?.disconnect(), producer?.disconnect()]);
  await broker?.close();
});

describe('list and describe', () => {
  it('lists the groups kafkajs made with their type and state', async () => {
    const result = await groups(['list', '--json']);
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as { group: string; type: string; state: string; members: number }[];
    expect(listed).toEqual(expect.arrayContaining([
      { group: 'billing', type: 'consumer', state: 'Empty', members: 0 },
      { group: 'chart', type: 'consumer', state: 'Empty', members: 0 },
    ]));
    const { groups: kafkajsGroups } = await admin.listGroups();
    expect(listed.map((g) => g.group).sort()).toEqual(kafkajsGroups.map((g) => g.groupId).sort());
    const table = (await groups(['list'])).stdout;
    expect(table.split('\n')[0]).toBe('GROUP    TYPE      STATE  MEMBERS');
    expect(table).toMatch(/^billing\s+consumer\s+Empty\s+0$/m);
  });

  it('describes lag per partition: kafkajs\'s committed offsets against kcat\'s end offsets', async () => {
    const described = await describeJson('billing');
    const committed = await kafkajsCommitted('billing', 'payments');
    expect(described).toMatchObject({ group: 'billing', state: 'Empty', type: 'consumer', members: [] });
    for (const p of described.partitions) {
      const end = await kcatEndOffset('payments', p.partition);
      expect(p).toMatchObject({ topic: 'payments', committedOffset: committed.get(p.partition), endOffset: end, lag: end - committed.get(p.partition)! });
    }
    expect(described.partitions.map((p) => [p.partition, p.lag])).toEqual([[0, 1], [1, 0], [2, 2]]);
    expect(described.totalLag).toBe(3);

    const table = (await groups(['describe', 'billing'])).stdout;
    expect(table).toMatch(/^State:\s+Empty$/m);
    expect(table).toMatch(/^Total lag:\s+3$/m);
    expect(table).toMatch(/^TOPIC\s+PARTITION\s+CURRENT-OFFSET\s+LOG-END-OFFSET\s+LAG\s+CONSUMER-ID\s+HOST\s+CLIENT-ID$/m);
    expect(table).toMatch(/^payments\s+2\s+4\s+6\s+2\s+-\s+-\s+-$/m);
  });

  it('says in one line that a group does not exist', async () => {
    expectOneLineError(await groups(['describe', 'nobody']), /^ferry groups describe: group 'nobody' not found/);
  });
});

describe('a group with an active member', () => {
  let consumer: Consumer;

  beforeAll(async () => {
    consumer = kafka.consumer({ groupId: 'live', maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: ['payments'], fromBeginning: true });
    await consumer.run({ eachMessage: async () => {} });
    await until(async () => (await describeJson('live')).state === 'Stable' && (await describeJson('live')).members.length === 1, { what: 'group live stable', timeoutMs: 30_000 });
  });

  afterAll(async () => {
    await consumer?.disconnect();
  });

  it('shows the member, its client id and its partitions', async () => {
    const described = await describeJson('live');
    expect(described.members).toEqual([expect.objectContaining({ clientId: 'groups-cli-test', partitions: 3 })]);
    expect(described.partitions.map((p) => [p.partition, p.clientId])).toEqual([[0, 'groups-cli-test'], [1, 'groups-cli-test'], [2, 'groups-cli-test']]);
  });

  it('refuses to reset its offsets, dry run included, in one line', async () => {
    for (const execute of [[], ['--execute']]) {
      expectOneLineError(await groups(['reset-offsets', 'live', '--topic', 'payments', '--to-earliest', ...execute]),
        /^ferry groups reset-offsets: group 'live' has 1 active member \(state Stable\): stop its consumers, then reset its offsets$/);
    }
  });
});

describe('a ferry topics consume --group member', () => {
  it('shows in describe while it runs, and on Ctrl-C commits what it printed and leaves the group', async () => {
    const child = spawn(process.execPath, [CLI, 'topics', 'consume', 'payments', '--group', 'tail', '--from-beginning', '--format', 'value',
      '--bootstrap-server', broker.bootstrap], { stdio: ['ignore', 'pipe', 'pipe'] });
    reapAfterFile(child);
    let printed = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => { printed += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { errors += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await until(() => printed.split('\n').filter(Boolean).length === 15, { what: 'the 15 records of payments', timeoutMs: 30_000 });
    const live = await describeJson('tail');
    expect(live).toMatchObject({ state: 'Stable', members: [expect.objectContaining({ clientId: 'ferry-topics-consume-tail', partitions: 3 })] });
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(errors).toBe('');
    const after = await describeJson('tail');
    expect(after).toMatchObject({ state: 'Empty', members: [], totalLag: 0 });
    expect(after.partitions.map((p) => p.committedOffset)).toEqual([5, 4, 6]);
  });
});

describe('reset-offsets', () => {
  it('prints the plan without changing anything, then commits it with --execute', async () => {
    const before = await kafkajsCommitted('billing', 'payments');
    const dryRun = await groups(['reset-offsets', 'billing', '--topic', 'payments', '--to-earliest']);
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toBe([
      'GROUP    TOPIC     PARTITION  CURRENT-OFFSET  NEW-OFFSET',
      'billing  payments  0          4               0',
      'billing  payments  1          4               0',
      'billing  payments  2          4               0',
      'Dry run: nothing was changed. Run again with --execute to commit these offsets.',
      '',
    ].join('\n'));
    expect(await kafkajsCommitted('billing', 'payments')).toEqual(before);

    const executed = await groups(['reset-offsets', 'billing', '--topic', 'payments:0,2', '--to-latest', '--execute', '--json']);
    expect(executed.code).toBe(0);
    expect(JSON.parse(executed.stdout)).toEqual({
      group: 'billing',
      executed: true,
      offsets: [
        { topic: 'payments', partition: 0, currentOffset: 4, newOffset: 5 },
        { topic: 'payments', partition: 2, currentOffset: 4, newOffset: 6 },
      ],
    });
    expect(await kafkajsCommitted('billing', 'payments')).toEqual(new Map([[0, 5], [1, 4], [2, 6]]));
    expect((await describeJson('billing')).totalLag).toBe(0);
  });

  it('moves to an offset, and to the first record at or after a time', async () => {
    await groups(['reset-offsets', 'chart', '--topic', 'ticks', '--to-offset', '7', '--execute']);
    expect(await kafkajsCommitted('chart', 'ticks')).toEqual(new Map([[0, 7]]));
    const at = new Date(T0 + 2 * 60_000 + 30_000).toISOString();
    const result = await groups(['reset-offsets', 'chart', '--topic', 'ticks', '--to-datetime', at, '--execute']);
    expect(result.stdout).toMatch(/^chart\s+ticks\s+0\s+7\s+3$/m);
    expect(await kafkajsCommitted('chart', 'ticks')).toEqual(new Map([[0, 3]]));
    const later = await groups(['reset-offsets', 'chart', '--topic', 'ticks', '--to-datetime', '2030-01-01T00:00:00Z', '--json']);
    expect(JSON.parse(later.stdout).offsets[0]).toMatchObject({ newOffset: 10 });
  });

  it('names a bad offset, an unknown topic and a missing target in one line', async () => {
    expectOneLineError(await groups(['reset-offsets', 'chart', '--topic', 'ticks', '--to-offset', '11']),
      /^ferry groups reset-offsets: bad offset 11 for partition 0 of topic 'ticks': it must be between its log start 0 and end 10$/);
    expectOneLineError(await groups(['reset-offsets', 'chart', '--topic', 'nosuch', '--to-earliest']), /^ferry groups reset-offsets: unknown topic 'nosuch'/);
    const missing = await groups(['reset-offsets', 'chart', '--topic', 'ticks']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.split('\n')[0]).toBe('ferry groups reset-offsets: reset-offsets needs exactly one of --to-earliest, --to-latest, --to-offset N, --to-datetime ISO');
    const badTime = await groups(['reset-offsets', 'chart', '--topic', 'ticks', '--to-datetime', 'yesterday']);
    expect(badTime.code).toBe(2);
    expect(badTime.stderr.split('\n')[0]).toMatch(/--to-datetime must be an ISO 8601 time/);
  });
});
