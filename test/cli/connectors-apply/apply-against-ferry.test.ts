/**
 * `ferry connectors apply` from the build, as compose's one-shot services run it, against a real
 * `ferry start`: what a user reads in its output, its exit code, and what the worker then runs.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reapAfterFile } from '../../helpers/child-reaper.js';
import { startFerry, type FerryProcess } from '../../helpers/ferry-process.js';
import { kcatReadJson } from '../../helpers/kcat.js';
import { freePort } from '../../helpers/mariadb-server.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';

const CLI = path.resolve(import.meta.dirname, '../../../dist/cli/ferry.js');

let ferry: FerryProcess;

interface ApplyRun {
  /** What the command wrote to stderr so far. */
  stderr(): string;
  done: Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>;
}

function startApply(url: string, ...args: string[]): ApplyRun {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'connectors', 'apply', '--url', url, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  reapAfterFile(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
  return { stderr: () => stderr, done };
}

function apply(...args: string[]) {
  return startApply(ferry.restUrl, ...args).done;
}

function writeJson(dir: string, name: string, content: unknown): void {
  fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
}

async function rest(method: string, urlPath: string, base = ferry.restUrl): Promise<{ status: number; body: unknown }> {
  const response = await fetch(base + urlPath, { method });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  ferry = await startFerry({ dataDir: tempDir('ferry-apply-data-') });
});

afterAll(async () => {
  await ferry.stop();
});

it('creates the connectors of a directory, leaves them alone on a second apply, and updates the one whose file changed', async () => {
  const work = tempDir('ferry-apply-files-');
  const dir = path.join(work, 'connectors');
  fs.mkdirSync(dir);
  const source = path.join(work, 'in.txt');
  const sink = path.join(work, 'out.txt');
  fs.writeFileSync(source, 'first line\n');
  const sourceConfig = {
    'connector.class': 'FileStreamSource', file: source, topic: 'apply-lines', 'file.start': 'beginning', 'file.poll.interval.ms': '1000',
  };
  writeJson(dir, 'lines-in.json', { name: 'lines-in', config: sourceConfig });
  writeJson(dir, 'lines-out.json', { name: 'lines-out', 'connector.class': 'FileStreamSink', topics: 'apply-lines', file: sink, 'tasks.max': 1 });

  const created = await apply('-f', dir);
  expect(created).toMatchObject({ code: 0, stdout: 'created   lines-in\ncreated   lines-out\n', stderr: '' });
  await until(() => fs.existsSync(sink) && fs.readFileSync(sink, 'utf8') === 'first line\n', { what: 'the line copied by both connectors' });
  expect((await rest('GET', '/connectors/lines-out/config')).body).toEqual({
    name: 'lines-out', 'connector.class': 'FileStreamSink', topics: 'apply-lines', file: sink, 'tasks.max': '1',
  });

  // Any PUT writes a record into the worker's config topic, even one that changes nothing.
  const configRecords = (await kcatReadJson(ferry.bootstrap, 'connect-configs')).length;
  const again = await apply('-f', dir);
  expect(again).toMatchObject({ code: 0, stdout: 'unchanged lines-in\nunchanged lines-out\n', stderr: '' });
  expect((await kcatReadJson(ferry.bootstrap, 'connect-configs')).length).toBe(configRecords);

  const { 'file.start': _dropped, ...kept } = sourceConfig;
  writeJson(dir, 'lines-in.json', { name: 'lines-in', config: { ...kept, 'file.poll.interval.ms': '200', 'batch.size': 100 } });
  const updated = await apply('-f', dir);
  expect(updated).toMatchObject({
    code: 0, stdout: 'updated   lines-in (+batch.size, file.poll.interval.ms, -file.start)\nunchanged lines-out\n', stderr: '',
  });
  expect((await rest('GET', '/connectors/lines-in/config')).body).toEqual({ name: 'lines-in', ...kept, 'file.poll.interval.ms': '200', 'batch.size': '100' });
  fs.appendFileSync(source, 'second line\n');
  await until(() => fs.readFileSync(sink, 'utf8') === 'first line\nsecond line\n', { what: 'a line copied after the update' });
});

it('prints the worker\'s message naming every bad field of a refused config, applies the others, and exits 1', async () => {
  const dir = tempDir('ferry-apply-invalid-');
  writeJson(dir, '1-good-a.json', { name: 'good-a', 'connector.class': 'FileStreamSink', topics: 'apply-a' });
  writeJson(dir, '2-invalid.json', { name: 'invalid', 'connector.class': 'FileStreamSource', file: '/tmp/nothing.txt', 'batch.size': '0' });
  writeJson(dir, '3-good-b.json', { name: 'good-b', 'connector.class': 'FileStreamSink', topics: 'apply-b' });

  const { code, stdout, stderr } = await apply('-f', dir);
  expect(code).toBe(1);
  expect(stderr).toBe('');
  const lines = stdout.split('\n');
  expect(lines[0]).toBe('created   good-a');
  expect(lines[1]).toBe('failed    invalid: Connector configuration is invalid and contains the following 2 error(s):');
  expect(lines.slice(2, 4).sort()).toEqual([
    '          batch.size: Invalid value 0 for configuration batch.size: Value must be at least 1',
    '          topic: Missing required configuration "topic" which has no default value.',
  ]);
  expect(lines.at(-2)).toBe('created   good-b');
  expect((await rest('GET', '/connectors/invalid/config')).status).toBe(404);
  expect((await rest('GET', '/connectors/good-b/config')).status).toBe(200);
});

it('applies nothing when one file is not valid JSON', async () => {
  const dir = tempDir('ferry-apply-broken-');
  writeJson(dir, 'fine.json', { name: 'fine', 'connector.class': 'FileStreamSink', topics: 'apply-fine' });
  writeJson(dir, 'broken.json', '{"name": "broken", "connector.class": "FileStreamSink",\n');

  const { code, stdout, stderr } = await apply('-f', dir);
  expect(code).toBe(1);
  expect(stdout).toBe('');
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(new RegExp(`^Error: ${path.join(dir, 'broken.json')} is not valid JSON: `));
  expect(lines[1]).toBe('Nothing applied: fix the problem above and run again.');
  expect((await rest('GET', '/connectors/fine/config')).status).toBe(404);
});

it('gives up on a worker nobody answers for after --wait-ms, in one line', async () => {
  const dir = tempDir('ferry-apply-nobody-');
  writeJson(dir, 'a.json', { name: 'a', topics: 't' });
  writeJson(dir, 'b.json', { name: 'b', topics: 't' });
  const url = `http://127.0.0.1:${await freePort()}`;

  const { code, stdout, stderr, ms } = await startApply(url, '-f', dir, '--wait-ms', '1000').done;
  expect(code).toBe(1);
  expect(stdout).toBe('');
  expect(ms).toBeGreaterThanOrEqual(1000);
  const lines = stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(new RegExp(`^Waiting up to 1 s for the worker: cannot reach worker at ${url}: .*ECONNREFUSED`));
  expect(lines.slice(1)).toEqual([expect.stringMatching(
    new RegExp(`^Error: worker still unavailable after 1 s: cannot reach worker at ${url}: .*ECONNREFUSED.*; not applied: a, b$`),
  )]);
});

it('waits for a worker that comes up meanwhile, then applies', async () => {
  const dir = tempDir('ferry-apply-late-');
  writeJson(dir, 'late.json', { name: 'late', 'connector.class': 'FileStreamSink', topics: 'apply-late' });
  const port = await freePort();
  const running = startApply(`http://127.0.0.1:${port}`, '-f', dir);
  await until(() => running.stderr().startsWith('Waiting up to 60 s for the worker: cannot reach worker'), { what: 'apply waiting' });

  const late = await startFerry({ dataDir: tempDir('ferry-apply-late-data-'), restPort: port });
  try {
    const { code, stdout, stderr } = await running.done;
    expect({ code, stdout }).toEqual({ code: 0, stdout: 'created   late\n' });
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect((await rest('GET', '/connectors/late/config', late.restUrl)).body).toMatchObject({ topics: 'apply-late' });
  } finally {
    await late.stop();
  }
});
