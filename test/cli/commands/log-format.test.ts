/**
 * The logs of the long-running commands, from the built CLI: JSON lines when standard output is
 * not a terminal (as tests, benchmarks and log shippers read them), readable lines with
 * --log-format pretty (what a terminal gets), colours only where asked for, --log-level; and
 * `ferry start --config FILE` with --set winning over the file.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { reapAfterFile } from '../../helpers/child-reaper.js';
import { spawnFerryCommand } from '../../helpers/ferry-process.js';
import { kafkaClient } from '../../helpers/kafkajs-clients.js';
import { jsonLines } from '../../helpers/run-process.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { CLI } from '../../helpers/test-broker.js';

/** The environment of a terminal-less run that no one asked to colour. */
function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of ['FORCE_COLOR', 'NO_COLOR', 'FERRY_LOG_FORMAT', 'FERRY_LOG_LEVEL']) if (!(name in extra)) delete env[name];
  return env;
}

/** Runs `ferry ARGS` until its stdout matches `until`, then stops it with SIGTERM; resolves with stdout and the exit code. */
async function runUntil(args: string[], until: RegExp, env: NodeJS.ProcessEnv): Promise<{ stdout: string; code: number | string | null }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  reapAfterFile(child);
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${until} within 30 s:\n${stdout}${stderr}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (until.test(stdout)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    void exited.then((code) => reject(new Error(`exited with ${code}:\n${stdout}${stderr}`)));
  });
  child.kill('SIGTERM');
  const code = await exited;
  return { stdout, code };
}

const START = ['start', '--broker-port', '0', '--rest-port', '0', '--registry-port', '0'];

it('ferry start in pretty format: readable lines, no JSON, no colours off a terminal, and what runs where', async () => {
  const data = tempDir('ferry-pretty-');
  const { stdout, code } = await runUntil([...START, '--data-dir', data, '--log-format', 'pretty'], /Press Ctrl-C to stop\.\n/, plainEnv());
  expect(code).toBe(0);
  expect(stdout).not.toMatch(/^\{/m);
  expect(stdout).not.toContain('\u001b[');
  expect(stdout).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}broker listening port=\d+$/m);
  expect(stdout).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}log created topic topic=connect-configs partitions=1 configs=\{"cleanup\.policy":"compact"\}$/m);
  const ready = /\nferry is ready\n {2}Broker {11}127\.0\.0\.1:(\d+)\n {2}REST API {9}(http:\/\/127\.0\.0\.1:\d+)\n {2}Web console {6}(\S+)\n {2}Schema Registry {2}(http:\/\/127\.0\.0\.1:\d+)\n {2}Data directory {3}(\S+)\n/.exec(stdout);
  expect(ready, stdout).not.toBeNull();
  expect(ready![3]).toBe(`${ready![2]}/ui/`);
  expect(ready![5]).toBe(path.resolve(data));
});

it('colours pretty lines when FORCE_COLOR asks, and never with NO_COLOR', async () => {
  const args = ['broker', '--port', '0', '--log-format', 'pretty'];
  const coloured = await runUntil([...args, '--data-dir', tempDir()], /broker listening/, plainEnv({ FORCE_COLOR: '1' }));
  expect(coloured.stdout).toContain('\u001b[32mINFO \u001b[0m \u001b[36mbroker\u001b[0m broker listening');
  const plain = await runUntil([...args, '--data-dir', tempDir()], /broker listening/, plainEnv({ FORCE_COLOR: '1', NO_COLOR: '1' }));
  expect(plain.stdout).not.toContain('\u001b[');
});

it('ferry start off a terminal logs JSON lines, the ready line naming every address', async () => {
  const data = tempDir('ferry-json-');
  const ferry = await spawnFerryCommand([...START, '--data-dir', data], {
    what: 'ferry start', ready: (line) => line.msg === 'ferry is ready', env: plainEnv(),
  });
  const rest = ferry.readyLine.rest as string;
  expect(ferry.readyLine).toMatchObject({
    level: 30, broker: expect.stringMatching(/^127\.0\.0\.1:\d+$/), rest: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    console: `${rest}/ui/`, schemaRegistry: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), dataDir: path.resolve(data),
  });
  expect(await ferry.stop()).toBe(0);
  const lines = jsonLines(ferry.output().trim());
  expect(lines.map((l) => l.msg)).toContain('worker started');
  expect(lines.at(-1)).toMatchObject({ level: 30, msg: 'ferry stopped' });
  // --log-format json gives the same lines even where auto would not.
  const forced = await runUntil(['broker', '--port', '0', '--data-dir', tempDir(), '--log-format', 'json'], /"msg":"broker listening"/, plainEnv());
  expect(jsonLines(forced.stdout).find((l) => l.msg === 'broker listening')).toMatchObject({ component: 'broker', port: expect.any(Number) });
});

it('--log-level and FERRY_LOG_LEVEL choose the least severe level logged', async () => {
  const debug = await runUntil(['broker', '--port', '0', '--data-dir', tempDir(), '--log-level', 'debug'], /"msg":"broker listening"/, plainEnv());
  expect(jsonLines(debug.stdout).some((l) => l.level === 20)).toBe(true);
  const info = await runUntil(['broker', '--port', '0', '--data-dir', tempDir()], /"msg":"broker listening"/, plainEnv());
  expect(jsonLines(info.stdout).some((l) => l.level === 20)).toBe(false);
  const fromEnv = await runUntil(['broker', '--port', '0', '--data-dir', tempDir()], /"msg":"broker listening"/, plainEnv({ FERRY_LOG_LEVEL: 'debug' }));
  expect(jsonLines(fromEnv.stdout).some((l) => l.level === 20)).toBe(true);
});

it('ferry start --config FILE: worker properties and broker.* settings from the file, --set winning', async () => {
  const data = tempDir('ferry-config-');
  const file = path.join(data, 'ferry.properties');
  fs.writeFileSync(file, [
    '# worker properties by their Kafka Connect names, broker settings with broker.',
    'group.id = from-file',
    'config.storage.topic = file-configs',
    'broker.num.partitions = 3',
  ].join('\n'));
  const ferry = await spawnFerryCommand([...START, '--data-dir', data, '--config', file, '--set', 'group.id=from-set'], {
    what: 'ferry start --config', ready: (line) => line.msg === 'ferry is ready', env: plainEnv(),
  });
  const lines = jsonLines(ferry.output().trim());
  expect(lines.find((l) => l.msg === 'worker started')).toMatchObject({ group: 'from-set' });
  expect(lines.some((l) => l.msg === 'created topic' && l.topic === 'file-configs')).toBe(true);
  const kafka = kafkaClient(ferry.readyLine.broker as string, 'config-test');
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic: 'auto-created', messages: [{ value: 'x' }] });
  } finally {
    await producer.disconnect();
  }
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: ['auto-created'] });
    expect(topics[0]!.partitions).toHaveLength(3);
  } finally {
    await admin.disconnect();
  }
  expect(await ferry.stop()).toBe(0);
});
