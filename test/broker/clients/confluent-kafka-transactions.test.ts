/**
 * Transactions with confluent-kafka-python 1.7.0 on librdkafka 2.0.2 (AddPartitionsToTxn and
 * AddOffsetsToTxn v0, EndTxn v1, TxnOffsetCommit v3, InitProducerId v4, Produce v7, Fetch v11
 * read_committed, OffsetFetch v7 require_stable) against the in-process broker, with read_committed
 * and read_uncommitted consumers on librdkafka and kafkajs reading the result.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, kafkaClient, type ConsumedRecord } from '../../helpers/kafkajs-clients.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';
import { runPythonClient, type PyConsumed } from './python-clients.js';

const SCRIPT = 'confluent_kafka_client.py';
const CLEANUP_INTERVAL_MS = 100;

let broker: TestBroker;

beforeAll(async () => {
  broker = await startTestBroker({ numPartitions: 2, transactionAbortTimedOutCleanupIntervalMs: CLEANUP_INTERVAL_MS });
});

afterAll(async () => {
  await broker.close();
});

async function createTopic(topic: string, numPartitions: number): Promise<void> {
  const admin = kafkaClient(broker.bootstrap, `create-${topic}`).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions }] });
  } finally {
    await admin.disconnect();
  }
}

function read(topic: string, isolation: 'read_committed' | 'read_uncommitted'): Promise<PyConsumed[]> {
  return runPythonClient<PyConsumed>(SCRIPT, ['read', broker.bootstrap, topic, `read-${topic}-${isolation}`, isolation]);
}

/** kafkajs group consumer (READ_COMMITTED unless told otherwise) until it holds `count` records. */
function kafkajsRead(topic: string, count: number, readUncommitted = false): Promise<ConsumedRecord[]> {
  const kafka = kafkaClient(broker.bootstrap, `kafkajs-${topic}`);
  const groupId = `kafkajs-${topic}-${readUncommitted ? 'uncommitted' : 'committed'}`;
  return collect(kafka, { topics: [topic], groupId, readUncommitted, done: (rs) => rs.length >= count });
}

function lastStableOffset(topic: string, partition: number): number {
  return broker.topics.partition(topic, partition)!.lastStableOffset;
}

function highWatermark(topic: string, partition: number): number {
  return broker.topics.partition(topic, partition)!.highWatermark;
}

describe('confluent-kafka transactional producer', () => {
  it('commits and aborts: read_committed consumers see only committed records, read_uncommitted ones see all', async () => {
    const topic = 'txn-commit-abort';
    await createTopic(topic, 2);
    const steps = await runPythonClient<{ txn: number; result: string }>(SCRIPT,
      ['txn', broker.bootstrap, topic, 'ck-commit-abort', 'commit:6,abort:5,commit:4,abort:3']);
    expect(steps.map((s) => s.result)).toEqual(['commit', 'abort', 'commit', 'abort']);

    const committed = await read(topic, 'read_committed');
    expect(committed.map((r) => r.value).sort()).toEqual([
      ...Array.from({ length: 6 }, (_, j) => `commit-0-${j}`),
      ...Array.from({ length: 4 }, (_, j) => `commit-2-${j}`),
    ].sort());
    const uncommitted = await read(topic, 'read_uncommitted');
    expect(uncommitted).toHaveLength(18);
    expect(uncommitted.filter((r) => r.value!.startsWith('abort'))).toHaveLength(8);

    // Every transaction is decided: nothing pins the last stable offset.
    for (const p of [0, 1]) expect(lastStableOffset(topic, p)).toBe(highWatermark(topic, p));

    const viaKafkajs = await kafkajsRead(topic, 10);
    expect(viaKafkajs.map((r) => r.value).sort()).toEqual(committed.map((r) => r.value).sort());
    const allViaKafkajs = await kafkajsRead(topic, 18, true);
    expect(allViaKafkajs.map((r) => r.value).sort()).toEqual(uncommitted.map((r) => r.value).sort());
  });

  it('fences a producer when a newer one initializes the same transactional id; its open transaction is aborted', async () => {
    const topic = 'txn-fence';
    await createTopic(topic, 1);
    const steps = await runPythonClient<{ step: string; failure?: string | null; fatal?: boolean }>(SCRIPT,
      ['fence', broker.bootstrap, topic, 'ck-fence']);
    expect(steps.map((s) => s.step)).toEqual(['old-produced', 'new-initialized', 'new-committed', 'old-commit']);
    const last = steps.at(-1)!;
    expect(last.failure).toBe('_FENCED');
    expect(last.fatal).toBe(true);

    const committed = await read(topic, 'read_committed');
    expect(committed.map((r) => r.value)).toEqual(['new-0']);
    const uncommitted = await read(topic, 'read_uncommitted');
    expect(uncommitted.map((r) => r.value)).toEqual(['old-0', 'new-0']);
    expect(lastStableOffset(topic, 0)).toBe(highWatermark(topic, 0));
  });

  it('aborts a transaction that outlives its timeout: the last stable offset stays pinned until then, consumers proceed after', async () => {
    const topic = 'txn-timeout';
    const timeoutMs = 2500;
    await createTopic(topic, 1);
    await runPythonClient(SCRIPT, ['txn', broker.bootstrap, topic, 'ck-before-hang', 'commit:2']);
    const hang = spawn('/usr/bin/python3', [path.resolve(import.meta.dirname, '../../clients', SCRIPT),
      'hang', broker.bootstrap, topic, 'ck-hang', '3', String(timeoutMs)], { stdio: ['pipe', 'pipe', 'pipe'] });
    const lines = readline.createInterface({ input: hang.stdout });
    const output: Record<string, unknown>[] = [];
    const exited = new Promise<void>((resolve) => hang.on('close', () => resolve()));
    lines.on('line', (l) => { if (l.startsWith('{')) output.push(JSON.parse(l) as Record<string, unknown>); });
    try {
      await until(() => output.some((o) => o.step === 'produced'), { what: 'the hung transaction to produce' });
      const producedAt = Date.now();
      // Two committed records and their marker (offsets 0-2), then the open transaction from 3.
      expect(lastStableOffset(topic, 0)).toBe(3);
      expect(highWatermark(topic, 0)).toBe(6);

      await until(() => lastStableOffset(topic, 0) === highWatermark(topic, 0), { timeoutMs: 20_000, what: 'the timeout abort' });
      const abortedAfter = Date.now() - producedAt;
      console.log(`hung transaction aborted ${abortedAfter} ms after its records were acknowledged (timeout ${timeoutMs} ms)`);
      expect(abortedAfter).toBeGreaterThanOrEqual(timeoutMs - 1000);
      expect(highWatermark(topic, 0)).toBe(7);

      const committed = await read(topic, 'read_committed');
      expect(committed.map((r) => r.value)).toEqual(['commit-0-0', 'commit-0-1']);
      const uncommitted = await read(topic, 'read_uncommitted');
      expect(uncommitted.map((r) => r.value)).toEqual(['commit-0-0', 'commit-0-1', 'hung-0', 'hung-1', 'hung-2']);
      const viaKafkajs = await kafkajsRead(topic, 2);
      expect(viaKafkajs.map((r) => r.value)).toEqual(['commit-0-0', 'commit-0-1']);
    } finally {
      hang.stdin.end();
      await exited;
    }
    const commit = output.find((o) => o.step === 'commit');
    expect(commit?.failure).toBe('_FENCED');
  });

  it.each(['subscribe', 'assign'])('consume-transform-produce with send_offsets_to_transaction (%s): the group offsets are the last transaction\'s', async (mode) => {
    const source = `ctp-in-${mode}`;
    const target = `ctp-out-${mode}`;
    const group = `ctp-group-${mode}`;
    await createTopic(source, 2);
    await createTopic(target, 2);
    await runPythonClient(SCRIPT, ['txn', broker.bootstrap, source, `ck-ctp-source-${mode}`, 'commit:10,abort:4,commit:10']);
    const lines = await runPythonClient<{ copied?: number }>(SCRIPT,
      ['ctp', broker.bootstrap, source, target, group, `ck-ctp-${mode}`, 20, mode]);
    expect(lines.at(-1)!.copied).toBe(20);

    const copied = await read(target, 'read_committed');
    expect(copied.map((r) => r.value).sort()).toEqual([
      ...Array.from({ length: 10 }, (_, j) => `COMMIT-0-${j}`),
      ...Array.from({ length: 10 }, (_, j) => `COMMIT-2-${j}`),
    ].sort());

    const admin = kafkaClient(broker.bootstrap, `check-${group}`).admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [source] });
      for (const p of offsets!.partitions) {
        // The consumer's position after the last record it copied: past the final commit marker
        // at most, never below the last copied record.
        const hw = highWatermark(source, p.partition);
        expect(Number(p.offset)).toBeGreaterThanOrEqual(hw - 1);
        expect(Number(p.offset)).toBeLessThanOrEqual(hw);
      }
    } finally {
      await admin.disconnect();
    }
  });

  it('consume-transform-produce killed mid-run: a new instance fences the old transaction and resumes at the committed offsets, each record copied once', async () => {
    const source = 'ctp-crash-in';
    const target = 'ctp-crash-out';
    const group = 'ctp-crash-group';
    const total = 300;
    await createTopic(source, 2);
    await createTopic(target, 2);
    await runPythonClient(SCRIPT, ['produce', broker.bootstrap, source, total, 'none']);
    const args = ['ctp', broker.bootstrap, source, target, group, 'ck-ctp-crash'];
    const first = spawn('/usr/bin/python3', [path.resolve(import.meta.dirname, '../../clients', SCRIPT), ...args, String(total), 'assign'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((resolve) => first.on('close', () => resolve()));
    let committed = 0;
    readline.createInterface({ input: first.stdout }).on('line', (l) => {
      const o = JSON.parse(l) as { committed?: number };
      if (o.committed !== undefined) committed = o.committed;
    });
    await until(() => committed >= 60, { what: 'the first instance to commit some transactions' });
    first.kill('SIGKILL');
    await exited;

    const admin = kafkaClient(broker.bootstrap, 'ctp-crash-admin').admin();
    await admin.connect();
    const consumed = async () => {
      const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [source] });
      return offsets!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
    };
    const before = await consumed();
    console.log(`first instance killed after committing ${before} of ${total} records`);
    expect(before).toBeGreaterThanOrEqual(60);
    if (before < total) {
      const lines = await runPythonClient<{ copied?: number }>(SCRIPT, [...args, total - before, 'assign']);
      expect(lines.at(-1)!.copied).toBe(total - before);
    }
    expect(await consumed()).toBe(total);
    await admin.disconnect();

    const copied = await read(target, 'read_committed');
    expect(copied).toHaveLength(total);
    expect(new Set(copied.map((r) => r.value)).size).toBe(total);
    for (const p of [0, 1]) expect(lastStableOffset(target, p)).toBe(highWatermark(target, p));
  });
});
