/**
 * CPU time and memory of every process of the stack, read from /proc: each ferry worker, both
 * brokers, mariadbd, s3rver, and this process (the load, the pollers and the Elasticsearch test
 * server). CPU seconds are taken at the phase boundaries; peak memory is VmHWM, reset through
 * /proc/<pid>/clear_refs when the measurement starts (bench/cdc/peak-memory.ts), so it is the
 * peak over the measured phases and not the start-up's.
 */
import fs from 'node:fs';
import path from 'node:path';
import kafkajs from 'kafkajs';
import { cpuSeconds, readMemory } from '../broker/proc-stats.js';
import { resetPeakRss } from '../cdc/peak-memory.js';
import { TOPIC, type PipelineContext } from './stack-setup.js';

const { AssignerProtocol } = kafkajs;

export interface TrackedProcess {
  readonly name: string;
  /** What it runs, e.g. its connector tasks. */
  role: string;
  readonly pid: number;
  readonly worker: boolean;
}

export interface ProcessFigures {
  readonly name: string;
  readonly role: string;
  readonly pid: number;
  /** VmRSS when the measurement started. */
  readonly rssBeforeBytes: number;
  /** VmHWM over the measured phases (NaN where the reset was refused and the peak would be the start-up's). */
  readonly peakRssBytes: number;
  /** CPU seconds of each phase, by phase name. */
  readonly cpuSeconds: Record<string, number>;
}

export function trackedProcesses(ctx: PipelineContext): TrackedProcess[] {
  const { stack } = ctx;
  const list: TrackedProcess[] = [...stack.workersA, stack.workerB].map((w) => ({ name: w.service, role: '', pid: w.child.pid!, worker: true }));
  list.push(
    { name: 'broker region A', role: 'ferry broker', pid: stack.regionA.child.pid!, worker: false },
    { name: 'broker region B', role: 'ferry broker', pid: stack.regionB.child.pid!, worker: false },
    { name: 'mariadbd', role: 'MariaDB', pid: Number(fs.readFileSync(path.join(stack.db.dataDir, 'mysqld.pid'), 'utf8').trim()), worker: false },
    { name: 's3rver', role: 'S3 in place of MinIO', pid: stack.s3.child.pid!, worker: false },
    { name: 'bench (this process)', role: 'load, pollers, Elasticsearch test server', pid: process.pid, worker: false },
  );
  return list;
}

/** The sink tasks (`<connector>-<task>`) whose consumer holds the orders topic, from their groups' assignments. */
async function ordersConsumers(ctx: PipelineContext, sinks: readonly string[]): Promise<Set<string>> {
  const { groups } = await ctx.adminA.describeGroups(sinks.map((name) => `connect-${name}`));
  const holders = new Set<string>();
  for (const group of groups) {
    for (const member of group.members) {
      const assigned = AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment ?? {};
      if (TOPIC in assigned) holders.add(member.clientId.replace(/^connector-consumer-/, ''));
    }
  }
  return holders;
}

/** Each worker's connector tasks, from both regions' status; a sink task holding the orders topic is marked "(orders)". */
export async function describePlacement(ctx: PipelineContext, processes: TrackedProcess[]): Promise<void> {
  const orders = await ordersConsumers(ctx, ['elasticsearch-sink', 's3-backup']);
  const byHost = new Map([...ctx.stack.workersA, ctx.stack.workerB].map((w) => [new URL(w.restUrl).host, w.service]));
  const roles = new Map<string, string[]>();
  const note = (workerId: string, what: string) => {
    const service = byHost.get(workerId) ?? workerId;
    roles.set(service, [...(roles.get(service) ?? []), what]);
  };
  for (const rest of [ctx.restA, ctx.restB]) {
    type Expanded = Record<string, { status: { tasks: { id: number; worker_id: string }[] } }>;
    const { body } = await rest.request<Expanded>('GET', '/connectors?expand=status');
    for (const [name, { status }] of Object.entries(body)) {
      for (const task of status.tasks) note(task.worker_id, `${name}-${task.id}${orders.has(`${name}-${task.id}`) ? ' (orders)' : ''}`);
    }
  }
  for (const p of processes) if (p.worker) p.role = (roles.get(p.name) ?? ['no task']).sort().join(', ');
}

/** Samples CPU seconds at phase boundaries; call start() once, then mark(phase) at the end of each phase. */
export class ProcessMeter {
  readonly #processes: TrackedProcess[];
  readonly #rssBefore = new Map<number, number>();
  readonly #hwmReset = new Map<number, boolean>();
  readonly #phases: { name: string; cpu: Map<number, number> }[] = [];
  #last = new Map<number, number>();

  constructor(processes: TrackedProcess[]) {
    this.#processes = processes;
  }

  start(): void {
    for (const p of this.#processes) {
      this.#rssBefore.set(p.pid, readMemory(p.pid).rssBytes);
      this.#hwmReset.set(p.pid, resetPeakRss(p.pid));
    }
    this.#last = this.#cpu();
  }

  mark(phase: string): void {
    const now = this.#cpu();
    this.#phases.push({ name: phase, cpu: new Map([...now].map(([pid, s]) => [pid, s - this.#last.get(pid)!])) });
    this.#last = now;
  }

  /** Every process's figures; its peak memory now (read before anything else runs). */
  figures(): ProcessFigures[] {
    return this.#processes.map((p) => {
      const memory = readMemory(p.pid);
      return {
        name: p.name, role: p.role, pid: p.pid, rssBeforeBytes: this.#rssBefore.get(p.pid)!,
        peakRssBytes: this.#hwmReset.get(p.pid) ? memory.peakRssBytes : NaN,
        cpuSeconds: Object.fromEntries(this.#phases.map((ph) => [ph.name, ph.cpu.get(p.pid)!])),
      };
    });
  }

  #cpu(): Map<number, number> {
    return new Map(this.#processes.map((p) => [p.pid, cpuSeconds(p.pid)]));
  }
}
