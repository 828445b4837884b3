/**
 * The snapshot phase: the table is filled, read once with mysql2 into nothing (the baseline),
 * then captured by one connector per converter variant (snapshot.mode=initial_only), each
 * timed from POST /connectors until the topic's end offset holds every row. The connector is
 * deleted after its run.
 */
import os from 'node:os';
import { readMemory } from '../broker/proc-stats.js';
import { sampleProcess } from '../rest/process-sampler.js';
import { monotonicUs } from '../runtime/profile-hotspots.js';
import { listConnectors } from '../runtime/connect-rest.js';
import { waitFor } from '../distributed/worker-cluster.js';
import { DATABASE, SNAPSHOT_TABLE, fillSnapshotTable } from './bench-database.js';
import { describeConnector, log, membershipLosses, restCall, settle, STALL_MS, type BenchContext } from './bench-context.js';
import { cdcRunConfig, type ConverterVariant } from './connector-configs.js';
import type { SelectBaseline, SnapshotResult } from './results.js';
import { startRunMeter } from './run-meter.js';
import { selectIntoNothing } from './select-baseline.js';
import { waitForTopicFill } from './topic-watch.js';

const SERVER_ID_BASE = 5400;

export interface SnapshotPhaseResult {
  baseline: SelectBaseline;
  runs: SnapshotResult[];
}

async function measureSelect(ctx: BenchContext): Promise<SelectBaseline> {
  const db = sampleProcess(ctx.dbPid);
  const cpu = process.cpuUsage();
  const o = await selectIntoNothing(ctx.db, `${DATABASE}.${SNAPSHOT_TABLE}`);
  const used = process.cpuUsage(cpu);
  const baseline: SelectBaseline = {
    rows: o.rows, seconds: o.seconds, rowsPerSec: o.rows / o.seconds,
    cpuPercent: { bench: ((used.user + used.system) / 1e6 / o.seconds) * 100, mariadbd: db.stop().cpuPercent },
  };
  log(`select baseline: ${o.rows} rows in ${o.seconds.toFixed(2)} s, ${Math.round(baseline.rowsPerSec)} rows/s`);
  return baseline;
}

async function snapshotRun(ctx: BenchContext, variant: ConverterVariant, index: number, rows: number, baseline: SelectBaseline): Promise<SnapshotResult> {
  const id = `snapshot-${variant}`;
  const run = cdcRunConfig(ctx.db, ctx.ferry.bootstrap!, {
    name: id, table: SNAPSHOT_TABLE, snapshotMode: 'initial_only', serverId: SERVER_ID_BASE + index, variant,
  });
  const loadAverage = os.loadavg()[0]!;
  log(`${id}: ${rows} rows ...`);
  const meter = startRunMeter(ctx.ferry.pid, ctx.dbPid);
  const startUs = monotonicUs();
  const startEpochMs = Date.now();
  const start = performance.now();
  await restCall(ctx, 'POST', '/connectors', { name: run.name, config: run.config });
  const fill = await waitForTopicFill(ctx.admin, run.topic, rows, start, STALL_MS, () => describeConnector(ctx, run.name, startEpochMs));
  const m = meter.stop();
  ctx.windows.set(id, { startUs, endUs: startUs + fill.lastSeconds * 1e6 });
  await restCall(ctx, 'DELETE', `/connectors/${run.name}`);
  await waitFor(async () => !(await listConnectors(ctx.ferry.rest)).includes(run.name), 30_000, `${run.name} deleted`, 100);
  await settle();
  m.memory.rssAfterBytes = readMemory(ctx.ferry.pid).rssBytes;
  const rowsPerSec = rows / fill.lastSeconds;
  const result: SnapshotResult = {
    id, variant, rows, seconds: fill.lastSeconds, firstRecordSeconds: fill.firstSeconds, rowsPerSec,
    ratioToSelect: rowsPerSec / baseline.rowsPerSec, cpuPercent: m.cpuPercent,
    ferryCpuMicrosPerRow: (m.ferryCpuSeconds * 1e6) / rows, memory: m.memory, loadAverage, membershipLosses: membershipLosses(ctx, startEpochMs),
  };
  log(`${id}: ${fill.lastSeconds.toFixed(2)} s, ${Math.round(rowsPerSec)} rows/s (${((result.ratioToSelect ?? 0) * 100).toFixed(1)}% of SELECT), `
    + `peak RSS ${(m.memory.peakRssBytes / 1e6).toFixed(0)} MB`);
  return result;
}

export async function snapshotPhase(ctx: BenchContext, rows: number): Promise<SnapshotPhaseResult> {
  const t0 = performance.now();
  await fillSnapshotTable(ctx.db, rows);
  log(`snapshot table: ${rows} rows filled in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const baseline = await measureSelect(ctx);
  if (baseline.rows !== rows) throw new Error(`SELECT returned ${baseline.rows} rows, expected ${rows}`);
  const runs: SnapshotResult[] = [];
  for (const [i, variant] of ctx.variants.entries()) runs.push(await snapshotRun(ctx, variant, i, rows, baseline));
  return { baseline, runs };
}
