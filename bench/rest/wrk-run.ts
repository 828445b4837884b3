/**
 * The same load with wrk (a C load generator far cheaper per request than node:http), used
 * only when `wrk` is on the PATH: one thread, `concurrency` connections, paths round robin
 * from a generated Lua script; no warm-up of its own (it runs after the node:http runs).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface WrkResult {
  requests: number;
  errors: number;
  seconds: number;
  requestsPerSec: number;
  /** Milliseconds; wrk prints p50, p75, p90, p99 and the max. */
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
}

export function wrkVersion(): string | null {
  const r = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  if (r.error) return null;
  return `${r.stdout}${r.stderr}`.split('\n')[0]!.trim() || 'unknown';
}

const UNIT_MS: Record<string, number> = { us: 1e-3, ms: 1, s: 1000, m: 60_000 };

function ms(value: string, unit: string): number {
  return Number(value) * UNIT_MS[unit]!;
}

export function parseWrkOutput(text: string): WrkResult {
  const num = (re: RegExp): number => {
    const m = re.exec(text);
    if (!m) throw new Error(`wrk output without ${re}:\n${text}`);
    return Number(m[1]);
  };
  const dist = (p: string): number => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(text);
    if (!m) throw new Error(`wrk output without the ${p}% latency (run with --latency):\n${text}`);
    return ms(m[1]!, m[2]!);
  };
  const stats = /^\s*Latency\s+([\d.]+)(us|ms|s|m)\s+([\d.]+)(us|ms|s|m)\s+([\d.]+)(us|ms|s|m)/m.exec(text);
  if (!stats) throw new Error(`wrk output without thread latency stats:\n${text}`);
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m),/.exec(text);
  if (!total) throw new Error(`wrk output without the request total:\n${text}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  const errors = (socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0);
  return {
    requests: Number(total[1]),
    errors,
    seconds: ms(total[2]!, total[3]!) / 1000,
    requestsPerSec: num(/Requests\/sec:\s+([\d.]+)/),
    latencyMs: { mean: ms(stats[1]!, stats[2]!), p50: dist('50'), p90: dist('90'), p99: dist('99'), max: ms(stats[5]!, stats[6]!) },
  };
}

export async function runWrk(o: { url: string; paths: string[]; concurrency: number; durationS: number; scriptDir: string }): Promise<WrkResult> {
  const script = path.join(o.scriptDir, 'round-robin.lua');
  fs.writeFileSync(script, [
    `local paths = {${o.paths.map((p) => JSON.stringify(p)).join(', ')}}`,
    'local i = 0',
    'request = function()',
    '  i = i % #paths + 1',
    '  return wrk.format("GET", paths[i])',
    'end',
    '',
  ].join('\n'));
  const child = spawn('wrk', ['-t1', `-c${o.concurrency}`, `-d${o.durationS}s`, '--latency', '-s', script, o.url], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => { text += c; });
  child.stderr.setEncoding('utf8').on('data', (c: string) => { text += c; });
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  if (code !== 0) throw new Error(`wrk exited with ${code}:\n${text}`);
  return parseWrkOutput(text);
}
