/**
 * The repository's root, found from a module's own directory: the nearest directory upwards with
 * a package.json. The same helper runs from source under vitest (test/helpers/) and compiled by a
 * benchmark (dist/test/helpers/, dist has no package.json), so a fixed '../..' would point into
 * dist/ in the second case.
 */
import fs from 'node:fs';
import path from 'node:path';

export function repoRoot(fromDir: string): string {
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${fromDir}`);
  }
}
