/**
 * CPU and memory of a process over a window: CPU time from /proc/<pid>/stat at both ends,
 * VmRSS sampled every `intervalMs` in between.
 */
import { cpuSeconds, readMemory } from '../broker/proc-stats.js';

export interface ProcessLoad {
  /** CPU time over wall time, in % of one core. */
  cpuPercent: number;
  cpuSeconds: number;
  seconds: number;
  /** VmRSS at the end of the window. */
  rssBytes: number;
  /** Largest VmRSS sampled during the window. */
  peakRssBytes: number;
}

export interface ProcessSampler {
  stop(): ProcessLoad;
}

export function sampleProcess(pid: number, intervalMs = 250): ProcessSampler {
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  let peak = readMemory(pid).rssBytes;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, readMemory(pid).rssBytes);
    } catch {
      // the process exited; stop() reports it
    }
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const seconds = (performance.now() - t0) / 1000;
      const cpu = cpuSeconds(pid) - cpu0;
      const rss = readMemory(pid).rssBytes;
      return { cpuPercent: (cpu / seconds) * 100, cpuSeconds: cpu, seconds, rssBytes: rss, peakRssBytes: Math.max(peak, rss) };
    },
  };
}
