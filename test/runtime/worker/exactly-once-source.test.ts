import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../../connectors/sdk/connect-record.js';
import type { SourceTaskContext } from '../../../connectors/sdk/source-task.js';
import { DEFAULT_HEADER_CONVERTER } from '../../../runtime/config/worker-config.js';
import { ConnectorClusters } from '../../../runtime/kafka/connector-clusters.js';
import { createKafkaClient } from '../../../runtime/kafka/create-kafka-client.js';
import type { ConsumedRecord, KafkaClient, TopicAdmin } from '../../../runtime/kafka/kafka-client.js';
import { kafkaCompactedTopic } from '../../../runtime/kafka/topic-compacted-topic.js';
import { ConverterRegistry } from '../../../runtime/pipeline/converters/converter-registry.js';
import { OffsetStore } from '../../../runtime/stores/offset-store.js';
import type { ExactlyOnceSettings } from '../../../runtime/worker/source-delivery.js';
import { SourceTaskRunner } from '../../../runtime/worker/source-task-runner.js';
import type { StatusReport } from '../../../runtime/worker/task-status.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';
import { AcknowledgedCountingTask, CountingSourceTask, PARTITION, type CountingOptions } from './counting-source-task.js';

const logger = pino({ level: process.env.FERRY_TEST_LOG ?? 'silent' });
const STRING = 'org.apache.kafka.connect.storage.StringConverter';

let broker: TestBroker;
let kafka: KafkaClient;
let admin: TopicAdmin;
let seq = 0;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = createKafkaClient({
    bootstrapServers: broker.bootstrap, clientId: 'eos-source-test', properties: { 'retry.backoff.ms': '50' },
    producer: { 'linger.ms': '0' }, logger,
  });
  admin = kafka.admin({ clientId: 'eos-source-test-admin', role: 'internal' });
});

afterAll(async () => {
  await kafka.close();
  await broker.close();
});

interface Setup {
  readonly topic: string;
  readonly offsetsTopic: string;
  readonly transactionalId: string;
}

async function setup(): Promise<Setup> {
  const n = ++seq;
  const topic = `eos-data-${n}`;
  const offsetsTopic = `eos-offsets-${n}`;
  await admin.ensureTopic({ name: topic, partitions: 1, replicationFactor: 1 });
  await admin.ensureTopic({ name: offsetsTopic, partitions: 3, replicationFactor: 1, configs: { 'cleanup.policy': 'compact' } });
  return { topic, offsetsTopic, transactionalId: `eos-group-counter-${n}-0` };
}

/** The worker's offset store as an exactly-once worker has it: reading committed transactions only. */
async function offsetStore(s: Setup): Promise<OffsetStore> {
  const store = new OffsetStore(kafkaCompactedTopic(kafka, { topic: s.offsetsTopic, clientId: `eos-offsets-${seq}`, readCommitted: true }));
  await store.start();
  return store;
}

interface Harness {
  readonly runner: SourceTaskRunner;
  readonly statuses: StatusReport[];
}

function runner(
  s: Setup, task: CountingSourceTask, store: OffsetStore, eos: Partial<ExactlyOnceSettings> | null = {}, ownOffsetsTopic?: string,
): Harness {
  const statuses: StatusReport[] = [];
  const r = new SourceTaskRunner({
    id: { connector: 'counter', task: 0 },
    connectorConfig: { 'name': 'counter', 'connector.class': 'CountingSource' },
    taskConfig: { 'task.class': 'CountingSourceTask' },
    workerConfig: {
      keyConverter: STRING, valueConverter: STRING, headerConverter: DEFAULT_HEADER_CONVERTER,
      offsetFlushIntervalMs: 60_000, offsetFlushTimeoutMs: 1000, taskShutdownGracefulTimeoutMs: 2000,
    },
    workerProperties: {},
    kafka,
    clusters: new ConnectorClusters(logger),
    converters: new ConverterRegistry(),
    onStatus: (report) => statuses.push(report),
    logger,
    sourceTask: task,
    offsetStore: store,
    ...(eos === null ? {} : {
      exactlyOnce: { transactionalId: s.transactionalId, offsetsTopic: ownOffsetsTopic ?? s.offsetsTopic, boundary: 'poll' as const, boundaryIntervalMs: 60_000, ...eos },
    }),
    ...(ownOffsetsTopic ? { connectorOffsetsTopic: { topic: ownOffsetsTopic, partitions: 2, replicationFactor: 1, readCommitted: eos !== null } } : {}),
  });
  return { runner: r, statuses };
}

async function readTopic(topic: string, readCommitted: boolean): Promise<ConsumedRecord[]> {
  const reader = kafka.topicReader({ topic, clientId: `eos-reader-${++seq}`, readCommitted });
  const records: ConsumedRecord[] = [];
  reader.onRecord((r) => records.push(r));
  await reader.start();
  await reader.readToEnd();
  await reader.stop();
  return records;
}

const keysOf = (records: readonly ConsumedRecord[]) => records.map((r) => r.key?.toString());
const keys = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `k${from + i}`);

async function storedN(store: OffsetStore): Promise<unknown> {
  return (await store.get('counter', [PARTITION])).get(PARTITION)?.n;
}

function counting(s: Setup, options: Omit<CountingOptions, 'topic'>): CountingSourceTask {
  return new CountingSourceTask({ topic: s.topic, ...options });
}

describe('exactly-once source tasks (transactional delivery)', () => {
  it('commits each poll\'s records with their offsets: read_committed readers see every record once, and commitRecord follows the commit', async () => {
    const s = await setup();
    const store = await offsetStore(s);
    const task = counting(s, { limit: 50, perPoll: 5 });
    const { runner: r, statuses } = runner(s, task, store);
    await r.start();
    await until(async () => ((await storedN(store)) === 49 ? true : null), { what: 'offset 49 committed' });
    await r.stop();
    expect(keysOf(await readTopic(s.topic, true))).toEqual(keys(0, 50));
    expect(task.committed).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(statuses.map((x) => x.state)).not.toContain('FAILED');
    await store.stop();
  });

  it('tells a task that asks how far its records are acknowledged once each transaction has committed, after commitRecord', async () => {
    const s = await setup();
    const store = await offsetStore(s);
    const task = new AcknowledgedCountingTask({ topic: s.topic, limit: 50, perPoll: 5 });
    const { runner: r } = runner(s, task, store);
    await r.start();
    await until(() => (task.acknowledged.at(-1)?.n === 49 ? true : null), { what: 'record 49 acknowledged' });
    await r.stop();
    // One transaction per poll of five records: each commit acknowledges through its last record.
    expect(task.acknowledged.map((a) => a.n)).toEqual(Array.from({ length: 10 }, (_, i) => i * 5 + 4));
    for (const { n, committedBefore } of task.acknowledged) expect(committedBefore).toBe(n + 1);
    expect(keysOf(await readTopic(s.topic, true))).toEqual(keys(0, 50));
    await store.stop();
  });

  it('leaves nothing of a failed task\'s open transaction visible, and its replacement resumes after the last committed offset', async () => {
    const s = await setup();
    const store = await offsetStore(s);
    // Connector boundary: the task commits after poll 2; polls 3-4 stay in the open transaction when poll 5 fails.
    const first = counting(s, { limit: 100, perPoll: 5, beforePoll: (polls) => { if (polls === 5) throw new Error('source went away'); } });
    const { runner: a, statuses } = runner(s, first, store, { boundary: 'connector' });
    const committing = first as CountingSourceTask & { context?: SourceTaskContext };
    const originalStart = first.start.bind(first);
    first.start = async (config, context) => {
      committing.context = context;
      await originalStart(config, context);
    };
    const originalPoll = first.poll.bind(first);
    first.poll = async (signal) => {
      const records = await originalPoll(signal);
      if (first.polls === 2) committing.context!.transactionContext!.commitTransaction();
      return records;
    };
    await a.start();
    await until(() => (statuses.some((x) => x.state === 'FAILED') ? true : null), { what: 'the first task FAILED' });
    await a.stop();
    expect(statuses.find((x) => x.state === 'FAILED')!.trace).toContain('source went away');

    const second = counting(s, { limit: 20, perPoll: 5 });
    const { runner: b } = runner(s, second, store);
    await b.start();
    expect(second.startedFrom).toBe(9);
    await until(async () => ((await storedN(store)) === 19 ? true : null), { what: 'offset 19 committed' });
    await b.stop();
    expect(keysOf(await readTopic(s.topic, true))).toEqual(keys(0, 20));
    // The aborted records are in the log: a read_uncommitted reader sees them too.
    expect(keysOf(await readTopic(s.topic, false))).toEqual([...keys(0, 10), ...keys(10, 20), ...keys(10, 20)]);
    await store.stop();
  });

  it('drops a batch the connector aborts but commits its offsets, so the records are not read again', async () => {
    const s = await setup();
    const store = await offsetStore(s);
    const task = counting(s, { limit: 15, perPoll: 5 });
    let context: SourceTaskContext | undefined;
    const originalStart = task.start.bind(task);
    task.start = async (config, ctx) => {
      context = ctx;
      await originalStart(config, ctx);
    };
    const originalPoll = task.poll.bind(task);
    task.poll = async (signal) => {
      const records: SourceRecord[] = await originalPoll(signal);
      if (records.length > 0) {
        if (task.polls === 2) context!.transactionContext!.abortTransaction();
        else context!.transactionContext!.commitTransaction(records[records.length - 1]!);
      }
      return records;
    };
    const { runner: r } = runner(s, task, store, { boundary: 'connector' });
    await r.start();
    expect(context?.transactionContext).toBeDefined();
    await until(async () => ((await storedN(store)) === 14 ? true : null), { what: 'offset 14 committed' });
    await r.stop();
    expect(keysOf(await readTopic(s.topic, true))).toEqual([...keys(0, 5), ...keys(10, 15)]);
    await store.stop();
  });

  it('fences an earlier instance of the task: its open transaction is aborted and it fails on its next commit', async () => {
    const s = await setup();
    const store = await offsetStore(s);
    const zombie = counting(s, { limit: 1000, perPoll: 5 });
    const { runner: a, statuses } = runner(s, zombie, store, { boundary: 'interval', boundaryIntervalMs: 300 });
    await a.start();
    await until(() => (zombie.polls > 3 ? true : null), { what: 'the first instance producing' });
    const successor = counting(s, { limit: 5, perPoll: 5 });
    const { runner: b } = runner(s, successor, store);
    await b.start();
    await until(() => (statuses.some((x) => x.state === 'FAILED') ? true : null), { what: 'the fenced instance FAILED' });
    expect(statuses.find((x) => x.state === 'FAILED')!.trace).toMatch(/fenced|epoch/i);
    await until(async () => ((await storedN(store)) === (successor.startedFrom ?? -1) + 5 ? true : null), { what: 'the successor committed' });
    await b.stop();
    await a.stop();
    const committed = keysOf(await readTopic(s.topic, true));
    expect(new Set(committed).size).toBe(committed.length);
    expect(committed.slice(-5)).toEqual(keys((successor.startedFrom ?? -1) + 1, (successor.startedFrom ?? -1) + 6));
    await store.stop();
  });

  describe('a connector with an offsets topic of its own (offsets.storage.topic)', () => {
    async function ownStore(topic: string): Promise<OffsetStore> {
      const store = new OffsetStore(kafkaCompactedTopic(kafka, { topic, clientId: `own-offsets-${++seq}`, readCommitted: true }));
      await store.start();
      return store;
    }

    it.each([{ mode: 'exactly once', eos: {} }, { mode: 'at least once', eos: null }])(
      '$mode: creates the topic, commits offsets there, copies them to the worker\'s offsets topic, and resumes from it',
      async ({ eos }) => {
        const s = await setup();
        const own = `own-offsets-${seq}`;
        const worker = await offsetStore(s);
        const first = counting(s, { limit: 10, perPoll: 5 });
        const { runner: a } = runner(s, first, worker, eos, own);
        await a.start();
        await until(() => (first.next >= 10 && first.polls > 3 ? true : null), { what: 'all ten records polled' });
        await a.stop();
        const primary = await ownStore(own);
        expect((await primary.get('counter', [PARTITION])).get(PARTITION)?.n).toBe(9);
        expect(await storedN(worker)).toBe(9);
        expect(await admin.partitionCount(own)).toBe(2);

        // The worker's topic lags behind: the successor still resumes from the connector's own topic.
        await worker.set('counter', [{ partition: PARTITION, offset: { n: 3 } }]);
        const second = counting(s, { limit: 15, perPoll: 5 });
        const { runner: b } = runner(s, second, worker, eos, own);
        await b.start();
        expect(second.startedFrom).toBe(9);
        await b.stop();
        await primary.stop();
        await worker.stop();
      },
    );

    it('fails an exactly-once task that writes to its own offsets topic, with Kafka Connect\'s message', async () => {
      const s = await setup();
      const worker = await offsetStore(s);
      const task = new CountingSourceTask({ topic: s.offsetsTopic, limit: 5 });
      const { runner: r, statuses } = runner(s, task, worker);
      await r.start();
      await until(() => (statuses.some((x) => x.state === 'FAILED') ? true : null), { what: 'the task FAILED' });
      await r.stop();
      expect(statuses.find((x) => x.state === 'FAILED')!.trace).toContain('Source tasks may not produce to their own offsets topics when exactly-once support is enabled');
      await worker.stop();
    });
  });
});
