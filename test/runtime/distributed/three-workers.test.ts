import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allRunning, connectorStatus, DeliveryWatch, filePipeline, killAll, LinePump, readLines, rest, startBrokerProcess, startWorkerProcess, waitFor,
  type BrokerHandle, type StatusView, type WorkerHandle,
} from '../../../bench/distributed/worker-cluster.js';
import { DISTRIBUTED_GROUP_DEFAULTS } from '../../../runtime/control/distributed/distributed-defaults.js';
import { tempDir } from '../../helpers/temp-dir.js';

const SESSION_MS = DISTRIBUTED_GROUP_DEFAULTS['session.timeout.ms'];
const HEARTBEAT_MS = DISTRIBUTED_GROUP_DEFAULTS['heartbeat.interval.ms'];
const DELAY_MS = DISTRIBUTED_GROUP_DEFAULTS['scheduled.rebalance.max.delay.ms'];
/** Task start-up and status propagation on a loaded 2-core machine. */
const START_SLACK_MS = 3000;

let dir: string;
let broker: BrokerHandle;
const workers: WorkerHandle[] = [];
let seq = 0;

const pipelines = ['alpha', 'beta'].map((name) => ({ name, sinkTasks: 3 }));
/** connector → task count */
const expected: Record<string, number> = Object.fromEntries(pipelines.flatMap((p) => [[`${p.name}-source`, 1], [`${p.name}-sink`, p.sinkTasks]]));

function live(): WorkerHandle[] {
  return workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
}

async function addWorker(): Promise<WorkerHandle> {
  const worker = await startWorkerProcess({ bootstrap: broker.bootstrap, dir, name: `worker-${++seq}` });
  workers.push(worker);
  return worker;
}

function untilAllRunning(timeoutMs: number, on = live()): Promise<Record<string, StatusView>> {
  return waitFor(() => allRunning(on[0]!.restUrl, expected, on.map((w) => w.workerId)), timeoutMs, 'every task RUNNING on the live workers');
}

/** task → how many times the worker's log says it started it. */
function starts(worker: WorkerHandle): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of worker.output().matchAll(/"connector":"([^"]+)","task":(\d+),"msg":"starting task"/g)) {
    const key = `${m[1]}/${m[2]}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

function stops(worker: WorkerHandle): string[] {
  return [...worker.output().matchAll(/"connector":"([^"]+)","task":(\d+),"msg":"stopping task"/g)].map((m) => `${m[1]}/${m[2]}`);
}

function tasksOf(statuses: Record<string, StatusView>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, s] of Object.entries(statuses)) for (const t of s.tasks) out.set(`${name}/${t.id}`, t.worker_id);
  return out;
}

/** Every line the pump wrote is in the output (duplicates allowed: delivery is at least once). */
function missing(pump: LinePump, output: string): number {
  const seen = new Set(readLines(output));
  let lost = 0;
  for (let i = 0; i < pump.written; i++) if (!seen.has(pump.line(i))) lost++;
  return lost;
}

const files = new Map<string, ReturnType<typeof filePipeline>>();

beforeAll(async () => {
  dir = tempDir('ferry-distributed-');
  broker = await startBrokerProcess(path.join(dir, 'broker'));
  await Promise.all([addWorker(), addWorker(), addWorker()]);
}, 120_000);

afterAll(async () => {
  await killAll();
});

describe('three ferry workers sharing one group', () => {
  it('accept REST writes through every worker and spread connectors with several tasks over all three', async () => {
    const [w1, w2, w3] = workers as [WorkerHandle, WorkerHandle, WorkerHandle];
    const via = [w1, w2, w3];
    let i = 0;
    for (const p of pipelines) {
      const f = filePipeline(p.name, dir, p.sinkTasks);
      files.set(p.name, f);
      const a = await rest(via[i++ % 3]!.restUrl, 'POST', '/connectors', { name: `${p.name}-source`, config: f.source });
      const b = await rest(via[i++ % 3]!.restUrl, 'POST', '/connectors', { name: `${p.name}-sink`, config: f.sink });
      expect([a.status, b.status]).toEqual([201, 201]);
    }
    const patched = await rest(w3.restUrl, 'PUT', '/connectors/alpha-sink/config', { ...files.get('alpha')!.sink, 'batch.size': '2000' });
    expect(patched.status).toBe(200);
    const duplicate = await rest<{ error_code: number }>(w2.restUrl, 'POST', '/connectors', { name: 'alpha-source', config: files.get('alpha')!.source });
    expect(duplicate.status).toBe(409);

    const statuses = await untilAllRunning(60_000);
    const owners = new Set(tasksOf(statuses).values());
    expect([...owners].sort()).toEqual(workers.map((w) => w.workerId).sort());
    for (const w of workers) {
      expect(tasksOf((await allRunning(w.restUrl, expected, workers.map((x) => x.workerId)))!)).toEqual(tasksOf(statuses));
    }
  }, 120_000);

  it('runs a SIGKILLed worker\'s tasks elsewhere within the delay plus the session timeout, losing no line', async () => {
    const pumps = pipelines.map((p) => new LinePump(files.get(p.name)!.input, p.name));
    await waitFor(() => pipelines.every((p) => readLines(files.get(p.name)!.output).length > 50), 30_000, 'lines flowing');
    const victim = workers[1]!;
    const killedAt = Date.now();
    await victim.kill();
    const survivors = live();
    await untilAllRunning(30_000, survivors);
    const failoverMs = Date.now() - killedAt;
    await new Promise((resolve) => setTimeout(resolve, 500));
    await Promise.all(pumps.map((p) => p.stop()));
    for (const [index, p] of pipelines.entries()) {
      await waitFor(() => missing(pumps[index]!, files.get(p.name)!.output) === 0, 30_000, `every ${p.name} line delivered`, 200);
    }
    expect(failoverMs).toBeLessThan(DELAY_MS + SESSION_MS + HEARTBEAT_MS + START_SLACK_MS);
  }, 120_000);

  it('restarts a task asked through any worker on the worker that runs it', async () => {
    const owners = tasksOf(await untilAllRunning(30_000));
    const leaderUrl = [...live()[0]!.output().matchAll(/"leader":"([^"]+)"/g)].at(-1)![1];
    // A task the leader does not run, so the request takes both hops: follower → leader → owner.
    const [task, ownerId] = [...owners].find(([, id]) => live().find((w) => w.workerId === id)!.restUrl !== leaderUrl)!;
    const owner = live().find((w) => w.workerId === ownerId)!;
    const [connector, id] = task.split('/') as [string, string];
    const before = starts(owner).get(task) ?? 0;
    for (const via of live().filter((w) => w !== owner)) {
      const res = await rest(via.restUrl, 'POST', `/connectors/${connector}/tasks/${id}/restart`);
      expect(res.status).toBe(204);
    }
    await waitFor(() => (starts(owner).get(task) ?? 0) >= before + live().length - 1, 15_000, 'the owner to restart the task');
    await untilAllRunning(30_000);
  }, 60_000);

  it('moves only some tasks to a fourth worker; the others keep running without a restart', async () => {
    const before = tasksOf((await untilAllRunning(30_000))!);
    const others = live();
    const startsBefore = new Map(others.map((w) => [w.workerId, starts(w)]));
    const stopsBefore = new Map(others.map((w) => [w.workerId, stops(w).length]));
    const fourth = await addWorker();
    let previous = '';
    const after = tasksOf(await waitFor(async () => {
      const s = await allRunning(fourth.restUrl, expected, live().map((w) => w.workerId));
      if (!s || ![...tasksOf(s).values()].includes(fourth.workerId)) return null;
      const view = JSON.stringify([...tasksOf(s)]);
      const steady = view === previous;
      previous = view;
      return steady ? s : null;
    }, 30_000, 'the fourth worker to run tasks, with statuses settled', 1500));
    const moved = [...after].filter(([task, owner]) => before.get(task) !== owner).map(([task]) => task);
    const kept = [...after].filter(([task, owner]) => before.get(task) === owner).map(([task]) => task);
    expect(moved.length).toBeGreaterThan(0);
    expect(kept.length).toBeGreaterThan(0);
    for (const w of others) {
      const stopped = stops(w).slice(stopsBefore.get(w.workerId)!);
      for (const task of stopped) expect(moved).toContain(task);
      for (const task of kept) if (after.get(task) === w.workerId) expect(starts(w).get(task)).toBe(startsBefore.get(w.workerId)!.get(task));
    }
  }, 120_000);

  it('keeps data flowing through a rolling restart of every worker, one at a time', async () => {
    const pumps = pipelines.map((p) => new LinePump(files.get(p.name)!.input, `${p.name}-rolling`));
    await waitFor(() => pipelines.every((p, i) => readLines(files.get(p.name)!.output).includes(pumps[i]!.line(0))), 30_000, 'lines flowing');
    const watches = pipelines.map((p) => new DeliveryWatch(files.get(p.name)!.output));
    let longestRestartMs = 0;
    for (const worker of live()) {
      const startedAt = Date.now();
      await worker.stop();
      await addWorker();
      await untilAllRunning(60_000);
      longestRestartMs = Math.max(longestRestartMs, Date.now() - startedAt);
    }
    await Promise.all(pumps.map((p) => p.stop()));
    for (const watch of watches) watch.stop();
    for (const watch of watches) expect(watch.longestGapMs).toBeLessThan(longestRestartMs + 1000);
    for (const [index, p] of pipelines.entries()) {
      await waitFor(() => missing(pumps[index]!, files.get(p.name)!.output) === 0, 30_000, `every ${p.name} line delivered`, 200);
    }
    const anyStatus = await connectorStatus(live()[0]!.restUrl, 'alpha-sink');
    expect(anyStatus?.tasks.every((t) => t.state === 'RUNNING')).toBe(true);
  }, 240_000);
});
