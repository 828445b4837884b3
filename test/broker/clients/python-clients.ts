/** Runs the Python client scripts in test/clients with Debian's python3 and parses their output. */
import path from 'node:path';
import { jsonLines, runProcess } from '../../helpers/run-process.js';

const PYTHON = '/usr/bin/python3';
const CLIENTS = path.resolve(import.meta.dirname, '../../clients');

export interface PyProduced {
  partition: number;
  offset: number;
  error?: string;
}

export interface PyConsumed {
  partition: number;
  offset: number;
  key: string | null;
  value: string | null;
  headers: [string, string][];
  error?: string;
}

export async function runPythonClient<T = Record<string, unknown>>(script: string, args: (string | number)[], timeoutMs = 60_000): Promise<T[]> {
  const result = await runProcess(PYTHON, [path.join(CLIENTS, script), ...args.map(String)], { timeoutMs });
  if (result.code !== 0) {
    throw new Error(`${script} ${args.join(' ')} exited ${result.code}:\n${result.stderr}\n${result.stdout}`);
  }
  const rows = jsonLines<T & { error?: string }>(result.stdout.split('\n').filter((l) => l.startsWith('{')).join('\n'));
  const errors = rows.filter((r) => r.error !== undefined);
  if (errors.length > 0) throw new Error(`${script} ${args.join(' ')} reported errors: ${JSON.stringify(errors)}`);
  return rows;
}
