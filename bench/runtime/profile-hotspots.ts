/**
 * Hot spots of a V8 .cpuprofile (as written by `node --cpu-prof`) within time windows:
 * functions ranked by self and by inclusive time, and self time summed by source file (this
 * project's files by repo path, a dependency as its package, Node's own code as
 * `node:internal`, V8's pseudo-frames such as (garbage collector) as they are).
 * Sample times are CLOCK_MONOTONIC microseconds, the clock of process.hrtime in every
 * process on the machine, so a window the benchmark measured selects the samples of one run.
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Monotonic-clock microseconds, as from monotonicUs(). */
export interface TimeWindow {
  startUs: number;
  endUs: number;
}

export interface Hotspots {
  /** Milliseconds of samples inside the window. */
  sampledMs: number;
  functions: { name: string; selfMs: number; totalMs: number }[];
  files: { file: string; selfMs: number; percent: number }[];
}

export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

function functionLabel(node: ProfileNode, root: string): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^file:\/\//, '').replace(`${root}/`, '')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
}

function fileLabel(node: ProfileNode, root: string): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node:internal';
  const local = url.replace(/^file:\/\//, '').replace(`${root}/`, '');
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(local);
  return dep ? `node_modules/${dep[1]}` : local;
}

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

export function profileHotspots(file: string, root: string, window: TimeWindow): Hotspots {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const nodeUs = new Map<number, number>();
  let t = profile.startTime;
  let sampledUs = 0;
  for (let i = 0; i < samples.length; i++) {
    t += deltas[i] ?? 0;
    if (t < window.startUs || t > window.endUs) continue;
    const dt = deltas[i + 1] ?? 0;
    sampledUs += dt;
    nodeUs.set(samples[i]!, (nodeUs.get(samples[i]!) ?? 0) + dt);
  }
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const files = new Map<string, number>();
  for (const [id, us] of nodeUs) {
    const node = byId.get(id)!;
    add(self, functionLabel(node, root), us);
    add(files, fileLabel(node, root), us);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = functionLabel(byId.get(cur)!, root);
      if (seen.has(name)) continue;
      seen.add(name);
      add(total, name, us);
    }
  }
  return {
    sampledMs: sampledUs / 1000,
    functions: [...total.keys()].map((name) => ({ name, selfMs: (self.get(name) ?? 0) / 1000, totalMs: total.get(name)! / 1000 })),
    files: [...files].map(([name, us]) => ({ file: name, selfMs: us / 1000, percent: sampledUs ? (us / sampledUs) * 100 : 0 }))
      .sort((a, b) => b.selfMs - a.selfMs),
  };
}

export function formatHotspots(title: string, h: Hotspots, top = 20): string {
  const pct = (ms: number) => `${(h.sampledMs ? (ms / h.sampledMs) * 100 : 0).toFixed(1).padStart(5)}%`;
  const rows = (pick: (f: Hotspots['functions'][number]) => number, skipRoot: boolean) => h.functions
    .filter((f) => !skipRoot || !f.name.startsWith('(root)'))
    .sort((a, b) => pick(b) - pick(a))
    .slice(0, top)
    .map((f) => `  ${pick(f).toFixed(0).padStart(7)} ms ${pct(pick(f))}  ${f.name}`);
  return [
    `${title}: ${h.sampledMs.toFixed(0)} ms sampled`,
    'by self time:',
    ...rows((f) => f.selfMs, false),
    'self time by file:',
    ...h.files.slice(0, top).map((f) => `  ${f.selfMs.toFixed(0).padStart(7)} ms ${f.percent.toFixed(1).padStart(5)}%  ${f.file}`),
    'by inclusive time:',
    ...rows((f) => f.totalMs, true),
  ].join('\n');
}
