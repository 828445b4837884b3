import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/repo-root.js';

const TUNING = pathToFileURL(path.join(repoRoot(import.meta.dirname), 'dist/cli/native-heap-tuning.js')).href;
const MIB = 1024 * 1024;
const CYCLE_MIB = 48;

/**
 * In a fresh node (as ferry's long-running commands are): optionally the tuning, then two cycles
 * of CYCLE_MIB buffers of 1 MiB allocated, written and collected, as a data path's batches are.
 * Answers the page faults of the second cycle: what reusing freed memory costs.
 */
function secondCycleFaults(tuned: boolean, env: Record<string, string> = {}): number {
  const script = `
    if (process.argv[1] === 'tuned') (await import(${JSON.stringify(TUNING)})).keepFreedNativeMemory();
    // Twice: a collection may leave freeing array buffers to a helper thread, which the next one waits for.
    gc(); gc();
    const cycle = () => {
      let held = [];
      for (let i = 0; i < ${CYCLE_MIB}; i++) held.push(Buffer.allocUnsafeSlow(${MIB}).fill(i));
      held = null;
      gc(); gc();
    };
    cycle();
    const before = process.resourceUsage().minorPageFault;
    cycle();
    process.stdout.write(String(process.resourceUsage().minorPageFault - before));
  `;
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script, tuned ? 'tuned' : 'plain'], {
    encoding: 'utf8', env: { ...process.env, ...env },
  });
  return Number(out);
}

const PAGES_PER_CYCLE = (CYCLE_MIB * MIB) / 4096;

describe('freed native memory kept for reuse (glibc malloc thresholds)', () => {
  it('lets a second cycle of 1 MiB buffers reuse the first one\'s pages instead of faulting in new ones', () => {
    // Without the tuning each 1 MiB buffer is a mapping of its own, unmapped when collected: every page faults again.
    expect(secondCycleFaults(false)).toBeGreaterThan(PAGES_PER_CYCLE * 0.9);
    expect(secondCycleFaults(true)).toBeLessThan(PAGES_PER_CYCLE * 0.1);
  });

  it('leaves malloc settings the user gave in the environment as they are', () => {
    // Any explicit threshold turns glibc's adjustment off: 1 MiB buffers stay mappings of their own.
    expect(secondCycleFaults(true, { MALLOC_MMAP_THRESHOLD_: String(128 * 1024) })).toBeGreaterThan(PAGES_PER_CYCLE * 0.9);
  });
});
