/**
 * The Elasticsearch sink through a worker against an OpenSearch 2 test server with basic
 * authentication: the right credentials index through the plain `_bulk` fallback (the official
 * client refuses OpenSearch); wrong credentials and an unreachable cluster fail the task with the
 * URL and the server's message in its status trace.
 */
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  committedOffsets, createTopic, endOffsets, esSinkConfig, lastValuePerKey, produce, readTopic, startEsWorkerSetting,
  untilCommitted, type EsWorkerSetting,
} from './worker-setting.js';

let setting: EsWorkerSetting;
const USER = 'admin';
const PASSWORD = 'Str0ng-admin-pw';

beforeAll(async () => {
  setting = await startEsWorkerSetting({ mode: 'opensearch2', username: USER, password: PASSWORD });
  await createTopic(setting, 'logs', 2);
  await produce(setting, 'logs', [
    ...Array.from({ length: 40 }, (_, i) => ({ key: `host-${i % 6}`, value: JSON.stringify({ host: `host-${i % 6}`, line: i, level: i % 3 === 0 ? 'warn' : 'info' }) })),
    { key: 'host-2', value: null },
  ]);
});

afterAll(async () => {
  await setting?.close();
});

it('indexes through the plain _bulk fallback on OpenSearch: last value per key, deletes applied', async () => {
  await setting.rest.createConnector('logs', esSinkConfig(setting, 'logs', {
    'connection.username': USER, 'connection.password': PASSWORD, 'behavior.on.null.values': 'delete',
  }));
  const topic = await readTopic(setting, 'logs');
  await untilCommitted(setting, 'logs', 'logs', endOffsets(topic));

  const expected = lastValuePerKey(topic);
  const docs = setting.es.documents('logs');
  expect([...docs.keys()].sort()).toEqual(['host-0', 'host-1', 'host-3', 'host-4', 'host-5']);
  for (const [id, { source, version }] of expected) expect(docs.get(id), id).toMatchObject({ source, version });
  expect(setting.ferry.output()).toMatch(/Elasticsearch sink connected to OpenSearch 2\.[\d.]+ \(plain _bulk over HTTP\)/);
  expect(await setting.rest.status('logs')).toMatchObject({ connector: { state: 'RUNNING' }, tasks: [{ state: 'RUNNING' }] });
});

it('fails the task with the URL and the server\'s answer when the credentials are wrong', async () => {
  await setting.rest.createConnector('logs-wrong-password', esSinkConfig(setting, 'logs', {
    'connection.username': USER, 'connection.password': 'not-the-password',
  }));
  const failed = await setting.rest.untilStates('logs-wrong-password', { connector: 'RUNNING', tasks: ['FAILED'] });
  const trace = failed.tasks[0]!.trace!;
  expect(trace).toContain(`${setting.es.url}/`);
  expect(trace).toMatch(/HTTP 401/);
  expect(trace).toContain('Unauthorized');
});

it('fails the task with the URL and the connection error when the cluster is unreachable, after max.retries', async () => {
  const port = await closedPort();
  const url = `http://127.0.0.1:${port}`;
  await setting.rest.createConnector('logs-unreachable', {
    ...esSinkConfig(setting, 'logs', { 'max.retries': '2', 'retry.backoff.ms': '10' }),
    'connection.url': url,
  });
  const failed = await setting.rest.untilStates('logs-unreachable', { connector: 'RUNNING', tasks: ['FAILED'] });
  const trace = failed.tasks[0]!.trace!;
  expect(trace).toContain(url);
  expect(trace).toContain('ECONNREFUSED');
  expect(trace).toContain('after 3 attempts');
});

it('fails the task with the URL and the server\'s message when bulks keep failing after max.retries, committing nothing unacknowledged', async () => {
  await createTopic(setting, 'audit', 1);
  await produce(setting, 'audit', Array.from({ length: 20 }, (_, i) => ({ key: `a${i}`, value: JSON.stringify({ n: i }) })));
  setting.es.failNextBulks(503, 1_000);
  try {
    await setting.rest.createConnector('audit', esSinkConfig(setting, 'audit', {
      'connection.username': USER, 'connection.password': PASSWORD, 'max.retries': '2', 'retry.backoff.ms': '10',
    }));
    const failed = await setting.rest.untilStates('audit', { connector: 'RUNNING', tasks: ['FAILED'] });
    const trace = failed.tasks[0]!.trace!;
    expect(trace).toContain(`${setting.es.url}/_bulk`);
    expect(trace).toContain('cluster_block_exception');
    expect(setting.es.count('audit')).toBe(0);
    expect(await committedOffsets(setting, 'audit', 'audit')).toEqual(new Map());
  } finally {
    setting.es.failNextBulks(503, 0);
  }
});

/** A local port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
