/**
 * The mistakes a user makes in the first minutes, from the built CLI: each ends the command with
 * one line on stderr that names the thing and what to do, a non-zero exit code, and no stack
 * trace unless --debug asks for one.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupWorkerProperties } from '../../helpers/group-worker-properties.js';
import { runProcess, type ProcessResult } from '../../helpers/run-process.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { CLI, spawnBroker, startTestBroker, type TestBroker } from '../../helpers/test-broker.js';

const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';
const dir = tempDir('ferry-cli-errors-');

let broker: TestBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker?.close();
});

function ferry(...args: string[]): Promise<ProcessResult> {
  return runProcess(process.execPath, [CLI, ...args], { timeoutMs: 60_000 });
}

/** One line on stderr, nothing that looks like a stack frame, and the exit code. */
function expectOneLine(result: ProcessResult, code: number, line: string | RegExp): void {
  expect(result.stderr.endsWith('\n')).toBe(true);
  const lines = result.stderr.slice(0, -1).split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
  expect(result.stderr).not.toContain('    at ');
  expect(result.code).toBe(code);
}

function workerFile(name: string, lines: Record<string, string>): string {
  const file = path.join(dir, name);
  const properties = {
    ...groupWorkerProperties(broker.bootstrap, name),
    'key.converter': JSON_CONVERTER,
    'value.converter': JSON_CONVERTER,
    ...lines,
  };
  fs.writeFileSync(file, Object.entries(properties).map(([k, v]) => `${k}=${v}`).join('\n'));
  return file;
}

/** A port this test holds open, so that a ferry asked to listen there finds it taken. */
async function heldPort(): Promise<{ port: number; release: () => void }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, release: () => server.close() };
}

describe('a properties file', () => {
  it('that does not exist', async () => {
    const missing = path.join(dir, 'nope.properties');
    expectOneLine(await ferry('worker', missing), 1, `ferry worker: cannot read ${missing}: no such file; check the path`);
    expectOneLine(await ferry('start', '--config', missing, '--data-dir', tempDir()), 1, `ferry start: cannot read ${missing}: no such file; check the path`);
  });

  it('that cannot be read', async () => {
    expectOneLine(await ferry('mirror-maker', dir), 1, `ferry mirror-maker: cannot read ${dir}: it is a directory; name a .properties file`);
  });

  it('with an invalid value, named with where it came from', async () => {
    const file = workerFile('bad-value', { 'offset.flush.interval.ms': 'soon' });
    expectOneLine(await ferry('worker', file, '--log-level', 'silent'), 1,
      /^ferry worker: invalid worker configuration: Invalid value soon for configuration offset\.flush\.interval\.ms: .* \(from .*bad-value\)$/);
    expectOneLine(await ferry('start', '--data-dir', tempDir(), '--broker-port', '0', '--rest-port', '0', '--registry-port', '0',
      '--log-level', 'silent', '--set', 'offset.flush.interval.ms=soon'), 1,
    /^ferry start: invalid worker configuration: Invalid value soon for configuration offset\.flush\.interval\.ms: .* \(from --set\)$/);
  });
});

describe('a port in use', () => {
  it('names the port and the flag or property that moves it', async () => {
    const held = await heldPort();
    try {
      expectOneLine(await ferry('broker', '--port', String(held.port), '--data-dir', tempDir(), '--log-level', 'silent'), 1,
        `ferry broker: port ${held.port} on 127.0.0.1 is in use, so the broker cannot listen there; pass --port N to choose another`);
      expectOneLine(await ferry('start', '--data-dir', tempDir(), '--broker-port', '0', '--rest-port', String(held.port), '--registry-port', '0', '--log-level', 'silent'), 1,
        `ferry start: port ${held.port} on 127.0.0.1 is in use, so the worker's REST API cannot listen there; pass --rest-port N to choose another`);
      const file = workerFile('taken-port', { listeners: `http://127.0.0.1:${held.port}` });
      expectOneLine(await ferry('worker', file, '--log-level', 'silent'), 1,
        `ferry worker: port ${held.port} on 127.0.0.1 is in use, so the worker's REST API cannot listen there; set another port in listeners (${file})`);
    } finally {
      held.release();
    }
  });
});

describe('a data directory another ferry holds', () => {
  it('names the directory and the process holding it', async () => {
    const data = tempDir('ferry-locked-');
    const holder = await spawnBroker(path.join(data, 'broker'));
    try {
      const locked = path.join(data, 'broker');
      const pid = holder.child.pid!;
      expectOneLine(await ferry('broker', '--port', '0', '--data-dir', locked, '--log-level', 'silent'), 1,
        `ferry broker: data directory ${locked} is in use by process ${pid} (another ferry?); stop that process, or pass --data-dir D to use another directory`);
      expectOneLine(await ferry('start', '--data-dir', data, '--broker-port', '0', '--rest-port', '0', '--registry-port', '0', '--log-level', 'silent'), 1,
        `ferry start: data directory ${locked} is in use by process ${pid} (another ferry?); stop that process, or pass --data-dir D to use another directory`);
    } finally {
      holder.child.kill('SIGTERM');
      await holder.exited;
    }
  });
});

describe('a Kafka cluster that does not answer', () => {
  it('names the address once the client gave up', async () => {
    const closed = await heldPort();
    closed.release();
    const file = workerFile('unreachable', { 'bootstrap.servers': `127.0.0.1:${closed.port}`, 'default.api.timeout.ms': '1500' });
    const result = await ferry('worker', file, '--log-level', 'silent');
    expectOneLine(result, 1, new RegExp(`^ferry worker: cannot reach the Kafka cluster at 127\\.0\\.0\\.1:${closed.port} \\(bootstrap\\.servers\\) after \\d+ s: `
      + `connect ECONNREFUSED 127\\.0\\.0\\.1:${closed.port}; check that a broker runs there and that bootstrap\\.servers names it$`));
  });
});

it('prints the stack of a user error with --debug', async () => {
  const missing = path.join(dir, 'nope.properties');
  const result = await ferry('worker', missing, '--debug');
  expect(result.code).toBe(1);
  expect(result.stderr.split('\n')[0]).toBe(`ferry worker: cannot read ${missing}: no such file; check the path`);
  expect(result.stderr).toContain('    at ');
  expect(result.stderr).toContain('Caused by: Error: ENOENT');
});
