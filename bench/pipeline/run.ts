/**
 * The deployment pipeline benchmark (`npm run bench:pipeline`): the docker-compose stack run
 * without Docker as the end-to-end test runs it (test/deploy/pipeline-stack.ts: two `ferry
 * broker` regions, MariaDB loaded with deploy/mysql/init, s3rver, the Elasticsearch test server,
 * ferry-a1..a3 and ferry-b with the compose environment), the stack's connector files applied
 * unchanged but for addresses, the init script's write EVENT turned off. It measures what a user
 * of the pipeline sees:
 *
 * 1. throughput: `--rows` new orders inserted as fast as MariaDB takes them (bulk-phase.ts), and
 *    the time until every one is on region A's topic, in the index, in the bucket, and on region B;
 * 2. latency: `--trickle` single-row INSERTs `--trickle-interval-ms` apart, commit to document in
 *    the index, p50/p95/p99 (latency-phase.ts);
 * 3. the same-run baseline: the bulk's rows read back with mysql2 and indexed with client.bulk
 *    into the same test server, no Kafka, no ferry (bare-baseline.ts);
 * 4. every process's CPU seconds per phase and peak memory (process-usage.ts).
 *
 * Options: --rows N (50000), --batch N (rows per INSERT, 500), --trickle N (200),
 * --trickle-interval-ms N (20), --json (the results as JSON on stdout, progress on stderr),
 * --keep-data (keep the work directory with the workers' logs), --out FILE (default
 * bench/out/pipeline.json). See bench/pipeline/README.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { OUT_DIR } from '../broker/paths.js';
import { textTable } from '../text-table.js';
import { BASELINE_BATCH, BASELINE_INDEX, bareBaseline, sameDocuments, warmUpServer, type BaselineOutcome } from './bare-baseline.js';
import { bulkPhase, type BulkOutcome } from './bulk-phase.js';
import { latencyPhase, type LatencyOutcome } from './latency-phase.js';
import { describePlacement, ProcessMeter, trackedProcesses, type ProcessFigures } from './process-usage.js';
import { INDEX, startPipeline, TABLE, TOPIC, type PipelineContext } from './stack-setup.js';
import { phaseLine } from '../phase-progress.js';

const { values: options } = parseArgs({
  options: {
    rows: { type: 'string', default: '50000' }, batch: { type: 'string', default: '500' },
    trickle: { type: 'string', default: '200' }, 'trickle-interval-ms': { type: 'string', default: '20' },
    json: { type: 'boolean', default: false }, 'keep-data': { type: 'boolean', default: false }, out: { type: 'string' },
  },
});
const ROWS = Number(options.rows);
const BATCH = Number(options.batch);
const TRICKLE = Number(options.trickle);
const TRICKLE_INTERVAL_MS = Number(options['trickle-interval-ms']);
const WARM_UP_DOCUMENTS = 20_000;
const MB = 1e6;
for (const [name, value] of [['--rows', ROWS], ['--batch', BATCH], ['--trickle', TRICKLE], ['--trickle-interval-ms', TRICKLE_INTERVAL_MS]] as const) {
  if (!Number.isInteger(value) || value < (name === '--trickle-interval-ms' ? 0 : 1)) throw new Error(`${name} must be a positive whole number`);
}

/** Progress; with --json stdout carries only the results. */
const progress = (line: string) => phaseLine(line, options.json ? process.stderr : process.stdout);

interface Results {
  startedAt: string;
  machine: { cores: number; node: string; loadAverage: { start: number; end: number } };
  stack: { startSeconds: number; settleSeconds: number; before: PipelineContext['before']; s3Rotation: PipelineContext['s3Rotation'] };
  bulk: BulkOutcome & { topicBytesPerRecord: number };
  latency: LatencyOutcome;
  baseline: BaselineOutcome & { what: string };
  /** Each destination's rows/s over the baseline's. */
  vsBaseline: Record<string, number>;
  processes: ProcessFigures[];
  phases: Record<string, number>;
}

/** Bytes of the orders topic's segments in region A's data directory (pipeline-stack.ts puts it at <work>/kafka-a). */
function topicBytes(work: string): number {
  const dir = path.join(work, 'kafka-a', `${TOPIC}-0`);
  return fs.readdirSync(dir).filter((f) => f.endsWith('.log')).reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0);
}

const n = (v: number) => Math.round(v).toLocaleString('en-US');
const mb = (bytes: number) => (Number.isNaN(bytes) ? '-' : `${(bytes / MB).toFixed(0)} MB`);

function report(r: Results): string {
  const lines: string[] = [];
  lines.push(`Pipeline benchmark: the docker-compose stack without Docker (test/deploy/pipeline-stack.ts), its connector files unchanged but for addresses; `
    + `${r.machine.cores} cores, node ${r.machine.node}, load average ${r.machine.loadAverage.start.toFixed(1)} at the start, ${r.machine.loadAverage.end.toFixed(1)} at the end`);
  lines.push(`stack up with every connector running in ${r.stack.startSeconds.toFixed(1)} s; before the load ${TABLE} had ${r.stack.before.tableRows} rows and its topic `
    + `${r.stack.before.topicEnd} records, on every destination; write EVENT off`);
  lines.push('');
  lines.push(`Throughput: ${n(r.bulk.rows)} rows inserted into ${TABLE} in INSERTs of ${r.bulk.batch} rows (autocommit, one connection): `
    + `MariaDB took them at ${n(r.bulk.insertRowsPerSec)} rows/s (${r.bulk.insertSeconds.toFixed(2)} s); each is one change record of `
    + `${n(r.bulk.topicBytesPerRecord)} bytes on the topic (key, value and headers in the segment: the compose file's JsonConverter with schemas)`);
  lines.push(textTable(
    ['every row in', 'first s', 'half s', 'last s', 'rows/s', 'after last INSERT s', 'vs baseline'],
    r.bulk.destinations.map((d) => [
      d.what, d.firstSeconds.toFixed(2), d.halfSeconds.toFixed(2), d.seconds.toFixed(2), n(d.rowsPerSec), d.afterLastInsertSeconds.toFixed(2), r.vsBaseline[d.id]!.toFixed(2),
    ]),
    [false, true, true, true, true, true, true],
  ));
  const objects = r.bulk.bucketObjectRecords;
  lines.push('seconds from the first INSERT; rows/s = rows / last s, end to end with the INSERTs; topics by end offset, the index by live document');
  const { flushSize, scheduleMs } = r.stack.s3Rotation;
  lines.push(`count, the bucket by records in complete objects: ${objects.length} objects, ${objects.filter((k) => k < flushSize).length} cut before flush.size ${flushSize} `
    + `by rotate.schedule.interval.ms (every ${scheduleMs / 1000} s on the clock; the last with ${objects.at(-1)} records).`);
  lines.push(`baseline, same run, same MariaDB and Elasticsearch test server, no Kafka, no ferry: ${r.baseline.what}: `
    + `${n(r.baseline.rowsPerSec)} rows/s (${r.baseline.seconds.toFixed(2)} s)`);
  lines.push(`Elasticsearch end to end: ${r.vsBaseline['index']!.toFixed(2)}x the baseline`);
  lines.push('');
  const l = r.latency;
  lines.push(`Latency, INSERT commit -> document in ${INDEX} (${l.rows} single-row INSERTs ${l.intervalMs} ms apart): `
    + `p50 ${l.p50.toFixed(0)} ms, p95 ${l.p95.toFixed(0)} ms, p99 ${l.p99.toFixed(0)} ms, max ${l.max.toFixed(0)} ms`);
  lines.push('');
  const phases = Object.keys(r.phases);
  const ferry = r.processes.filter((p) => p.name.startsWith('ferry-') || p.name.startsWith('broker'));
  const total = (phase: string) => ferry.reduce((s, p) => s + p.cpuSeconds[phase]!, 0);
  lines.push(textTable(
    ['process', 'runs', 'RSS before', 'peak RSS', ...phases.map((ph) => `CPU s ${ph}`)],
    [
      ...r.processes.map((p) => [p.name, p.role, mb(p.rssBeforeBytes), mb(p.peakRssBytes), ...phases.map((ph) => p.cpuSeconds[ph]!.toFixed(2))]),
      ['ferry (workers + brokers)', '', '', '', ...phases.map((ph) => total(ph).toFixed(2))],
    ],
    [false, false, true, true, ...phases.map(() => true)],
  ));
  lines.push(`phases: ${phases.map((ph) => `${ph} ${r.phases[ph]!.toFixed(1)} s`).join(', ')} (bulk: first INSERT to the last destination complete).`);
  lines.push('peak RSS = VmHWM over bulk and trickle (reset at the start of the bulk); CPU s = user + system seconds in the phase.');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-pipeline-'));
  const loadStart = os.loadavg()[0]!;
  progress(`starting the pipeline stack in ${work}`);
  const ctx = await startPipeline(work, progress).catch((err: unknown) => {
    fs.rmSync(work, { recursive: true, force: true });
    throw err;
  });
  try {
    const processes = trackedProcesses(ctx);
    await describePlacement(ctx, processes);
    await warmUpServer(ctx, WARM_UP_DOCUMENTS);
    const meter = new ProcessMeter(processes);
    const phases: Record<string, number> = {};
    const timed = async <T>(phase: string, run: () => Promise<T>): Promise<T> => {
      const start = performance.now();
      const value = await run();
      phases[phase] = (performance.now() - start) / 1000;
      meter.mark(phase);
      return value;
    };

    meter.start();
    progress(`bulk: ${n(ROWS)} rows in INSERTs of ${BATCH}`);
    const bytesBefore = topicBytes(work);
    const bulkOutcome = await timed('bulk', () => bulkPhase(ctx, ROWS, BATCH));
    const bulk = { ...bulkOutcome, topicBytesPerRecord: (topicBytes(work) - bytesBefore) / ROWS };
    for (const d of bulk.destinations) progress(`  ${d.what}: every row after ${d.seconds.toFixed(2)} s, ${n(d.rowsPerSec)} rows/s`);
    progress(`trickle: ${TRICKLE} single-row INSERTs ${TRICKLE_INTERVAL_MS} ms apart`);
    const latency = await timed('trickle', () => latencyPhase(ctx, TRICKLE, TRICKLE_INTERVAL_MS));
    progress(`  p50 ${latency.p50.toFixed(0)} ms, p99 ${latency.p99.toFixed(0)} ms`);
    progress('baseline: mysql2 SELECT -> client.bulk');
    const baseline = await timed('baseline', () => bareBaseline(ctx, ctx.before.maxId, bulk.lastId));
    const processFigures = meter.figures();
    if (!sameDocuments(ctx, INDEX, bulk.lastId)) throw new Error(`the baseline's document ${bulk.lastId} differs from the sink's`);

    const results: Results = {
      startedAt: new Date().toISOString(),
      machine: { cores: os.cpus().length, node: process.version, loadAverage: { start: loadStart, end: os.loadavg()[0]! } },
      stack: { startSeconds: ctx.startSeconds, settleSeconds: ctx.settleSeconds, before: ctx.before, s3Rotation: ctx.s3Rotation },
      bulk, latency,
      baseline: { ...baseline, what: `mysql2 SELECT by id in batches of ${BASELINE_BATCH} -> client.bulk of each batch into ${BASELINE_INDEX}, the next SELECT during the bulk` },
      vsBaseline: Object.fromEntries(bulk.destinations.map((d) => [d.id, d.rowsPerSec / baseline.rowsPerSec])),
      processes: processFigures, phases,
    };
    const out = options.out ?? path.join(OUT_DIR, 'pipeline.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    if (options.json) console.log(JSON.stringify(results, null, 2));
    else console.log(`\n${report(results)}\nresults in ${path.relative(process.cwd(), out)}`);
  } finally {
    const logs = path.join(work, 'logs');
    fs.mkdirSync(logs, { recursive: true });
    for (const w of [...ctx.stack.workersA, ctx.stack.workerB]) fs.writeFileSync(path.join(logs, `${w.service}.log`), w.output());
    for (const [name, broker] of [['broker-a', ctx.stack.regionA], ['broker-b', ctx.stack.regionB]] as const) fs.writeFileSync(path.join(logs, `${name}.log`), broker.output());
    await ctx.close();
    if (options['keep-data']) progress(`kept ${work} (workers' and brokers' logs in ${logs})`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  // Pollers of a failed phase may still be waiting; everything this process started is stopped by now.
  process.exit(1);
});
