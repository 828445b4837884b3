import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { reapAll } from './child-reaper.js';

const made: string[] = [];

/** A fresh directory under the OS temp dir, removed after the test file finishes (outside vitest: when the process exits). */
export function tempDir(prefix = 'ferry-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

const removeAll = () => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
};
// Children still running (a broker on its data directory) are killed first, whatever order the
// files' afterAll hooks run in: a broker writing while its directory is removed failed a file.
if (process.env['VITEST'] !== undefined) afterAll(async () => { await reapAll(); removeAll(); });
else process.once('exit', removeAll);
