/**
 * Latency: after the bulk, `count` single-row INSERTs (autocommit, one connection) started
 * `intervalMs` apart; per row, the time from its commit (the INSERT's OK at the client) to its
 * document being in the index shop.inventory.orders.
 *
 * The Elasticsearch test server runs in this process, so arrival is watched without copying
 * the index: its live document count is read every millisecond, and each new document is
 * matched to the next row in commit order (nothing else writes to the table, the CDC topic has
 * one partition and the sink sends its bulks in offset order). Afterwards every row's id must be
 * in the index. Resolution: the timer's (1 ms) plus whatever else this process is doing.
 */
import type { ResultSetHeader } from 'mysql2/promise';
import { until } from '../../test/helpers/until.js';
import { INSERT_ORDERS, orderValues } from './bulk-phase.js';
import { INDEX, type PipelineContext } from './stack-setup.js';

export interface LatencyOutcome {
  readonly rows: number;
  readonly intervalMs: number;
  /** Milliseconds, in commit order. */
  readonly latenciesMs: number[];
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly seconds: number;
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export async function latencyPhase(ctx: PipelineContext, count: number, intervalMs: number): Promise<LatencyOutcome> {
  const { es, db } = ctx.stack;
  const base = es.count(INDEX);
  const arrivals: number[] = [];
  const poll = setInterval(() => {
    const now = performance.now();
    const arrived = es.count(INDEX) - base;
    while (arrivals.length < arrived) arrivals.push(now);
  }, 1);
  const conn = await db.connect('inventory');
  const commits: number[] = [];
  const ids: number[] = [];
  const start = performance.now();
  try {
    for (let i = 0; i < count; i++) {
      const wait = start + i * intervalMs - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const [result] = await conn.query<ResultSetHeader>(`${INSERT_ORDERS}${orderValues(ctx, i)}`);
      commits.push(performance.now());
      ids.push(result.insertId);
    }
    await until(() => arrivals.length >= count, { timeoutMs: 120_000, intervalMs: 10, what: `the ${count} trickled rows in ${INDEX}` })
      .catch(async (err: unknown) => { throw new Error(`${String(err)} (${arrivals.length} arrived)\n${await ctx.describe()}`); });
  } finally {
    clearInterval(poll);
    await conn.end();
  }
  const seconds = (performance.now() - start) / 1000;
  if (arrivals.length !== count) throw new Error(`${arrivals.length} documents arrived in ${INDEX} for ${count} rows`);
  const versions = es.versions(INDEX);
  const missing = ids.filter((id) => !versions.has(String(id)));
  if (missing.length > 0) throw new Error(`rows ${missing.slice(0, 5).join(', ')}... are not in ${INDEX}`);
  const latenciesMs = arrivals.map((at, i) => at - commits[i]!);
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    rows: count, intervalMs, latenciesMs, seconds,
    p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), max: sorted.at(-1)!,
  };
}
