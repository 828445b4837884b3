/**
 * The broker benchmark (`npm run bench:broker`): produce and consume throughput with kcat
 * and with kafkajs (plus a near-zero-cost replay client: the broker's own ceiling) for
 * 100-byte and 1 KiB records against a broker running as its own process, each figure also
 * as a ratio to a raw loopback socket copy measured in the same run, plus the broker's
 * memory idle, with 100 partitions, after the throughput load and after the group run.
 * Prints a table and writes bench/out/broker.json. Options: see USAGE.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import type { Admin } from 'kafkajs';
import { startBrokerProcess, type BrokerProcess } from './broker-process.js';
import { measureAppendFloor, type AppendFloorResult } from './append-floor.js';
import { freshlyFreedPageCache } from './freed-page-cache.js';
import { measureLoopback, type LoopbackResult } from './loopback-baseline.js';
import { writeRecordFile } from './record-payloads.js';
import { cpuSeconds, readMemory } from './proc-stats.js';
import { KCAT_CONSUME_SETTINGS, KCAT_PRODUCE_SETTINGS, kcatConsume, kcatProduce, kcatVersion } from './kcat-runs.js';
import { createTopics, endOffset, fillPartitions, kafkaClient, kafkajsConsume, kafkajsProduce } from './kafkajs-runs.js';
import {
  atLeast, atMost, formatReport, memoryStep, sizeLabel, writeJson, type BenchReport, type GroupResult, type MemoryStep,
  type Target, type ThroughputResult,
} from './results.js';
import { groupRun } from './group-run.js';
import { formatProfile } from './profile-summary.js';
import { replayProduce } from './replay-client.js';
import { OUT_DIR, REPO_ROOT } from './paths.js';
import { phaseLine } from '../phase-progress.js';

const USAGE = `Usage: npm run bench:broker -- [options]

  --scale F        multiply every record count by F (default 1; 0.1 for a quick look)
  --only A,B       run only the runs whose id starts with one of these (ids are printed as
                   they run, e.g. kcat-produce-1024, 'memory' for the 100-partition
                   memory steps, 'groups' for the group-coordinator run); a consume run
                   brings its produce run
  --cpu-prof       run the broker under node --cpu-prof; profiles and a hot-spot summary go
                   to bench/out/profiles/
  --cli PATH       the ferry CLI whose broker to run (default dist/cli/ferry.js of this
                   build), e.g. another checkout's build, to compare two versions
  --keep-data      keep the temp dir (record files, broker data dir)
  --out FILE       JSON results file (default bench/out/broker.json)
`;

const RECORD_SIZES = [100, 1024] as const;
const KCAT_RECORDS: Record<number, number> = { 100: 5_000_000, 1024: 1_000_000 };
const REPLAY_RECORDS: Record<number, number> = { 100: 10_000_000, 1024: 1_000_000 };
const KAFKAJS_RECORDS: Record<number, number> = { 100: 500_000, 1024: 100_000 };
const KAFKAJS_RECORDS_PER_SEND: Record<number, number> = { 100: 1000, 1024: 500 };
const KAFKAJS_IN_FLIGHT = 4;
const REPLAY_IN_FLIGHT = 8;
const MEMORY_PARTITIONS = 100;
const LOOPBACK_BYTES = 2 * 1024 ** 3;
const LOOPBACK_CHUNK = 256 * 1024;
const LOOPBACK_REPETITIONS = 3;
/** Issue 20's targets, checked in the report. */
const TARGET_KCAT_1K_MB_PER_SEC = 300;
const TARGET_REPLAY_MB_PER_CPU_SECOND: Record<number, number> = { 100: 600, 1024: 1000 };
const TARGET_RSS_AFTER_LOAD_MIB = 139;
/** The memory step the target applies to: after the throughput runs, the load it was set on before the group run existed. */
const THROUGHPUT_LOAD_STEP = 'after the throughput load';
const GROUP_RUN_ID = 'groups-100-members';
const GROUP_MEMBERS = 100;
const GROUP_COMMITS_PER_MEMBER = 20;

interface Run {
  id: string;
  client: 'kcat' | 'kafkajs' | 'replay';
  op: 'produce' | 'consume';
  recordBytes: number;
  records: number;
  topic: string;
  acks?: -1 | 1;
  /** The produce run whose topic a consume run reads. */
  needs?: string;
}

function plannedRuns(scale: number): Run[] {
  const runs: Run[] = [];
  const count = (n: number) => Math.max(1, Math.round(n * scale));
  for (const size of RECORD_SIZES) {
    const kcat = count(KCAT_RECORDS[size]!);
    const kjs = count(KAFKAJS_RECORDS[size]!);
    const replay = count(REPLAY_RECORDS[size]!);
    runs.push(
      { id: `kcat-produce-${size}`, client: 'kcat', op: 'produce', recordBytes: size, records: kcat, topic: `kcat-${size}` },
      { id: `kcat-consume-${size}`, client: 'kcat', op: 'consume', recordBytes: size, records: kcat, topic: `kcat-${size}`, needs: `kcat-produce-${size}` },
      { id: `replay-produce-${size}`, client: 'replay', op: 'produce', recordBytes: size, records: replay, topic: `replay-${size}`, acks: -1 },
      { id: `kafkajs-produce-${size}-acks-all`, client: 'kafkajs', op: 'produce', recordBytes: size, records: kjs, topic: `kafkajs-${size}-acks-all`, acks: -1 },
      { id: `kafkajs-produce-${size}-acks-1`, client: 'kafkajs', op: 'produce', recordBytes: size, records: kjs, topic: `kafkajs-${size}-acks-1`, acks: 1 },
      { id: `kafkajs-consume-${size}`, client: 'kafkajs', op: 'consume', recordBytes: size, records: kjs, topic: `kafkajs-${size}-acks-all`, needs: `kafkajs-produce-${size}-acks-all` },
    );
  }
  return runs;
}

function selectRuns(all: Run[], only: string[] | undefined): Run[] {
  if (!only) return all;
  const wanted = new Set(all.filter((r) => only.some((p) => r.id.startsWith(p))).map((r) => r.id));
  for (const r of all) if (wanted.has(r.id) && r.needs) wanted.add(r.needs);
  return all.filter((r) => wanted.has(r.id));
}

function log(line: string): void {
  phaseLine(line);
}

function settle(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function measureMemoryWithPartitions(broker: BrokerProcess, admin: Admin, steps: MemoryStep[]): Promise<void> {
  await createTopics(admin, [{ topic: 'mem-1x100', numPartitions: MEMORY_PARTITIONS }]);
  await settle(1000);
  steps.push(memoryStep(`+ 1 topic x ${MEMORY_PARTITIONS} partitions (empty)`, readMemory(broker.pid)));

  await fillPartitions(kafkaClient(broker.bootstrap), 'mem-1x100', MEMORY_PARTITIONS, 100, 1024);
  await settle(1000);
  steps.push(memoryStep(`  after 100 x 1 KiB records into each of the ${MEMORY_PARTITIONS}`, readMemory(broker.pid)));

  await createTopics(admin, Array.from({ length: MEMORY_PARTITIONS }, (_, i) => ({ topic: `mem-100x1-${i}`, numPartitions: 1 })));
  await settle(1000);
  steps.push(memoryStep(`+ ${MEMORY_PARTITIONS} topics x 1 partition (empty)`, readMemory(broker.pid)));
}

async function executeGroupRun(broker: BrokerProcess, admin: Admin, scale: number): Promise<GroupResult> {
  const commitsPerMember = Math.max(1, Math.round(GROUP_COMMITS_PER_MEMBER * scale));
  const outcome = await groupRun(broker.bootstrap, admin, {
    topic: 'groups-100', groupId: `bench-${GROUP_RUN_ID}`, members: GROUP_MEMBERS, commitsPerMember,
    brokerCpuSeconds: () => cpuSeconds(broker.pid),
  });
  await settle(1000);
  return {
    id: GROUP_RUN_ID,
    client: 'kafkajs',
    members: GROUP_MEMBERS,
    partitions: GROUP_MEMBERS,
    commitsPerMember,
    joinRounds: outcome.joinRounds,
    join: outcome.join,
    brokerCpuMsPerJoin: (outcome.join.brokerCpuSeconds * 1000) / GROUP_MEMBERS,
    commit: outcome.commit,
    commits: outcome.commits,
    commitsPerSec: outcome.commits / outcome.commit.seconds,
    brokerCpuUsPerCommit: (outcome.commit.brokerCpuSeconds * 1e6) / outcome.commits,
    leave: outcome.leave,
    rssAfterBytes: readMemory(broker.pid).rssBytes,
  };
}

function issueTargets(throughput: ThroughputResult[], memory: MemoryStep[]): Target[] {
  const kcat1k = throughput.find((r) => r.id === 'kcat-produce-1024');
  const targets: Target[] = [
    atLeast('kcat producing 1 KiB records', 'MB/s', TARGET_KCAT_1K_MB_PER_SEC, kcat1k?.mbPerSec ?? null),
  ];
  for (const [size, target] of Object.entries(TARGET_REPLAY_MB_PER_CPU_SECOND)) {
    const replay = throughput.find((r) => r.id === `replay-produce-${size}`);
    targets.push(atLeast(`replay produce of ${sizeLabel(Number(size))} records`, 'MB per broker-CPU-second', target, replay?.mbPerBrokerCpuSecond ?? null));
  }
  const after = memory.find((m) => m.step === THROUGHPUT_LOAD_STEP);
  targets.push(atMost('broker memory after the throughput load', 'MiB', TARGET_RSS_AFTER_LOAD_MIB, after ? after.rssBytes / (1 << 20) : null));
  return targets;
}

/** What a produce run writes, with room for batch and index overhead: the freshly freed memory it starts with. */
function producedBytes(run: Run): number {
  return Math.ceil(run.records * run.recordBytes * 1.1);
}

async function executeRun(
  run: Run, broker: BrokerProcess, admin: Admin, files: Map<number, string>, baselineMbPerSec: number, work: string,
): Promise<ThroughputResult> {
  const kafka = kafkaClient(broker.bootstrap);
  if (run.op === 'produce') await createTopics(admin, [{ topic: run.topic, numPartitions: 1 }]);
  if (run.op === 'produce') freshlyFreedPageCache(work, producedBytes(run));
  let settings: Record<string, string | number>;
  const brokerCpuBefore = cpuSeconds(broker.pid);
  const start = performance.now();
  const startUs = monotonicUs();
  let clientCpuSeconds: number;
  if (run.client === 'kcat') {
    const outcome = run.op === 'produce'
      ? await kcatProduce(broker.bootstrap, run.topic, files.get(run.recordBytes)!)
      : await kcatConsume(broker.bootstrap, run.topic, run.records);
    clientCpuSeconds = outcome.clientCpuSeconds;
    settings = run.op === 'produce' ? { ...KCAT_PRODUCE_SETTINGS, acks: '-1(default)' } : { ...KCAT_CONSUME_SETTINGS };
  } else if (run.client === 'replay') {
    const outcome = await replayProduce({
      host: '127.0.0.1', port: broker.port, topic: run.topic, recordBytes: run.recordBytes, records: run.records,
      acks: run.acks!, inFlight: REPLAY_IN_FLIGHT,
    });
    clientCpuSeconds = outcome.clientCpuSeconds;
    settings = { acks: run.acks!, recordsPerRequest: outcome.recordsPerRequest, inFlight: REPLAY_IN_FLIGHT };
  } else if (run.op === 'produce') {
    const recordsPerSend = KAFKAJS_RECORDS_PER_SEND[run.recordBytes]!;
    const outcome = await kafkajsProduce(kafka, {
      topic: run.topic, recordBytes: run.recordBytes, records: run.records, acks: run.acks!, recordsPerSend, inFlight: KAFKAJS_IN_FLIGHT,
    });
    clientCpuSeconds = outcome.clientCpuSeconds;
    settings = { acks: run.acks!, recordsPerSend, inFlight: KAFKAJS_IN_FLIGHT };
  } else {
    const outcome = await kafkajsConsume(kafka, run.topic, run.records, `bench-${run.id}`);
    clientCpuSeconds = outcome.clientCpuSeconds;
    settings = { eachBatch: 'yes', autoCommit: 'off', joinAndFirstFetchS: outcome.firstBatchSeconds!.toFixed(2) };
  }
  const seconds = (performance.now() - start) / 1000;
  const window = { startUs, endUs: monotonicUs() };
  const brokerCpu = cpuSeconds(broker.pid) - brokerCpuBefore;
  if (run.op === 'produce') {
    const end = await endOffset(admin, run.topic);
    if (end !== run.records) throw new Error(`${run.id}: ${run.topic} ends at offset ${end}, expected ${run.records}`);
  }
  const payloadBytes = run.records * run.recordBytes;
  const mbPerSec = payloadBytes / 1e6 / seconds;
  return {
    id: run.id,
    client: run.client,
    op: run.op,
    recordBytes: run.recordBytes,
    records: run.records,
    payloadBytes,
    seconds,
    recordsPerSec: run.records / seconds,
    mbPerSec,
    ratioToLoopback: mbPerSec / baselineMbPerSec,
    brokerCpuPercent: (brokerCpu / seconds) * 100,
    mbPerBrokerCpuSecond: brokerCpu > 0 ? payloadBytes / 1e6 / brokerCpu : Infinity,
    clientCpuPercent: (clientCpuSeconds / seconds) * 100,
    settings,
    window,
  };
}

function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '1' },
      only: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      'keep-data': { type: 'boolean', default: false },
      cli: { type: 'string' },
      out: { type: 'string', default: path.join(OUT_DIR, 'broker.json') },
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
  const kcat = kcatVersion();
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  let runs = selectRuns(plannedRuns(scale), only);
  const withGroups = !only || only.some((p) => GROUP_RUN_ID.startsWith(p));
  if (!kcat) {
    log('WARNING: kcat is not installed (apt-get install kcat): the kcat runs are skipped and the target cannot be checked');
    runs = runs.filter((r) => r.client !== 'kcat');
  }
  const kafkajsVersion = (createRequire(import.meta.url)('kafkajs/package.json') as { version: string }).version;

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-'));
  const onSignal = (signal: NodeJS.Signals) => {
    if (broker) process.kill(broker.pid, 'SIGKILL');
    if (!values['keep-data']) fs.rmSync(work, { recursive: true, force: true });
    process.stderr.write(`bench:broker: stopped by ${signal}\n`);
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const profileDir = path.join(OUT_DIR, 'profiles');
  let broker: BrokerProcess | undefined;
  let admin: Admin | undefined;
  const startedAt = new Date().toISOString();
  const loadAtStart = os.loadavg()[0]!;
  try {
    const files = new Map<number, string>();
    for (const size of RECORD_SIZES) {
      const run = runs.find((r) => r.client === 'kcat' && r.op === 'produce' && r.recordBytes === size);
      if (!run) continue;
      const file = path.join(work, `records-${size}.txt`);
      writeRecordFile(file, size, run.records);
      files.set(size, file);
    }

    // The baseline only scales throughput figures: a run of memory steps or groups alone skips it.
    let loopback: LoopbackResult | null = null;
    if (runs.length > 0) {
      log(`loopback baseline: ${LOOPBACK_REPETITIONS} x ${(LOOPBACK_BYTES / 1e6).toFixed(0)} MB ...`);
      loopback = await measureLoopback(LOOPBACK_BYTES, LOOPBACK_CHUNK, LOOPBACK_REPETITIONS);
      log(`loopback baseline: ${loopback.mbPerSec.toFixed(0)} MB/s`);
    }
    // Each floor run and each produce run of the broker starts with the same amount of freshly
    // freed memory (see freed-page-cache.ts): on this kind of VM the page cache's state weighs
    // more than the broker's own work.
    const floors: AppendFloorResult[] = [];
    for (const run of runs.filter((r) => r.client === 'replay')) {
      freshlyFreedPageCache(work, producedBytes(run));
      const floor = await measureAppendFloor(work, run.recordBytes, run.records, REPLAY_IN_FLIGHT);
      floors.push(floor);
      log(`append floor ${sizeLabel(run.recordBytes)}: ${floor.mbPerSec.toFixed(0)} MB/s, ${floor.mbPerSinkCpuSecond.toFixed(0)} MB per CPU-second`);
    }

    if (values['cpu-prof']) fs.mkdirSync(profileDir, { recursive: true });
    const profilesBefore = new Set(values['cpu-prof'] ? fs.readdirSync(profileDir) : []);
    broker = await startBrokerProcess({
      dataDir: path.join(work, 'data'),
      cli: values.cli ? path.resolve(values.cli) : undefined,
      cpuProfDir: values['cpu-prof'] ? profileDir : undefined,
    });
    log(`broker pid ${broker.pid} listening on ${broker.bootstrap}`);
    const memory: MemoryStep[] = [];
    await settle(1000);
    memory.push(memoryStep('idle after start (includes __consumer_offsets, 50 partitions)', readMemory(broker.pid)));

    admin = kafkaClient(broker.bootstrap).admin();
    await admin.connect();
    const withMemory = !only || only.some((p) => 'memory'.startsWith(p));
    if (withMemory) await measureMemoryWithPartitions(broker, admin, memory);

    const throughput: ThroughputResult[] = [];
    for (const run of runs) {
      const result = await executeRun(run, broker, admin, files, loopback!.mbPerSec, work);
      throughput.push(result);
      log(`${run.id}: ${result.records} records in ${result.seconds.toFixed(2)} s, ${Math.round(result.recordsPerSec)} records/s, `
        + `${result.mbPerSec.toFixed(1)} MB/s (${(result.ratioToLoopback * 100).toFixed(1)}% of loopback), `
        + `broker CPU ${result.brokerCpuPercent.toFixed(0)}%`);
    }
    if (throughput.length > 0) {
      await settle(1000);
      memory.push(memoryStep(THROUGHPUT_LOAD_STEP, readMemory(broker.pid)));
    }
    const groups: GroupResult[] = [];
    if (withGroups) {
      log(`${GROUP_RUN_ID}: ${GROUP_MEMBERS} kafkajs consumers join one group ...`);
      const g = await executeGroupRun(broker, admin, scale);
      groups.push(g);
      log(`${g.id}: all in one generation after ${g.join.seconds.toFixed(2)} s (${g.joinRounds} join rounds, `
        + `broker CPU ${g.join.brokerCpuSeconds.toFixed(2)} s), ${g.commits} commits in ${g.commit.seconds.toFixed(2)} s `
        + `(${Math.round(g.commitsPerSec)}/s, broker CPU ${g.commit.brokerCpuSeconds.toFixed(2)} s), left in ${g.leave.seconds.toFixed(2)} s`);
    }
    if (withGroups) {
      await settle(1000);
      memory.push(memoryStep('after the group run too', readMemory(broker.pid)));
    }

    await admin.disconnect();
    admin = undefined;
    const code = await broker.stop();
    broker = undefined;
    if (code !== 0) log(`WARNING: broker exited with ${code}`);

    const report: BenchReport = {
      startedAt,
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryBytes: os.totalmem(),
        node: process.version,
        kcat,
        kafkajs: kafkajsVersion,
        loadAverage: { start: loadAtStart, end: os.loadavg()[0]! },
      },
      setup: {
        scale,
        partitionsPerThroughputTopic: 1,
        compression: 'none',
        broker: `own process (${values.cli ?? 'dist/cli/ferry.js'} broker), fresh temp data dir, default settings`,
        kcatProduceInput: 'record file, one record per line, kcat -P -l',
        kcatConsume: 'kcat -C -o beginning -e, stdout to /dev/null',
        kafkajsConsume: 'group consumer, eachBatch, default fetch sizes',
        replayProduce: 'one pre-encoded ~1 MB batch per Produce v8 request, resent on one socket: the broker without client cost',
        memoryPartitions: MEMORY_PARTITIONS,
        ...(withGroups && { groupRun: `${GROUP_MEMBERS} kafkajs consumers, one group, one topic of ${GROUP_MEMBERS} partitions, commitOffsets of each one's partition in a row` }),
        cpuProfile: values['cpu-prof'],
      },
      loopback,
      throughput,
      groups,
      memory,
      appendFloor: floors,
      targets: issueTargets(throughput, memory),
    };
    log('');
    log(formatReport(report));
    writeJson(values.out, report);
    log(`\nresults: ${path.relative(process.cwd(), values.out)}`);
    if (values['cpu-prof']) {
      for (const file of fs.readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile') && !profilesBefore.has(f))) {
        log('');
        log(formatProfile('whole broker run', path.join(profileDir, file), REPO_ROOT));
        for (const r of throughput) {
          log('');
          log(formatProfile(`broker during ${r.id}`, path.join(profileDir, file), REPO_ROOT, r.window));
        }
        for (const g of groups) {
          for (const phase of ['join', 'commit', 'leave'] as const) {
            log('');
            log(formatProfile(`broker during ${g.id} ${phase}`, path.join(profileDir, file), REPO_ROOT, g[phase].window));
          }
        }
      }
    }
    return 0;
  } finally {
    await admin?.disconnect().catch(() => undefined);
    if (broker) {
      const b = broker;
      await b.stop(5000).catch(() => undefined);
    }
    if (values['keep-data']) log(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

main().then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`bench:broker: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
