/**
 * `ferry start` as its own process, with its log going to a file (as with
 * `ferry start > ferry.log`) rather than to a pipe this process would have to drain while it
 * generates load. The REST port is picked free beforehand and the process is ready when
 * `GET /` answers 200 there, which works at every log level (`ferry is ready` is logged at
 * info only).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { freePort } from '../free-port.js';

const START_TIMEOUT_MS = 60_000;
const POLL_MS = 100;

export interface FerryServer {
  readonly pid: number;
  readonly rest: string;
  /** The last `lines` lines of the log. */
  logTail(lines?: number): string;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. Resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface FerryLaunchOptions {
  cli: string;
  dataDir: string;
  logFile: string;
  /** Further `ferry start` arguments, e.g. ['--log-level', 'warn']. */
  args?: string[];
}

function tail(file: string, lines: number): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines - 1).join('\n');
  } catch {
    return '';
  }
}

async function answers(rest: string): Promise<boolean> {
  try {
    const res = await fetch(`${rest}/`);
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

export async function launchFerry(o: FerryLaunchOptions): Promise<FerryServer> {
  const port = await freePort();
  const rest = `http://127.0.0.1:${port}`;
  const fd = fs.openSync(o.logFile, 'a');
  const child = spawn(process.execPath, [
    o.cli, 'start', '--data-dir', o.dataDir, '--broker-port', '0', '--rest-port', String(port), ...(o.args ?? []),
  ], { stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = performance.now() + START_TIMEOUT_MS;
  while (!(await answers(rest))) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`ferry start exited with ${child.exitCode ?? child.signalCode} before it was ready:\n${tail(o.logFile, 30)}`);
    }
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`ferry start was not ready within ${START_TIMEOUT_MS} ms:\n${tail(o.logFile, 30)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return {
    pid: child.pid!,
    rest,
    logTail: (lines = 30) => tail(o.logFile, lines),
    async stop(graceMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
