/**
 * Runs the bare relay (bare-relay.ts) as a child process: resolves once it is loaded and
 * waiting, so the caller starts its clock with go() and Node's start-up stays out of the
 * window, as the worker's does.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { RelayJob } from './bare-relay.js';

export interface RelayOutcome {
  records: number;
  bytes: number;
  /** Seconds the relay measured itself, from go to the last acknowledgement. */
  seconds: number;
  /** The relay's peak resident set (getrusage maxrss). */
  peakRssBytes: number;
}

export interface RelayProcess {
  readonly pid: number;
  /** The last part of what the relay wrote to stderr (its client's warnings). */
  stderr(): string;
  /** Starts relaying; resolves with the relay's own figures once it exited 0. */
  go(): Promise<RelayOutcome>;
}

const RELAY_SCRIPT = path.join(import.meta.dirname, 'bare-relay.js');

export function startRelayProcess(job: RelayJob, cpuProfDir?: string): Promise<RelayProcess> {
  const nodeArgs = cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [];
  const child = spawn(process.execPath, [...nodeArgs, RELAY_SCRIPT, JSON.stringify(job)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-16_384); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const parts = stdout.split('\n');
    stdout = parts.pop()!;
    lines.push(...parts);
    for (const w of waiters.splice(0)) w();
  });
  const nextLine = async (): Promise<string> => {
    while (lines.length === 0) {
      const code = await Promise.race([exited, new Promise<'line'>((resolve) => waiters.push(() => resolve('line')))]);
      if (code !== 'line' && lines.length === 0) throw new Error(`the bare relay exited with ${code}:\n${stderr}`);
    }
    return lines.shift()!;
  };
  return nextLine().then(() => ({
    pid: child.pid!,
    stderr: () => stderr,
    async go() {
      child.stdin.end('go\n');
      const outcome = JSON.parse(await nextLine()) as RelayOutcome;
      const code = await exited;
      if (code !== 0) throw new Error(`the bare relay exited with ${code}:\n${stderr}`);
      return outcome;
    },
  }));
}
