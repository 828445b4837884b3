/**
 * What one measured run costs: CPU time over wall time of ferry, mariadbd and this benchmark
 * process, and ferry's memory (RSS before, peak during via a reset VmHWM, sampled VmRSS).
 */
import { readMemory } from '../broker/proc-stats.js';
import { sampleProcess, type ProcessSampler } from '../rest/process-sampler.js';
import { resetPeakRss } from './peak-memory.js';
import type { CpuShares, RunMemory } from './results.js';

export interface RunMeter {
  /** Ends the window: CPU shares per process and ferry's memory (rssAfterBytes filled in later). */
  stop(): { cpuPercent: CpuShares; ferryCpuSeconds: number; memory: RunMemory };
}

export function startRunMeter(ferryPid: number, databasePid: number): RunMeter {
  const rssBeforeBytes = readMemory(ferryPid).rssBytes;
  const hwmReset = resetPeakRss(ferryPid);
  const samplers: Record<string, ProcessSampler> = { ferry: sampleProcess(ferryPid), mariadbd: sampleProcess(databasePid) };
  const benchCpu = process.cpuUsage();
  const t0 = performance.now();
  return {
    stop() {
      const seconds = (performance.now() - t0) / 1000;
      const used = process.cpuUsage(benchCpu);
      const ferry = samplers.ferry!.stop();
      const db = samplers.mariadbd!.stop();
      const hwm = readMemory(ferryPid).peakRssBytes;
      return {
        cpuPercent: { ferry: ferry.cpuPercent, mariadbd: db.cpuPercent, bench: ((used.user + used.system) / 1e6 / seconds) * 100 },
        ferryCpuSeconds: ferry.cpuSeconds,
        memory: {
          rssBeforeBytes,
          peakRssBytes: hwmReset ? hwm : ferry.peakRssBytes,
          sampledPeakRssBytes: ferry.peakRssBytes,
          rssAfterBytes: NaN,
        },
      };
    },
  };
}
