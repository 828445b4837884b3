/**
 * ferry commands (`start`, `worker`, any other) from the build (dist/) as child processes, for
 * end-to-end tests that drive the product from outside: REST over fetch(), topics with kcat,
 * and signals, SIGKILL included.
 *
 * Readiness is a JSON log line: `"msg":"ferry is ready"` (naming the REST URL and the broker
 * address) for `ferry start`, `"msg":"worker started"` for `ferry worker`. Every child still running when the test file finishes is SIGKILLed, so a
 * failed test never leaves a ferry behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
// Registered first so its clean-up runs last, after the children below are gone.
import './temp-dir.js';
import { reapAfterFile } from './child-reaper.js';
import { repoRoot } from './repo-root.js';

const CLI = path.join(repoRoot(import.meta.dirname), 'dist/cli/ferry.js');

export interface FerryOptions {
  dataDir: string;
  /** 0 (the default) picks a free port; pass the previous run's port to restart "in place". */
  brokerPort?: number;
  restPort?: number;
  /**
   * The bundled Schema Registry's port; 0 (the default) picks a free one, so that tests running
   * side by side never share (or fight over) 8081.
   */
  registryPort?: number;
  /** Worker properties given as `--set k=v`. */
  settings?: Record<string, string>;
  /** How long to wait for "ferry is ready" before giving up (default 30 s). */
  readyTimeoutMs?: number;
}

export interface FerryProcess extends FerryChild {
  readonly restUrl: string;
  readonly restPort: number;
  readonly brokerPort: number;
  readonly bootstrap: string;
  /** The bundled Schema Registry, e.g. http://127.0.0.1:PORT. */
  readonly registryUrl: string;
  readonly registryPort: number;
}

interface ReadyLine {
  msg?: string;
  rest?: string;
  broker?: string;
  schemaRegistry?: string;
}

export async function startFerry(opts: FerryOptions): Promise<FerryProcess> {
  const args = ['start', '--data-dir', opts.dataDir,
    '--broker-port', String(opts.brokerPort ?? 0), '--rest-port', String(opts.restPort ?? 0), '--registry-port', String(opts.registryPort ?? 0)];
  for (const [key, value] of Object.entries(opts.settings ?? {})) args.push('--set', `${key}=${value}`);
  const started = await spawnFerryCommand(args, {
    what: 'ferry',
    timeoutMs: opts.readyTimeoutMs,
    ready: (line) => {
      const ready = line as ReadyLine;
      return ready.msg === 'ferry is ready' && Boolean(ready.rest) && Boolean(ready.broker) && Boolean(ready.schemaRegistry);
    },
  });
  const ready = started.readyLine as ReadyLine;
  return {
    ...started,
    restUrl: ready.rest!,
    restPort: Number(new URL(ready.rest!).port),
    brokerPort: Number(ready.broker!.slice(ready.broker!.lastIndexOf(':') + 1)),
    bootstrap: ready.broker!,
    registryUrl: ready.schemaRegistry!,
    registryPort: Number(new URL(ready.schemaRegistry!).port),
  };
}

/** A ferry child process of any command, once it logged its ready line. */
export interface FerryChild {
  readonly child: ChildProcess;
  /** The parsed JSON log line that said the process is ready. */
  readonly readyLine: Record<string, unknown>;
  /** Milliseconds from spawn() to the ready line. */
  readonly readyMs: number;
  /** Everything the process wrote so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the exit code, or the signal name when a signal ended the process. */
  readonly exited: Promise<number | string | null>;
  /** SIGTERM, then waits for the process to exit. */
  stop(): Promise<number | string | null>;
  /** SIGKILL, then waits for the process to exit. */
  kill(): Promise<void>;
}

export interface SpawnFerryOptions {
  /** Names the process in errors. */
  readonly what: string;
  /** True for the JSON log line that says the process is ready. */
  readonly ready: (line: Record<string, unknown>) => boolean;
  /** Default 30 s. */
  readonly timeoutMs?: number | undefined;
  readonly env?: NodeJS.ProcessEnv;
}

/** Spawns `ferry ARGS` from the build and resolves once a JSON log line satisfies `ready`; the child is reaped after the test file. */
export function spawnFerryCommand(args: readonly string[], opts: SpawnFerryOptions): Promise<FerryChild> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const startedAt = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env });
  reapAfterFile(child);
  let text = '';
  const exited = new Promise<number | string | null>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve(code ?? signal);
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
      reject(new Error(`${opts.what} was not ready within ${timeoutMs} ms:\n${text}`));
    }, timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      const piece = chunk.toString();
      text += piece;
      if (settled) return;
      pending += piece;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        if (!opts.ready(parsed)) continue;
        settled = true;
        clearTimeout(timer);
        resolve({
          child,
          readyLine: parsed,
          readyMs: performance.now() - startedAt,
          output: () => text,
          exited,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
          kill: async () => {
            child.kill('SIGKILL');
            await exited;
          },
        });
        return;
      }
    });
    void exited.then((code) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`${opts.what} exited with ${code} before it was ready:\n${text}`));
    });
  });
}

export interface FerryWorkerProcess extends FerryChild {
  readonly restUrl: string;
}

/** `ferry worker FILE` from the build, once its REST API serves (the "worker started" log line). */
export async function startFerryWorker(propertiesFile: string, opts: { timeoutMs?: number } = {}): Promise<FerryWorkerProcess> {
  const started = await spawnFerryCommand(['worker', propertiesFile], {
    what: `ferry worker ${propertiesFile}`,
    timeoutMs: opts.timeoutMs,
    ready: (line) => line['msg'] === 'worker started' && typeof line['restUrl'] === 'string',
  });
  return { ...started, restUrl: started.readyLine['restUrl'] as string };
}

/** Stops (SIGTERM) or kills (SIGKILL) `old` and starts ferry again on the same data directory and ports: a worker restart. */
export async function restartFerry(old: FerryProcess, mode: 'stop' | 'kill', opts: FerryOptions): Promise<FerryProcess> {
  if (mode === 'kill') await old.kill(); else await old.stop();
  return startFerry({ ...opts, brokerPort: old.brokerPort, restPort: old.restPort, registryPort: old.registryPort });
}
