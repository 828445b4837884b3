/**
 * Reads a V8 .cpuprofile (as written by `node --cpu-prof`) and ranks functions by self
 * time and by inclusive time, so the hot spots are visible without opening DevTools.
 * Sample times are CLOCK_MONOTONIC microseconds, the clock of process.hrtime in any process
 * on the machine, so a window measured by the benchmark selects the samples of one run.
 */
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Monotonic-clock microseconds, as `process.hrtime.bigint() / 1000n`. */
export interface TimeWindow {
  startUs: number;
  endUs: number;
}

export interface HotFunction {
  name: string;
  /** Milliseconds sampled in the function itself. */
  selfMs: number;
  /** Milliseconds sampled in the function or anything it called (each sample counted once per function). */
  totalMs: number;
}

function label(node: ProfileNode, root: string): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^file:\/\//, '').replace(`${root}/`, '')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
}

export function summarizeProfile(file: string, root: string, window?: TimeWindow): { totalMs: number; functions: HotFunction[] } {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let t = profile.startTime;
  let sampledUs = 0;
  for (let i = 0; i < samples.length; i++) {
    t += deltas[i] ?? 0;
    if (window && (t < window.startUs || t > window.endUs)) continue;
    const dt = deltas[i + 1] ?? 0;
    sampledUs += dt;
    selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + dt);
  }
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const name = label(byId.get(id)!, root);
    self.set(name, (self.get(name) ?? 0) + us);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = label(byId.get(cur)!, root);
      if (seen.has(n)) continue;
      seen.add(n);
      total.set(n, (total.get(n) ?? 0) + us);
    }
  }
  const functions = [...total.keys()].map((name) => ({
    name, selfMs: (self.get(name) ?? 0) / 1000, totalMs: (total.get(name) ?? 0) / 1000,
  }));
  return { totalMs: sampledUs / 1000, functions };
}

export function formatProfile(title: string, file: string, root: string, window?: TimeWindow, top = 25): string {
  const { totalMs, functions } = summarizeProfile(file, root, window);
  const pct = (ms: number) => `${((ms / totalMs) * 100).toFixed(1).padStart(5)}%`;
  const rows = (list: HotFunction[], pick: (f: HotFunction) => number) => list
    .sort((a, b) => pick(b) - pick(a))
    .slice(0, top)
    .map((f) => `  ${pick(f).toFixed(0).padStart(7)} ms ${pct(pick(f))}  ${f.name}`);
  return [
    `${title}: ${path.relative(root, file)}, ${totalMs.toFixed(0)} ms sampled`,
    'by self time:',
    ...rows([...functions], (f) => f.selfMs),
    'by inclusive time:',
    ...rows(functions.filter((f) => !f.name.startsWith('(root)')), (f) => f.totalMs),
  ].join('\n');
}
