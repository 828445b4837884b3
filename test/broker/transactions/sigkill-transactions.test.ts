/**
 * The broker SIGKILLed with transactions in flight, restarted on the same data directory and
 * port (exactly-once reference §2.4, §2.9): a transaction killed in PrepareCommit is committed
 * on start (markers written, pending group offsets applied) before clients are served; one
 * killed while Ongoing keeps the last stable offset pinned until its timeout, then is aborted
 * with an epoch bump and read_committed consumers move on.
 *
 * The broker runs as a child process built from the sources (child-build.ts). To stop it between
 * PrepareCommit and the markers, the child passes the broker's `beforeTxnMarkers` seam a hook
 * that reports the prepared transaction on stdout and never returns.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeTransactions } from '../../../broker/protocol/apis/describe-transactions.js';
import { ListOffsets } from '../../../broker/protocol/apis/list-offsets.js';
import { collect, kafkaClient } from '../../helpers/kafkajs-clients.js';
import { RawKafkaSocket } from '../../helpers/raw-kafka-socket.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';
import { buildForChild } from '../log/child-build.js';
import { runPythonClient, type PyConsumed } from '../clients/python-clients.js';

const CHILD = `
import fs from 'node:fs';
import { pino } from 'pino';
import { startBroker } from './broker/broker.js';
import { DEFAULT_BROKER_CONFIG } from './broker/broker-config.js';
const [dataDir, port, hold] = process.argv.slice(2);
const say = (o) => fs.writeSync(1, JSON.stringify(o) + '\\n');
const hooks = hold === 'hold'
  ? { beforeTxnMarkers: (transactionalId, state) => { say({ prepared: transactionalId, state }); return new Promise(() => {}); } }
  : {};
const broker = await startBroker({
  ...DEFAULT_BROKER_CONFIG, dataDir, port: Number(port), groupInitialRebalanceDelayMs: 0,
  transactionAbortTimedOutCleanupIntervalMs: 200,
}, pino({ level: 'silent' }), hooks);
say({ listening: broker.port });
`;

interface Child {
  process: ChildProcess;
  port: number;
  lines: Record<string, unknown>[];
  exited: Promise<void>;
}

let dir: string;

beforeAll(() => {
  dir = buildForChild('broker/broker.ts');
  fs.writeFileSync(path.join(dir, 'child.js'), CHILD);
});

const children: Child[] = [];
afterAll(async () => {
  for (const c of children) {
    if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
    await c.exited;
  }
});

async function startChild(dataDir: string, port: number, hold: boolean): Promise<Child> {
  const proc = spawn(process.execPath, [path.join(dir, 'child.js'), dataDir, String(port), hold ? 'hold' : ''], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  proc.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
  readline.createInterface({ input: proc.stdout! }).on('line', (l) => lines.push(JSON.parse(l) as Record<string, unknown>));
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  const child: Child = { process: proc, port: 0, lines, exited };
  children.push(child);
  const listening = await until(() => lines.find((l) => 'listening' in l) ?? (proc.exitCode !== null ? { failed: stderr } : undefined),
    { what: 'the broker child to listen' });
  if ('failed' in listening) throw new Error(`broker child failed:\n${String(listening.failed)}`);
  child.port = listening.listening as number;
  return child;
}

async function kill(child: Child): Promise<void> {
  child.process.kill('SIGKILL');
  await child.exited;
}

async function request<T>(port: number, send: (s: RawKafkaSocket) => Promise<T>): Promise<T> {
  const socket = await RawKafkaSocket.connect(port);
  try {
    return await send(socket);
  } finally {
    socket.destroy();
  }
}

function describeTxn(port: number, transactionalId: string) {
  return request(port, async (s) => {
    s.sendRequest(DescribeTransactions, 0, { transactionalIds: [transactionalId] });
    return (await s.readResponse(DescribeTransactions, 0)).body.transactionStates[0]!;
  });
}

/** High watermark and last stable offset (ListOffsets LATEST, isolation 0 and 1). */
async function endOffsets(port: number, topic: string, partition: number): Promise<{ hw: number; lso: number }> {
  const latest = (isolationLevel: number) => request(port, async (s) => {
    s.sendRequest(ListOffsets, 5, { replicaId: -1, isolationLevel, topics: [{ name: topic, partitions: [{ partitionIndex: partition, timestamp: -1 }] }] });
    return (await s.readResponse(ListOffsets, 5)).body.topics[0]!.partitions[0]!.offset;
  });
  return { hw: await latest(0), lso: await latest(1) };
}

describe('SIGKILL with transactions in flight', () => {
  it.each([
    ['PrepareCommit', true],
    ['PrepareAbort', false],
  ] as const)('completes a transaction killed in %s on restart, markers and group offsets included', async (state, commit) => {
    const id = `kill-${state}`;
    const topic = `kp-${state}`;
    const group = `kp-group-${state}`;
    const dataDir = tempDir('ferry-txn-kill-prepare-');
    const first = await startChild(dataDir, 0, true);
    const kafka = kafkaClient(`127.0.0.1:${first.port}`, id, { retry: { retries: 2, initialRetryTime: 100 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    await admin.disconnect();
    const producer = kafka.producer({ transactionalId: id, maxInFlightRequests: 1, idempotent: true });
    await producer.connect();
    const txn = await producer.transaction();
    await txn.send({ topic, messages: Array.from({ length: 6 }, (_, i) => ({ partition: i % 2, value: `p${i}` })) });
    await txn.sendOffsets({ consumerGroupId: group, topics: [{ topic, partitions: [{ partition: 0, offset: '42' }] }] });
    const ending = (commit ? txn.commit() : txn.abort()).catch(() => 'failed');
    await until(() => first.lines.some((l) => l.prepared === id && l.state === state), { what: state });
    expect((await endOffsets(first.port, topic, 0)).lso).toBe(0);
    await kill(first);
    expect(await ending).toBe('failed');
    await producer.disconnect().catch(() => undefined);

    const second = await startChild(dataDir, first.port, false);
    // Completed before the broker listened: no client could see it half-done.
    const described = await describeTxn(second.port, id);
    expect(described).toMatchObject({ errorCode: 0, transactionState: commit ? 'CompleteCommit' : 'CompleteAbort', topics: [] });
    for (const p of [0, 1]) expect(await endOffsets(second.port, topic, p)).toEqual({ hw: 4, lso: 4 });
    const reader = kafkaClient(`127.0.0.1:${second.port}`, `${id}-reader`);
    const all = await collect(reader, { topics: [topic], groupId: `${id}-all`, readUncommitted: true, done: (rs) => rs.length >= 6 });
    expect(all.map((r) => r.value).sort()).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5']);
    // librdkafka reads to the end (the last stable offset) with read_committed.
    const committed = await runPythonClient<PyConsumed>('confluent_kafka_client.py',
      ['read', `127.0.0.1:${second.port}`, topic, `${id}-committed`, 'read_committed']);
    expect(committed.map((r) => r.value).sort()).toEqual(commit ? ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'] : []);
    const readerAdmin = reader.admin();
    await readerAdmin.connect();
    const [offsets] = await readerAdmin.fetchOffsets({ groupId: group, topics: [topic] });
    await readerAdmin.disconnect();
    expect(offsets!.partitions.find((p) => p.partition === 0)!.offset).toBe(commit ? '42' : '-1');
    await kill(second);
  });

  it('aborts a transaction killed while Ongoing once its timeout has passed after the restart', async () => {
    const dataDir = tempDir('ferry-txn-kill-open-');
    const timeoutMs = 6000;
    const first = await startChild(dataDir, 0, false);
    const kafka = kafkaClient(`127.0.0.1:${first.port}`, 'kill-open', { retry: { retries: 2, initialRetryTime: 100 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'ko', numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer({ transactionalId: 'kill-open', maxInFlightRequests: 1, idempotent: true, transactionTimeout: timeoutMs });
    await producer.connect();
    const committed = await producer.transaction();
    await committed.send({ topic: 'ko', messages: [{ value: 'c0' }, { value: 'c1' }] });
    await committed.commit();
    const open = await producer.transaction();
    const openedAt = Date.now();
    await open.send({ topic: 'ko', messages: [{ value: 'o0' }, { value: 'o1' }, { value: 'o2' }] });
    const before = await describeTxn(first.port, 'kill-open');
    expect(before).toMatchObject({ transactionState: 'Ongoing', producerEpoch: 0 });
    await kill(first);
    await producer.disconnect().catch(() => undefined);

    const second = await startChild(dataDir, first.port, false);
    // Offsets 0-1 committed, 2 their marker, 3-5 the open transaction.
    expect(await endOffsets(second.port, 'ko', 0)).toEqual({ hw: 6, lso: 3 });
    expect((await describeTxn(second.port, 'kill-open')).transactionState).toBe('Ongoing');
    await until(async () => (await endOffsets(second.port, 'ko', 0)).lso === 7, { timeoutMs: 30_000, what: 'the timeout abort' });
    const abortedAfter = Date.now() - openedAt;
    console.log(`transaction open across a SIGKILL aborted ${abortedAfter} ms after it started (timeout ${timeoutMs} ms)`);
    expect(abortedAfter).toBeGreaterThanOrEqual(timeoutMs);
    expect(await describeTxn(second.port, 'kill-open')).toMatchObject({ transactionState: 'CompleteAbort', producerEpoch: 1 });

    const reader = kafkaClient(`127.0.0.1:${second.port}`, 'kill-open-reader');
    const committedOnly = await collect(reader, { topics: ['ko'], groupId: 'ko-committed', done: (rs) => rs.length >= 2 });
    expect(committedOnly.map((r) => r.value)).toEqual(['c0', 'c1']);
    const everything = await collect(reader, { topics: ['ko'], groupId: 'ko-all', readUncommitted: true, done: (rs) => rs.length >= 5 });
    expect(everything.map((r) => r.value)).toEqual(['c0', 'c1', 'o0', 'o1', 'o2']);

    // The producer's id is usable again: a new instance is fenced past the abort's epoch.
    const again = kafkaClient(`127.0.0.1:${second.port}`, 'kill-open-again').producer({ transactionalId: 'kill-open', maxInFlightRequests: 1, idempotent: true });
    await again.connect();
    const next = await again.transaction();
    await next.send({ topic: 'ko', messages: [{ value: 'n0' }] });
    await next.commit();
    await again.disconnect();
    expect(await describeTxn(second.port, 'kill-open')).toMatchObject({ transactionState: 'CompleteCommit', producerEpoch: 2 });
    await kill(second);
  });
});
