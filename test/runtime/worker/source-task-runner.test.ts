import { writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawConfig } from '../../../connectors/sdk/connector.js';
import { RetriableError } from '../../../connectors/sdk/errors.js';
import type { ClusterClient } from '../../../connectors/sdk/kafka-clusters.js';
import type { SourceTask, SourceTaskContext } from '../../../connectors/sdk/source-task.js';
import { FileStreamSourceTask } from '../../../connectors/file/file-source-task.js';
import { DEFAULT_HEADER_CONVERTER } from '../../../runtime/config/worker-config.js';
import { ConnectorClusters } from '../../../runtime/kafka/connector-clusters.js';
import { createKafkaClient } from '../../../runtime/kafka/create-kafka-client.js';
import type { ConsumedRecord, KafkaClient, OutgoingRecord, TopicAdmin } from '../../../runtime/kafka/kafka-client.js';
import { BUILTIN_CONVERTER_CLASSES, ConverterRegistry } from '../../../runtime/pipeline/converters/converter-registry.js';
import { InMemoryCompactedTopic } from '../../../runtime/stores/memory/in-memory-compacted-topic.js';
import { InMemoryTopicLog } from '../../../runtime/stores/memory/in-memory-topic-log.js';
import { OffsetStore } from '../../../runtime/stores/offset-store.js';
import { SourceTaskRunner } from '../../../runtime/worker/source-task-runner.js';
import type { WorkerTaskSettings } from '../../../runtime/worker/task-runner-deps.js';
import type { StatusReport } from '../../../runtime/worker/task-status.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { AcknowledgedCountingTask, CountingSourceTask, PARTITION } from './counting-source-task.js';
import { DEFERRED_STRING_CONVERTER, DeferredStringConverter } from './deferred-string-converter.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';

const logger = pino({ level: process.env.FERRY_TEST_LOG ?? 'silent' });
const STRING = 'org.apache.kafka.connect.storage.StringConverter';
const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';

let broker: TestBroker;
let kafka: KafkaClient;
let admin: TopicAdmin;
let topicSeq = 0;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = createKafkaClient({
    bootstrapServers: broker.bootstrap,
    clientId: 'source-runner-test',
    properties: { 'retry.backoff.ms': '50' },
    producer: { 'linger.ms': '0' },
    logger,
  });
  admin = kafka.admin({ clientId: 'source-runner-test-admin', role: 'internal' });
});

afterAll(async () => {
  await kafka.close();
  await broker.close();
});

async function newTopic(prefix: string): Promise<string> {
  const name = `${prefix}-${++topicSeq}`;
  await admin.ensureTopic({ name, partitions: 1, replicationFactor: 1 });
  return name;
}

async function readTopic(topic: string): Promise<ConsumedRecord[]> {
  const reader = kafka.topicReader({ topic, clientId: 'source-runner-test-reader' });
  const records: ConsumedRecord[] = [];
  reader.onRecord((r) => records.push(r));
  await reader.start();
  await reader.readToEnd();
  await reader.stop();
  return records;
}

function awaitRecords(topic: string, count: number): Promise<ConsumedRecord[]> {
  return until(async () => {
    const records = await readTopic(topic);
    return records.length >= count ? records : null;
  }, { what: `${count} records in ${topic}` });
}

const text = (b: Buffer | null) => (b === null ? null : b.toString('utf8'));

interface Harness {
  runner: SourceTaskRunner;
  statuses: StatusReport[];
}

async function offsetStore(): Promise<OffsetStore> {
  const store = new OffsetStore(new InMemoryCompactedTopic(new InMemoryTopicLog()));
  await store.start();
  return store;
}

interface RunnerOptions {
  readonly connector?: Record<string, string>;
  readonly taskConfig?: Record<string, string>;
  readonly client?: KafkaClient;
  readonly worker?: Partial<WorkerTaskSettings>;
  readonly logger?: pino.Logger;
}

function sourceRunner(task: SourceTask, store: OffsetStore, options: RunnerOptions = {}): Harness {
  const statuses: StatusReport[] = [];
  const runner = new SourceTaskRunner({
    id: { connector: 'counter', task: 0 },
    connectorConfig: { 'name': 'counter', 'connector.class': 'CountingSource', ...options.connector },
    taskConfig: options.taskConfig ?? { 'task.class': 'CountingSourceTask' },
    workerConfig: {
      keyConverter: STRING,
      valueConverter: JSON_CONVERTER,
      headerConverter: DEFAULT_HEADER_CONVERTER,
      offsetFlushIntervalMs: 50,
      offsetFlushTimeoutMs: 1000,
      taskShutdownGracefulTimeoutMs: 2000,
      ...options.worker,
    },
    workerProperties: { 'value.converter.schemas.enable': 'true' },
    kafka: options.client ?? kafka,
    clusters: new ConnectorClusters(logger),
    converters: new ConverterRegistry([...BUILTIN_CONVERTER_CLASSES, DeferredStringConverter]),
    onStatus: (report) => statuses.push(report),
    logger: options.logger ?? logger,
    sourceTask: task,
    offsetStore: store,
  });
  return { runner, statuses };
}

async function storedN(store: OffsetStore): Promise<unknown> {
  return (await store.get('counter', [PARTITION])).get(PARTITION)?.n;
}

/** Acknowledges sends of records whose key is in `held` only once `release()` is called. */
type Producer = ReturnType<KafkaClient['producer']>;

/** `client`, with each producer's sends made by `send` from the real producer. */
function withSends(client: KafkaClient, send: (producer: Producer, records: Parameters<Producer['send']>[0]) => ReturnType<Producer['send']>): KafkaClient {
  return {
    producer: (request) => {
      const producer = client.producer(request);
      return { send: (records) => send(producer, records), flush: () => producer.flush(), close: () => producer.close() };
    },
    topicReader: (request) => client.topicReader(request),
    admin: (request) => client.admin(request),
    sinkConsumer: (options) => client.sinkConsumer(options),
    close: () => client.close(),
  };
}

function slowAcks(client: KafkaClient, held: ReadonlySet<string>): { client: KafkaClient; release: () => void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  const isHeld = (r: OutgoingRecord) => r.key !== null && held.has(r.key.toString());
  return {
    release,
    client: withSends(client, async (producer, records) => {
      const metadata = await producer.send(records);
      if (records.some(isHeld)) await gate;
      return metadata;
    }),
  };
}

/** A producer whose sends fail for records whose key is in `failing`, with an error no retry helps. */
function failingSends(client: KafkaClient, failing: ReadonlySet<string>): KafkaClient {
  return withSends(client, (producer, records) => (records.some((r) => r.key !== null && failing.has(r.key.toString()))
    ? Promise.reject(new Error('record rejected by the test producer'))
    : producer.send(records)));
}

describe('SourceTaskRunner', () => {
  it.each<{ name: string; connector: Record<string, string>; value: string }>([
    {
      name: 'JsonConverter with schemas (the worker default)',
      connector: {},
      value: '{"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"n"}],"optional":false,"name":"Count"},"payload":{"n":0}}',
    },
    {
      name: 'JsonConverter without schemas (connector settings)',
      connector: { 'value.converter': 'JsonConverter', 'value.converter.schemas.enable': 'false' },
      value: '{"n":0}',
    },
    {
      name: 'StringConverter (connector settings)',
      connector: { 'value.converter': STRING },
      value: 'Struct{n=0}',
    },
  ])('writes polled records to Kafka as bytes of the $name', async ({ connector, value }) => {
    const topic = await newTopic('converted');
    const task = new CountingSourceTask({ topic, limit: 3 });
    const { runner, statuses } = sourceRunner(task, await offsetStore(), { connector });
    await runner.start();
    expect(statuses).toEqual([{ state: 'RUNNING', trace: null }]);
    const records = await awaitRecords(topic, 3);
    await runner.stop();

    expect(records.map((r) => text(r.key))).toEqual(['k0', 'k1', 'k2']);
    expect(text(records[0]!.value)).toBe(value);
    expect(records[0]!.timestamp).toBe(1_700_000_000_000);
    expect(records[0]!.headers.map((h) => [h.key, text(h.value)])).toEqual([['origin', 'counter-0']]);
    expect(task.committed).toEqual([0, 1, 2]);
    expect(task.stopped).toBe(true);
  });

  it('commits source offsets while running, and a restarted task resumes after the stored offset', async () => {
    const topic = await newTopic('resume');
    const store = await offsetStore();
    const first = new CountingSourceTask({ topic, limit: 5 });
    const one = sourceRunner(first, store);
    await one.runner.start();
    await until(async () => (await storedN(store)) === 4, { what: 'offset 4 committed by the flush interval' });
    await one.runner.stop();

    const second = new CountingSourceTask({ topic, limit: 8 });
    const two = sourceRunner(second, store);
    await two.runner.start();
    const records = await awaitRecords(topic, 8);
    await two.runner.stop();

    expect(second.startedFrom).toBe(4);
    expect(records.map((r) => text(r.key))).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7']);
    expect(await storedN(store)).toBe(7);
  });

  it('calls SourceTask.commit after each successful offset commit, also when nothing new was written, and lives through one that throws', async () => {
    const topic = await newTopic('task-commit');
    const store = await offsetStore();
    const storedAtCommit: unknown[] = [];
    class CommittingTask extends CountingSourceTask {
      async commit(): Promise<void> {
        storedAtCommit.push(await storedN(store));
        if (storedAtCommit.length === 1) throw new Error('commit hook failed');
      }
    }
    const { runner, statuses } = sourceRunner(new CommittingTask({ topic, limit: 3 }), store);
    await runner.start();
    await until(() => storedAtCommit.filter((n) => n === 2).length >= 3, { what: 'commits after offset 2 was stored' });
    await runner.stop();
    const firstAfterLast = storedAtCommit.indexOf(2);
    expect(storedAtCommit.slice(firstAfterLast).every((n) => n === 2)).toBe(true);
    expect(statuses.map((s) => s.state)).toEqual(['RUNNING']);
  });

  it('tells a task that asks how far each source partition is acknowledged, in order, after commitRecord, through the last record', async () => {
    const topic = await newTopic('acknowledged');
    const task = new AcknowledgedCountingTask({ topic, limit: 50, perPoll: 7 });
    const { runner } = sourceRunner(task, await offsetStore());
    await runner.start();
    await until(() => task.acknowledged.at(-1)?.n === 49, { what: 'record 49 acknowledged' });
    await runner.stop();
    const reported = task.acknowledged.map((a) => a.n);
    expect(reported.every((n, i) => i === 0 || n > reported[i - 1]!)).toBe(true);
    // Each call follows the commitRecord of every record it covers, which follows Kafka's acknowledgement.
    for (const { n, committedBefore } of task.acknowledged) expect(committedBefore).toBeGreaterThanOrEqual(n + 1);
    expect((await awaitRecords(topic, 50)).map((r) => text(r.key))).toEqual(Array.from({ length: 50 }, (_, i) => `k${i}`));
  });

  it('closes the Kafka cluster clients a task left open when it stops', async () => {
    const topic = await newTopic('left-open');
    let opened: ClusterClient | undefined;
    class ClientOpeningTask extends CountingSourceTask {
      override async start(config: RawConfig, context: SourceTaskContext): Promise<void> {
        await super.start(config, context);
        opened = context.kafka.connect({ 'bootstrap.servers': broker.bootstrap }, { clientId: 'left-open' });
        opened.reader().assign([{ topic, partition: 0, offset: 'earliest' }]);
      }
    }
    const { runner } = sourceRunner(new ClientOpeningTask({ topic, limit: 1 }), await offsetStore());
    await runner.start();
    expect(() => opened!.producer()).not.toThrow();
    await runner.stop();
    expect(() => opened!.producer()).toThrow(/closed/);
  });

  it('commits offsets only up to the first record Kafka has not acknowledged, so a restart produces it again', async () => {
    const topic = await newTopic('unacked');
    const store = await offsetStore();
    const slow = slowAcks(kafka, new Set(['k2']));
    const task = new CountingSourceTask({ topic, limit: 5 });
    const { runner } = sourceRunner(task, store, { client: slow.client, worker: { offsetFlushTimeoutMs: 200 } });
    await runner.start();
    await until(() => task.committed.length === 4, { what: 'every record but k2 acknowledged' });
    await runner.stop();

    expect(task.committed).toEqual([0, 1, 3, 4]);
    expect(await storedN(store)).toBe(1);
    slow.release();

    const again = new CountingSourceTask({ topic, limit: 5 });
    const restarted = sourceRunner(again, store);
    await restarted.runner.start();
    await until(() => again.committed.length === 3, { what: 'k2..k4 produced again' });
    await restarted.runner.stop();
    expect(again.committed).toEqual([2, 3, 4]);
    expect(await storedN(store)).toBe(4);
  });

  it.each([true, false])('reports a failed send under errors.tolerance=all with the record printed only when errors.log.include.messages=%s, for a task without commitRecord', async (includeMessages) => {
    const topic = await newTopic('failed-send');
    const counting = new CountingSourceTask({ topic, limit: 3 });
    const task: SourceTask = { start: (config, context) => counting.start(config, context), poll: (signal) => counting.poll(signal), stop: () => counting.stop() };
    const lines: string[] = [];
    const captured = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const { runner } = sourceRunner(task, await offsetStore(), {
      client: failingSends(kafka, new Set(['k1'])), logger: captured,
      connector: { 'errors.tolerance': 'all', 'errors.log.enable': 'true', 'errors.log.include.messages': String(includeMessages) },
    });
    await runner.start();
    expect((await awaitRecords(topic, 2)).map((r) => text(r.key))).toEqual(['k0', 'k2']);
    await runner.stop();
    const report = lines.map((l) => JSON.parse(l) as { msg: string; err?: { message?: string } }).find((l) => l.msg.includes('KAFKA_PRODUCE'));
    expect(report?.err?.message).toContain('record rejected by the test producer');
    if (includeMessages) expect(report?.msg).toContain("source record is {topic='" + topic + "', kafkaPartition=null, sourcePartition={source=counter}, sourceOffset={n=1}");
    if (includeMessages) expect(report?.msg).toContain('key=k1, value=Struct{n=1}, headers=');
    else expect(report?.msg).not.toContain('source record is');
  });

  it('reports PAUSED once polling has stopped, polls nothing while paused, and continues where it was on resume', async () => {
    const topic = await newTopic('paused');
    const task = new CountingSourceTask({ topic, limit: 1000 });
    const { runner, statuses } = sourceRunner(task, await offsetStore());
    await runner.start();
    await until(() => task.next >= 3, { what: 'a few records polled' });
    runner.pause();
    await until(() => statuses.at(-1)?.state === 'PAUSED', { what: 'PAUSED reported' });
    const settled = task.next;
    // Nothing signals "did not poll": give the loop time to poll if it wrongly would.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(task.next).toBe(settled);

    runner.resume();
    expect(statuses.at(-1)).toEqual({ state: 'RUNNING', trace: null });
    await until(() => task.next >= settled + 3, { what: 'polling resumed' });
    await runner.stop();
    const keys = (await readTopic(topic)).map((r) => text(r.key));
    expect(keys).toEqual(Array.from({ length: keys.length }, (_, i) => `k${i}`));
  });

  it('polls again after a back-off when poll throws a RetriableError', async () => {
    const topic = await newTopic('retriable');
    const task = new CountingSourceTask({
      topic,
      limit: 2,
      beforePoll: (polls) => {
        if (polls <= 2) throw new RetriableError('source not reachable yet');
      },
    });
    const { runner, statuses } = sourceRunner(task, await offsetStore(), { connector: { 'errors.retry.delay.max.ms': '50' } });
    await runner.start();
    const records = await awaitRecords(topic, 2);
    await runner.stop();
    expect(records.map((r) => text(r.key))).toEqual(['k0', 'k1']);
    expect(statuses.map((s) => s.state)).toEqual(['RUNNING']);
  });

  it('fails the task with the trace of an error thrown by poll and stops polling', async () => {
    const topic = await newTopic('failing');
    const task = new CountingSourceTask({
      topic,
      beforePoll: (polls) => {
        if (polls === 3) throw new TypeError('the counter broke');
      },
    });
    const { runner, statuses } = sourceRunner(task, await offsetStore());
    await runner.start();
    await until(() => statuses.some((s) => s.state === 'FAILED'), { what: 'FAILED status' });
    const failed = statuses.find((s) => s.state === 'FAILED')!;
    expect(failed.trace).toMatch(/^TypeError: the counter broke\n\s+at /);
    await until(() => task.stopped, { what: 'task.stop() after the failure' });
    expect(task.polls).toBe(3);
    runner.resume();
    await runner.stop();
    expect(statuses.map((s) => s.state)).toEqual(['RUNNING', 'FAILED']);
  });

  it('writes through a converter that answers with promises, in order, and skips the record it rejects under errors.tolerance=all', async () => {
    const topic = await newTopic('deferred');
    const file = path.join(tempDir('source-runner-'), 'input.txt');
    writeFileSync(file, 'one\nreject two\nthree\n');
    const { runner, statuses } = sourceRunner(new FileStreamSourceTask(), await offsetStore(), {
      connector: { 'errors.tolerance': 'all', 'value.converter': DEFERRED_STRING_CONVERTER },
      taskConfig: { 'task.class': 'org.apache.kafka.connect.file.FileStreamSourceTask', file, topic, 'file.poll.interval.ms': '20' },
    });
    await runner.start();
    appendFileSync(file, 'four\n');
    const records = await awaitRecords(topic, 3);
    await runner.stop();
    expect(records.map((r) => text(r.value))).toEqual(['one', 'three', 'four']);
    expect(statuses.map((s) => s.state)).toEqual(['RUNNING']);
  });

  describe('with the file source and a line that is not JSON', () => {
    async function fileRunner(topic: string, tolerance: 'all' | 'none') {
      const file = path.join(tempDir('source-runner-'), 'input.jsonl');
      writeFileSync(file, '{"n":1}\nnot json\n{"n":2}\n');
      const harness = sourceRunner(new FileStreamSourceTask(), await offsetStore(), {
        connector: { 'errors.tolerance': tolerance, 'value.converter': JSON_CONVERTER, 'value.converter.schemas.enable': 'false' },
        taskConfig: { 'task.class': 'org.apache.kafka.connect.file.FileStreamSourceTask', file, topic, 'file.format': 'json', 'file.poll.interval.ms': '20' },
      });
      return { ...harness, file };
    }

    it('skips the line under errors.tolerance=all and keeps tailing the file', async () => {
      const topic = await newTopic('file-all');
      const { runner, statuses, file } = await fileRunner(topic, 'all');
      await runner.start();
      await awaitRecords(topic, 2);
      appendFileSync(file, '{"n":3}\n');
      const records = await awaitRecords(topic, 3);
      await runner.stop();
      expect(records.map((r) => text(r.value))).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
      expect(statuses.map((s) => s.state)).toEqual(['RUNNING']);
    });

    it('fails the task with the InvalidLineError in its trace under errors.tolerance=none', async () => {
      const topic = await newTopic('file-none');
      const { runner, statuses } = await fileRunner(topic, 'none');
      await runner.start();
      await until(() => statuses.some((s) => s.state === 'FAILED'), { what: 'FAILED status' });
      await runner.stop();
      const trace = statuses.find((s) => s.state === 'FAILED')!.trace!;
      expect(trace).toMatch(/^ToleranceExceededError: Tolerance exceeded in error handler/);
      expect(trace).toContain('Caused by: InvalidLineError: Line is not valid JSON');
      expect((await readTopic(topic)).map((r) => text(r.value))).toEqual(['{"n":1}']);
    });
  });
});
