/**
 * `ferry connectors apply` against a scripted worker: what it sends, what it prints, its exit
 * code, for the answers a real worker rarely gives on cue (409 during a rebalance, 503, 500).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { runConnectorsCommand } from '../../../cli/commands/connectors-command.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';
import { captureIo, FakeConnectWorker } from '../fake-connect-worker.js';

const worker = new FakeConnectWorker();
let url = '';

const REBALANCE = { status: 409, body: { error_code: 409, message: 'Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.' } };
const NOT_FOUND = { status: 404, body: { error_code: 404, message: 'Connector x not found' } };

function connectorDir(files: Record<string, unknown>): string {
  const dir = tempDir('ferry-apply-cmd-');
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), JSON.stringify(content));
  return dir;
}

async function apply(...args: string[]) {
  const captured = captureIo();
  const code = await runConnectorsCommand(['apply', '--url', url, ...args], captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

function sent(): string[] {
  return worker.requests.map((r) => `${r.method} ${r.url}`);
}

beforeAll(async () => {
  url = await worker.start();
});

afterAll(async () => {
  await worker.close();
});

beforeEach(() => {
  worker.reset();
});

it('waits out a rebalance (409) and then applies, saying once that it waits', async () => {
  const dir = connectorDir({ 'x.json': { name: 'x', 'connector.class': 'FileStreamSink', topics: 't' } });
  worker.on('GET', '/connectors/x/config', REBALANCE);
  const running = apply('-f', dir);
  await until(() => worker.requests.length >= 3, { what: 'three tries during the rebalance' });
  worker.on('GET', '/connectors/x/config', NOT_FOUND);
  worker.on('PUT', '/connectors/x/config', { status: 201, body: { name: 'x', config: {}, tasks: [], type: 'sink' } });

  const { code, stdout, stderr } = await running;
  expect({ code, stdout }).toEqual({ code: 0, stdout: 'created   x\n' });
  expect(stderr).toBe(`Waiting up to 60 s for the worker: ${REBALANCE.body.message} (HTTP 409)\n`);
  expect(sent().at(-1)).toBe('PUT /connectors/x/config');
});

it('gives up on a worker that keeps answering 503, in one line naming the connectors not applied', async () => {
  const dir = connectorDir({
    'a.json': { name: 'a', topics: 't' },
    'b.json': { name: 'b', topics: 't' },
    'c.json': { name: 'c', topics: 't' },
  });
  worker.on('GET', '/connectors/a/config', { status: 200, body: { name: 'a', topics: 't' } });
  worker.on('GET', '/connectors/b/config', { status: 503, raw: '<html>starting</html>', contentType: 'text/html' });

  const { code, stdout, stderr } = await apply('-f', dir, '--wait-ms', '300');
  expect(code).toBe(1);
  expect(stdout).toBe('unchanged a\n');
  expect(stderr.split('\n').filter(Boolean)).toEqual([
    'Waiting up to 0.3 s for the worker: HTTP 503 Service Unavailable: <html>starting</html> (HTTP 503)',
    'Error: worker still unavailable after 0.3 s: HTTP 503 Service Unavailable: <html>starting</html> (HTTP 503); not applied: b, c',
  ]);
  expect(sent().filter((request) => request.includes('/c/'))).toEqual([]);
});

it('reports each connector in --json, changed keys by name only, never a password\'s value', async () => {
  const dir = connectorDir({
    '1-db.json': { name: 'db', config: { 'connector.class': 'MySqlConnector', 'database.password': 'new-secret', 'tasks.max': 1 } },
    '2-same.json': { name: 'same', topics: 't' },
    '3-new.json': { name: 'new', topics: 't' },
    '4-bad.json': { name: 'bad', topics: '' },
  });
  worker.on('GET', '/connectors/db/config', { status: 200, body: { name: 'db', 'connector.class': 'MySqlConnector', 'database.password': 'old-secret', 'snapshot.mode': 'initial' } });
  worker.on('PUT', '/connectors/db/config', { status: 200, body: {} });
  worker.on('GET', '/connectors/same/config', { status: 200, body: { name: 'same', topics: 't' } });
  worker.on('PUT', '/connectors/new/config', { status: 201, body: {} });
  worker.on('PUT', '/connectors/bad/config', {
    status: 400,
    body: { error_code: 400, message: 'Connector configuration is invalid and contains the following 1 error(s):\ntopics: must not be empty\nYou can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`' },
  });

  const text = await apply('-f', dir);
  expect(text.code).toBe(1);
  expect(text.stdout).toBe([
    'updated   db (database.password, -snapshot.mode, +tasks.max)',
    'unchanged same',
    'created   new',
    'failed    bad: Connector configuration is invalid and contains the following 1 error(s):',
    '          topics: must not be empty',
    '          You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`',
    '',
  ].join('\n'));
  expect(text.stderr).toBe('');
  expect(worker.requests.find((r) => r.url === '/connectors/db/config' && r.method === 'PUT')?.body)
    .toBe(JSON.stringify({ 'connector.class': 'MySqlConnector', 'database.password': 'new-secret', 'tasks.max': '1' }));

  const json = await apply('-f', dir, '--json');
  expect(json.code).toBe(1);
  expect(JSON.parse(json.stdout)).toEqual([
    { name: 'db', file: path.join(dir, '1-db.json'), action: 'updated', changed: ['database.password', '-snapshot.mode', '+tasks.max'] },
    { name: 'same', file: path.join(dir, '2-same.json'), action: 'unchanged' },
    { name: 'new', file: path.join(dir, '3-new.json'), action: 'created' },
    { name: 'bad', file: path.join(dir, '4-bad.json'), action: 'failed', error: expect.stringContaining('topics: must not be empty') },
  ]);
  for (const output of [text.stdout, text.stderr, json.stdout, json.stderr]) expect(output).not.toMatch(/secret/);
});

it('--dry-run reads but never writes, and says what would happen', async () => {
  const dir = connectorDir({ 'a.json': { name: 'a', topics: 'new' }, 'b.json': { name: 'b', topics: 't' }, 'c.json': { name: 'c', topics: 't' } });
  worker.on('GET', '/connectors/a/config', { status: 200, body: { name: 'a', topics: 'old' } });
  worker.on('GET', '/connectors/c/config', { status: 200, body: { name: 'c', topics: 't' } });

  const { code, stdout } = await apply('-f', dir, '--dry-run');
  expect(code).toBe(0);
  expect(stdout).toBe('would update a (topics)\nwould create b\nunchanged    c\n');
  expect(worker.requests.every((r) => r.method === 'GET')).toBe(true);

  const json = await apply('-f', dir, '--dry-run', '--json');
  expect(JSON.parse(json.stdout)).toMatchObject([
    { name: 'a', action: 'would update', changed: ['topics'] },
    { name: 'b', action: 'would create' },
    { name: 'c', action: 'unchanged' },
  ]);
});

it('creates a connector whose file asks for an initial state through POST /connectors, which alone can take it', async () => {
  const dir = connectorDir({ 'p.json': { name: 'p', config: { topics: 't' }, initial_state: 'PAUSED' } });
  worker.on('POST', '/connectors', { status: 201, body: {} });
  const { code, stdout } = await apply('-f', dir);
  expect({ code, stdout }).toEqual({ code: 0, stdout: 'created   p\n' });
  const post = worker.requests.find((r) => r.method === 'POST');
  expect(JSON.parse(post!.body)).toEqual({ name: 'p', config: { topics: 't' }, initial_state: 'PAUSED' });
});

it('names the status of an answer other than a validation error, and goes on with the next connector', async () => {
  const dir = connectorDir({ 'a.json': { name: 'a', topics: 't' }, 'b.json': { name: 'b', topics: 't' } });
  worker.on('PUT', '/connectors/a/config', { status: 500, body: { error_code: 500, message: 'Request timed out' } });
  worker.on('PUT', '/connectors/b/config', { status: 201, body: {} });
  const { code, stdout } = await apply('-f', dir);
  expect(code).toBe(1);
  expect(stdout).toBe('failed    a: Request timed out (HTTP 500)\ncreated   b\n');
});

it('checks every file before sending anything', async () => {
  const dir = connectorDir({ 'a.json': { name: 'a', topics: 't' }, 'b.json': { name: 'a', topics: 'u' } });
  const { code, stdout, stderr } = await apply('-f', dir, '--json');
  expect(code).toBe(1);
  expect(stdout).toBe('[]\n');
  expect(stderr).toBe(`Error: connector 'a' is defined more than once: in ${path.join(dir, 'a.json')} and ${path.join(dir, 'b.json')}\n`
    + 'Nothing applied: fix the problem above and run again.\n');
  expect(worker.requests).toEqual([]);
});

it('is used wrongly without -f, with a bad --wait-ms, or with a connector name', async () => {
  expect(await apply()).toMatchObject({ code: 2, stderr: expect.stringContaining('-f/--file DIR|FILE is required') });
  expect(await apply('-f', 'x', '--wait-ms', '2s')).toMatchObject({ code: 2, stderr: expect.stringContaining('--wait-ms must be a whole number') });
  expect(await apply('name', '-f', 'x')).toMatchObject({ code: 2, stderr: expect.stringContaining("unexpected argument 'name'") });
  expect(worker.requests).toEqual([]);
});
