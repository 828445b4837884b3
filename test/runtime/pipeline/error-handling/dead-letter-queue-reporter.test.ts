import { describe, expect, it } from 'vitest';
import { DataError } from '../../../../connectors/sdk/errors.js';
import { DeadLetterQueueReporter, ensureDeadLetterQueueTopic } from '../../../../runtime/pipeline/error-handling/dead-letter-queue-reporter.js';
import { ErrorHandlingMetrics } from '../../../../runtime/pipeline/error-handling/error-metrics.js';
import type { DeadLetterQueuePolicy } from '../../../../runtime/pipeline/error-handling/error-policy.js';
import type { ProcessingFailure } from '../../../../runtime/pipeline/error-handling/error-reporter.js';
import { consumedRecordContext, sourceRecordContext } from '../../../../runtime/pipeline/error-handling/record-context.js';
import { consumed, fakeLogger, fakeSend } from './fakes.js';

const taskId = { connector: 'orders-sink', task: 3 };

function setup(policy: Partial<DeadLetterQueuePolicy> = {}, fail?: () => Error | undefined) {
  const metrics = new ErrorHandlingMetrics();
  const logger = fakeLogger();
  const { sent, send } = fakeSend(fail);
  const reporter = new DeadLetterQueueReporter({
    taskId, metrics, logger, send, policy: { topic: 'orders-dlq', replicationFactor: 3, contextHeaders: false, ...policy },
  });
  return { reporter, metrics, logger, sent };
}

function failure(overrides: Partial<ProcessingFailure> = {}): ProcessingFailure {
  return {
    stage: 'VALUE_CONVERTER',
    className: 'org.apache.kafka.connect.json.JsonConverter',
    error: new DataError('Converting byte[] to Kafka Connect data failed due to serialization error'),
    attempts: 1,
    record: consumedRecordContext(consumed()),
    ...overrides,
  };
}

const text = (headers: readonly { key: string; value: Buffer | null }[]) =>
  headers.map((h): [string, string | null] => [h.key, h.value === null ? null : h.value.toString('utf8')]);

describe('DeadLetterQueueReporter', () => {
  it('sends the consumed record untouched: raw key and value bytes, original headers and timestamp', async () => {
    const { reporter, sent, metrics } = setup();
    const original = consumed({ key: Buffer.from([0xff, 0x00, 0x01]), value: Buffer.from([0xc3, 0x28]) });
    await reporter.report(failure({ record: consumedRecordContext(original) }));
    expect(sent).toHaveLength(1);
    const record = sent[0];
    expect(record.topic).toBe('orders-dlq');
    expect(record.key).toEqual(Buffer.from([0xff, 0x00, 0x01]));
    expect(record.value).toEqual(Buffer.from([0xc3, 0x28]));
    expect(record.headers).toEqual([{ key: 'trace-id', value: Buffer.from('abc') }, { key: 'empty', value: null }]);
    expect(record.timestamp).toBe(1_690_000_000_123);
    expect(metrics.snapshot()).toMatchObject({ 'deadletterqueue-produce-requests': 1, 'deadletterqueue-produce-failures': 0 });
  });

  it('leaves the timestamp to the producer when the consumed record had none', async () => {
    const { reporter, sent } = setup();
    await reporter.report(failure({ record: consumedRecordContext(consumed({ timestamp: -1 })) }));
    expect(sent[0].timestamp).toBeNull();
  });

  it('appends the __connect.errors context headers after the original ones when enabled', async () => {
    const { reporter, sent } = setup({ contextHeaders: true });
    const error = new DataError('bad json', { cause: new SyntaxError('Unexpected token n') });
    await reporter.report(failure({ error }));
    const headers = text(sent[0].headers);
    expect(headers.slice(0, 11)).toEqual([
      ['trace-id', 'abc'],
      ['empty', null],
      ['__connect.errors.topic', 'orders'],
      ['__connect.errors.partition', '2'],
      ['__connect.errors.offset', '41'],
      ['__connect.errors.connector.name', 'orders-sink'],
      ['__connect.errors.task.id', '3'],
      ['__connect.errors.stage', 'VALUE_CONVERTER'],
      ['__connect.errors.class.name', 'org.apache.kafka.connect.json.JsonConverter'],
      ['__connect.errors.exception.class.name', 'DataError'],
      ['__connect.errors.exception.message', 'bad json'],
    ]);
    expect(headers).toHaveLength(12);
    const [key, trace] = headers[11];
    expect(key).toBe('__connect.errors.exception.stacktrace');
    expect(trace).toMatch(/^DataError: bad json\n\tat .+\n/);
    expect(trace).toMatch(/\nCaused by: SyntaxError: Unexpected token n\n\tat /);
    expect(trace?.endsWith('\n')).toBe(true);
    expect(sent[0].headers[2].value).toEqual(Buffer.from('orders', 'utf8'));
  });

  it('writes a null exception.message header for an error without a message', async () => {
    const { reporter, sent } = setup({ contextHeaders: true });
    await reporter.report(failure({ error: new TypeError() }));
    const headers = new Map(text(sent[0].headers));
    expect(headers.get('__connect.errors.exception.class.name')).toBe('TypeError');
    expect(headers.has('__connect.errors.exception.message')).toBe(true);
    expect(headers.get('__connect.errors.exception.message')).toBeNull();
  });

  it('encodes header text as UTF-8', async () => {
    const { reporter, sent } = setup({ contextHeaders: true });
    await reporter.report(failure({ error: new DataError('prix invalide: 12€') }));
    const header = sent[0].headers.find((h) => h.key === '__connect.errors.exception.message');
    expect(header?.value).toEqual(Buffer.from([...Buffer.from('prix invalide: 12'), 0xe2, 0x82, 0xac]));
  });

  it('counts and logs a failed send without failing', async () => {
    const { reporter, metrics, logger } = setup({}, () => new Error('topic authorization failed'));
    await expect(reporter.report(failure())).resolves.toBeUndefined();
    expect(metrics.snapshot()).toMatchObject({ 'deadletterqueue-produce-requests': 1, 'deadletterqueue-produce-failures': 1 });
    expect(logger.calls).toHaveLength(1);
    expect(logger.calls[0].level).toBe('error');
    expect(logger.calls[0].msg).toBe('Could not produce message to dead letter queue. topic=orders-dlq');
  });

  it('counts a failure without a consumed record as a failed request and sends nothing', async () => {
    const { reporter, metrics, sent } = setup();
    await reporter.report(failure({ record: undefined }));
    await reporter.report(failure({
      record: sourceRecordContext({
        topic: 't', kafkaPartition: null, keySchema: null, key: null, valueSchema: null, value: 'v', timestamp: null, headers: [],
        sourcePartition: {}, sourceOffset: {},
      }),
    }));
    expect(sent).toEqual([]);
    expect(metrics.snapshot()).toMatchObject({ 'deadletterqueue-produce-requests': 2, 'deadletterqueue-produce-failures': 2 });
  });

  it('creates the topic with one partition and the configured replication factor', async () => {
    const created: unknown[] = [];
    const admin = { ensureTopic: async (t: unknown) => { created.push(t); return { created: true }; } };
    await ensureDeadLetterQueueTopic(admin, { topic: 'orders-dlq', replicationFactor: -1, contextHeaders: false });
    expect(created).toEqual([{ name: 'orders-dlq', partitions: 1, replicationFactor: -1 }]);
  });
});
