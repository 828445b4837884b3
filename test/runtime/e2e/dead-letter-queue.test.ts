/**
 * A sink reading a topic where one record is not valid JSON for the JsonConverter: with
 * errors.tolerance=all it lands in the dead letter queue with Kafka's context headers and the
 * rest is written; with errors.tolerance=none the task fails visibly. Records are produced and
 * read with kcat.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { startFerry, type FerryProcess } from '../../helpers/ferry-process.js';
import { headerPairs, kcatProduce, kcatReadJson } from '../../helpers/kcat.js';
import { completeLines } from '../../helpers/line-files.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';

const dir = tempDir('ferry-e2e-dlq-');
const TOPIC = 'orders';
const envelope = (text: string) => JSON.stringify({ schema: { type: 'string', optional: false }, payload: text });
const BAD_VALUE = 'order #2 is {not json';
const DATA_ERROR_PREFIX = 'Converting byte[] to Kafka Connect data failed due to serialization error';
let ferry: FerryProcess;
let rest: ConnectRest;

beforeAll(async () => {
  ferry = await startFerry({ dataDir: path.join(dir, 'data') });
  rest = new ConnectRest(ferry.restUrl);
  await kcatProduce(ferry.bootstrap, TOPIC, [envelope('order #1 ✓')]);
  await kcatProduce(ferry.bootstrap, TOPIC, [BAD_VALUE], { 'trace-id': 'abc-123' });
  await kcatProduce(ferry.bootstrap, TOPIC, [envelope('order #3 ✓')]);
});

afterAll(async () => {
  await ferry?.stop();
});

it('sends a record the converter rejects to the dead letter queue with its context headers and writes the rest, under errors.tolerance=all', async () => {
  const output = path.join(dir, 'tolerant.txt');
  await rest.createConnector('tolerant', {
    'connector.class': 'FileStreamSink',
    file: output,
    topics: TOPIC,
    'errors.tolerance': 'all',
    'errors.deadletterqueue.topic.name': 'orders-dlq',
    'errors.deadletterqueue.context.headers.enable': 'true',
    'errors.deadletterqueue.topic.replication.factor': '1',
  });

  await until(() => completeLines(output).length >= 2, { timeoutMs: 30_000, what: 'the good records in the sink file' });
  expect(completeLines(output)).toEqual(['order #1 ✓', 'order #3 ✓']);
  expect(await rest.status('tolerant')).toMatchObject({ connector: { state: 'RUNNING' }, tasks: [{ id: 0, state: 'RUNNING' }] });

  const dlq = await until(async () => {
    const messages = await kcatReadJson(ferry.bootstrap, 'orders-dlq').catch(() => []);
    return messages.length > 0 ? messages : null;
  }, { timeoutMs: 30_000, intervalMs: 250, what: 'a record in orders-dlq' });
  expect(dlq).toHaveLength(1);
  const [original] = (await kcatReadJson(ferry.bootstrap, TOPIC)).filter((m) => m.offset === 1);
  const [dead] = dlq;

  expect(dead!.payload).toBe(BAD_VALUE);
  expect(dead!.key).toBeNull();
  expect(dead!.ts).toBe(original!.ts);

  const headers = headerPairs(dead!);
  expect(headers.map(([name]) => name)).toEqual([
    'trace-id',
    '__connect.errors.topic',
    '__connect.errors.partition',
    '__connect.errors.offset',
    '__connect.errors.connector.name',
    '__connect.errors.task.id',
    '__connect.errors.stage',
    '__connect.errors.class.name',
    '__connect.errors.exception.class.name',
    '__connect.errors.exception.message',
    '__connect.errors.exception.stacktrace',
  ]);
  const header = Object.fromEntries(headers);
  expect(header).toMatchObject({
    'trace-id': 'abc-123',
    '__connect.errors.topic': TOPIC,
    '__connect.errors.partition': '0',
    '__connect.errors.offset': '1',
    '__connect.errors.connector.name': 'tolerant',
    '__connect.errors.task.id': '0',
    '__connect.errors.stage': 'VALUE_CONVERTER',
    '__connect.errors.class.name': 'org.apache.kafka.connect.json.JsonConverter',
  });
  const exceptionClass = header['__connect.errors.exception.class.name']!;
  const message = header['__connect.errors.exception.message']!;
  expect(message.startsWith(`${DATA_ERROR_PREFIX}: `)).toBe(true);
  expect(header['__connect.errors.exception.stacktrace']!.startsWith(`${exceptionClass}: ${message}\n\tat `)).toBe(true);
});

it('fails the sink task visibly on the same record under errors.tolerance=none, with a trace naming the error', async () => {
  const output = path.join(dir, 'strict.txt');
  await rest.createConnector('strict', {
    'connector.class': 'FileStreamSink',
    file: output,
    topics: TOPIC,
    'errors.tolerance': 'none',
  });

  const failed = await rest.untilStates('strict', { connector: 'RUNNING', tasks: ['FAILED'] });
  expect(failed.tasks[0]!.trace).toContain(DATA_ERROR_PREFIX);
  expect(failed.tasks[0]!.trace).toContain('Tolerance exceeded in error handler');
  expect(completeLines(output)).not.toContain('order #3 ✓');

  const task = await rest.request<{ state: string; trace: string }>('GET', '/connectors/strict/tasks/0/status');
  expect(task.status).toBe(200);
  expect(task.body).toMatchObject({ id: 0, state: 'FAILED', worker_id: `127.0.0.1:${ferry.restPort}` });
  expect(task.body.trace).toContain(DATA_ERROR_PREFIX);
});
