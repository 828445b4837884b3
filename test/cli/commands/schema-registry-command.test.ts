/**
 * `ferry schema-registry` and the registry of `ferry start`, run from the build as a user runs
 * them: the registry answers over HTTP, stops on SIGTERM with exit code 0, bad arguments are
 * one clear line on stderr with exit code 2, a taken port one line with exit code 1. `ferry start` without
 * --registry-port runs on without its registry when 8081 is taken, and says so.
 */
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawnFerryCommand } from '../../helpers/ferry-process.js';
import { runProcess } from '../../helpers/run-process.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { CLI, startTestBroker, type TestBroker } from '../../helpers/test-broker.js';

let broker: TestBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker?.close();
});

async function register(url: string, subject: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/subjects/${subject}/versions`, {
    method: 'POST', headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' }, body: JSON.stringify({ schema: '"string"' }),
  });
  return { status: response.status, body: await response.json() };
}

/** A port held by this process (8081 may be taken already by someone else: then it is in use either way). */
async function holdPort(port: number): Promise<net.Server | undefined> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

it('runs alone against a Kafka cluster, answers over HTTP and stops on SIGTERM', async () => {
  const registry = await spawnFerryCommand(['schema-registry', '--bootstrap-servers', broker.bootstrap, '--port', '0', '--host', '127.0.0.1'], {
    what: 'ferry schema-registry', ready: (line) => line.msg === 'schema registry ready',
  });
  const url = registry.readyLine.url as string;
  expect(await register(url, 'cli-value')).toEqual({ status: 200, body: { id: 1 } });
  expect(await registry.stop()).toBe(0);
});

it('says in one line what is wrong with its arguments', async () => {
  const missing = await runProcess(process.execPath, [CLI, 'schema-registry', '--port', '0']);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toBe('ferry schema-registry: --bootstrap-servers HOST:PORT is required (the Kafka cluster that holds the _schemas topic)\n'
    + "Run 'ferry schema-registry --help' for usage.\n");
  const badLevel = await runProcess(process.execPath, [CLI, 'schema-registry', '--bootstrap-servers', broker.bootstrap, '--compatibility-level', 'sideways']);
  expect(badLevel.code).toBe(2);
  expect(badLevel.stderr.split('\n')[0]).toContain("ferry schema-registry: --compatibility-level must be one of NONE, BACKWARD");
  const unknown = await runProcess(process.execPath, [CLI, 'schema-registry', '--bogus']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr.split('\n')[0]).toBe("ferry schema-registry: unknown option '--bogus'");
  for (const result of [missing, badLevel, unknown]) expect(result.stderr).not.toContain('    at ');
});

it('says in one line that its port is taken', async () => {
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const port = (holder.address() as net.AddressInfo).port;
  try {
    const taken = await runProcess(process.execPath, [CLI, 'schema-registry', '--bootstrap-servers', broker.bootstrap, '--port', String(port), '--host', '127.0.0.1']);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe(`ferry schema-registry: port ${port} on 127.0.0.1 is already in use, so the schema registry cannot listen there; pass --port N to choose another\n`);
  } finally {
    holder.close();
  }
});

it('ferry start runs the registry beside the broker and worker on --registry-port', async () => {
  const ferry = await spawnFerryCommand(['start', '--data-dir', tempDir(), '--broker-port', '0', '--rest-port', '0', '--registry-port', '0'], {
    what: 'ferry start', ready: (line) => line.msg === 'ferry is ready',
  });
  const url = ferry.readyLine.schemaRegistry as string;
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect((await register(url, 'start-value')).status).toBe(200);
  expect((await fetch(`${ferry.readyLine.rest as string}/`)).status).toBe(200);
  expect(await ferry.stop()).toBe(0);
});

it('ferry start without --registry-port runs on without its registry when 8081 is taken, and says so', async () => {
  const holder = await holdPort(8081);
  try {
    const ferry = await spawnFerryCommand(['start', '--data-dir', tempDir(), '--broker-port', '0', '--rest-port', '0'], {
      what: 'ferry start', ready: (line) => line.msg === 'ferry is ready',
    });
    expect(ferry.readyLine.schemaRegistry).toBeUndefined();
    expect(ferry.output()).toContain('port 8081 is in use, so ferry runs without its schema registry; pass --registry-port N to run it on another port');
    expect(await ferry.stop()).toBe(0);
  } finally {
    holder?.close();
  }
});
