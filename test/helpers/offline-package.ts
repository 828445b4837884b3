/**
 * Gives a plugin package folder the node_modules `npm install` would, without the network:
 * `ferry` is this repository (its build and its published types), TypeScript and @types/node
 * are the repository's own, and node_modules/.bin/tsc is TypeScript's command line, so the
 * package's `npm run build` and `npm test` scripts run as they would after an install.
 */
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from './repo-root.js';

export async function linkOfflineNodeModules(packageDir: string): Promise<void> {
  const root = repoRoot(import.meta.dirname);
  const modules = path.join(packageDir, 'node_modules');
  await mkdir(path.join(modules, '@types'), { recursive: true });
  await mkdir(path.join(modules, '.bin'), { recursive: true });
  await symlink(root, path.join(modules, 'ferry'), 'dir');
  await symlink(path.join(root, 'node_modules/typescript'), path.join(modules, 'typescript'), 'dir');
  await symlink(path.join(root, 'node_modules/@types/node'), path.join(modules, '@types/node'), 'dir');
  await symlink('../typescript/bin/tsc', path.join(modules, '.bin/tsc'));
}
