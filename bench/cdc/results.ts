/** Result records of the CDC benchmark, the printed report, and the JSON file. */
import fs from 'node:fs';
import path from 'node:path';
import type { MemoryStep } from '../broker/results.js';
import type { ProfileReport } from '../runtime/results.js';
import type { ConverterVariant } from './connector-configs.js';
import { textTable } from '../text-table.js';

export type { MemoryStep, ProfileReport };

/** CPU time over wall time, 100% = one core, per process label (ferry, mariadbd, bench, mariadb-binlog). */
export type CpuShares = Record<string, number>;

/** The ferry process's memory over one measured run. */
export interface RunMemory {
  rssBeforeBytes: number;
  /** VmHWM reset at the start of the run (or the sampled peak where the reset is refused). */
  peakRssBytes: number;
  /** Largest VmRSS sampled every 250 ms. */
  sampledPeakRssBytes: number;
  /** VmRSS a few seconds after the connector was stopped or deleted. */
  rssAfterBytes: number;
}

export interface SelectBaseline {
  rows: number;
  seconds: number;
  rowsPerSec: number;
  cpuPercent: CpuShares;
}

export interface SnapshotResult {
  id: string;
  variant: ConverterVariant;
  rows: number;
  /** From POST /connectors until the topic's end offset reached `rows`. */
  seconds: number;
  firstRecordSeconds: number;
  rowsPerSec: number;
  ratioToSelect: number | null;
  cpuPercent: CpuShares;
  /** ferry CPU microseconds per row: the figure to compare under load. */
  ferryCpuMicrosPerRow: number;
  memory: RunMemory;
  loadAverage: number;
  /** Times the worker lost its group membership during the run (and restarted the task). */
  membershipLosses: number;
}

export interface ChangeLoadInfo {
  changes: number;
  transactions: number;
  rowsPerTransaction: number;
  writeSeconds: number;
  binlogFile: string;
  startPos: number;
  endPos: number;
  /** end - start: bytes of binlog in the range. */
  binlogBytes: number;
}

export interface BinlogBaseline {
  mode: 'plain' | 'verbose';
  events: number;
  seconds: number;
  eventsPerSec: number;
  mbPerSec: number;
  cpuPercent: CpuShares;
}

export interface StreamingResult {
  id: string;
  variant: ConverterVariant;
  events: number;
  /** From PUT /connectors/{name}/resume until the topic's end offset reached `events`. */
  seconds: number;
  firstEventSeconds: number;
  eventsPerSec: number;
  /** events / (last - first event): the drain rate without the task's start-up. */
  drainEventsPerSec: number;
  ratioToBinlog: number | null;
  ratioToBinlogVerbose: number | null;
  cpuPercent: CpuShares;
  ferryCpuMicrosPerEvent: number;
  memory: RunMemory;
  loadAverage: number;
  /** Times the worker lost its group membership during the run (and restarted the task). */
  membershipLosses: number;
}

export interface Target {
  description: string;
  goal: number;
  measured: number | null;
  baselineRatio: number | null;
}

export interface CdcReport {
  startedAt: string;
  machine: { cpus: number; cpuModel: string; memoryBytes: number; node: string; mariadb: string; binlogReader: string | null; loadAverageAtStart: number[] };
  setup: Record<string, string | number | boolean>;
  selectBaseline: SelectBaseline | null;
  snapshots: SnapshotResult[];
  load: ChangeLoadInfo | null;
  binlogBaselines: BinlogBaseline[];
  streaming: StreamingResult[];
  memory: MemoryStep[];
  targets: { snapshot: Target; streaming: Target };
  profiles: ProfileReport[];
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const pct = (r: number | null) => (r === null ? '-' : `${(r * 100).toFixed(1)}%`);
const cpu = (c: CpuShares) => Object.entries(c).map(([k, v]) => `${k} ${v.toFixed(0)}%`).join(', ');
const memoryCells = (m: RunMemory) => [mb(m.rssBeforeBytes), mb(m.peakRssBytes), mb(m.rssAfterBytes)];


function targetLine(t: Target, unit: string): string {
  if (t.measured === null) return `  ${t.description} >= ${int(t.goal)} ${unit}: not measured`;
  return `  ${t.description} >= ${int(t.goal)} ${unit}: ${int(t.measured)} ${unit}, ${t.measured >= t.goal ? 'MET' : 'NOT MET'}`
    + (t.baselineRatio === null ? '' : `; ${pct(t.baselineRatio)} of the same-run baseline`);
}

function snapshotSection(r: CdcReport, out: string[]): void {
  if (r.snapshots.length === 0 && r.selectBaseline === null) return;
  const b = r.selectBaseline;
  out.push(`snapshot: ${r.setup.snapshotRows} rows of ${r.setup.table}, snapshot.mode=initial_only`);
  if (b) {
    out.push(`baseline: mysql2 streaming SELECT * into nothing: ${int(b.rows)} rows in ${b.seconds.toFixed(2)} s, `
      + `${int(b.rowsPerSec)} rows/s (CPU ${cpu(b.cpuPercent)})`);
  }
  out.push(textTable(
    ['run', 'converter', 'rows', 'seconds', 'rows/s', 'vs SELECT', 'first record s', 'CPU', 'ferry µs/row', 'RSS before', 'peak RSS', 'RSS after', 'group lost', 'load'],
    r.snapshots.map((s) => [
      s.id, s.variant, int(s.rows), s.seconds.toFixed(2), int(s.rowsPerSec), pct(s.ratioToSelect), s.firstRecordSeconds.toFixed(2),
      cpu(s.cpuPercent), s.ferryCpuMicrosPerRow.toFixed(1), ...memoryCells(s.memory), String(s.membershipLosses), s.loadAverage.toFixed(1),
    ]),
    [false, false, true, true, true, true, true, false, true, true, true, true, true, true],
  ));
  out.push('');
}

function streamingSection(r: CdcReport, out: string[]): void {
  const l = r.load;
  if (!l) return;
  out.push(`streaming: ${int(l.changes)} row changes (half INSERT, half UPDATE) in ${int(l.transactions)} transactions of `
    + `${l.rowsPerTransaction} rows, written in ${l.writeSeconds.toFixed(1)} s while the connectors were STOPPED;`);
  out.push(`  binlog range ${l.binlogFile} ${l.startPos}..${l.endPos} (${mb(l.binlogBytes)})`);
  out.push('baseline: mariadb-binlog --read-from-remote-server of that range to /dev/null');
  out.push(textTable(
    ['mode', 'events', 'seconds', 'events/s', 'MB/s', 'CPU'],
    r.binlogBaselines.map((b) => [b.mode, int(b.events), b.seconds.toFixed(2), int(b.eventsPerSec), b.mbPerSec.toFixed(1), cpu(b.cpuPercent)]),
    [false, true, true, true, true, false],
  ));
  out.push('');
  out.push(textTable(
    ['run', 'converter', 'events', 'seconds', 'events/s', 'vs binlog', 'vs binlog -v', 'first event s', 'drain events/s', 'CPU',
      'ferry µs/event', 'RSS before', 'peak RSS', 'RSS after', 'group lost', 'load'],
    r.streaming.map((s) => [
      s.id, s.variant, int(s.events), s.seconds.toFixed(2), int(s.eventsPerSec), pct(s.ratioToBinlog), pct(s.ratioToBinlogVerbose),
      s.firstEventSeconds.toFixed(2), int(s.drainEventsPerSec), cpu(s.cpuPercent), s.ferryCpuMicrosPerEvent.toFixed(1),
      ...memoryCells(s.memory), String(s.membershipLosses), s.loadAverage.toFixed(1),
    ]),
    [false, false, true, true, true, true, true, true, true, false, true, true, true, true, true, true],
  ));
  out.push('');
}

export function formatReport(r: CdcReport): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(`ferry CDC benchmark  ${r.startedAt}`);
  out.push(`machine: ${m.cpus} CPUs (${m.cpuModel}), ${(m.memoryBytes / 2 ** 30).toFixed(0)} GiB, node ${m.node}, ${m.mariadb}, `
    + `load average at start ${m.loadAverageAtStart.map((x) => x.toFixed(2)).join(' ')}`);
  out.push(`setup: ${Object.entries(r.setup).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  out.push('');
  snapshotSection(r, out);
  streamingSection(r, out);
  out.push('seconds: snapshot from POST /connectors, streaming from PUT .../resume, to the end offset reaching the count (polled every 100 ms);');
  out.push('drain events/s leaves out the task start-up (first to last event); CPU = CPU time / wall time, 100% = one core;');
  out.push('ferry µs/row (event) = ferry CPU time per record, the figure to compare under load; peak RSS = ferry VmHWM during the run;');
  out.push('group lost = times the worker lost its group membership during the run (it then restarts the task);');
  out.push(`load = 1-minute load average before the run (${m.cpus} cores: above ${m.cpus} means contention).`);
  out.push('');
  out.push('ferry start memory (VmRSS, VmHWM):');
  out.push(textTable(['step', 'RSS', 'peak RSS'], r.memory.map((s) => [s.step, mb(s.rssBytes), mb(s.peakRssBytes)]), [false, true, true]));
  out.push('');
  out.push('targets (2-core machine, narrow rows; or the ratio to the baseline where the database is the limit):');
  out.push(targetLine(r.targets.snapshot, 'rows/s'));
  out.push(targetLine(r.targets.streaming, 'events/s'));
  return out.join('\n');
}

export function writeJson(file: string, report: CdcReport): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
