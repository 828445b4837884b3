import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SinkRecord, TopicPartition } from '../../../connectors/sdk/connect-record.js';
import type { RawConfig } from '../../../connectors/sdk/connector.js';
import { Schema } from '../../../connectors/sdk/data/schema.js';
import { BatchError, DataError, RetriableError } from '../../../connectors/sdk/errors.js';
import type { PartitionOffsets, SinkTask, SinkTaskContext } from '../../../connectors/sdk/sink-task.js';
import { DEFAULT_HEADER_CONVERTER } from '../../../runtime/config/worker-config.js';
import { ConnectorClusters } from '../../../runtime/kafka/connector-clusters.js';
import { createKafkaClient } from '../../../runtime/kafka/create-kafka-client.js';
import type { ConsumedRecord, KafkaClient, OutgoingRecord, RecordProducer, TopicAdmin } from '../../../runtime/kafka/kafka-client.js';
import { BUILTIN_CONVERTER_CLASSES, ConverterRegistry } from '../../../runtime/pipeline/converters/converter-registry.js';
import { SinkTaskRunner } from '../../../runtime/worker/sink-task-runner.js';
import type { StatusReport } from '../../../runtime/worker/task-status.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';
import { DEFERRED_STRING_CONVERTER, DeferredStringConverter } from './deferred-string-converter.js';

const logger = pino({ level: process.env.FERRY_TEST_LOG ?? 'silent' });
const STRING = 'org.apache.kafka.connect.storage.StringConverter';
const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';

let broker: TestBroker;
let kafka: KafkaClient;
let admin: TopicAdmin;
let producer: RecordProducer;
let seq = 0;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = createKafkaClient({
    bootstrapServers: broker.bootstrap,
    clientId: 'sink-runner-test',
    properties: { 'retry.backoff.ms': '50' },
    producer: { 'linger.ms': '0' },
    consumer: { 'session.timeout.ms': '6000', 'heartbeat.interval.ms': '100', 'fetch.max.wait.ms': '100', 'retry.backoff.ms': '50' },
    logger,
  });
  admin = kafka.admin({ clientId: 'sink-runner-test-admin', role: 'internal' });
  producer = kafka.producer({ clientId: 'sink-runner-test-producer', role: 'internal' });
});

afterAll(async () => {
  await kafka.close();
  await broker.close();
});

async function newTopic(prefix: string): Promise<string> {
  const name = `${prefix}-${++seq}`;
  await admin.ensureTopic({ name, partitions: 1, replicationFactor: 1 });
  return name;
}

function record(topic: string, n: number, value = `{"n":${n}}`): OutgoingRecord {
  return {
    topic,
    partition: 0,
    key: Buffer.from(`k${n}`),
    value: Buffer.from(value),
    headers: [{ key: 'trace', value: Buffer.from(`t${n}`) }],
    timestamp: 1_700_000_000_000 + n,
  };
}

async function produce(topic: string, from: number, to: number): Promise<void> {
  const records: OutgoingRecord[] = [];
  for (let n = from; n < to; n++) records.push(record(topic, n));
  await producer.send(records);
}

async function readTopic(topic: string): Promise<ConsumedRecord[]> {
  const reader = kafka.topicReader({ topic, clientId: 'sink-runner-test-reader' });
  const records: ConsumedRecord[] = [];
  reader.onRecord((r) => records.push(r));
  await reader.start();
  await reader.readToEnd();
  await reader.stop();
  return records;
}

const text = (b: Buffer | null) => (b === null ? null : b.toString('utf8'));

interface CollectingOptions {
  /** Called at the start of every put with the put's 1-based number; may throw. */
  readonly beforePut?: (records: readonly SinkRecord[], put: number) => Promise<void> | void;
}

class CollectingSinkTask implements SinkTask {
  readonly records: SinkRecord[] = [];
  readonly putBatches: number[][] = [];
  readonly opened: TopicPartition[][] = [];
  readonly closed: TopicPartition[][] = [];
  readonly flushed: PartitionOffsets[] = [];
  context: SinkTaskContext | undefined;
  stopped = false;

  constructor(private readonly options: CollectingOptions = {}) {}

  start(_config: RawConfig, context: SinkTaskContext): void {
    this.context = context;
  }

  open(partitions: readonly TopicPartition[]): void {
    this.opened.push([...partitions]);
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    this.putBatches.push(records.map((r) => r.kafkaOffset));
    await this.options.beforePut?.(records, this.putBatches.length);
    this.records.push(...records);
  }

  async flush(currentOffsets: PartitionOffsets): Promise<void> {
    this.flushed.push(new Map(currentOffsets));
  }

  close(partitions: readonly TopicPartition[]): void {
    this.closed.push([...partitions]);
  }

  stop(): void {
    this.stopped = true;
  }
}

function sinkRunner(connector: string, topic: string, task: SinkTask, config: Record<string, string> = {}) {
  const statuses: StatusReport[] = [];
  const runner = new SinkTaskRunner({
    id: { connector, task: 0 },
    connectorConfig: { 'name': connector, 'connector.class': 'CollectingSink', 'topics': topic, ...config },
    taskConfig: { 'task.class': 'CollectingSinkTask', 'topics': topic },
    workerConfig: {
      keyConverter: STRING,
      valueConverter: JSON_CONVERTER,
      headerConverter: DEFAULT_HEADER_CONVERTER,
      offsetFlushIntervalMs: 50,
      offsetFlushTimeoutMs: 1000,
      taskShutdownGracefulTimeoutMs: 5000,
    },
    workerProperties: { 'value.converter.schemas.enable': 'false' },
    kafka,
    clusters: new ConnectorClusters(logger),
    converters: new ConverterRegistry([...BUILTIN_CONVERTER_CLASSES, DeferredStringConverter]),
    onStatus: (report) => statuses.push(report),
    logger,
    sinkTask: task,
  });
  return { runner, statuses };
}

/** errors.tolerance=all with a dead letter queue that carries the error context headers. */
function toleratedWithDeadLetterQueue(dlq: string): Record<string, string> {
  return {
    'errors.tolerance': 'all',
    'errors.deadletterqueue.topic.name': dlq,
    'errors.deadletterqueue.topic.replication.factor': '-1',
    'errors.deadletterqueue.context.headers.enable': 'true',
  };
}

async function committed(connector: string, topic: string): Promise<number | undefined> {
  const offsets = await admin.groupOffsets(`connect-${connector}`);
  return offsets.find((o) => o.topic === topic && o.partition === 0)?.offset;
}

describe('SinkTaskRunner', () => {
  it('hands the consumed records to put in order, converted, with their Kafka coordinates', async () => {
    const topic = await newTopic('ordered');
    await produce(topic, 0, 5);
    const task = new CollectingSinkTask();
    const { runner, statuses } = sinkRunner('ordered', topic, task);
    await runner.start();
    expect(statuses).toEqual([{ state: 'RUNNING', trace: null }]);
    await until(() => task.records.length === 5, { what: '5 records put' });
    await runner.stop();

    expect(task.opened).toEqual([[{ topic, partition: 0 }]]);
    expect(task.records.map((r) => r.kafkaOffset)).toEqual([0, 1, 2, 3, 4]);
    const first = task.records[0]!;
    expect(first).toMatchObject({
      topic,
      kafkaPartition: 0,
      kafkaOffset: 0,
      key: 'k0',
      valueSchema: null,
      value: new Map([['n', 0]]),
      timestamp: 1_700_000_000_000,
      timestampType: 'CreateTime',
      originalTopic: topic,
      originalKafkaPartition: 0,
      originalKafkaOffset: 0,
    });
    expect(first.keySchema).toBe(Schema.OPTIONAL_STRING_SCHEMA);
    expect(first.headers.map((h) => [h.key, h.value])).toEqual([['trace', 't0']]);
    expect(task.closed).toEqual([[{ topic, partition: 0 }]]);
    expect(task.stopped).toBe(true);
  });

  it('commits the offsets flush returns, and a new runner of the connector resumes after them', async () => {
    const topic = await newTopic('resume');
    await produce(topic, 0, 5);
    const first = new CollectingSinkTask();
    const one = sinkRunner('resume', topic, first);
    await one.runner.start();
    await until(async () => (await committed('resume', topic)) === 5, { what: 'offset 5 committed on the flush interval' });
    await one.runner.stop();
    expect(first.flushed.at(-1)).toEqual(new Map([[`${topic}-0`, { partition: { topic, partition: 0 }, offset: 5 }]]));

    await produce(topic, 5, 8);
    const second = new CollectingSinkTask();
    const two = sinkRunner('resume', topic, second);
    await two.runner.start();
    await until(() => second.records.length === 3, { what: 'the 3 new records put' });
    await two.runner.stop();
    expect(second.records.map((r) => r.key)).toEqual(['k5', 'k6', 'k7']);
    expect(await committed('resume', topic)).toBe(8);
  });

  it('puts the same batch again after a RetriableError, until it goes through', async () => {
    const topic = await newTopic('retriable');
    await produce(topic, 0, 3);
    const task = new CollectingSinkTask({
      beforePut: (_records, put) => {
        if (put <= 2) throw new RetriableError(`database busy (attempt ${put})`);
      },
    });
    const { runner, statuses } = sinkRunner('retriable', topic, task, { 'errors.retry.delay.max.ms': '100' });
    await runner.start();
    await until(() => task.records.length === 3, { what: 'the batch put successfully' });
    await until(async () => (await committed('retriable', topic)) === 3, { what: 'offset 3 committed' });
    await runner.stop();
    expect(task.putBatches).toEqual([[0, 1, 2], [0, 1, 2], [0, 1, 2]]);
    expect(task.records.map((r) => r.key)).toEqual(['k0', 'k1', 'k2']);
    expect(statuses.map((s) => s.state)).toEqual(['RUNNING']);
  });

  it('sends a record the converter cannot read to the dead letter queue under errors.tolerance=all', async () => {
    const topic = await newTopic('dlq-source');
    const dlq = `${topic}-dlq`;
    await producer.send([record(topic, 0), record(topic, 1, '{not json'), record(topic, 2)]);
    const task = new CollectingSinkTask();
    const { runner, statuses } = sinkRunner('dlq', topic, task, {
      ...toleratedWithDeadLetterQueue(dlq),
    });
    await runner.start();
    await until(() => task.records.length === 2, { what: 'the good records put' });
    await until(async () => (await committed('dlq', topic)) === 3, { what: 'offsets committed past the bad record' });
    await runner.stop();

    expect(task.records.map((r) => r.key)).toEqual(['k0', 'k2']);
    expect(statuses.map((s) => s.state)).toEqual(['RUNNING']);
    expect(await admin.partitionCount(dlq)).toBe(1);
    const [dead, ...more] = await readTopic(dlq);
    expect(more).toEqual([]);
    expect(text(dead!.key)).toBe('k1');
    expect(text(dead!.value)).toBe('{not json');
    expect(dead!.timestamp).toBe(1_700_000_000_001);
    const headers = Object.fromEntries(dead!.headers.map((h) => [h.key, text(h.value)]));
    expect(dead!.headers[0]).toEqual({ key: 'trace', value: Buffer.from('t1') });
    expect(headers).toMatchObject({
      '__connect.errors.topic': topic,
      '__connect.errors.partition': '0',
      '__connect.errors.offset': '1',
      '__connect.errors.connector.name': 'dlq',
      '__connect.errors.task.id': '0',
      '__connect.errors.stage': 'VALUE_CONVERTER',
      '__connect.errors.class.name': JSON_CONVERTER,
      '__connect.errors.exception.class.name': 'DataError',
    });
    expect(headers['__connect.errors.exception.stacktrace']).toMatch(/^DataError: /);
  });

  it('reads through a converter that answers with promises, and sends the record it rejects to the dead letter queue', async () => {
    const topic = await newTopic('deferred');
    const dlq = `${topic}-dlq`;
    await producer.send([record(topic, 0), record(topic, 1, 'reject me'), record(topic, 2)]);
    const task = new CollectingSinkTask();
    const { runner, statuses } = sinkRunner('deferred', topic, task, {
      'key.converter': DEFERRED_STRING_CONVERTER,
      'value.converter': DEFERRED_STRING_CONVERTER,
      ...toleratedWithDeadLetterQueue(dlq),
    });
    await runner.start();
    await until(() => task.records.length === 2, { what: 'the good records put' });
    await until(async () => (await committed('deferred', topic)) === 3, { what: 'offsets committed past the rejected record' });
    await runner.stop();

    expect(task.records.map((r) => [r.kafkaOffset, r.key, r.value])).toEqual([[0, 'k0', '{"n":0}'], [2, 'k2', '{"n":2}']]);
    expect(statuses.map((s) => s.state)).toEqual(['RUNNING']);
    const [dead, ...more] = await readTopic(dlq);
    expect(more).toEqual([]);
    expect(text(dead!.value)).toBe('reject me');
    const headers = Object.fromEntries(dead!.headers.map((h) => [h.key, text(h.value)]));
    expect(headers).toMatchObject({
      '__connect.errors.offset': '1',
      '__connect.errors.stage': 'VALUE_CONVERTER',
      '__connect.errors.class.name': DEFERRED_STRING_CONVERTER,
      '__connect.errors.exception.message': `Refusing to read a value containing 'reject' from topic ${topic}`,
    });
  });

  it('fails the task with a trace when the converter cannot read a record under errors.tolerance=none', async () => {
    const topic = await newTopic('intolerant');
    await producer.send([record(topic, 0), record(topic, 1, '{not json')]);
    const task = new CollectingSinkTask();
    const { runner, statuses } = sinkRunner('intolerant', topic, task);
    await runner.start();
    await until(() => statuses.some((s) => s.state === 'FAILED'), { what: 'FAILED status' });
    await until(() => task.stopped, { what: 'task.stop() after the failure' });
    await runner.stop();

    const trace = statuses.find((s) => s.state === 'FAILED')!.trace!;
    expect(trace).toMatch(/^ToleranceExceededError: Tolerance exceeded in error handler/);
    expect(trace.split('\n')[0]).toBe(`ToleranceExceededError: Tolerance exceeded in error handler executing stage 'VALUE_CONVERTER' with class '${JSON_CONVERTER}', `
      + `where consumed record is {topic='${topic}', partition=0, offset=1}`);
    expect(trace).toContain('Caused by: DataError: ');
    expect(task.records.map((r) => r.key)).not.toContain('k1');
    expect(await committed('intolerant', topic)).toBeUndefined();
  });

  it('fails the task with the error a task raises from the background, between puts', async () => {
    const topic = await newTopic('raised');
    await produce(topic, 0, 1);
    const task = new CollectingSinkTask();
    const { runner, statuses } = sinkRunner('raised', topic, task);
    await runner.start();
    await until(() => task.records.length === 1, { what: 'the record put' });
    task.context!.raiseError(new Error('the cluster at http://es:9200 stayed unreachable after 5 retries'));
    await until(() => statuses.some((s) => s.state === 'FAILED'), { what: 'FAILED status' });
    await until(() => task.stopped, { what: 'task.stop() after the failure' });
    await runner.stop();
    expect(statuses.find((s) => s.state === 'FAILED')!.trace).toContain('the cluster at http://es:9200 stayed unreachable after 5 retries');
  });

  it('reports the records a BatchError names and keeps going under errors.tolerance=all', async () => {
    const topic = await newTopic('batch-error');
    await produce(topic, 0, 3);
    const dlq = `${topic}-dlq`;
    const task = new CollectingSinkTask({
      beforePut: (records, put) => {
        if (put === 1) throw new BatchError('one row rejected', [{ index: 1, error: new DataError('row k1 violates a constraint') }]);
      },
    });
    const { runner } = sinkRunner('batch-error', topic, task, {
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq,
      'errors.deadletterqueue.topic.replication.factor': '1',
    });
    await runner.start();
    await until(async () => (await committed('batch-error', topic)) === 3, { what: 'offsets committed past the batch' });
    await runner.stop();
    const dead = await readTopic(dlq);
    expect(dead.map((r) => text(r.key))).toEqual(['k1']);
    expect(dead[0]!.headers.map((h) => h.key)).toEqual(['trace']);
  });

  it('sends records the task reports as errant to the dead letter queue as they were consumed', async () => {
    const topic = await newTopic('errant');
    await produce(topic, 0, 3);
    const dlq = `${topic}-dlq`;
    const task: CollectingSinkTask = new CollectingSinkTask({
      beforePut: async (records) => {
        for (const r of records) if (r.key === 'k1') await task.context!.reportErrantRecord(r, new Error('rejected by the target'));
      },
    });
    const { runner } = sinkRunner('errant', topic, task, {
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq,
      'errors.deadletterqueue.topic.replication.factor': '1',
      'errors.deadletterqueue.context.headers.enable': 'true',
    });
    await runner.start();
    await until(() => task.records.length === 3, { what: 'the batch put' });
    await runner.stop();
    const [dead] = await readTopic(dlq);
    expect(text(dead!.value)).toBe('{"n":1}');
    const headers = Object.fromEntries(dead!.headers.map((h) => [h.key, text(h.value)]));
    expect(headers).toMatchObject({ '__connect.errors.stage': 'TASK_PUT', '__connect.errors.offset': '1', '__connect.errors.exception.message': 'rejected by the target' });
  });

  it('sends an errant record of an earlier batch to the dead letter queue as it was consumed', async () => {
    const topic = await newTopic('errant-later');
    await produce(topic, 0, 2);
    const dlq = `${topic}-dlq`;
    const task: CollectingSinkTask = new CollectingSinkTask({
      beforePut: async (records) => {
        if (records.some((r) => r.kafkaOffset === 2)) await task.context!.reportErrantRecord(task.records[0]!, new Error('rejected later'));
      },
    });
    const { runner } = sinkRunner('errant-later', topic, task, {
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq,
      'errors.deadletterqueue.topic.replication.factor': '1',
      'errors.deadletterqueue.context.headers.enable': 'true',
    });
    await runner.start();
    await until(() => task.records.length === 2, { what: 'the first batch put' });
    await produce(topic, 2, 3);
    await until(() => task.records.length === 3, { what: 'the second batch put' });
    await runner.stop();
    const [dead] = await readTopic(dlq);
    expect(text(dead!.value)).toBe('{"n":0}');
    const headers = Object.fromEntries(dead!.headers.map((h) => [h.key, text(h.value)]));
    expect(headers).toMatchObject({ '__connect.errors.offset': '0', '__connect.errors.exception.message': 'rejected later' });
  });

  it('delivers again from the offset the task seeks to', async () => {
    const topic = await newTopic('seek');
    await produce(topic, 0, 3);
    let sought = false;
    const task: CollectingSinkTask = new CollectingSinkTask({
      beforePut: (records) => {
        if (!sought && records.some((r) => r.kafkaOffset === 2)) {
          sought = true;
          task.context!.seek({ topic, partition: 0 }, 1);
        }
      },
    });
    const { runner } = sinkRunner('seek', topic, task);
    await runner.start();
    await until(() => task.records.length === 5, { what: 'records 1 and 2 delivered again' });
    await runner.stop();
    expect(task.records.map((r) => r.kafkaOffset)).toEqual([0, 1, 2, 1, 2]);
    expect(await committed('seek', topic)).toBe(3);
  });

  it('stops consuming while paused and goes on from there on resume', async () => {
    const topic = await newTopic('paused');
    await produce(topic, 0, 2);
    const task = new CollectingSinkTask();
    const { runner, statuses } = sinkRunner('paused', topic, task);
    await runner.start();
    await until(() => task.records.length === 2, { what: 'first records put' });
    runner.pause();
    expect(statuses.at(-1)).toEqual({ state: 'PAUSED', trace: null });
    await produce(topic, 2, 4);
    // Nothing signals "did not deliver": give the consumer a few fetch rounds.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(task.records.length).toBe(2);
    runner.resume();
    expect(statuses.at(-1)).toEqual({ state: 'RUNNING', trace: null });
    await until(() => task.records.length === 4, { what: 'records put after resume' });
    await runner.stop();
    expect(task.records.map((r) => r.key)).toEqual(['k0', 'k1', 'k2', 'k3']);
  });
});
