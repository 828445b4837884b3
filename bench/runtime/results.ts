/** Result records of the runtime benchmark, the printed tables, and the JSON file. */
import fs from 'node:fs';
import path from 'node:path';
import { sizeLabel } from '../broker/results.js';
import type { ConverterId } from './worker-properties.js';
import { textTable } from '../text-table.js';

/**
 * start: `ferry start`, broker + worker + REST in one process.
 * split: `ferry broker` and `ferry worker` as two processes.
 * eos-poll, eos-interval: as split, the worker with exactly-once source support, the source
 * committing a transaction per poll or per second, the sink reading committed records only.
 */
export type Layout = 'start' | 'split' | SplitVariant;
export type SplitVariant = 'eos-poll' | 'eos-interval';

export interface KcatResult {
  /** The ferry process whose broker kcat produced to. */
  process: string;
  lineBytes: number;
  lines: number;
  seconds: number;
  linesPerSec: number;
  mbPerSec: number;
}

export interface PipelineResult {
  id: string;
  layout: Layout;
  converter: ConverterId;
  /** Bytes of a line, not counting its newline. */
  lineBytes: number;
  lines: number;
  /** Bytes of the input file, newlines included. */
  fileBytes: number;
  seconds: number;
  linesPerSec: number;
  /** File MB/s, 1 MB = 10^6 bytes. */
  mbPerSec: number;
  firstLineSeconds: number;
  sourceSeconds: number;
  /** Lines over sourceSeconds: how fast the topic filled. */
  sourceLinesPerSec: number;
  kcatLinesPerSec: number | null;
  /** linesPerSec / kcatLinesPerSec: ferry end to end against kcat producing the same file to the same broker. */
  ratioToKcat: number | null;
  cpuPercent: Record<string, number>;
  /** CPU microseconds per line, per process: unlike lines/s, barely moved by other load on the machine. */
  cpuMicrosPerLine: Record<string, number>;
  /** Largest VmRSS sampled during the run, per process. */
  peakRssBytes: Record<string, number>;
  identical: true;
  /** os.loadavg()[0] just before the run: other load on the machine. */
  loadAverage: number;
}

export interface MemoryStep {
  process: string;
  step: string;
  rssBytes: number;
  peakRssBytes: number;
}

export interface ProfileReport {
  process: string;
  run: string;
  file: string;
  sampledMs: number;
  functions: { name: string; selfMs: number; totalMs: number }[];
  files: { file: string; selfMs: number; percent: number }[];
}

export interface Target {
  description: string;
  goal: number;
  measured: number | null;
  met: boolean | null;
}

export interface RuntimeReport {
  startedAt: string;
  machine: { cpus: number; cpuModel: string; memoryBytes: number; node: string; kcat: string | null; loadAverageAtStart: number[] };
  setup: Record<string, string | number | boolean>;
  kcat: KcatResult[];
  pipelines: PipelineResult[];
  memory: MemoryStep[];
  targets: { throughput: Target; workerIdleMemory: Target; startIdleMemory: Target };
  profiles: ProfileReport[];
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;


function targetLine(t: Target, unit: (n: number) => string, comparison: string): string {
  return `  ${t.description} ${comparison} ${unit(t.goal)}: `
    + (t.measured === null ? 'not measured' : `${unit(t.measured)}, ${t.met ? 'MET' : 'NOT MET'}`);
}

export function formatReport(r: RuntimeReport): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(`ferry runtime benchmark  ${r.startedAt}`);
  out.push(`machine: ${m.cpus} CPUs (${m.cpuModel}), ${(m.memoryBytes / 2 ** 30).toFixed(0)} GiB, node ${m.node}, `
    + `kcat ${m.kcat ?? 'missing'}, load average at start ${m.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')}`);
  out.push(`setup: ${Object.entries(r.setup).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  out.push('');
  out.push('baseline: kcat -P -l producing the same file to the same broker');
  out.push(textTable(
    ['broker of', 'line', 'lines', 'seconds', 'lines/s', 'MB/s'],
    r.kcat.map((k) => [k.process, sizeLabel(k.lineBytes), int(k.lines), k.seconds.toFixed(2), int(k.linesPerSec), k.mbPerSec.toFixed(1)]),
    [false, true, true, true, true, true],
  ));
  out.push('');
  out.push('end to end: file -> FileStreamSource -> topic -> FileStreamSink -> file (byte-identical checked)');
  out.push(textTable(
    ['run', 'converter', 'line', 'lines', 'seconds', 'lines/s', 'MB/s', 'vs kcat', 'first line s', 'source lines/s', 'CPU', 'CPU µs/line', 'peak RSS', 'load'],
    r.pipelines.map((p) => [
      p.id, p.converter, sizeLabel(p.lineBytes), int(p.lines), p.seconds.toFixed(2), int(p.linesPerSec), p.mbPerSec.toFixed(1),
      p.ratioToKcat === null ? '-' : `${(p.ratioToKcat * 100).toFixed(1)}%`,
      p.firstLineSeconds.toFixed(2), int(p.sourceLinesPerSec),
      Object.entries(p.cpuPercent).map(([k, v]) => `${k} ${v.toFixed(0)}%`).join(', '),
      Object.entries(p.cpuMicrosPerLine).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', '),
      Object.entries(p.peakRssBytes).map(([k, v]) => `${k} ${(v / 1e6).toFixed(0)} MB`).join(', '),
      p.loadAverage.toFixed(1),
    ]),
    [false, false, true, true, true, true, true, true, true, true, false, false, false, true],
  ));
  out.push('');
  out.push('MB = 10^6 bytes of file (newlines included); seconds from the first connector create until the sink file is complete;');
  out.push('CPU = CPU time / wall time, 100% = one core; CPU µs/line = CPU time / lines (the figure to compare under load);');
  out.push('peak RSS = largest VmRSS sampled every 250 ms during the run;');
  out.push(`load = 1-minute load average before the run (${r.machine.cpus} cores: above ${r.machine.cpus} means contention).`);
  out.push('');
  out.push(...costTable('exactly-once cost: the same pipeline with exactly-once source support against split, same run',
    exactlyOnceCost(r.pipelines), 'split', 'worker'));
  out.push(...costTable('AvroConverter (ferry start\'s schema registry) against JsonConverter, same layout, same run',
    avroCost(r.pipelines), 'json', 'ferry'));
  out.push('memory (VmRSS):');
  out.push(textTable(
    ['process', 'step', 'RSS', 'peak RSS'],
    r.memory.map((s) => [s.process, s.step, mb(s.rssBytes), mb(s.peakRssBytes)]),
    [false, false, true, true],
  ));
  out.push('');
  out.push('targets:');
  out.push(targetLine(r.targets.throughput, (n) => `${int(n)} lines/s`, '>='));
  out.push(targetLine(r.targets.workerIdleMemory, mb, '<'));
  out.push(targetLine(r.targets.startIdleMemory, mb, '<'));
  return out.join('\n');
}

/** A titled table of cost rows (nothing when there are none); `other` names the compared run, `process` whose CPU. */
function costTable(title: string, rows: readonly CostRow[], other: string, process: string): string[] {
  if (rows.length === 0) return [];
  return [title, textTable(
    ['run', 'lines/s', `${other} lines/s`, 'ratio', `${process} CPU µs/line`, `${other} ${process} CPU µs/line`],
    rows.map((e) => [e.id, int(e.linesPerSec), int(e.otherLinesPerSec), `${(e.ratio * 100).toFixed(0)}%`,
      e.cpu === null ? '-' : e.cpu.toFixed(1), e.otherCpu === null ? '-' : e.otherCpu.toFixed(1)]),
    [false, true, true, true, true, true],
  ), ''];
}

export function writeJson(file: string, report: RuntimeReport): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

/** A run next to the run it is compared with (same line size, same run of the benchmark). */
interface CostRow {
  id: string; linesPerSec: number; otherLinesPerSec: number; ratio: number; cpu: number | null; otherCpu: number | null;
}

/** Each run `matches` accepts next to the run `counterpart` finds for it; CPU µs/line of `process`. */
function costRows(
  pipelines: readonly PipelineResult[], matches: (p: PipelineResult) => boolean,
  counterpart: (p: PipelineResult, q: PipelineResult) => boolean, process: string,
): CostRow[] {
  const rows: CostRow[] = [];
  for (const p of pipelines) {
    if (!matches(p)) continue;
    const other = pipelines.find((q) => q.lineBytes === p.lineBytes && counterpart(p, q));
    if (!other) continue;
    rows.push({
      id: p.id, linesPerSec: p.linesPerSec, otherLinesPerSec: other.linesPerSec, ratio: p.linesPerSec / other.linesPerSec,
      cpu: p.cpuMicrosPerLine[process] ?? null, otherCpu: other.cpuMicrosPerLine[process] ?? null,
    });
  }
  return rows;
}

/** Each exactly-once run next to the split run of the same converter and line size. */
export function exactlyOnceCost(pipelines: readonly PipelineResult[]): CostRow[] {
  return costRows(pipelines, (p) => p.layout === 'eos-poll' || p.layout === 'eos-interval',
    (p, q) => q.layout === 'split' && q.converter === p.converter, 'worker');
}

/** Each AvroConverter run next to the JsonConverter run of the same layout and line size. */
export function avroCost(pipelines: readonly PipelineResult[]): CostRow[] {
  return costRows(pipelines, (p) => p.converter === 'avro', (p, q) => q.layout === p.layout && q.converter === 'json', 'ferry');
}
