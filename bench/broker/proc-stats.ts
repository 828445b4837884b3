/**
 * Linux /proc readings: a process's resident memory and CPU time, and the CPU time of this
 * process's children that have already exited and been reaped (how we charge a finished
 * kcat run its CPU without racing its exit).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export interface MemoryReading {
  /** VmRSS: resident set size now. */
  rssBytes: number;
  /** VmHWM: peak resident set size so far. */
  peakRssBytes: number;
}

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

export function readMemory(pid: number): MemoryReading {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : NaN;
  };
  return { rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM') };
}

/** Fields of /proc/<pid>/stat after the command name, so field n (1-based, as in proc(5)) is at n - 3. */
function statFields(pid: number | 'self'): string[] {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** User + system CPU seconds the process has used. */
export function cpuSeconds(pid: number): number {
  const f = statFields(pid);
  return (Number(f[14 - 3]) + Number(f[15 - 3])) / clockTicks();
}

/** User + system CPU seconds of this process's reaped children (cutime + cstime). */
export function reapedChildrenCpuSeconds(): number {
  const f = statFields('self');
  return (Number(f[16 - 3]) + Number(f[17 - 3])) / clockTicks();
}
