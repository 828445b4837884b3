/**
 * The streaming phase. One connector per converter variant is created with
 * snapshot.mode=no_data on an empty load table; once every one streams, one warm-up row is
 * inserted, and each connector is STOPPED after it has published that change, which commits
 * a streaming position. (Stopped right after its schema-only snapshot, a connector's last
 * offset is still marked `snapshot`, and the next start would snapshot the schema again at
 * the then current position, past the load.) The change load is then written into the
 * binlog while every connector is stopped, so each drains exactly the same range: it is
 * resumed alone and timed from PUT .../resume until its topic's end offset holds every change,
 * then stopped again. The baseline reads that same range with mariadb-binlog
 * --read-from-remote-server to /dev/null, plain and with --verbose.
 */
import os from 'node:os';
import { endOffset } from '../broker/kafkajs-runs.js';
import { readMemory } from '../broker/proc-stats.js';
import { waitFor } from '../distributed/worker-cluster.js';
import { sampleProcess } from '../rest/process-sampler.js';
import { monotonicUs } from '../runtime/profile-hotspots.js';
import { DATABASE, LOAD_TABLE, binlogPosition, type BinlogPosition } from './bench-database.js';
import { describeConnector, log, membershipLosses, restCall, settle, STALL_MS, untilState, type BenchContext } from './bench-context.js';
import { readBinlogRange } from './binlog-baseline.js';
import { writeChangeLoad } from './change-load.js';
import { cdcRunConfig, type CdcRunConfig } from './connector-configs.js';
import type { BinlogBaseline, ChangeLoadInfo, StreamingResult } from './results.js';
import { startRunMeter } from './run-meter.js';
import { waitForTopicFill } from './topic-watch.js';

const SERVER_ID_BASE = 5500;
/** One streamed change before the stop, so the stored offset is a streaming position (see the header). */
const WARM_UP_CHANGES = 1;

export interface StreamingPhaseResult {
  load: ChangeLoadInfo;
  baselines: BinlogBaseline[];
  runs: StreamingResult[];
}

interface StoredOffsets {
  offsets: { partition: Record<string, unknown>; offset: Record<string, unknown> }[];
}

/** Creates the connector and waits until its schema-only snapshot is done and it streams. */
async function createConnector(ctx: BenchContext, run: CdcRunConfig): Promise<void> {
  await restCall(ctx, 'POST', '/connectors', { name: run.name, config: run.config });
  await untilState(ctx, run.name, 'RUNNING');
  // The schema snapshot is done once its schema-change event is on the <topic.prefix> topic.
  const prefixTopic = run.config['topic.prefix']!;
  await waitFor(() => endOffset(ctx.admin, prefixTopic).then((n) => n > 0, () => false), STALL_MS,
    `${run.name}'s schema-change event on ${prefixTopic}`, 100);
}

/**
 * Waits for the warm-up change on the connector's topic, stops the connector (which commits
 * the offset of that streamed change) and returns the position it will resume from.
 */
async function stopAfterWarmUp(ctx: BenchContext, run: CdcRunConfig): Promise<BinlogPosition> {
  await waitForTopicFill(ctx.admin, run.topic, WARM_UP_CHANGES, performance.now(), STALL_MS, () => describeConnector(ctx, run.name));
  await restCall(ctx, 'PUT', `/connectors/${run.name}/stop`);
  await untilState(ctx, run.name, 'STOPPED');
  const stored = await restCall<StoredOffsets>(ctx, 'GET', `/connectors/${run.name}/offsets`);
  const offset = stored.offsets[0]?.offset;
  if (!offset || typeof offset.file !== 'string') throw new Error(`${run.name}: no stored offset after stopping: ${JSON.stringify(stored)}`);
  if (offset.snapshot !== undefined) throw new Error(`${run.name}: the stored offset is still marked snapshot: ${JSON.stringify(offset)}`);
  return { file: offset.file, pos: Number(offset.pos) };
}

async function measureBinlog(ctx: BenchContext, reader: string, range: { from: BinlogPosition; to: BinlogPosition }, events: number, verbose: boolean): Promise<BinlogBaseline> {
  const db = sampleProcess(ctx.dbPid);
  const o = await readBinlogRange(reader, ctx.db.port, range.from, range.to, verbose);
  const result: BinlogBaseline = {
    mode: verbose ? 'verbose' : 'plain', events, seconds: o.seconds, eventsPerSec: events / o.seconds,
    mbPerSec: (range.to.pos - range.from.pos) / 1e6 / o.seconds,
    cpuPercent: { 'mariadb-binlog': (o.cpuSeconds / o.seconds) * 100, mariadbd: db.stop().cpuPercent },
  };
  log(`binlog baseline (${result.mode}): ${o.seconds.toFixed(2)} s, ${Math.round(result.eventsPerSec)} events/s`);
  return result;
}

async function streamingRun(ctx: BenchContext, run: CdcRunConfig, variant: StreamingResult['variant'], events: number, baselines: BinlogBaseline[]): Promise<StreamingResult> {
  const id = run.name;
  const loadAverage = os.loadavg()[0]!;
  log(`${id}: draining ${events} changes ...`);
  const meter = startRunMeter(ctx.ferry.pid, ctx.dbPid);
  const startUs = monotonicUs();
  const startEpochMs = Date.now();
  const start = performance.now();
  await restCall(ctx, 'PUT', `/connectors/${run.name}/resume`);
  const fill = await waitForTopicFill(ctx.admin, run.topic, WARM_UP_CHANGES + events, start, STALL_MS,
    () => describeConnector(ctx, run.name, startEpochMs), WARM_UP_CHANGES);
  const m = meter.stop();
  ctx.windows.set(id, { startUs, endUs: startUs + fill.lastSeconds * 1e6 });
  await restCall(ctx, 'PUT', `/connectors/${run.name}/stop`);
  await untilState(ctx, run.name, 'STOPPED');
  await settle();
  m.memory.rssAfterBytes = readMemory(ctx.ferry.pid).rssBytes;
  const eventsPerSec = events / fill.lastSeconds;
  const ratio = (mode: BinlogBaseline['mode']) => {
    const b = baselines.find((x) => x.mode === mode);
    return b ? eventsPerSec / b.eventsPerSec : null;
  };
  const result: StreamingResult = {
    id, variant, events, seconds: fill.lastSeconds, firstEventSeconds: fill.firstSeconds, eventsPerSec,
    drainEventsPerSec: events / Math.max(1e-3, fill.lastSeconds - fill.firstSeconds),
    ratioToBinlog: ratio('plain'), ratioToBinlogVerbose: ratio('verbose'), cpuPercent: m.cpuPercent,
    ferryCpuMicrosPerEvent: (m.ferryCpuSeconds * 1e6) / events, memory: m.memory, loadAverage, membershipLosses: membershipLosses(ctx, startEpochMs),
  };
  log(`${id}: ${fill.lastSeconds.toFixed(2)} s, ${Math.round(eventsPerSec)} events/s, peak RSS ${(m.memory.peakRssBytes / 1e6).toFixed(0)} MB`);
  return result;
}

export async function streamingPhase(ctx: BenchContext, changes: number, rowsPerTransaction: number, reader: string | null): Promise<StreamingPhaseResult> {
  // A fresh binlog file, so that the range sits in one file.
  await ctx.db.query('FLUSH BINARY LOGS');
  const runs = ctx.variants.map((variant, i) => ({
    variant,
    run: cdcRunConfig(ctx.db, ctx.ferry.bootstrap!, { name: `streaming-${variant}`, table: LOAD_TABLE, snapshotMode: 'no_data', serverId: SERVER_ID_BASE + i, variant }),
  }));
  for (const r of runs) await createConnector(ctx, r.run);
  await ctx.db.query(`INSERT INTO ${DATABASE}.${LOAD_TABLE} VALUES (0, 0, 'warm-up', NOW())`);
  const starts: BinlogPosition[] = [];
  for (const r of runs) starts.push(await stopAfterWarmUp(ctx, r.run));
  const from = await binlogPosition(ctx.db);
  if (starts.some((s) => s.file !== from.file || s.pos > from.pos)) {
    throw new Error(`the connectors stopped at ${JSON.stringify(starts)}, not before the server's ${from.file}:${from.pos}`);
  }
  log(`connectors stopped at ${starts.map((s) => `${s.file}:${s.pos}`).join(', ')} (after the warm-up change); the load starts at ${from.file}:${from.pos}`);
  const written = await writeChangeLoad(ctx.db, changes, rowsPerTransaction);
  const to = await binlogPosition(ctx.db);
  log(`load: ${written.changes} changes in ${written.transactions} transactions written in ${written.seconds.toFixed(1)} s, binlog ${from.file}:${from.pos}..${to.pos}`);
  const load: ChangeLoadInfo = {
    changes: written.changes, transactions: written.transactions, rowsPerTransaction, writeSeconds: written.seconds,
    binlogFile: from.file, startPos: from.pos, endPos: to.pos, binlogBytes: to.pos - from.pos,
  };
  const baselines: BinlogBaseline[] = [];
  if (reader) {
    for (const verbose of [false, true]) baselines.push(await measureBinlog(ctx, reader, { from, to }, written.changes, verbose));
  }
  const results: StreamingResult[] = [];
  for (const r of runs) results.push(await streamingRun(ctx, r.run, r.variant, written.changes, baselines));
  return { load, baselines, runs: results };
}
