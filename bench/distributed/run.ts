/**
 * `npm run bench:distributed`: failover of a three-worker ferry cluster on one bundled broker.
 * Runs PIPELINES file pipelines (FileStreamSource → topic → FileStreamSink with SINK_TASKS
 * tasks), SIGKILLs the worker running the most tasks while lines flow, and prints the time from
 * the SIGKILL until every task is RUNNING again on the survivors, and the longest gap in delivery
 * (no output file grew) around the kill, with the settings in use. Exits 1 if a line was lost.
 *
 * Environment: PIPELINES (default 3), SINK_TASKS (default 2), ROUNDS (default 3),
 * and any worker property as WORKER_<name with . as _>, e.g. WORKER_session_timeout_ms=10000.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DISTRIBUTED_GROUP_DEFAULTS } from '../../runtime/control/distributed/distributed-defaults.js';
import {
  allRunning, clusterProperties, DeliveryWatch, filePipeline, killAll, LinePump, readLines, rest, startBrokerProcess, startWorkerProcess,
  waitFor, type WorkerHandle,
} from './worker-cluster.js';

const PIPELINES = Number(process.env.PIPELINES ?? 3);
const SINK_TASKS = Number(process.env.SINK_TASKS ?? 2);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

const overrides: Record<string, string> = {};
for (const [key, value] of Object.entries(process.env)) {
  if (key.startsWith('WORKER_') && value !== undefined) overrides[key.slice('WORKER_'.length).replace(/_/g, '.')] = value;
}

async function main(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-distributed-'));
  const broker = await startBrokerProcess(path.join(dir, 'broker'));
  let seq = 0;
  const workers: WorkerHandle[] = [];
  const addWorker = async () => {
    const w = await startWorkerProcess({ bootstrap: broker.bootstrap, dir, name: `worker-${++seq}`, properties: overrides });
    workers.push(w);
    return w;
  };
  const live = () => workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
  await Promise.all([addWorker(), addWorker(), addWorker()]);

  const expected: Record<string, number> = {};
  const pipes = Array.from({ length: PIPELINES }, (_, i) => filePipeline(`p${i}`, dir, SINK_TASKS));
  for (const [i, p] of pipes.entries()) {
    await rest(workers[i % 3]!.restUrl, 'POST', '/connectors', { name: `p${i}-source`, config: p.source });
    await rest(workers[(i + 1) % 3]!.restUrl, 'POST', '/connectors', { name: `p${i}-sink`, config: p.sink });
    expected[`p${i}-source`] = 1;
    expected[`p${i}-sink`] = SINK_TASKS;
  }
  const running = () => allRunning(live()[0]!.restUrl, expected, live().map((w) => w.workerId));
  await waitFor(running, 60_000, 'every task RUNNING');

  const settings = { ...DISTRIBUTED_GROUP_DEFAULTS, ...clusterProperties({ bootstrap: broker.bootstrap, dir, name: 'x', properties: overrides }) };
  const shown = ['session.timeout.ms', 'heartbeat.interval.ms', 'scheduled.rebalance.max.delay.ms', 'consumer.session.timeout.ms', 'offset.flush.interval.ms'];
  console.log(`ferry distributed failover: 3 workers, ${PIPELINES} pipelines (1 source task + ${SINK_TASKS} sink tasks each), ${ROUNDS} rounds`);
  console.log(shown.map((k) => `  ${k}=${(settings as Record<string, string | number>)[k]}`).join('\n'));

  let lost = 0;
  const results: { failoverMs: number; gapMs: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const pumps = pipes.map((p, i) => new LinePump(p.input, `r${round}-p${i}`));
    await waitFor(() => pipes.every((p, i) => readLines(p.output).includes(pumps[i]!.line(0))), 30_000, 'lines flowing');
    const watches = pipes.map((p) => new DeliveryWatch(p.output, 10));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const statuses = (await running())!;
    const load = new Map<string, number>();
    for (const s of Object.values(statuses)) for (const t of s.tasks) load.set(t.worker_id, (load.get(t.worker_id) ?? 0) + 1);
    const victim = live().sort((a, b) => (load.get(b.workerId) ?? 0) - (load.get(a.workerId) ?? 0))[0]!;
    const killedAt = Date.now();
    await victim.kill();
    await waitFor(running, 60_000, 'every task RUNNING again', 20);
    const failoverMs = Date.now() - killedAt;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await Promise.all(pumps.map((p) => p.stop()));
    for (const w of watches) w.stop();
    for (const [i, p] of pipes.entries()) {
      const pump = pumps[i]!;
      try {
        await waitFor(() => {
          const seen = new Set(readLines(p.output));
          for (let n = 0; n < pump.written; n++) if (!seen.has(pump.line(n))) return null;
          return true;
        }, 30_000, 'every line delivered', 200);
      } catch {
        lost++;
      }
    }
    const gapMs = Math.max(...watches.map((w) => w.longestGapMs));
    results.push({ failoverMs, gapMs });
    console.log(`  round ${round + 1}: killed ${victim.name} (${load.get(victim.workerId) ?? 0} tasks): all tasks RUNNING again after ${failoverMs} ms; longest delivery gap ${gapMs} ms`);
    await addWorker();
    await waitFor(running, 60_000, 'every task RUNNING with the replacement worker');
  }
  const worst = (key: 'failoverMs' | 'gapMs') => Math.max(...results.map((r) => r[key]));
  console.log(`SIGKILL → all tasks RUNNING: worst ${worst('failoverMs')} ms; longest delivery gap: worst ${worst('gapMs')} ms; `
    + `lines lost: ${lost === 0 ? 'none' : `in ${lost} pipeline rounds`}`);
  await killAll();
  fs.rmSync(dir, { recursive: true, force: true });
  return lost === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), async (err: unknown) => {
  console.error(err);
  await killAll();
  process.exit(1);
});
