/**
 * Child processes a test file starts (ferry, s3rver, ...): every one still running when the file
 * finishes is SIGKILLed, so a failed test never leaves a process behind. Outside vitest (a
 * benchmark compiled from the same helpers) they are SIGKILLed when the process exits.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll } from 'vitest';

const running = new Set<ChildProcess>();

/** SIGKILLs every child still running and waits until they exited (temp-dir.ts calls it before removing directories). */
export async function reapAll(): Promise<void> {
  const left = [...running];
  running.clear();
  await Promise.all(left.map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  })));
}

if (process.env['VITEST'] !== undefined) {
  afterAll(reapAll);
} else {
  process.once('exit', () => { for (const child of running) child.kill('SIGKILL'); });
}

/** Kills `child` after the test file unless it has exited by then. */
export function reapAfterFile(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
}
