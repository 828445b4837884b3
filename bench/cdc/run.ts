/**
 * The CDC benchmark (`npm run bench:cdc`): the MySQL/MariaDB source connector in `ferry start`
 * (a child process of the build, connectors created over REST) against a private MariaDB.
 * Snapshot: rows/s of a 1M-row narrow table, with a mysql2 streaming SELECT into nothing as
 * the same-run baseline. Streaming: events/s draining a pre-written binlog range of
 * inserts and updates, with mariadb-binlog --read-from-remote-server of that range as the
 * baseline. Each with the default JsonConverter and with value schemas disabled, ferry's
 * memory per run, and optionally its CPU profile. Prints tables, writes bench/out/cdc.json.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { mariaDbInstalled } from '../../test/helpers/mariadb-server.js';
import { kafkaClient } from '../broker/kafkajs-runs.js';
import { FERRY_CLI, OUT_DIR, REPO_ROOT } from '../broker/paths.js';
import { readMemory } from '../broker/proc-stats.js';
import { memoryStep } from '../broker/results.js';
import { startFerryProcess, startReady, type FerryProcess } from '../runtime/ferry-process.js';
import { formatHotspots, profileHotspots } from '../runtime/profile-hotspots.js';
import { databasePid, startBenchDatabase, DATABASE, SNAPSHOT_TABLE } from './bench-database.js';
import { log, settle, type BenchContext } from './bench-context.js';
import { binlogReader } from './binlog-baseline.js';
import { CONVERTER_VARIANTS, type ConverterVariant } from './connector-configs.js';
import { formatReport, writeJson, type CdcReport, type MemoryStep, type ProfileReport } from './results.js';
import { snapshotPhase, type SnapshotPhaseResult } from './snapshot-phase.js';
import { streamingPhase, type StreamingPhaseResult } from './streaming-phase.js';

const USAGE = `Usage: npm run bench:cdc -- [options]

  --scale F          multiply the row and change counts by F (default 1: ${1_000_000} snapshot rows,
                     ${500_000} streaming changes; 0.1 for a quick look)
  --only A,B         run only the phases or runs whose id starts with one of these: snapshot,
                     streaming, snapshot-json, streaming-json-noschema, ...
  --converters A,B   converter variants: json (default JsonConverter, schemas.enable=true) and
                     json-noschema (value.converter.schemas.enable=false); default both
  --rows-per-txn N   rows per transaction of the streaming load (default 100)
  --set K=V          a worker property for ferry start (repeatable), e.g. --set session.timeout.ms=10000
  --cpu-prof         run ferry under node --cpu-prof (profile in bench/out/profiles/cdc/) and
                     print its hot spots during each run
  --cli PATH         the ferry CLI to run (default dist/cli/ferry.js of this build)
  --keep-data        keep the temp dir (ferry's data dir, the MariaDB datadir is removed anyway)
  --out FILE         JSON results file (default bench/out/cdc.json)
`;

const SNAPSHOT_ROWS = 1_000_000;
const STREAMING_CHANGES = 500_000;
const TARGET_SNAPSHOT_ROWS_PER_SEC = 100_000;
const TARGET_STREAMING_EVENTS_PER_SEC = 50_000;
const PHASES = ['snapshot', 'streaming'] as const;

function mariaDbVersion(): string {
  try {
    return execFileSync('/usr/sbin/mariadbd', ['--version'], { encoding: 'utf8' }).trim().replace(/^\S*mariadbd\s+/, '');
  } catch {
    return 'mariadbd version unknown';
  }
}

function profileRuns(dir: string, runs: Map<string, { startUs: number; endUs: number }>): ProfileReport[] {
  const out: ProfileReport[] = [];
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const file = path.join(dir, name);
    for (const [run, window] of runs) {
      const h = profileHotspots(file, REPO_ROOT, window);
      out.push({
        process: 'ferry', run, file: path.relative(REPO_ROOT, file), sampledMs: h.sampledMs,
        functions: [...h.functions].sort((a, b) => b.selfMs - a.selfMs).slice(0, 40), files: h.files.slice(0, 30),
      });
      log('');
      log(formatHotspots(`ferry during ${run} (${path.relative(REPO_ROOT, file)})`, h));
    }
  }
  return out;
}

function remember(memory: MemoryStep[], ferry: FerryProcess, step: string): void {
  const m = readMemory(ferry.pid);
  memory.push(memoryStep(step, m));
  log(`ferry: ${step}: RSS ${(m.rssBytes / 1e6).toFixed(1)} MB, peak ${(m.peakRssBytes / 1e6).toFixed(1)} MB`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '1' },
      only: { type: 'string' },
      converters: { type: 'string', default: CONVERTER_VARIANTS.join(',') },
      'rows-per-txn': { type: 'string', default: '100' },
      set: { type: 'string', multiple: true },
      'cpu-prof': { type: 'boolean', default: false },
      'keep-data': { type: 'boolean', default: false },
      cli: { type: 'string' },
      out: { type: 'string', default: path.join(OUT_DIR, 'cdc.json') },
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
  const rowsPerTxn = Number(values['rows-per-txn']);
  if (!Number.isInteger(rowsPerTxn) || rowsPerTxn < 1) throw new Error(`--rows-per-txn must be a positive integer, got '${values['rows-per-txn']}'`);
  const variants = values.converters.split(',').map((s) => s.trim()).filter(Boolean) as ConverterVariant[];
  const unknown = variants.filter((v) => !CONVERTER_VARIANTS.includes(v));
  if (unknown.length > 0 || variants.length === 0) throw new Error(`--converters takes ${CONVERTER_VARIANTS.join(', ')}; got '${values.converters}'`);
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  const runIds = PHASES.flatMap((p) => variants.map((v) => `${p}-${v}`));
  const selected = runIds.filter((id) => !only || only.some((p) => id.startsWith(p)));
  if (selected.length === 0) throw new Error(`--only ${values.only} matches none of: ${runIds.join(', ')}`);
  const variantsOf = (phase: string) => variants.filter((v) => selected.includes(`${phase}-${v}`));
  if (!mariaDbInstalled()) throw new Error('MariaDB is not installed: apt-get install mariadb-server (npm test installs it as root)');
  const reader = binlogReader();
  if (!reader) log('WARNING: neither mariadb-binlog nor mysqlbinlog is installed: no streaming baseline');

  const workerSettings = values.set ?? [];
  const bad = workerSettings.find((kv) => kv.indexOf('=') <= 0);
  if (bad !== undefined) throw new Error(`--set expects name=value, got '${bad}'`);
  const snapshotRows = Math.max(1, Math.round(SNAPSHOT_ROWS * scale));
  const streamingChanges = Math.max(2 * rowsPerTxn, Math.round(STREAMING_CHANGES * scale));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-cdc-'));
  const profDir = values['cpu-prof'] ? path.join(OUT_DIR, 'profiles', 'cdc') : undefined;
  if (profDir) {
    fs.rmSync(profDir, { recursive: true, force: true });
    fs.mkdirSync(profDir, { recursive: true });
  }
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = os.loadavg();
  const memory: MemoryStep[] = [];
  let snapshot: SnapshotPhaseResult | null = null;
  let streaming: StreamingPhaseResult | null = null;
  const windows = new Map<string, { startUs: number; endUs: number }>();

  const db = await startBenchDatabase();
  try {
    log(`MariaDB on 127.0.0.1:${db.port} (${db.dataDir})`);
    const ferry = await startFerryProcess({
      cli: values.cli ? path.resolve(values.cli) : FERRY_CLI,
      args: [
        'start', '--data-dir', path.join(work, 'ferry-data'), '--broker-port', '0', '--rest-port', '0',
        ...workerSettings.flatMap((kv) => ['--set', kv]),
      ],
      ready: startReady,
      cpuProfDir: profDir,
    });
    log(`ferry start pid ${ferry.pid}, broker ${ferry.bootstrap}, REST ${ferry.rest}`);
    try {
      await settle();
      remember(memory, ferry, 'idle after start, no connectors');
      const admin = kafkaClient(ferry.bootstrap!).admin();
      await admin.connect();
      const ctx: BenchContext = { db, dbPid: databasePid(db), ferry, admin, variants, windows };
      try {
        if (variantsOf('snapshot').length > 0) {
          snapshot = await snapshotPhase({ ...ctx, variants: variantsOf('snapshot') }, snapshotRows);
          remember(memory, ferry, 'after the snapshot runs, connectors deleted');
        }
        if (variantsOf('streaming').length > 0) {
          streaming = await streamingPhase({ ...ctx, variants: variantsOf('streaming') }, streamingChanges, rowsPerTxn, reader?.path ?? null);
          remember(memory, ferry, 'after the streaming runs, connectors stopped');
        }
      } finally {
        await admin.disconnect();
      }
    } catch (err) {
      const tail = ferry.output().split('\n').slice(-30).join('\n');
      throw new Error(`${(err as Error).message}\n--- last output of ferry ---\n${tail}`, { cause: err });
    } finally {
      const code = await ferry.stop();
      if (code !== 0) log(`WARNING: ferry exited with ${code}`);
    }
  } finally {
    await db.stop();
    if (values['keep-data']) log(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }

  const profiles = profDir ? profileRuns(profDir, windows) : [];
  const headlineSnapshot = snapshot?.runs.find((r) => r.variant === 'json') ?? null;
  const headlineStreaming = streaming?.runs.find((r) => r.variant === 'json') ?? null;
  const report: CdcReport = {
    startedAt,
    machine: {
      cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryBytes: os.totalmem(), node: process.version,
      mariadb: mariaDbVersion(), binlogReader: reader?.version ?? null, loadAverageAtStart,
    },
    setup: {
      scale,
      snapshotRows: snapshot ? snapshotRows : 0,
      streamingChanges: streaming ? streaming.load.changes : 0,
      rowsPerTransaction: rowsPerTxn,
      table: `${DATABASE}.${SNAPSHOT_TABLE} (id INT PK, a INT, b VARCHAR(32), c DATETIME)`,
      connector: 'io.debezium.connector.mariadb.MariaDbConnector, tasks.max=1, Debezium defaults (max.batch.size 2048, max.queue.size 8192)',
      worker: `ferry start (bundled broker, 1-partition topics), ${workerSettings.length > 0 ? workerSettings.join(' ') : 'worker defaults'}`,
      converters: variants.join(' '),
      cpuProfile: values['cpu-prof'],
    },
    selectBaseline: snapshot?.baseline ?? null,
    snapshots: snapshot?.runs ?? [],
    load: streaming?.load ?? null,
    binlogBaselines: streaming?.baselines ?? [],
    streaming: streaming?.runs ?? [],
    memory,
    targets: {
      snapshot: {
        description: 'snapshot (JsonConverter, schemas on)', goal: TARGET_SNAPSHOT_ROWS_PER_SEC,
        measured: headlineSnapshot?.rowsPerSec ?? null, baselineRatio: headlineSnapshot?.ratioToSelect ?? null,
      },
      streaming: {
        description: 'streaming (JsonConverter, schemas on)', goal: TARGET_STREAMING_EVENTS_PER_SEC,
        measured: headlineStreaming?.eventsPerSec ?? null, baselineRatio: headlineStreaming?.ratioToBinlog ?? null,
      },
    },
    profiles,
  };
  log('');
  log(formatReport(report));
  writeJson(values.out, report);
  log(`\nresults: ${path.relative(process.cwd(), values.out)}`);
  return 0;
}

main().then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`bench:cdc: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
