/**
 * Offsets, active topics, health and cluster-wide log levels of a worker (startWorker) on the
 * bundled broker with its real config, offset and status topics, through the REST API. A file
 * source feeds the topic `lines`, a file sink writes it to `out`; the tests run in order.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type RunningWorker } from '../../../cli/worker/start-worker.js';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { appendLines, completeLines } from '../../helpers/line-files.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';

const STRING_CONVERTER = 'org.apache.kafka.connect.storage.StringConverter';
const LINES = ['line 1', 'line 2', 'line 3'];
const AFTER_LINE_1 = Buffer.byteLength('line 1\n');
const END = Buffer.byteLength(LINES.map((l) => `${l}\n`).join(''));
const NOT_STOPPED = (name: string) => 'Connectors must be in the STOPPED state before their offsets can be modified. This can be done '
  + `for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`;
const ALTERED = { message: 'The offsets for this connector have been altered successfully' };
const RESET = { message: 'The offsets for this connector have been reset successfully' };
const LINES_0 = { kafka_topic: 'lines', kafka_partition: 0 };

const dir = tempDir('ferry-offsets-');
const input = path.join(dir, 'input.txt');
const output = path.join(dir, 'out.txt');
let broker: TestBroker;
let worker: RunningWorker;
let rest: ConnectRest;

interface Offsets {
  offsets: { partition: Record<string, unknown>; offset: Record<string, unknown> | null }[];
}

async function offsetsOf(name: string): Promise<Offsets> {
  const res = await rest.request<Offsets>('GET', `/connectors/${name}/offsets`);
  expect(res.status).toBe(200);
  return res.body;
}

async function untilOffsets(name: string, expected: Offsets['offsets']): Promise<void> {
  let last: Offsets | undefined;
  try {
    await until(async () => {
      last = await offsetsOf(name);
      return JSON.stringify(last.offsets) === JSON.stringify(expected);
    }, { timeoutMs: 20_000, what: `offsets of ${name}` });
  } catch (err) {
    throw new Error(`${(err as Error).message}; last: ${JSON.stringify(last)}`, { cause: err });
  }
}

async function untilOutput(lines: string[]): Promise<void> {
  await until(() => completeLines(output).length >= lines.length, { timeoutMs: 20_000, what: `${lines.length} lines in the output` });
  expect(completeLines(output)).toEqual(lines);
}

async function untilTopics(name: string, topics: string[]): Promise<void> {
  const expected = JSON.stringify({ [name]: { topics } });
  await until(async () => JSON.stringify((await rest.request('GET', `/connectors/${name}/topics`)).body) === expected, { what: `topics of ${name}` });
}

async function stop(name: string): Promise<void> {
  expect((await rest.request('PUT', `/connectors/${name}/stop`)).status).toBe(204);
  await rest.untilStates(name, { connector: 'STOPPED', tasks: [] });
}

async function resume(name: string): Promise<void> {
  expect((await rest.request('PUT', `/connectors/${name}/resume`)).status).toBe(202);
  await rest.untilStates(name, { connector: 'RUNNING', tasks: ['RUNNING'] });
}

beforeAll(async () => {
  broker = await startTestBroker();
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  worker = await startWorker({
    'bootstrap.servers': broker.bootstrap,
    'group.id': 'offsets-test',
    'config.storage.topic': 'offsets-test-configs',
    'offset.storage.topic': 'offsets-test-offsets',
    'status.storage.topic': 'offsets-test-status',
    'config.storage.replication.factor': '1',
    'offset.storage.replication.factor': '1',
    'status.storage.replication.factor': '1',
    'key.converter': STRING_CONVERTER,
    'value.converter': STRING_CONVERTER,
    'offset.flush.interval.ms': '100',
    listeners: 'http://127.0.0.1:0',
  }, { logger: pino({ level: 'info' }, discard) });
  rest = new ConnectRest(worker.restUrl);
  fs.writeFileSync(input, '');
  appendLines(input, LINES);
  await rest.createConnector('src', { 'connector.class': 'FileStreamSource', file: input, topic: 'lines' });
  await rest.createConnector('snk', { 'connector.class': 'FileStreamSink', file: output, topics: 'lines' });
  await untilOutput(LINES);
});

afterAll(async () => {
  await worker?.stop();
  await broker?.close();
});

describe('a source connector\'s offsets', () => {
  it('are read from the offsets topic while the connector runs', async () => {
    await untilOffsets('src', [{ partition: { filename: input }, offset: { position: END } }]);
  });

  it('cannot be altered or reset while the connector runs', async () => {
    const altered = await rest.request('PATCH', '/connectors/src/offsets', { offsets: [{ partition: { filename: input }, offset: { position: 0 } }] });
    expect(altered).toEqual({ status: 400, body: { error_code: 400, message: NOT_STOPPED('src') } });
    const reset = await rest.request('DELETE', '/connectors/src/offsets');
    expect(reset).toEqual({ status: 400, body: { error_code: 400, message: NOT_STOPPED('src') } });
  });

  it('can be altered once it is stopped, and it resumes from the altered offset', async () => {
    await stop('src');
    expect(await offsetsOf('src')).toEqual({ offsets: [{ partition: { filename: input }, offset: { position: END } }] });

    const altered = await rest.request('PATCH', '/connectors/src/offsets', {
      offsets: [{ partition: { filename: input }, offset: { position: AFTER_LINE_1 } }],
    });
    expect(altered).toEqual({ status: 200, body: ALTERED });
    expect(await offsetsOf('src')).toEqual({ offsets: [{ partition: { filename: input }, offset: { position: AFTER_LINE_1 } }] });

    await resume('src');
    await untilOutput([...LINES, 'line 2', 'line 3']);
    await untilOffsets('src', [{ partition: { filename: input }, offset: { position: END } }]);
  });

  it('can be reset once it is stopped, and it starts over', async () => {
    await stop('src');
    expect(await rest.request('DELETE', '/connectors/src/offsets')).toEqual({ status: 200, body: RESET });
    expect(await offsetsOf('src')).toEqual({ offsets: [] });

    await resume('src');
    await untilOutput([...LINES, 'line 2', 'line 3', ...LINES]);
  });
});

describe('a sink connector\'s offsets', () => {
  const delivered = [...LINES, 'line 2', 'line 3', ...LINES];

  it('are its consumer group\'s committed offsets', async () => {
    await untilOffsets('snk', [{ partition: LINES_0, offset: { kafka_offset: delivered.length } }]);
  });

  it('can be altered once it is stopped, and it resumes from the altered offset', async () => {
    const running = await rest.request('PATCH', '/connectors/snk/offsets', { offsets: [{ partition: LINES_0, offset: { kafka_offset: 0 } }] });
    expect(running).toEqual({ status: 400, body: { error_code: 400, message: NOT_STOPPED('snk') } });
    await stop('snk');

    const altered = await rest.request('PATCH', '/connectors/snk/offsets', { offsets: [{ partition: LINES_0, offset: { kafka_offset: 6 } }] });
    expect(altered).toEqual({ status: 200, body: ALTERED });
    expect(await offsetsOf('snk')).toEqual({ offsets: [{ partition: LINES_0, offset: { kafka_offset: 6 } }] });

    await resume('snk');
    await untilOutput([...delivered, 'line 2', 'line 3']);
    await untilOffsets('snk', [{ partition: LINES_0, offset: { kafka_offset: delivered.length } }]);
  });

  it('lose a partition\'s committed offset when altered to null, and are reset by deleting the group', async () => {
    await stop('snk');
    const removed = await rest.request('PATCH', '/connectors/snk/offsets', { offsets: [{ partition: LINES_0, offset: null }] });
    expect(removed).toEqual({ status: 200, body: ALTERED });
    expect(await offsetsOf('snk')).toEqual({ offsets: [] });

    expect(await rest.request('DELETE', '/connectors/snk/offsets')).toEqual({ status: 200, body: RESET });
    expect(await offsetsOf('snk')).toEqual({ offsets: [] });

    await resume('snk');
    await untilOutput([...delivered, 'line 2', 'line 3', ...delivered]);
  });

  it('answer 400 for a partition without a topic', async () => {
    await stop('snk');
    const res = await rest.request('PATCH', '/connectors/snk/offsets', { offsets: [{ partition: { kafka_partition: 0 }, offset: null }] });
    expect(res).toEqual({
      status: 400,
      body: { error_code: 400, message: 'The partition for a sink connector offset must contain the keys \'kafka_topic\' and \'kafka_partition\'' },
    });
    await resume('snk');
  });
});

describe('active topics', () => {
  it('are recorded for the topics a source produced to and a sink consumed from', async () => {
    await untilTopics('src', ['lines']);
    await untilTopics('snk', ['lines']);
  });

  it('are forgotten on reset', async () => {
    expect(await rest.request('PUT', '/connectors/src/topics/reset')).toEqual({ status: 202, body: null });
    expect(await rest.request('GET', '/connectors/src/topics')).toEqual({ status: 200, body: { src: { topics: [] } } });
  });
});

describe('the worker', () => {
  it('is healthy', async () => {
    expect(await rest.request('GET', '/health')).toEqual({
      status: 200, body: { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' },
    });
  });

  it('applies a cluster-wide log level once it reads it back from the config topic', async () => {
    const set = await rest.request('PUT', '/admin/loggers/ferry.worker?scope=cluster', { level: 'warn' });
    expect(set).toEqual({ status: 204, body: null });
    const level = await rest.request<{ level: string; last_modified: number | null }>('GET', '/admin/loggers/ferry.worker');
    expect(level.body.level).toBe('WARN');
    expect(level.body.last_modified).toEqual(expect.any(Number));
    expect((await rest.request<{ level: string }>('GET', '/admin/loggers/org.apache.kafka.connect.runtime')).body.level).toBe('WARN');
  });

  it('sets a level on this worker only for the worker scope', async () => {
    const set = await rest.request('PUT', '/admin/loggers/ferry', { level: 'ERROR' });
    expect(set).toEqual({ status: 200, body: ['ferry', 'ferry.kafka', 'ferry.rest', 'ferry.worker'] });
    const all = await rest.request<Record<string, { level: string }>>('GET', '/admin/loggers');
    expect(all.body['ferry.rest']!.level).toBe('ERROR');
    expect(all.body['org.apache.kafka.clients']!.level).toBe('ERROR');
    expect(all.body.root!.level).toBe('INFO');
  });
});
