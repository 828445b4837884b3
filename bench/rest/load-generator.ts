/**
 * A closed-loop HTTP load generator: `concurrency` loops, each on its own keep-alive
 * connection, each sending its next GET as soon as it has read the whole previous response.
 * Paths are taken round robin. The first `warmupMs` warm up connections and JIT and are not
 * counted; then every response completed within the next `durationMs` is counted, with its
 * latency from the request call to the last byte of the body. A response other than 200 or
 * a connection error counts as an error, not as a latency; a failed connection is replaced.
 */
import type { ConnectionPool, HttpConnection } from './http-connection.js';

export interface LoadOptions {
  pool: ConnectionPool;
  paths: string[];
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Called when the measured window opens and closes (to sample the server's CPU over the same window). */
  onWindowStart?: () => void;
  onWindowEnd?: () => void;
}

export interface Latencies {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  requestsPerSec: number;
  /** Milliseconds. */
  latencyMs: Latencies;
  /** Mean body bytes of the counted responses. */
  bodyBytes: number;
  /** This process's CPU time over the window, in % of one core. */
  clientCpuPercent: number;
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export function summarizeLatencies(samples: number[]): Latencies {
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    mean: sorted.length ? sum / sorted.length : NaN,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    p999: percentile(sorted, 0.999),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
  };
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let bodyBytes = 0;
  let next = 0;
  let phase: 'warmup' | 'measure' | 'done' = 'warmup';
  let windowStart = 0;
  let windowEnd = 0;
  let cpuAtStart: NodeJS.CpuUsage | undefined;
  let cpu: NodeJS.CpuUsage | undefined;

  const loop = async () => {
    let conn: HttpConnection | undefined;
    while (phase !== 'done') {
      const path = o.paths[next++ % o.paths.length]!;
      const start = performance.now();
      let ok = false;
      let bytes = 0;
      try {
        conn ??= await o.pool.connect();
        const res = await conn.get(path);
        ok = res.status === 200;
        bytes = res.bodyBytes;
      } catch {
        conn?.close();
        conn = undefined;
      }
      if (phase !== 'measure') continue;
      if (!ok) {
        errors++;
        continue;
      }
      latencies.push(performance.now() - start);
      bodyBytes += bytes;
    }
  };

  let endTimer: NodeJS.Timeout | undefined;
  const startTimer = setTimeout(() => {
    phase = 'measure';
    windowStart = performance.now();
    cpuAtStart = process.cpuUsage();
    o.onWindowStart?.();
    endTimer = setTimeout(() => {
      phase = 'done';
      windowEnd = performance.now();
      cpu = process.cpuUsage(cpuAtStart);
      o.onWindowEnd?.();
    }, o.durationMs);
  }, o.warmupMs);
  try {
    await Promise.all(Array.from({ length: o.concurrency }, loop));
  } finally {
    clearTimeout(startTimer);
    clearTimeout(endTimer);
    o.pool.close();
  }
  const seconds = (windowEnd - windowStart) / 1000;
  return {
    requests: latencies.length,
    errors,
    seconds,
    requestsPerSec: latencies.length / seconds,
    latencyMs: summarizeLatencies(latencies),
    bodyBytes: latencies.length ? bodyBytes / latencies.length : 0,
    clientCpuPercent: cpu ? ((cpu.user + cpu.system) / 1e6 / seconds) * 100 : NaN,
  };
}
