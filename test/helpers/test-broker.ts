/**
 * Brokers for tests: in-process (fast, for most tests) or as a child process running the
 * built CLI (for tests that SIGKILL the broker).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pino } from 'pino';
import { startBroker, type RunningBroker } from '../../broker/broker.js';
import { DEFAULT_BROKER_CONFIG, type BrokerConfig } from '../../broker/broker-config.js';
import { repoRoot } from './repo-root.js';
import { tempDir } from './temp-dir.js';

export interface TestBroker extends RunningBroker {
  bootstrap: string;
}

export async function startTestBroker(overrides: Partial<BrokerConfig> = {}): Promise<TestBroker> {
  const broker = await startBroker({
    ...DEFAULT_BROKER_CONFIG,
    port: 0,
    groupInitialRebalanceDelayMs: 0,
    dataDir: overrides.dataDir ?? tempDir('ferry-broker-'),
    ...overrides,
  }, pino({ level: process.env.FERRY_TEST_LOG ?? 'silent' }));
  return Object.assign(broker, { bootstrap: `127.0.0.1:${broker.port}` });
}

export const CLI = path.join(repoRoot(import.meta.dirname), 'dist/cli/ferry.js');

export interface BrokerProcess {
  child: ChildProcess;
  port: number;
  bootstrap: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs `ferry broker` from the build and resolves once it listens. */
export function spawnBroker(dataDir: string, port = 0, extraArgs: string[] = []): Promise<BrokerProcess> {
  const child = spawn(process.execPath, [CLI, 'broker', '--port', String(port), '--data-dir', dataDir,
    '--group-initial-rebalance-delay-ms', '0', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = /"port":(\d+)[^\n]*"msg":"broker listening"/.exec(text);
      if (match) {
        const p = Number(match[1]);
        resolve({ child, port: p, bootstrap: `127.0.0.1:${p}`, output: () => text, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => { text += c.toString(); });
    void exited.then((code) => reject(new Error(`broker exited with ${code} before listening:\n${text}`)));
  });
}
