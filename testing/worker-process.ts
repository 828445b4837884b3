/**
 * A real `ferry start` (bundled broker, worker, REST API) as a child process of the test, run
 * from the ferry the kit ships with, with `plugin.path` pointing at the plugin under test.
 *
 * - Ready is the JSON log line `"msg":"ferry is ready"`, which names the REST URL and the
 *   broker address; ports are chosen by the system (0) on the first start and kept by
 *   `restart()`, so a restart is "the same worker, started again" on the same data directory.
 * - The kit sets short offset commits (`offset.flush.interval.ms`, default 500 ms) so offsets
 *   are observable within a test, and a long `task.shutdown.graceful.timeout.ms`, so a task
 *   that does not stop shows up as a slow stop instead of being abandoned silently.
 * - Every worker started here is killed when the test process exits, should a test forget it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConnectRestClient } from './connect-rest-client.js';
import { ferryCliPath } from './ferry-cli.js';

export interface WorkerOptions {
  /**
   * The plugin under test: a package folder, or a folder of package folders. Becomes
   * `plugin.path`; leave it out for ferry's bundled connectors.
   */
  readonly pluginDir?: string | readonly string[];
  /** Where the broker and worker keep their data (default: a new temporary directory, removed by `close()`). */
  readonly dataDir?: string;
  /** More worker properties, as `--set KEY=VALUE`. */
  readonly settings?: Readonly<Record<string, string>>;
  /** How long to wait for the ready line (default 60 s). */
  readonly readyTimeoutMs?: number;
}

export interface FerryWorker {
  readonly restUrl: string;
  /** The bundled broker's bootstrap address, host:port. */
  readonly bootstrap: string;
  readonly dataDir: string;
  readonly rest: ConnectRestClient;
  /** Everything the current process wrote (stdout and stderr). */
  output(): string;
  /** SIGTERM and wait for the exit; resolves with the milliseconds it took (rejects after `timeoutMs`, having killed it). */
  stop(timeoutMs?: number): Promise<number>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
  /** Stops (SIGTERM, or SIGKILL with `{ kill: true }`) and starts ferry again on the same data and ports; resolves with the stop's milliseconds. */
  restart(opts?: { kill?: boolean; stopTimeoutMs?: number }): Promise<number>;
  /** Stops the worker if it runs, and removes the data directory if the kit created it. */
  close(): Promise<void>;
}

const KIT_SETTINGS: Readonly<Record<string, string>> = {
  'offset.flush.interval.ms': '500',
  'task.shutdown.graceful.timeout.ms': '60000',
};

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

interface Started {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  readonly rest: string;
  readonly broker: string;
  readonly output: () => string;
}

function startProcess(args: readonly string[], timeoutMs: number): Promise<Started> {
  const child = spawn(process.execPath, [ferryCliPath(), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let text = '';
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
  });
  child.stderr!.on('data', (chunk: Buffer) => { text += chunk.toString(); });
  return new Promise((resolve, reject) => {
    let pending = '';
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      child.kill('SIGKILL');
      reject(new Error(`ferry start was not ready within ${timeoutMs} ms; its output:\n${text}`));
    }, timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (settled) return;
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        let parsed: { msg?: unknown; rest?: unknown; broker?: unknown };
        try {
          parsed = JSON.parse(line) as typeof parsed;
        } catch {
          continue;
        }
        if (parsed.msg !== 'ferry is ready' || typeof parsed.rest !== 'string' || typeof parsed.broker !== 'string') continue;
        settled = true;
        clearTimeout(timer);
        resolve({ child, exited, rest: parsed.rest, broker: parsed.broker, output: () => text });
        return;
      }
    });
    void exited.then(() => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`ferry start exited with ${child.exitCode ?? child.signalCode} before it was ready; its output:\n${text}`));
    });
  });
}

function portOf(address: string): string {
  return address.slice(address.lastIndexOf(':') + 1);
}

/** Starts `ferry start` with the plugin on its plugin.path; resolves once the REST API answers. */
export async function startWorkerWithPlugin(opts: WorkerOptions = {}): Promise<FerryWorker> {
  const ownDataDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'ferry-kit-'));
  const pluginDirs = opts.pluginDir === undefined ? [] : typeof opts.pluginDir === 'string' ? [opts.pluginDir] : [...opts.pluginDir];
  const settings: Record<string, string> = { ...KIT_SETTINGS, ...opts.settings };
  if (pluginDirs.length > 0) settings['plugin.path'] = pluginDirs.map((d) => path.resolve(d)).join(',');
  const readyTimeoutMs = opts.readyTimeoutMs ?? 60_000;

  const argsFor = (brokerPort: string, restPort: string, registryPort: string): string[] => {
    const args = ['start', '--data-dir', dataDir, '--log-format', 'json',
      '--broker-port', brokerPort, '--rest-port', restPort, '--registry-port', registryPort];
    for (const [key, value] of Object.entries(settings)) args.push('--set', `${key}=${value}`);
    return args;
  };

  let current = await startProcess(argsFor('0', '0', '0'), readyTimeoutMs);
  const restPort = new URL(current.rest).port;
  const brokerPort = portOf(current.broker);
  // The registry's port is not needed by the kit; a new free one on each start is fine.

  const stop = async (timeoutMs = 30_000): Promise<number> => {
    const startedAt = Date.now();
    if (current.child.exitCode !== null || current.child.signalCode !== null) return 0;
    current.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
    const outcome = await Promise.race([current.exited.then(() => 'exited' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      current.child.kill('SIGKILL');
      await current.exited;
      throw new Error(`ferry did not stop within ${timeoutMs} ms of SIGTERM (killed it)`);
    }
    return Date.now() - startedAt;
  };

  const worker: FerryWorker = {
    get restUrl() { return current.rest; },
    get bootstrap() { return current.broker; },
    dataDir,
    rest: new ConnectRestClient(current.rest),
    output: () => current.output(),
    stop: (timeoutMs) => stop(timeoutMs),
    kill: async () => {
      current.child.kill('SIGKILL');
      await current.exited;
    },
    restart: async (restartOpts = {}) => {
      let ms = 0;
      if (restartOpts.kill) {
        current.child.kill('SIGKILL');
        await current.exited;
      } else {
        ms = await stop(restartOpts.stopTimeoutMs);
      }
      current = await startProcess(argsFor(brokerPort, restPort, '0'), readyTimeoutMs);
      return ms;
    },
    close: async () => {
      if (current.child.exitCode === null && current.child.signalCode === null) {
        try {
          await stop();
        } catch {
          // stop() killed it already.
        }
      }
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return worker;
}
