import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

/** A fresh directory under the OS temp dir, removed after the test file finishes (outside vitest: when the process exits). */
export function tempDir(prefix = 'ferry-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

const removeAll = () => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
};
if (process.env['VITEST'] !== undefined) afterAll(removeAll);
else process.once('exit', removeAll);
