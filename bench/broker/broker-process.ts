/**
 * The broker under test, as its own process running the built CLI (so its CPU time and
 * memory are its own), with a data directory the caller owns. Optionally under
 * `node --cpu-prof`; the profile is written when the broker exits after stop().
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { FERRY_CLI } from './paths.js';

const OUTPUT_KEEP = 64 * 1024;
const START_TIMEOUT_MS = 60_000;

export interface BrokerProcess {
  readonly pid: number;
  readonly port: number;
  readonly bootstrap: string;
  /** The last part of the broker's stdout and stderr. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. Resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface BrokerProcessOptions {
  dataDir: string;
  /** The ferry CLI to run; defaults to this build's dist/cli/ferry.js. */
  cli?: string;
  /** Run under `node --cpu-prof`, writing the .cpuprofile here. */
  cpuProfDir?: string;
  extraArgs?: string[];
}

export function startBrokerProcess(opts: BrokerProcessOptions): Promise<BrokerProcess> {
  const nodeArgs = opts.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir] : [];
  const child: ChildProcess = spawn(process.execPath, [
    ...nodeArgs, opts.cli ?? FERRY_CLI, 'broker', '--port', '0', '--data-dir', opts.dataDir,
    '--group-initial-rebalance-delay-ms', '0', ...(opts.extraArgs ?? []),
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const append = (chunk: Buffer) => {
    text += chunk.toString();
    if (text.length > 2 * OUTPUT_KEEP) text = text.slice(-OUTPUT_KEEP);
  };
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.stderr!.on('data', append);
  return new Promise((resolve, reject) => {
    let listening = false;
    const startTimer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`broker did not log "broker listening" within ${START_TIMEOUT_MS} ms:\n${text}`));
    }, START_TIMEOUT_MS);
    child.stdout!.on('data', (chunk: Buffer) => {
      append(chunk);
      if (listening) return;
      const match = /"port":(\d+)[^\n]*"msg":"broker listening"/.exec(text);
      if (!match) return;
      listening = true;
      clearTimeout(startTimer);
      const port = Number(match[1]);
      resolve({
        pid: child.pid!,
        port,
        bootstrap: `127.0.0.1:${port}`,
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
    });
    void exited.then((code) => {
      clearTimeout(startTimer);
      if (!listening) reject(new Error(`broker exited with ${code} before listening:\n${text}`));
    });
  });
}
