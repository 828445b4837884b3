import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApiServer } from '../../../api/server.js';
import { runConnectorsCommand } from '../../../cli/commands/connectors-command.js';
import { FakeControl, WORKER_ID } from '../../api/fake-control.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { captureIo } from '../fake-connect-worker.js';

const control = new FakeControl();
let app: FastifyInstance;
let url = '';
const dir = tempDir('ferry-cli-');

async function run(...args: string[]) {
  const captured = captureIo();
  const code = await runConnectorsCommand(['--url', url, ...args], captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

function file(name: string, content: unknown): string {
  const target = path.join(dir, name);
  fs.writeFileSync(target, JSON.stringify(content));
  return target;
}

beforeAll(async () => {
  app = buildApiServer({ control });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app.close();
});

it('manages a connector through ferry\'s own REST API from create to delete', async () => {
  const created = await run('create', '-f', file('c.json', { name: 'c', 'connector.class': 'FileSink', 'tasks.max': '2', topics: 't' }));
  expect(created).toMatchObject({ code: 0, stdout: 'Created connector c (sink).\n' });

  const duplicate = await run('create', '-f', file('d.json', { name: 'c', config: { 'connector.class': 'FileSink' } }));
  expect(duplicate.code).toBe(1);
  expect(duplicate.stderr).toContain('Connector c already exists');

  control.failTask('c', 1, 'java.lang.RuntimeException: boom\n\tat x');
  const listed = await run('list');
  expect(listed.stdout).toMatch(/^c\s+sink\s+RUNNING\s+1 RUNNING, 1 FAILED$/m);

  const status = await run('status', 'c');
  expect(status.stdout).toMatch(/^1\s+FAILED\s+\S+\s+java\.lang\.RuntimeException: boom$/m);
  expect(status.stdout).toContain(WORKER_ID);

  const updated = await run('update', 'c', '-f', file('u.json', { 'connector.class': 'FileSink', 'tasks.max': '1', topics: 't' }));
  expect(updated).toMatchObject({ code: 0, stdout: 'Updated connector c (sink).\n' });
  expect((await run('get', 'c')).stdout).toMatch(/^tasks\.max\s+1$/m);

  expect((await run('pause', 'c')).code).toBe(0);
  expect((await run('status', 'c')).stdout).toMatch(/^State:\s+PAUSED$/m);
  expect((await run('resume', 'c')).code).toBe(0);
  expect((await run('stop', 'c')).code).toBe(0);
  expect((await run('restart', 'c', '--include-tasks')).code).toBe(0);
  expect((await run('delete', 'c')).code).toBe(0);

  const gone = await run('get', 'c');
  expect(gone.code).toBe(1);
  expect(gone.stderr).toMatch(/Connector c not found/);
});
