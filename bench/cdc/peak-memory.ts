/**
 * Peak resident memory of a process over one phase: VmHWM is the peak since the process
 * started, so it is reset at the start of the phase by writing 5 to /proc/<pid>/clear_refs
 * (Linux 4.0+, our own child). If the kernel refuses, the phase's peak is the largest VmRSS
 * sampled (bench/rest/process-sampler.ts), which every phase records as well.
 */
import fs from 'node:fs';

/** True when VmHWM now counts from this moment. */
export function resetPeakRss(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
