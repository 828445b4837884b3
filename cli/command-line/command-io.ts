/**
 * Where a CLI command reads and writes. Tests pass their own sinks and environment; the real
 * command uses the process's.
 */

export interface TextSink {
  write(text: string): unknown;
}

export interface CommandIo {
  stdout: TextSink;
  stderr: TextSink;
  stdin: AsyncIterable<Buffer | string>;
  env: Record<string, string | undefined>;
  fetch: typeof fetch;
}

export function processIo(overrides: Partial<CommandIo> = {}): CommandIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    fetch: globalThis.fetch,
    ...overrides,
  };
}
