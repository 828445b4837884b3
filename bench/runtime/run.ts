/**
 * The runtime benchmark (`npm run bench:runtime`): lines/s through file -> FileStreamSource
 * -> broker -> FileStreamSink -> file for 100-byte and 1 KiB lines, with JsonConverter (the
 * default) and StringConverter, each as a ratio to kcat producing the same file to the same
 * broker in the same run. Two layouts: `ferry start` (broker, worker and REST API in one
 * process) and `ferry broker` + `ferry worker` as two processes, which also gives the
 * worker's own memory. In the `ferry start` layout the same lines also go through Confluent's
 * AvroConverter against the Schema Registry that `ferry start` runs (issue 14: its cost next to
 * JsonConverter's in the same run). Prints tables and writes bench/out/runtime.json. Options:
 * see USAGE.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Admin } from 'kafkajs';
import { startBrokerProcess } from '../broker/broker-process.js';
import { createTopics, endOffset, kafkaClient } from '../broker/kafkajs-runs.js';
import { kcatProduce, kcatVersion } from '../broker/kcat-runs.js';
import { FERRY_CLI, OUT_DIR, REPO_ROOT } from '../broker/paths.js';
import { readMemory } from '../broker/proc-stats.js';
import { writeRecordFile } from '../broker/record-payloads.js';
import { sizeLabel } from '../broker/results.js';
import { startFerryProcess, startReady, workerReady } from './ferry-process.js';
import { runPipeline } from './pipeline-run.js';
import { formatHotspots, monotonicUs, profileHotspots, type TimeWindow } from './profile-hotspots.js';
import {
  formatReport, writeJson, type KcatResult, type Layout, type MemoryStep, type SplitVariant, type PipelineResult, type ProfileReport, type RuntimeReport,
} from './results.js';
import { converterSetArgs, REGISTRY_CONVERTERS, writeWorkerProperties, type ConverterId } from './worker-properties.js';
import { freePort } from '../free-port.js';
import { phaseLine } from '../phase-progress.js';

const USAGE = `Usage: npm run bench:runtime -- [options]

  --scale F        multiply every line count by F (default 1; 0.1 for a quick look)
  --only A,B       run only the runs whose id starts with one of these; ids are
                   <start|split|eos-poll|eos-interval>-<json|string>-<100|1024> and
                   start-avro-<100|1024>, e.g. start-json-100, split-string, eos (both
                   exactly-once layouts) or start-avro
  --batch-size N   the file source's batch.size (default ${10_000})
  --cpu-prof       run the ferry processes under node --cpu-prof; profiles and hot-spot
                   summaries of each run (by function and by file) are printed and
                   go to the JSON; profiles to bench/out/profiles/runtime-*/
  --set K=V        a worker property for every worker (repeatable), e.g.
                   --set producer.max.request.size=262144
  --cli PATH       the ferry CLI to run (default dist/cli/ferry.js of this build)
  --keep-data      keep the temp dir (line files, sink files, data dirs)
  --out FILE       JSON results file (default bench/out/runtime.json)
`;

const LINE_SIZES = [100, 1024] as const;
const LINES: Record<number, number> = { 100: 1_000_000, 1024: 200_000 };
const CONVERTERS: ConverterId[] = ['json', 'string', 'avro'];
/** The converters each layout runs: AvroConverter only where `ferry start` brings its registry. */
const converterRuns = (layout: Layout): ConverterId[] => (layout === 'start' ? CONVERTERS : CONVERTERS.filter((c) => !REGISTRY_CONVERTERS.has(c)));
const LAYOUTS: Layout[] = ['start', 'split', 'eos-poll', 'eos-interval'];

/** The layouts of a broker and one worker per converter as two processes, and how they set up their worker and connectors. */
const SPLIT_LAYOUTS: Record<'split' | SplitVariant, { worker: Record<string, string>; source: Record<string, string>; sink: Record<string, string> }> = {
  split: { worker: {}, source: {}, sink: {} },
  'eos-poll': {
    worker: { 'exactly.once.source.support': 'enabled' },
    source: { 'transaction.boundary': 'poll' },
    sink: { 'consumer.override.isolation.level': 'read_committed' },
  },
  'eos-interval': {
    worker: { 'exactly.once.source.support': 'enabled' },
    source: { 'transaction.boundary': 'interval', 'transaction.boundary.interval.ms': '1000' },
    sink: { 'consumer.override.isolation.level': 'read_committed' },
  },
};
const IDLE_SETTLE_MS = 3000;
const TARGET_LINES_PER_SEC = 100_000;
const TARGET_IDLE_RSS_BYTES = 150e6;

interface Context {
  cli: string;
  work: string;
  files: Map<number, { path: string; lines: number }>;
  batchSize: number;
  keepData: boolean;
  cpuProf: boolean;
  /** Extra worker properties from --set. */
  workerSettings: Record<string, string>;
  kcat: boolean;
  kcatResults: KcatResult[];
  pipelines: PipelineResult[];
  memory: MemoryStep[];
  profiles: ProfileReport[];
  /** Each run's window on the monotonic clock, to cut its samples out of a profile. */
  windows: Map<string, TimeWindow>;
}

function log(line: string): void {
  phaseLine(line);
}

function settle(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function runId(layout: Layout, converter: ConverterId, size: number): string {
  return `${layout}-${converter}-${size}`;
}

function remember(ctx: Context, processLabel: string, step: string, pid: number): void {
  const m = readMemory(pid);
  ctx.memory.push({ process: processLabel, step, rssBytes: m.rssBytes, peakRssBytes: m.peakRssBytes });
  log(`${processLabel}: ${step}: RSS ${(m.rssBytes / 1e6).toFixed(1)} MB`);
}

function profileDir(ctx: Context, label: string): string | undefined {
  if (!ctx.cpuProf) return undefined;
  const dir = path.join(OUT_DIR, 'profiles', `runtime-${label.replace(/\//g, '-')}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Hot spots of the process's profile within each of its runs. */
function collectProfiles(ctx: Context, label: string, dir: string | undefined, runIds: string[]): void {
  if (!dir) return;
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const file = path.join(dir, name);
    for (const run of runIds) {
      const window = ctx.windows.get(run);
      if (!window) continue;
      const h = profileHotspots(file, REPO_ROOT, window);
      ctx.profiles.push({
        process: label,
        run,
        file: path.relative(REPO_ROOT, file),
        sampledMs: h.sampledMs,
        functions: [...h.functions].sort((a, b) => b.selfMs - a.selfMs).slice(0, 40),
        files: h.files.slice(0, 30),
      });
      log('');
      log(formatHotspots(`${label} during ${run} (${path.relative(REPO_ROOT, file)})`, h));
    }
  }
}

async function measureKcat(ctx: Context, admin: Admin, bootstrap: string, processLabel: string, sizes: number[]): Promise<Map<number, number>> {
  const linesPerSec = new Map<number, number>();
  if (!ctx.kcat) return linesPerSec;
  for (const size of sizes) {
    const file = ctx.files.get(size)!;
    const topic = `kcat-${size}`;
    await createTopics(admin, [{ topic, numPartitions: 1 }]);
    const start = performance.now();
    await kcatProduce(bootstrap, topic, file.path);
    const seconds = (performance.now() - start) / 1000;
    const end = await endOffset(admin, topic);
    if (end !== file.lines) throw new Error(`kcat: ${topic} ends at offset ${end}, expected ${file.lines}`);
    const result: KcatResult = {
      process: processLabel, lineBytes: size, lines: file.lines, seconds,
      linesPerSec: file.lines / seconds, mbPerSec: fs.statSync(file.path).size / 1e6 / seconds,
    };
    ctx.kcatResults.push(result);
    linesPerSec.set(size, result.linesPerSec);
    log(`kcat -> ${processLabel}'s broker, ${sizeLabel(size)} lines: ${Math.round(result.linesPerSec)} lines/s`);
  }
  return linesPerSec;
}

async function measurePipelines(
  ctx: Context, layout: Layout, converter: ConverterId, sizes: number[], rest: string, admin: Admin,
  pids: Record<string, number>, kcat: Map<number, number>,
): Promise<void> {
  const settings = layout === 'start' ? SPLIT_LAYOUTS.split : SPLIT_LAYOUTS[layout];
  for (const size of sizes) {
    const id = runId(layout, converter, size);
    const file = ctx.files.get(size)!;
    const topic = `lines-${converter}-${size}`;
    await createTopics(admin, [{ topic, numPartitions: 1 }]);
    const output = path.join(ctx.work, `out-${id}.txt`);
    const loadAverage = os.loadavg()[0]!;
    log(`${id}: ${file.lines} lines ...`);
    const startUs = monotonicUs();
    const o = await runPipeline({
      rest, admin, name: id, topic, input: file.path, lines: file.lines, output, batchSize: ctx.batchSize, pids,
      sourceSettings: settings.source, sinkSettings: settings.sink,
    });
    ctx.windows.set(id, { startUs, endUs: startUs + o.seconds * 1e6 });
    const fileBytes = fs.statSync(file.path).size;
    const linesPerSec = file.lines / o.seconds;
    const kcatRate = kcat.get(size) ?? null;
    const result: PipelineResult = {
      id, layout, converter, lineBytes: size, lines: file.lines, fileBytes, seconds: o.seconds, linesPerSec,
      mbPerSec: fileBytes / 1e6 / o.seconds, firstLineSeconds: o.firstLineSeconds, sourceSeconds: o.sourceSeconds,
      sourceLinesPerSec: file.lines / o.sourceSeconds, kcatLinesPerSec: kcatRate,
      ratioToKcat: kcatRate === null ? null : linesPerSec / kcatRate, cpuPercent: o.cpuPercent,
      cpuMicrosPerLine: Object.fromEntries(Object.entries(o.cpuPercent).map(([k, v]) => [k, ((v / 100) * o.seconds * 1e6) / file.lines])),
      peakRssBytes: o.peakRssBytes,
      identical: true, loadAverage,
    };
    ctx.pipelines.push(result);
    if (!ctx.keepData) fs.rmSync(output, { force: true });
    log(`${id}: ${o.seconds.toFixed(2)} s, ${Math.round(linesPerSec)} lines/s, ${result.mbPerSec.toFixed(1)} MB/s`
      + `${result.ratioToKcat === null ? '' : ` (${(result.ratioToKcat * 100).toFixed(1)}% of kcat)`}, output identical`);
  }
}

interface Stoppable {
  output(): string;
  stop(graceMs?: number): Promise<number | null>;
}

/** Runs `body`, then stops the process; a failure carries the end of the process's output. */
async function withProcess<T>(proc: Stoppable, label: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    const tail = proc.output().split('\n').slice(-30).join('\n');
    throw new Error(`${(err as Error).message}\n--- last output of ${label} ---\n${tail}`, { cause: err });
  } finally {
    const code = await proc.stop();
    if (code !== 0) log(`WARNING: ${label} exited with ${code}`);
  }
}

async function benchStart(ctx: Context, converter: ConverterId, sizes: number[]): Promise<void> {
  const label = `start/${converter}`;
  const dataDir = path.join(ctx.work, `data-start-${converter}`);
  const prof = profileDir(ctx, label);
  const registryPort = await freePort();
  const proc = await startFerryProcess({
    cli: ctx.cli,
    args: [
      'start', '--data-dir', dataDir, '--broker-port', '0', '--rest-port', '0', '--registry-port', String(registryPort),
      ...converterSetArgs(converter, `http://127.0.0.1:${registryPort}`),
      ...Object.entries(ctx.workerSettings).flatMap(([k, v]) => ['--set', `${k}=${v}`]),
    ],
    ready: startReady,
    cpuProfDir: prof,
  });
  log(`${label}: ferry start pid ${proc.pid}, broker ${proc.bootstrap}, REST ${proc.rest}`);
  await withProcess(proc, label, async () => {
    await settle(IDLE_SETTLE_MS);
    remember(ctx, label, 'idle after start, no connectors', proc.pid);
    const admin = kafkaClient(proc.bootstrap!).admin();
    await admin.connect();
    try {
      const kcat = await measureKcat(ctx, admin, proc.bootstrap!, label, sizes);
      await measurePipelines(ctx, 'start', converter, sizes, proc.rest, admin, { ferry: proc.pid }, kcat);
    } finally {
      await admin.disconnect();
    }
    await settle(IDLE_SETTLE_MS);
    remember(ctx, label, 'after the runs, connectors deleted', proc.pid);
  });
  collectProfiles(ctx, label, prof, sizes.map((s) => runId('start', converter, s)));
  if (!ctx.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
}

async function benchSplit(
  ctx: Context, layout: 'split' | SplitVariant, converters: ConverterId[], sizesOf: (c: ConverterId) => number[],
): Promise<void> {
  const dataDir = path.join(ctx.work, `data-${layout}-broker`);
  const brokerLabel = `${layout}/broker`;
  const brokerProf = profileDir(ctx, brokerLabel);
  const broker = await startBrokerProcess({ dataDir, cli: ctx.cli, cpuProfDir: brokerProf });
  log(`${layout}: ferry broker pid ${broker.pid} on ${broker.bootstrap}`);
  const workerProfs: [ConverterId, string, string | undefined][] = [];
  await withProcess(broker, 'ferry broker', async () => {
    await settle(IDLE_SETTLE_MS);
    remember(ctx, brokerLabel, 'idle after start', broker.pid);
    const admin = kafkaClient(broker.bootstrap).admin();
    await admin.connect();
    try {
      const allSizes = LINE_SIZES.filter((s) => converters.some((c) => sizesOf(c).includes(s)));
      const kcat = await measureKcat(ctx, admin, broker.bootstrap, brokerLabel, allSizes);
      for (const converter of converters) {
        const label = `${layout}/worker-${converter}`;
        const props = path.join(ctx.work, `worker-${layout}-${converter}.properties`);
        writeWorkerProperties(props, broker.bootstrap, `bench-${converter}`, converter, { ...SPLIT_LAYOUTS[layout].worker, ...ctx.workerSettings });
        const prof = profileDir(ctx, label);
        workerProfs.push([converter, label, prof]);
        const worker = await startFerryProcess({ cli: ctx.cli, args: ['worker', props], ready: workerReady, cpuProfDir: prof });
        log(`${label}: ferry worker pid ${worker.pid}, REST ${worker.rest}`);
        await withProcess(worker, label, async () => {
          await settle(IDLE_SETTLE_MS);
          remember(ctx, label, 'idle after start, no connectors', worker.pid);
          await measurePipelines(ctx, layout, converter, sizesOf(converter), worker.rest, admin,
            { broker: broker.pid, worker: worker.pid }, kcat);
          await settle(IDLE_SETTLE_MS);
          remember(ctx, label, 'after the runs, connectors deleted', worker.pid);
        });
      }
    } finally {
      await admin.disconnect();
    }
    remember(ctx, brokerLabel, 'after the runs', broker.pid);
  });
  const runsOf = (c: ConverterId) => sizesOf(c).map((s) => runId(layout, c, s));
  collectProfiles(ctx, brokerLabel, brokerProf, converters.flatMap(runsOf));
  for (const [converter, label, prof] of workerProfs) collectProfiles(ctx, label, prof, runsOf(converter));
  if (!ctx.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
}

function parseSettings(settings: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const setting of settings) {
    const eq = setting.indexOf('=');
    if (eq <= 0) throw new Error(`--set expects name=value, got '${setting}'`);
    out[setting.slice(0, eq)] = setting.slice(eq + 1);
  }
  return out;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '1' },
      only: { type: 'string' },
      'batch-size': { type: 'string', default: '10000' },
      set: { type: 'string', multiple: true },
      'cpu-prof': { type: 'boolean', default: false },
      'keep-data': { type: 'boolean', default: false },
      cli: { type: 'string' },
      out: { type: 'string', default: path.join(OUT_DIR, 'runtime.json') },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const scale = Number(values.scale);
  if (!(scale > 0)) throw new Error(`--scale must be a positive number, got '${values.scale}'`);
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`--batch-size must be a positive integer, got '${values['batch-size']}'`);
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  const all = LAYOUTS.flatMap((l) => converterRuns(l).flatMap((c) => LINE_SIZES.map((s) => runId(l, c, s))));
  const selected = new Set(only ? all.filter((id) => only.some((p) => id.startsWith(p))) : all);
  if (selected.size === 0) throw new Error(`--only ${values.only} matches none of: ${all.join(', ')}`);
  const kcatVersionText = kcatVersion();
  if (!kcatVersionText) log('WARNING: kcat is not installed (apt-get install kcat): no baseline, ratios are left out');

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-runtime-'));
  const ctx: Context = {
    cli: values.cli ? path.resolve(values.cli) : FERRY_CLI,
    work,
    files: new Map(),
    batchSize,
    keepData: values['keep-data'],
    cpuProf: values['cpu-prof'],
    workerSettings: parseSettings(values.set ?? []),
    kcat: kcatVersionText !== null,
    kcatResults: [],
    pipelines: [],
    memory: [],
    profiles: [],
    windows: new Map(),
  };
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = os.loadavg();
  try {
    for (const size of LINE_SIZES) {
      if (![...selected].some((id) => id.endsWith(`-${size}`))) continue;
      const lines = Math.max(1, Math.round(LINES[size]! * scale));
      const file = path.join(work, `lines-${size}.txt`);
      writeRecordFile(file, size, lines);
      ctx.files.set(size, { path: file, lines });
    }
    const sizesOf = (layout: Layout, c: ConverterId) => LINE_SIZES.filter((s) => selected.has(runId(layout, c, s)));
    for (const converter of CONVERTERS) {
      const sizes = sizesOf('start', converter);
      if (sizes.length > 0) await benchStart(ctx, converter, sizes);
    }
    for (const layout of ['split', 'eos-poll', 'eos-interval'] as const) {
      const splitConverters = CONVERTERS.filter((c) => sizesOf(layout, c).length > 0);
      if (splitConverters.length > 0) await benchSplit(ctx, layout, splitConverters, (c) => sizesOf(layout, c));
    }

    const headline = ctx.pipelines.find((p) => p.id === 'start-json-100');
    const idle = (processLabel: string) => ctx.memory.find((m) => m.process === processLabel && m.step.startsWith('idle'))?.rssBytes ?? null;
    const workerIdle = idle('split/worker-json');
    const startIdle = idle('start/json');
    const report: RuntimeReport = {
      startedAt,
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryBytes: os.totalmem(),
        node: process.version,
        kcat: kcatVersionText,
        loadAverageAtStart,
      },
      setup: {
        scale,
        linesPer100B: ctx.files.get(100)?.lines ?? 0,
        linesPer1KiB: ctx.files.get(1024)?.lines ?? 0,
        sourceBatchSize: batchSize,
        topicPartitions: 1,
        tasksMax: 1,
        cli: path.relative(REPO_ROOT, ctx.cli) || ctx.cli,
        startLayout: 'ferry start: broker + worker + REST in one process, fresh data dir per converter',
        splitLayout: 'ferry broker + ferry worker (properties file) as two processes, one worker per converter',
        eosLayouts: 'as split, worker exactly.once.source.support=enabled; eos-poll: transaction.boundary=poll, eos-interval: '
          + 'transaction.boundary=interval with transaction.boundary.interval.ms=1000; the sink reads read_committed',
        kcatBaseline: 'kcat -P -l of the same file to a 1-partition topic of the same broker, acks=all',
        cpuProfile: ctx.cpuProf,
        workerSettings: Object.entries(ctx.workerSettings).map(([k, v]) => `${k}=${v}`).join(' ') || 'none',
      },
      kcat: ctx.kcatResults,
      pipelines: ctx.pipelines,
      memory: ctx.memory,
      targets: {
        throughput: {
          description: 'ferry start (JsonConverter) end to end, 100 B lines',
          goal: TARGET_LINES_PER_SEC,
          measured: headline?.linesPerSec ?? null,
          met: headline ? headline.linesPerSec >= TARGET_LINES_PER_SEC : null,
        },
        workerIdleMemory: {
          description: 'ferry worker alone (JsonConverter) idle RSS',
          goal: TARGET_IDLE_RSS_BYTES,
          measured: workerIdle,
          met: workerIdle === null ? null : workerIdle < TARGET_IDLE_RSS_BYTES,
        },
        startIdleMemory: {
          description: 'ferry start (broker + worker, JsonConverter) idle RSS',
          goal: TARGET_IDLE_RSS_BYTES,
          measured: startIdle,
          met: startIdle === null ? null : startIdle < TARGET_IDLE_RSS_BYTES,
        },
      },
      profiles: ctx.profiles,
    };
    log('');
    log(formatReport(report));
    writeJson(values.out, report);
    log(`\nresults: ${path.relative(process.cwd(), values.out)}`);
    return 0;
  } finally {
    if (ctx.keepData) log(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`bench:runtime: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
