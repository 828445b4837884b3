/**
 * The example plugin examples/http-poll-source as its README tells a user to check it, from a
 * copy in a temporary directory (node_modules linked offline to this repository as `ferry`):
 * `npx tsc` on it against ferry's published SDK and kit types passes without a diagnostic, and
 * its own test — the conformance kit, a real worker loading it from plugin.path and polling a
 * local HTTP server — passes. Run `npm run build` first (the published types are in dist/).
 */
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { linkOfflineNodeModules } from '../helpers/offline-package.js';
import { repoRoot } from '../helpers/repo-root.js';
import { runProcess } from '../helpers/run-process.js';
import { tempDir } from '../helpers/temp-dir.js';

const EXAMPLE = path.join(repoRoot(import.meta.dirname), 'examples/http-poll-source');

let dir: string;

beforeAll(async () => {
  dir = path.join(tempDir('ferry-example-'), 'http-poll-source');
  await cp(EXAMPLE, dir, { recursive: true, filter: (source) => !/[/\\](node_modules|dist)$/.test(source) });
  await linkOfflineNodeModules(dir);
});

describe('examples/http-poll-source', () => {
  it('npx tsc on it against the published SDK types passes', async () => {
    // In the example's folder, as a user runs it: npx finds the package's own node_modules/.bin/tsc.
    const result = await runProcess('sh', ['-c', 'cd "$1" && npx tsc', 'sh', dir], { timeoutMs: 120_000 });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 120_000);

  it('passes the conformance kit in a real worker (its own test)', async () => {
    const result = await runProcess(process.execPath, ['--test', path.join(dir, 'dist/test/')], { timeoutMs: 180_000 });
    expect(result.stdout).toContain('# ok offsets resumed after a worker restart');
    expect(result.stdout).toContain('# example.http.HttpPollSourceConnector 0.1.0: 13 checks passed');
    expect(result.code).toBe(0);
  }, 180_000);
});
