/**
 * `ferry start` from the build (dist/) as a child process, for end-to-end tests that drive the
 * product from outside: REST over fetch(), topics with kcat, and signals, SIGKILL included.
 *
 * Readiness is the JSON log line `"msg":"ferry is ready"`, which names the REST URL and the
 * broker address. Every child still running when the test file finishes is SIGKILLed, so a
 * failed test never leaves a ferry behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
// Registered first so its clean-up runs last, after the children below are gone.
import './temp-dir.js';
import { reapAfterFile } from './child-reaper.js';

const CLI = path.resolve(import.meta.dirname, '../../dist/cli/ferry.js');

export interface FerryOptions {
  dataDir: string;
  /** 0 (the default) picks a free port; pass the previous run's port to restart "in place". */
  brokerPort?: number;
  restPort?: number;
  /** Worker properties given as `--set k=v`. */
  settings?: Record<string, string>;
  /** How long to wait for "ferry is ready" before giving up (default 30 s). */
  readyTimeoutMs?: number;
}

export interface FerryProcess {
  readonly child: ChildProcess;
  readonly restUrl: string;
  readonly restPort: number;
  readonly brokerPort: number;
  readonly bootstrap: string;
  /** Milliseconds from spawn() to the "ferry is ready" log line. */
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

interface ReadyLine {
  msg?: string;
  rest?: string;
  broker?: string;
}

export function startFerry(opts: FerryOptions): Promise<FerryProcess> {
  const args = [CLI, 'start', '--data-dir', opts.dataDir,
    '--broker-port', String(opts.brokerPort ?? 0), '--rest-port', String(opts.restPort ?? 0)];
  for (const [key, value] of Object.entries(opts.settings ?? {})) args.push('--set', `${key}=${value}`);
  const startedAt = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
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
      reject(new Error(`ferry was not ready within ${opts.readyTimeoutMs ?? 30_000} ms:\n${text}`));
    }, opts.readyTimeoutMs ?? 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      const piece = chunk.toString();
      text += piece;
      if (settled) return;
      pending += piece;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (!line.includes('"ferry is ready"')) continue;
        const ready = JSON.parse(line) as ReadyLine;
        if (ready.msg !== 'ferry is ready' || !ready.rest || !ready.broker) continue;
        settled = true;
        clearTimeout(timer);
        const readyMs = performance.now() - startedAt;
        const restPort = Number(new URL(ready.rest).port);
        const brokerPort = Number(ready.broker.slice(ready.broker.lastIndexOf(':') + 1));
        resolve({
          child,
          restUrl: ready.rest,
          restPort,
          brokerPort,
          bootstrap: ready.broker,
          readyMs,
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
      reject(new Error(`ferry exited with ${code} before it was ready:\n${text}`));
    });
  });
}

/** Stops (SIGTERM) or kills (SIGKILL) `old` and starts ferry again on the same data directory and ports: a worker restart. */
export async function restartFerry(old: FerryProcess, mode: 'stop' | 'kill', opts: FerryOptions): Promise<FerryProcess> {
  if (mode === 'kill') await old.kill(); else await old.stop();
  return startFerry({ ...opts, brokerPort: old.brokerPort, restPort: old.restPort });
}
