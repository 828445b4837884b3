/** Result records of the broker benchmark, the printed table, and the JSON file. */
import fs from 'node:fs';
import path from 'node:path';
import type { LoopbackResult } from './loopback-baseline.js';
import type { AppendFloorResult } from './append-floor.js';
import type { MemoryReading } from './proc-stats.js';
import type { GroupPhase } from './group-run.js';
import type { TimeWindow } from './profile-summary.js';
import { textTable } from '../text-table.js';

export interface ThroughputResult {
  id: string;
  /** replay: pre-encoded Produce requests sent over a raw socket (the broker's own ceiling). */
  client: 'kcat' | 'kafkajs' | 'replay';
  op: 'produce' | 'consume';
  recordBytes: number;
  records: number;
  /** Record value bytes moved (keys, headers and framing not counted). */
  payloadBytes: number;
  seconds: number;
  recordsPerSec: number;
  /** Record value MB/s, 1 MB = 10^6 bytes. */
  mbPerSec: number;
  /** mbPerSec divided by the loopback baseline's MB/s. */
  ratioToLoopback: number;
  /** Broker CPU time over wall time, in % of one core. */
  brokerCpuPercent: number;
  /**
   * Record value MB per second of broker CPU time: what the broker would sustain with a core
   * to itself. Unlike MB/s it barely moves when other processes compete for the cores.
   */
  mbPerBrokerCpuSecond: number;
  /** The client's CPU time over wall time, in % of one core (kcat: the kcat process; kafkajs, replay: this process). */
  clientCpuPercent: number;
  settings: Record<string, string | number>;
  /** When the run was timed, in monotonic-clock microseconds (selects its samples in a broker CPU profile). */
  window: TimeWindow;
}

/** The group-coordinator run: members joining one group, committing offsets, leaving. */
export interface GroupResult {
  id: string;
  client: 'kafkajs';
  members: number;
  partitions: number;
  commitsPerMember: number;
  /** Join+sync rounds the members completed before all were in one generation. */
  joinRounds: number;
  join: GroupPhase;
  /** Broker CPU milliseconds per member of the join phase. */
  brokerCpuMsPerJoin: number;
  commit: GroupPhase;
  commits: number;
  commitsPerSec: number;
  /** Broker CPU microseconds per OffsetCommit. */
  brokerCpuUsPerCommit: number;
  leave: GroupPhase;
  /** The broker's VmRSS once every member has left. */
  rssAfterBytes: number;
}

export interface MemoryStep {
  step: string;
  rssBytes: number;
  peakRssBytes: number;
}

export interface BenchReport {
  startedAt: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryBytes: number;
    node: string;
    kcat: string | null;
    kafkajs: string;
    /** 1-minute load average when the run started and when it ended: how busy the cores were with other work. */
    loadAverage: { start: number; end: number };
  };
  setup: Record<string, string | number | boolean>;
  /** null when no throughput run was selected. */
  loopback: LoopbackResult | null;
  throughput: ThroughputResult[];
  groups: GroupResult[];
  memory: MemoryStep[];
  /** The append floor measured for each replay run, in the same order. */
  appendFloor: AppendFloorResult[];
  targets: Target[];
}

/** A figure the benchmark checks against a goal (issue 20's). */
export interface Target {
  description: string;
  unit: string;
  comparison: '>=' | '<=';
  threshold: number;
  /** null when the run that measures it was not selected. */
  measured: number | null;
  met: boolean | null;
}

export function atLeast(description: string, unit: string, threshold: number, measured: number | null): Target {
  return { description, unit, comparison: '>=', threshold, measured, met: measured === null ? null : measured >= threshold };
}

export function atMost(description: string, unit: string, threshold: number, measured: number | null): Target {
  return { description, unit, comparison: '<=', threshold, measured, met: measured === null ? null : measured <= threshold };
}

export function memoryStep(step: string, reading: MemoryReading): MemoryStep {
  return { step, rssBytes: reading.rssBytes, peakRssBytes: reading.peakRssBytes };
}

export function sizeLabel(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} B`;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (n: number) => `${(n / (1 << 20)).toFixed(1)} MiB`;


export function formatReport(report: BenchReport): string {
  const out: string[] = [];
  const m = report.machine;
  out.push(`ferry broker benchmark  ${report.startedAt}`);
  out.push(`machine: ${m.cpus} CPUs (${m.cpuModel}), ${mib(m.memoryBytes)}, node ${m.node}, kcat ${m.kcat ?? 'missing'}, kafkajs ${m.kafkajs}, `
    + `load average ${m.loadAverage.start.toFixed(1)} at start, ${m.loadAverage.end.toFixed(1)} at end`);
  out.push(`setup: ${Object.entries(report.setup).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  const lb = report.loopback;
  if (lb) {
    out.push('');
    out.push(`baseline: raw loopback TCP copy, node -> node, ${(lb.bytes / 1e6).toFixed(0)} MB in ${lb.chunkBytes / 1024} KiB writes, `
      + `${lb.seconds.map((s) => s.toFixed(2)).join('/')} s: ${lb.mbPerSec.toFixed(0)} MB/s (median)`);
  }
  if (report.throughput.length > 0) out.push('', ...formatThroughput(report.throughput));
  if (report.appendFloor.length > 0) out.push('', ...formatAppendFloor(report.appendFloor, report.throughput));
  if (report.groups.length > 0) out.push('', ...formatGroups(report.groups));
  out.push('');
  out.push('broker memory (VmRSS):');
  out.push(textTable(
    ['step', 'RSS', 'peak RSS'],
    report.memory.map((s) => [s.step, mib(s.rssBytes), mib(s.peakRssBytes)]),
    [false, true, true],
  ));
  out.push('');
  for (const t of report.targets) {
    out.push(`target: ${t.description} ${t.comparison} ${t.threshold} ${t.unit}: `
      + (t.measured === null ? 'not measured' : `${t.measured.toFixed(1)}, ${t.met ? 'MET' : 'NOT MET'}`));
  }
  return out.join('\n');
}

function formatAppendFloor(floors: AppendFloorResult[], throughput: ThroughputResult[]): string[] {
  return [
    'append floor: the replay stream into a bare Node process that only assembles each frame, computes its CRC-32C,',
    'appends it with one write and answers it (what no broker can skip), next to the broker\'s replay run:',
    textTable(
      ['record', 'MB/s', 'floor CPU', 'floor MB/CPU-s', 'broker MB/broker-CPU-s', 'broker share of floor'],
      floors.map((f) => {
        const broker = throughput.find((r) => r.client === 'replay' && r.recordBytes === f.recordBytes);
        return [
          sizeLabel(f.recordBytes), f.mbPerSec.toFixed(1), `${f.sinkCpuSeconds.toFixed(2)} s`, f.mbPerSinkCpuSecond.toFixed(0),
          broker ? broker.mbPerBrokerCpuSecond.toFixed(0) : '-',
          broker ? `${((broker.mbPerBrokerCpuSecond / f.mbPerSinkCpuSecond) * 100).toFixed(0)}%` : '-',
        ];
      }),
      [false, true, true, true, true, true],
    ),
  ];
}

function formatThroughput(throughput: ThroughputResult[]): string[] {
  return [
    textTable(
      ['client', 'op', 'record', 'records', 'MB', 'seconds', 'records/s', 'MB/s', 'vs loopback', 'broker CPU', 'MB/broker-CPU-s', 'client CPU', 'settings'],
      throughput.map((r) => [
        r.client, r.op, sizeLabel(r.recordBytes), int(r.records), (r.payloadBytes / 1e6).toFixed(1), r.seconds.toFixed(2),
        int(r.recordsPerSec), r.mbPerSec.toFixed(1), `${(r.ratioToLoopback * 100).toFixed(1)}%`,
        `${r.brokerCpuPercent.toFixed(0)}%`, Number.isFinite(r.mbPerBrokerCpuSecond) ? r.mbPerBrokerCpuSecond.toFixed(0) : '-', `${r.clientCpuPercent.toFixed(0)}%`,
        Object.entries(r.settings).map(([k, v]) => `${k}=${v}`).join(' '),
      ]),
      [false, false, true, true, true, true, true, true, true, true, true, true, false],
    ),
    '',
    'MB = 10^6 bytes of record values; CPU = CPU time / wall time, 100% = one core;',
    'MB/broker-CPU-s = MB per second of broker CPU time (what the broker would do with a core to itself).',
  ];
}

function formatGroups(groups: GroupResult[]): string[] {
  const clientCpu = (g: GroupResult) => (g.join.clientCpuSeconds + g.commit.clientCpuSeconds) / (g.join.seconds + g.commit.seconds);
  return [
    'group coordinator: members join one group and sync, each commits its partition\'s offset in a row, all leave',
    textTable(
      ['client', 'members', 'join s', 'join rounds', 'join broker CPU s', 'broker CPU ms/join',
        'commits', 'commit s', 'commits/s', 'commit broker CPU s', 'broker CPU us/commit', 'leave s', 'leave broker CPU s',
        'client CPU', 'RSS after'],
      groups.map((g) => [
        g.client, int(g.members), g.join.seconds.toFixed(2), int(g.joinRounds),
        g.join.brokerCpuSeconds.toFixed(2), g.brokerCpuMsPerJoin.toFixed(2),
        int(g.commits), g.commit.seconds.toFixed(2), int(g.commitsPerSec), g.commit.brokerCpuSeconds.toFixed(2),
        g.brokerCpuUsPerCommit.toFixed(0), g.leave.seconds.toFixed(2), g.leave.brokerCpuSeconds.toFixed(2),
        `${(clientCpu(g) * 100).toFixed(0)}%`, mib(g.rssAfterBytes),
      ]),
      [false, true, true, true, true, true, true, true, true, true, true, true, true, true, true],
    ),
    '',
    'join s = from the first run() until every member holds one partition (the final generation joined and synced);',
    'join rounds = join+sync rounds the members completed meanwhile; broker CPU per join = join-phase broker CPU / members;',
    'client CPU over the join and commit phases; RSS after = broker VmRSS 1 s after the last member left.',
  ];
}

export function writeJson(file: string, report: BenchReport): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
