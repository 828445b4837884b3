/**
 * A ferry process under test (`ferry start` or `ferry worker`), running the built CLI as its
 * own process so its CPU time and memory are its own. It is ready when it logs the line
 * `ready` picks out of its JSON (pino) log; optionally it runs under `node --cpu-prof`, whose
 * profile is written when it exits after stop().
 */
import { spawn, type ChildProcess } from 'node:child_process';

const OUTPUT_KEEP = 64 * 1024;
const START_TIMEOUT_MS = 60_000;

export type LogEntry = Record<string, unknown>;

export interface Endpoints {
  /** The REST API's base URL. */
  rest: string;
  /** host:port of the broker, when the process runs one. */
  bootstrap?: string;
}

export interface FerryProcess extends Endpoints {
  readonly pid: number;
  /** The last part of the process's stdout and stderr. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. Resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface FerryProcessOptions {
  cli: string;
  args: string[];
  /** Picks the endpoints out of the log line that says the process is ready. */
  ready: (entry: LogEntry) => Endpoints | undefined;
  cpuProfDir?: string;
}

/** `ferry start` logs `ferry is ready` with `rest` and `broker`. */
export function startReady(entry: LogEntry): Endpoints | undefined {
  if (entry.msg !== 'ferry is ready') return undefined;
  return { rest: String(entry.rest), bootstrap: String(entry.broker) };
}

/** `ferry worker` logs `worker started` with `restUrl`. */
export function workerReady(entry: LogEntry): Endpoints | undefined {
  return entry.msg === 'worker started' ? { rest: String(entry.restUrl) } : undefined;
}

export function startFerryProcess(opts: FerryProcessOptions): Promise<FerryProcess> {
  const nodeArgs = opts.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir] : [];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, opts.cli, ...opts.args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const append = (chunk: string) => {
    text += chunk;
    if (text.length > 2 * OUTPUT_KEEP) text = text.slice(-OUTPUT_KEEP);
  };
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.stderr!.setEncoding('utf8').on('data', append);
  return new Promise((resolve, reject) => {
    let ready = false;
    let partial = '';
    const startTimer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ferry ${opts.args[0]} was not ready within ${START_TIMEOUT_MS} ms:\n${text}`));
    }, START_TIMEOUT_MS);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      append(chunk);
      if (ready) return;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        let endpoints: Endpoints | undefined;
        try {
          endpoints = opts.ready(JSON.parse(line) as LogEntry);
        } catch {
          continue;
        }
        if (!endpoints) continue;
        ready = true;
        clearTimeout(startTimer);
        resolve({
          ...endpoints,
          pid: child.pid!,
          output: () => text,
          async stop(graceMs = 30_000) {
            if (child.exitCode !== null || child.signalCode !== null) return exited;
            child.kill('SIGTERM');
            const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
            const code = await exited;
            clearTimeout(timer);
            return code;
          },
        });
        return;
      }
    });
    void exited.then((code) => {
      clearTimeout(startTimer);
      if (!ready) reject(new Error(`ferry ${opts.args[0]} exited with ${code} before it was ready:\n${text}`));
    });
  });
}
