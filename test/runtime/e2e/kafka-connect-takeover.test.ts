/**
 * The in-place takeover of docs/migrate-from-kafka-connect.md: the Java workers of a Kafka
 * Connect cluster are stopped and a ferry worker is started with the same group.id, internal
 * topics and converters. The test plays the part of the Java cluster: it creates the three
 * internal topics as a Java worker does and writes them, with a plain kafkajs producer, in the
 * bytes Kafka Connect leaves behind (shared/reference/kafka-connect.md §2, written here
 * independently of ferry's own readers and writers so a mismatch shows): connector configs, task
 * configs with their commit records, target states, a session key, a deleted connector, source
 * offsets, a sink's consumer-group offsets and statuses from the Java workers' last generation.
 * The ferry worker must pick up every connector where the Java workers left it: sources continue
 * their files from the stored position, the sink from its group offsets, nothing is read twice,
 * and the stored configs, task configs and target states are served and kept as they are.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Admin, Producer } from 'kafkajs';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { startFerryWorker, type FerryWorkerProcess } from '../../helpers/ferry-process.js';
import { javaPartition } from '../../helpers/java-partition.js';
import { kafkaClient } from '../../helpers/kafkajs-clients.js';
import { kcatReadJson } from '../../helpers/kcat.js';
import { appendLines, completeLines } from '../../helpers/line-files.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';

const CONFIGS = 'connect-configs';
const OFFSETS = 'connect-offsets';
const STATUSES = 'connect-status';
const OFFSET_PARTITIONS = 25;
const STATUS_PARTITIONS = 5;
/** The Java worker that ran everything, and the group generation of its last rebalance. */
const JAVA_WORKER = '10.20.30.40:8083';
const JAVA_GENERATION = 41;

const FILE_SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector';
const FILE_SOURCE_TASK = 'org.apache.kafka.connect.file.FileStreamSourceTask';
const FILE_SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';
const FILE_SINK_TASK = 'org.apache.kafka.connect.file.FileStreamSinkTask';

const dir = tempDir('ferry-takeover-');
const files = {
  in: path.join(dir, 'in.txt'),
  held: path.join(dir, 'held.txt'),
  halted: path.join(dir, 'halted.txt'),
  out: path.join(dir, 'out.txt'),
};

/** Connector configs as the Java REST API stored them (the connector's name added). */
const connectorConfigs: Record<string, Record<string, string>> = {
  'file-in': { 'connector.class': FILE_SOURCE, 'tasks.max': '1', file: files.in, topic: 'file-lines', name: 'file-in' },
  'file-out': { 'connector.class': FILE_SINK, 'tasks.max': '2', file: files.out, topics: 'sink-in', name: 'file-out' },
  held: { 'connector.class': FILE_SOURCE, 'tasks.max': '1', file: files.held, topic: 'held-lines', name: 'held' },
  halted: { 'connector.class': FILE_SOURCE, 'tasks.max': '1', file: files.halted, topic: 'halted-lines', name: 'halted' },
};

/** FileStreamSourceConnector hands its own config to its one task; FileStreamSinkConnector to each of tasks.max; the worker adds task.class. */
const taskConfigs: Record<string, Record<string, string>[]> = {
  'file-in': [{ ...connectorConfigs['file-in']!, 'task.class': FILE_SOURCE_TASK }],
  'file-out': [0, 1].map(() => ({ ...connectorConfigs['file-out']!, 'task.class': FILE_SINK_TASK })),
  held: [{ ...connectorConfigs['held']!, 'task.class': FILE_SOURCE_TASK }],
  halted: [],
};

/** The JsonConverter (schemas.enable=true) envelope of a FileStreamSource line: a required string. */
const envelope = (line: string) => JSON.stringify({ schema: { type: 'string', optional: false }, payload: line });
const lineNumbers = (prefix: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${prefix} ${from + i}`);
/** Byte position after the first `count` lines, as FileStreamSourceTask stores it. */
const positionAfter = (lines: string[], count: number) => Buffer.byteLength(lines.slice(0, count).map((l) => `${l}\n`).join(''));

const inLines = lineNumbers('line', 1, 6);
const heldLines = lineNumbers('held', 1, 3);
const sinkRecords = [lineNumbers('a', 0, 4), lineNumbers('b', 0, 4)];
/** What the Java sink had written and committed: a0..a2 from partition 0, b0..b1 from partition 1. */
const sinkCommitted = [3, 2];

let broker: TestBroker;
let ferry: FerryWorkerProcess;
let rest: ConnectRest;
let admin: Admin;
let producer: Producer;
let configRecordCount = 0;
/** The Java leader's request-signing key, as written to the config topic. */
const sessionKey = crypto.randomBytes(32);

type Value = string | null;

async function send(topic: string, partition: number, key: string | null, value: Value): Promise<void> {
  await producer.send({ topic, acks: -1, messages: [{ partition, key, value }] });
}

async function config(key: string, value: Value): Promise<void> {
  await send(CONFIGS, 0, key, value);
  configRecordCount++;
}

async function status(key: string, value: Value): Promise<void> {
  await send(STATUSES, javaPartition(key, STATUS_PARTITIONS), key, value);
}

async function offset(connector: string, partition: Record<string, string>, value: Value): Promise<void> {
  const key = JSON.stringify([connector, partition]);
  await send(OFFSETS, javaPartition(key, OFFSET_PARTITIONS), key, value);
}

const statusValue = (state: string, generation: number) => `{"state":"${state}","trace":null,"worker_id":"${JAVA_WORKER}","generation":${generation}}`;

/** A connector and its tasks ran on the Java worker in `state`, and the worker's clean shutdown left them UNASSIGNED. */
async function javaStatuses(connector: string, tasks: number, state: string): Promise<void> {
  for (const key of [`status-connector-${connector}`, ...Array.from({ length: tasks }, (_, t) => `status-task-${connector}-${t}`)]) {
    await status(key, statusValue(state, JAVA_GENERATION - 1));
    await status(key, statusValue('UNASSIGNED', JAVA_GENERATION));
  }
}

/** Everything a Java Kafka Connect cluster leaves in its internal topics, its data topics and its sink's consumer group. */
async function writeJavaClusterState(): Promise<void> {
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: CONFIGS, numPartitions: 1, replicationFactor: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      { topic: OFFSETS, numPartitions: OFFSET_PARTITIONS, replicationFactor: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      { topic: STATUSES, numPartitions: STATUS_PARTITIONS, replicationFactor: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      { topic: 'file-lines', numPartitions: 1, replicationFactor: 1 },
      { topic: 'held-lines', numPartitions: 1, replicationFactor: 1 },
      { topic: 'halted-lines', numPartitions: 1, replicationFactor: 1 },
      { topic: 'sink-in', numPartitions: 2, replicationFactor: 1 },
    ],
  });

  // The leader's session key (sessioned protocol), written when it took the lead.
  await config('session-key', `{"key":"${sessionKey.toString('base64')}","algorithm":"HmacSHA256","creation-timestamp":${Date.now() - 60_000}}`);

  // file-in: created without initial_state (no target-state record), one task.
  await config('connector-file-in', JSON.stringify({ properties: connectorConfigs['file-in'] }));
  await config('task-file-in-0', JSON.stringify({ properties: taskConfigs['file-in']![0] }));
  await config('commit-file-in', '{"tasks":1}');

  // file-out: created with initial_state RUNNING (target state written first), two tasks.
  await config('target-state-file-out', '{"state":"STARTED","state.v2":"STARTED"}');
  await config('connector-file-out', JSON.stringify({ properties: connectorConfigs['file-out'] }));
  await config('task-file-out-0', JSON.stringify({ properties: taskConfigs['file-out']![0] }));
  await config('task-file-out-1', JSON.stringify({ properties: taskConfigs['file-out']![1] }));
  await config('commit-file-out', '{"tasks":2}');

  // gone: created, then deleted (connector and target state tombstoned; task configs stay).
  await config('connector-gone', JSON.stringify({ properties: { 'connector.class': FILE_SOURCE, file: files.in, topic: 'gone', name: 'gone' } }));
  await config('task-gone-0', JSON.stringify({ properties: { 'connector.class': FILE_SOURCE, file: files.in, topic: 'gone', name: 'gone', 'task.class': FILE_SOURCE_TASK } }));
  await config('commit-gone', '{"tasks":1}');
  await config('connector-gone', null);
  await config('target-state-gone', null);

  // held: running, then paused.
  await config('connector-held', JSON.stringify({ properties: connectorConfigs['held'] }));
  await config('task-held-0', JSON.stringify({ properties: taskConfigs['held']![0] }));
  await config('commit-held', '{"tasks":1}');
  await config('target-state-held', '{"state":"PAUSED","state.v2":"PAUSED"}');

  // halted: running, then stopped (an empty task set, then STOPPED, which pre-3.5 workers read as PAUSED).
  await config('connector-halted', JSON.stringify({ properties: connectorConfigs['halted'] }));
  await config('task-halted-0', JSON.stringify({ properties: { ...connectorConfigs['halted']!, 'task.class': FILE_SOURCE_TASK } }));
  await config('commit-halted', '{"tasks":1}');
  await config('commit-halted', '{"tasks":0}');
  await config('target-state-halted', '{"state":"PAUSED","state.v2":"STOPPED"}');

  // The sources' files and what the Java tasks produced from them, with the offsets they committed
  // (file-in: two flushes, the later one after line 4; held: all of its file).
  fs.writeFileSync(files.in, inLines.map((l) => `${l}\n`).join(''));
  fs.writeFileSync(files.held, heldLines.map((l) => `${l}\n`).join(''));
  fs.writeFileSync(files.halted, 'never read\n');
  await producer.send({ topic: 'file-lines', acks: -1, messages: inLines.slice(0, 4).map((l) => ({ key: null, value: envelope(l) })) });
  await producer.send({ topic: 'held-lines', acks: -1, messages: heldLines.map((l) => ({ key: null, value: envelope(l) })) });
  await offset('file-in', { filename: files.in }, `{"position":${positionAfter(inLines, 2)}}`);
  await offset('file-in', { filename: files.in }, `{"position":${positionAfter(inLines, 4)}}`);
  await offset('held', { filename: files.held }, `{"position":${positionAfter(heldLines, 3)}}`);

  // The sink's input, what it wrote to its file, and the offsets its consumer group committed.
  for (const [partition, records] of sinkRecords.entries()) {
    await producer.send({ topic: 'sink-in', acks: -1, messages: records.map((r) => ({ partition, key: null, value: envelope(r) })) });
  }
  fs.writeFileSync(files.out, sinkRecords.flatMap((records, p) => records.slice(0, sinkCommitted[p])).map((l) => `${l}\n`).join(''));
  await admin.setOffsets({ groupId: 'connect-file-out', topic: 'sink-in', partitions: sinkCommitted.map((committed, partition) => ({ partition, offset: String(committed) })) });

  // Statuses: RUNNING / PAUSED / STOPPED at the Java workers' last generation, then UNASSIGNED from their shutdown.
  await javaStatuses('file-in', 1, 'RUNNING');
  await javaStatuses('file-out', 2, 'RUNNING');
  await javaStatuses('held', 1, 'PAUSED');
  await javaStatuses('halted', 0, 'STOPPED');
  await status('status-task-halted-0', null);
  await status('status-connector-gone', null);
  await status('status-task-gone-0', null);
  const discovered = Date.now() - 3_600_000;
  await status('status-topic-file-lines:connector-file-in', `{"topic":{"name":"file-lines","connector":"file-in","task":0,"discoverTimestamp":${discovered}}}`);
  await status('status-topic-sink-in:connector-file-out', `{"topic":{"name":"sink-in","connector":"file-out","task":0,"discoverTimestamp":${discovered}}}`);
}

function workerProperties(): string {
  const file = path.join(dir, 'worker.properties');
  // Kafka's connect-distributed.properties, pointed at this broker (one broker: replication factor 1).
  fs.writeFileSync(file, [
    `bootstrap.servers=${broker.bootstrap}`,
    'group.id=connect-cluster',
    'key.converter=org.apache.kafka.connect.json.JsonConverter',
    'value.converter=org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable=true',
    'value.converter.schemas.enable=true',
    `offset.storage.topic=${OFFSETS}`, 'offset.storage.replication.factor=1', `offset.storage.partitions=${OFFSET_PARTITIONS}`,
    `config.storage.topic=${CONFIGS}`, 'config.storage.replication.factor=1',
    `status.storage.topic=${STATUSES}`, 'status.storage.replication.factor=1', `status.storage.partitions=${STATUS_PARTITIONS}`,
    'offset.flush.interval.ms=1000',
    'listeners=http://127.0.0.1:0',
  ].join('\n'));
  return file;
}

async function payloads(topic: string): Promise<string[]> {
  return (await kcatReadJson(broker.bootstrap, topic)).map((m) => m.payload ?? '<null>');
}

beforeAll(async () => {
  broker = await startTestBroker();
  const kafka = kafkaClient(broker.bootstrap, 'java-cluster-state');
  admin = kafka.admin();
  producer = kafka.producer({ allowAutoTopicCreation: false });
  await admin.connect();
  await producer.connect();
  await writeJavaClusterState();
  ferry = await startFerryWorker(workerProperties());
  rest = new ConnectRest(ferry.restUrl);
}, 120_000);

afterAll(async () => {
  await ferry?.stop();
  await producer?.disconnect();
  await admin?.disconnect();
  await broker?.close();
});

it('serves the connectors, connector configs and task configs the Java workers stored, and forgets the deleted one', async () => {
  expect(((await rest.request<string[]>('GET', '/connectors')).body).sort()).toEqual(['file-in', 'file-out', 'halted', 'held']);
  for (const [name, stored] of Object.entries(connectorConfigs)) {
    const served = await rest.request('GET', `/connectors/${name}/config`);
    expect(served).toEqual({ status: 200, body: stored });
    const tasks = await rest.request('GET', `/connectors/${name}/tasks`);
    expect(tasks).toEqual({ status: 200, body: taskConfigs[name]!.map((config, task) => ({ id: { connector: name, task }, config })) });
  }
  expect((await rest.request('GET', '/connectors/gone')).status).toBe(404);
});

it('runs every connector in its stored target state on the ferry worker', async () => {
  const ferryWorker = new URL(ferry.restUrl).host;
  const expected = { 'file-in': ['RUNNING', ['RUNNING']], 'file-out': ['RUNNING', ['RUNNING', 'RUNNING']], held: ['PAUSED', ['PAUSED']], halted: ['STOPPED', []] } as const;
  for (const [name, [connector, tasks]] of Object.entries(expected)) {
    const info = await rest.untilStates(name, { connector, tasks: [...tasks] });
    expect(info.connector.worker_id).toBe(ferryWorker);
    for (const task of info.tasks) expect(task.worker_id).toBe(ferryWorker);
  }
  // The topics the Java tasks had used are still tracked.
  expect((await rest.request('GET', '/connectors/file-in/topics')).body).toEqual({ 'file-in': { topics: ['file-lines'] } });
});

it('continues the FileStreamSource from its stored position without reading earlier lines again', async () => {
  await rest.untilStates('file-in', { connector: 'RUNNING', tasks: ['RUNNING'] });
  const expected = [...inLines, 'line 7'].map(envelope);
  appendLines(files.in, ['line 7']);
  // Had the task started from the file's beginning, lines 1-6 would come again before line 7.
  const written = await until(async () => {
    const values = await payloads('file-lines');
    return values.includes(envelope('line 7')) ? values : null;
  }, { timeoutMs: 30_000, intervalMs: 200, what: 'line 7 in file-lines' });
  expect(written).toEqual(expected);

  // ferry commits the new position under the same key, on the partition the Java worker used.
  const key = JSON.stringify(['file-in', { filename: files.in }]);
  const position = `{"position":${positionAfter([...inLines, 'line 7'], 7)}}`;
  await until(async () => {
    const stored = (await kcatReadJson(broker.bootstrap, OFFSETS)).filter((m) => m.key === key);
    return stored.length > 0 && stored.at(-1)!.payload === position && stored.every((m) => m.partition === javaPartition(key, OFFSET_PARTITIONS));
  }, { timeoutMs: 30_000, intervalMs: 250, what: `${position} for file-in in ${OFFSETS}` });
});

it('continues the FileStreamSink from its consumer group\'s offsets without writing earlier records again', async () => {
  await rest.untilStates('file-out', { connector: 'RUNNING', tasks: ['RUNNING', 'RUNNING'] });
  for (const [partition, marker] of ['a 5', 'b 5'].entries()) {
    await producer.send({ topic: 'sink-in', acks: -1, messages: [{ partition, key: null, value: envelope(marker) }] });
  }
  // Records are written in partition order, so a re-delivered a0..a2 or b0..b1 would come before the markers.
  const lines = await until(() => {
    const written = completeLines(files.out);
    return written.includes('a 5') && written.includes('b 5') ? written : null;
  }, { timeoutMs: 30_000, intervalMs: 200, what: 'a 5 and b 5 in the sink\'s file' });
  const expected = [...lineNumbers('a', 0, 5), ...lineNumbers('b', 0, 5)];
  expect([...lines].sort()).toEqual(expected.sort());
  // The Java sink's lines stay first, untouched.
  expect(lines.slice(0, 5)).toEqual(['a 0', 'a 1', 'a 2', 'b 0', 'b 1']);

  await until(async () => {
    const [committed] = await admin.fetchOffsets({ groupId: 'connect-file-out', topics: ['sink-in'] });
    const byPartition = new Map(committed!.partitions.map((p) => [p.partition, p.offset]));
    return byPartition.get(0) === '6' && byPartition.get(1) === '6';
  }, { timeoutMs: 30_000, intervalMs: 250, what: 'connect-file-out committed at 6 on both partitions' });
});

it('resumes a connector the Java workers had paused from its stored position', async () => {
  await rest.untilStates('held', { connector: 'PAUSED', tasks: ['PAUSED'] });
  expect((await rest.request('PUT', '/connectors/held/resume')).status).toBe(202);
  await rest.untilStates('held', { connector: 'RUNNING', tasks: ['RUNNING'] });
  appendLines(files.held, ['held 4']);
  const written = await until(async () => {
    const values = await payloads('held-lines');
    return values.includes(envelope('held 4')) ? values : null;
  }, { timeoutMs: 30_000, intervalMs: 200, what: 'held 4 in held-lines' });
  expect(written).toEqual([...heldLines, 'held 4'].map(envelope));
});

it('keeps the Java workers\' task configs and session key instead of writing them again', async () => {
  const written = (await kcatReadJson(broker.bootstrap, CONFIGS)).slice(configRecordCount);
  expect(written.map((m) => m.key).filter((key) => /^(task|commit)-/.test(key ?? ''))).toEqual([]);
  // The only target state written is the test's own resume of `held`.
  expect(written.filter((m) => m.key?.startsWith('target-state-')).map((m) => [m.key, m.payload]))
    .toEqual([['target-state-held', '{"state":"STARTED","state.v2":"STARTED"}']]);
  // The Java leader's session key is a minute old, well within inter.worker.key.ttl.ms: it stays the cluster's key.
  expect(written.filter((m) => m.key === 'session-key')).toEqual([]);
});

it('checks internal requests against the session key the Java leader wrote', async () => {
  // A follower hands the leader its connector's task configs, signed as Kafka Connect signs them (HMAC of the body bytes).
  const body = JSON.stringify(taskConfigs['file-in']);
  const post = (headers: Record<string, string>) => fetch(`${ferry.restUrl}/connectors/file-in/tasks`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body,
  });
  const signed = (key: Buffer) => ({
    'X-Connect-Authorization': crypto.createHmac('sha256', key).update(body).digest('base64'),
    'X-Connect-Request-Signature-Algorithm': 'HmacSHA256',
  });
  const forged = await post(signed(crypto.randomBytes(32)));
  expect(forged.status).toBe(403);
  expect(await forged.json()).toMatchObject({ message: 'Internal request contained invalid signature.' });
  expect((await post({})).status).toBe(400);
  expect((await post(signed(sessionKey))).status).toBe(204);
});
