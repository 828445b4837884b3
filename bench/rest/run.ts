/**
 * The REST benchmark (`npm run bench:rest`): requests/s and latency percentiles of
 * GET /connectors/{name}/status against `ferry start` with 200 connectors, from closed-loop
 * load generators at fixed concurrencies, next to the same load against a bare node:http
 * server answering a fixed body of the same size (the cost of HTTP itself on this machine)
 * in the same run. Load generators: node:http, a minimal raw-socket client that leaves the
 * server more CPU, and wrk when it is on the PATH. Prints tables and writes
 * bench/out/rest.json. Options: see USAGE.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FERRY_CLI, OUT_DIR, REPO_ROOT } from '../broker/paths.js';
import { readMemory } from '../broker/proc-stats.js';
import { startBareServer, type BareServer } from './bare-server-process.js';
import {
  connectorNames, createConnectors, INITIAL_STATES, statusBody, statusPath, waitForStatuses, type InitialState,
} from './connectors-setup.js';
import { launchFerry, type FerryServer } from './ferry-launch.js';
import { nodeHttpPool, rawHttpPool } from './http-connection.js';
import { runLoad } from './load-generator.js';
import { sampleProcess, type ProcessLoad } from './process-sampler.js';
import { formatReport, writeJson, type FerryPhase, type LatencyFigures, type LoadClient, type LoadRun, type RestReport } from './results.js';
import { runWrk, wrkVersion } from './wrk-run.js';
import { phaseLine } from '../phase-progress.js';

const USAGE = `Usage: npm run bench:rest -- [options]

  --connectors N    connectors to create (default 200)
  --state S         their initial_state: PAUSED (default; connector and task have a status
                    but use no CPU), STOPPED (connector only, no task) or RUNNING (each
                    source reads its own one-line file, then idles)
  --concurrency A,B requests in flight, one keep-alive connection each (default 16,64)
  --duration S      measured seconds per run (default 10)
  --warmup S        unmeasured seconds before each node:http and raw run (default 2)
  --log-levels A,B  one ferry process per level (ferry start --log-level), in this order,
                    the later ones restarted on the first one's data dir (default info,warn:
                    info is ferry's default and logs two lines per request)
  --clients A,B     load generators (default node:http,raw): node:http is a keep-alive
                    http.Agent; raw is a minimal HTTP/1.1 client on net.Socket that needs
                    far less CPU per request, so the server gets more of a small machine
  --no-wrk          skip the wrk runs even when wrk is on the PATH
  --cli PATH        the ferry CLI to run (default dist/cli/ferry.js of this build)
  --keep-data       keep the temp dir (data dir, ferry logs, connector files)
  --out FILE        JSON results file (default bench/out/rest.json)
`;

const NODE_CLIENTS: LoadClient[] = ['node:http', 'raw'];
const IDLE_SETTLE_MS = 3000;
const BETWEEN_RUNS_MS = 1000;
const STATUS_TIMEOUT_MS = 120_000;

interface Context {
  cli: string;
  work: string;
  names: string[];
  paths: string[];
  state: InitialState;
  concurrency: number[];
  durationMs: number;
  warmupMs: number;
  clients: LoadClient[];
  runs: LoadRun[];
  phases: FerryPhase[];
}

function log(line: string): void {
  phaseLine(line);
}

function settle(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface Measured {
  requests: number;
  errors: number;
  seconds: number;
  requestsPerSec: number;
  latencyMs: LatencyFigures;
  bodyBytes: number | null;
  clientCpuPercent: number | null;
  server: ProcessLoad;
}

async function measure(ctx: Context, client: LoadClient, url: string, pid: number, concurrency: number): Promise<Measured> {
  if (client === 'wrk') {
    const sampler = sampleProcess(pid);
    const w = await runWrk({ url, paths: ctx.paths, concurrency, durationS: ctx.durationMs / 1000, scriptDir: ctx.work });
    return { ...w, bodyBytes: null, clientCpuPercent: null, server: sampler.stop() };
  }
  let sampler: ReturnType<typeof sampleProcess> | undefined;
  let server: ProcessLoad | undefined;
  const pool = client === 'raw' ? rawHttpPool(url) : nodeHttpPool(url, concurrency);
  const r = await runLoad({
    pool, paths: ctx.paths, concurrency, warmupMs: ctx.warmupMs, durationMs: ctx.durationMs,
    onWindowStart: () => { sampler = sampleProcess(pid); },
    onWindowEnd: () => { server = sampler!.stop(); },
  });
  return { ...r, server: server! };
}

function baselineOf(ctx: Context, client: LoadClient, concurrency: number): LoadRun | undefined {
  return ctx.runs.find((r) => r.baseline && r.client === client && r.concurrency === concurrency);
}

async function loadRun(
  ctx: Context, id: string, serverLabel: string, baseline: boolean, client: LoadClient, url: string, pid: number, concurrency: number,
): Promise<void> {
  await settle(BETWEEN_RUNS_MS);
  const loadAverage = os.loadavg()[0]!;
  log(`${id}: ${client}, ${concurrency} connections, ${ctx.durationMs / 1000} s ...`);
  const m = await measure(ctx, client, url, pid, concurrency);
  const cpuMicrosPerRequest = (m.server.cpuSeconds * 1e6) / m.requests;
  const base = baseline ? undefined : baselineOf(ctx, client, concurrency);
  const run: LoadRun = {
    id, server: serverLabel, baseline, client, concurrency, requests: m.requests, errors: m.errors, seconds: m.seconds,
    requestsPerSec: m.requestsPerSec, latencyMs: m.latencyMs, bodyBytes: m.bodyBytes,
    serverCpuPercent: m.server.cpuPercent, serverCpuMicrosPerRequest: cpuMicrosPerRequest,
    serverRssBytes: m.server.rssBytes, serverPeakRssBytes: m.server.peakRssBytes,
    clientCpuPercent: m.clientCpuPercent, loadAverage,
    vsBaseline: base ? {
      requestsPerSec: m.requestsPerSec / base.requestsPerSec,
      p99: m.latencyMs.p99 / base.latencyMs.p99,
      cpuMicrosPerRequest: cpuMicrosPerRequest / base.serverCpuMicrosPerRequest,
    } : null,
  };
  ctx.runs.push(run);
  if (m.errors > 0) log(`WARNING: ${id}: ${m.errors} failed requests`);
  log(`${id}: ${Math.round(m.requestsPerSec)} req/s, p50 ${m.latencyMs.p50.toFixed(2)} ms, p99 ${m.latencyMs.p99.toFixed(2)} ms, `
    + `max ${m.latencyMs.max.toFixed(1)} ms, server CPU ${m.server.cpuPercent.toFixed(0)}%`
    + (m.clientCpuPercent === null ? '' : `, client CPU ${m.clientCpuPercent.toFixed(0)}%`)
    + (run.vsBaseline ? `, ${(run.vsBaseline.requestsPerSec * 100).toFixed(1)}% of bare` : ''));
}

/** Runs `body` against a started ferry, then stops it; a failure carries the end of its log. */
async function withFerry<T>(ferry: FerryServer, label: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- last lines of ${label}'s log ---\n${ferry.logTail()}`, { cause: err });
  } finally {
    const code = await ferry.stop();
    if (code !== 0) log(`WARNING: ${label} exited with ${code}`);
  }
}

async function ferryPhase(
  ctx: Context, level: string, first: boolean, dataDir: string, bare: { server?: BareServer },
): Promise<void> {
  const label = level === 'info' ? 'ferry (log info)' : `ferry (log ${level})`;
  const args = ['--log-level', level];
  const t0 = performance.now();
  const ferry = await launchFerry({ cli: ctx.cli, dataDir, logFile: path.join(ctx.work, `ferry-${level}.log`), args });
  const startSeconds = (performance.now() - t0) / 1000;
  log(`${label}: ferry start pid ${ferry.pid}, REST ${ferry.rest}, ready in ${startSeconds.toFixed(2)} s`);
  await withFerry(ferry, label, async () => {
    const t1 = performance.now();
    let createSeconds: number | null = null;
    if (first) {
      await createConnectors(ferry.rest, ctx.names, ctx.state, path.join(ctx.work, 'files'));
      createSeconds = (performance.now() - t1) / 1000;
      log(`${label}: created ${ctx.names.length} connectors (${ctx.state}) in ${createSeconds.toFixed(2)} s`);
    }
    await waitForStatuses(ferry.rest, ctx.names, ctx.state, STATUS_TIMEOUT_MS);
    const statusesSeconds = (performance.now() - t1) / 1000;
    log(`${label}: all ${ctx.names.length} connectors ${ctx.state} after ${statusesSeconds.toFixed(2)} s`);
    const idleSampler = sampleProcess(ferry.pid);
    await settle(IDLE_SETTLE_MS);
    const idle = idleSampler.stop();
    log(`${label}: idle with ${ctx.names.length} connectors: CPU ${idle.cpuPercent.toFixed(1)}%, RSS ${(idle.rssBytes / 1e6).toFixed(1)} MB`);
    if (!bare.server) {
      const body = await statusBody(ferry.rest, ctx.names[0]!);
      bare.server = await startBareServer(body);
      log(`baseline: bare node:http server pid ${bare.server.pid} on ${bare.server.url}, ${body.length}-byte body`);
    }
    for (const client of ctx.clients) {
      for (const c of ctx.concurrency) {
        const prefix = client === 'node:http' ? '' : `${client}-`;
        if (!baselineOf(ctx, client, c)) await loadRun(ctx, `${prefix}bare-c${c}`, 'bare node:http', true, client, bare.server.url, bare.server.pid, c);
        await loadRun(ctx, `${prefix}ferry-${level}-c${c}`, label, false, client, ferry.rest, ferry.pid, c);
      }
    }
    const after = readMemory(ferry.pid);
    ctx.phases.push({
      label, args, startSeconds, createSeconds, statusesSeconds, idleCpuPercent: idle.cpuPercent, idleRssBytes: idle.rssBytes,
      rssAfterLoadBytes: after.rssBytes, peakRssBytes: after.peakRssBytes,
    });
  });
}

function positiveList(text: string, option: string): number[] {
  const values = text.split(',').map((s) => Number(s.trim()));
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1)) throw new Error(`${option} expects positive integers, got '${text}'`);
  return values;
}

function positive(text: string, option: string): number {
  const v = Number(text);
  if (!(v > 0)) throw new Error(`${option} expects a positive number, got '${text}'`);
  return v;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      connectors: { type: 'string', default: '200' },
      state: { type: 'string', default: 'PAUSED' },
      concurrency: { type: 'string', default: '16,64' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      'log-levels': { type: 'string', default: 'info,warn' },
      clients: { type: 'string', default: 'node:http,raw' },
      'no-wrk': { type: 'boolean', default: false },
      cli: { type: 'string' },
      'keep-data': { type: 'boolean', default: false },
      out: { type: 'string', default: path.join(OUT_DIR, 'rest.json') },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const count = positiveList(values.connectors, '--connectors')[0]!;
  const state = values.state.toUpperCase() as InitialState;
  if (!INITIAL_STATES.includes(state)) throw new Error(`--state must be one of ${INITIAL_STATES.join(', ')}, got '${values.state}'`);
  const levels = values['log-levels'].split(',').map((s) => s.trim()).filter(Boolean);
  if (levels.length === 0) throw new Error('--log-levels needs at least one level');
  const clients = values.clients.split(',').map((s) => s.trim()).filter(Boolean) as LoadClient[];
  const unknown = clients.filter((c) => !NODE_CLIENTS.includes(c));
  if (clients.length === 0 || unknown.length > 0) throw new Error(`--clients takes ${NODE_CLIENTS.join(', ')}, got '${values.clients}'`);
  const wrk = values['no-wrk'] ? null : wrkVersion();
  if (wrk) clients.push('wrk');
  if (!values['no-wrk'] && !wrk) log('note: wrk is not on the PATH: no wrk runs');

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-rest-'));
  const names = connectorNames(count);
  const ctx: Context = {
    cli: values.cli ? path.resolve(values.cli) : FERRY_CLI,
    work,
    names,
    paths: names.map(statusPath),
    state,
    concurrency: positiveList(values.concurrency, '--concurrency'),
    durationMs: positive(values.duration, '--duration') * 1000,
    warmupMs: Number(values.warmup) * 1000,
    clients,
    runs: [],
    phases: [],
  };
  if (!(ctx.warmupMs >= 0)) throw new Error(`--warmup expects a number of seconds, got '${values.warmup}'`);
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = os.loadavg()[0]!;
  const bare: { server?: BareServer } = {};
  try {
    const dataDir = path.join(work, 'data');
    for (const [i, level] of levels.entries()) await ferryPhase(ctx, level, i === 0, dataDir, bare);
    const report: RestReport = {
      startedAt,
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryBytes: os.totalmem(),
        node: process.version,
        wrk,
        loadAverage: { start: loadAverageAtStart, end: os.loadavg()[0]! },
      },
      setup: {
        connectors: count,
        connectorClass: 'FileStreamSource',
        initialState: state,
        concurrency: ctx.concurrency.join('/'),
        durationSeconds: ctx.durationMs / 1000,
        warmupSeconds: ctx.warmupMs / 1000,
        ferry: 'ferry start, fresh data dir, log to a file',
        logLevels: levels.join('/'),
        baseline: 'bare node:http server (own process) answering a fixed status body',
        loadGenerators: `${clients.join('/')}, closed loop, one keep-alive connection per request in flight`,
        cli: path.relative(REPO_ROOT, ctx.cli) || ctx.cli,
      },
      phases: ctx.phases,
      runs: ctx.runs,
    };
    log('');
    log(formatReport(report));
    writeJson(values.out, report);
    log(`\nresults: ${path.relative(process.cwd(), values.out)}`);
    return 0;
  } finally {
    await bare.server?.stop();
    if (values['keep-data']) log(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`bench:rest: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
