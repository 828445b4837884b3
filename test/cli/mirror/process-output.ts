/** Runs a command function that writes to process.stdout/stderr and returns its exit code with what it wrote. */
import { vi } from 'vitest';

export interface CommandRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function captureCommand(run: () => Promise<number>): Promise<CommandRun> {
  let stderr = '';
  let stdout = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => { stderr += String(chunk); return true; });
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => { stdout += String(chunk); return true; });
  try {
    const code = await run();
    return { code, stderr, stdout };
  } finally {
    vi.restoreAllMocks();
  }
}
