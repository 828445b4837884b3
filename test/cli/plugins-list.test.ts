/**
 * `ferry plugins list` from the build (run `npm run build` first), as a user runs it, on
 * directories of the packages written by test/runtime/plugins/plugin-fixtures.ts: what a worker
 * would load (class, type, version, package) and what it would refuse with the reasons a worker
 * logs, from --plugin-path or a worker properties file, as a table or --json; and its one-line
 * errors when there is no plugin path to read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runProcess, type ProcessResult } from '../helpers/run-process.js';
import { CLI } from '../helpers/test-broker.js';
import { tempDir } from '../helpers/temp-dir.js';
import { COUNTER_SOURCE, EXPECTED_REFUSALS, GOOD_PACKAGE, SHORT_PREDICATE, SHOUT_CONVERTER, UPPER_TRANSFORM, writeAllPackages, writeGoodPackage } from '../runtime/plugins/plugin-fixtures.js';

function plugins(args: string[]): Promise<ProcessResult> {
  return runProcess(process.execPath, [CLI, 'plugins', ...args], { timeoutMs: 30_000 });
}

let dir: string;

beforeAll(() => {
  dir = tempDir('ferry-plugins-list-');
  writeAllPackages(path.join(dir, 'plugins'));
});

describe('ferry plugins list', () => {
  it('prints the plugins a worker would load as a table, then each refused package with its reason, exit 0', async () => {
    const pluginPath = path.join(dir, 'plugins');
    const result = await plugins(['list', '--plugin-path', pluginPath]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [table, refusals] = result.stdout.split('\n\n');
    const rows = table!.trimEnd().split('\n').map((line) => line.split(/\s{2,}/));
    expect(rows).toEqual([
      ['CLASS', 'TYPE', 'VERSION', 'PACKAGE'],
      [COUNTER_SOURCE, 'source', '2.3.4', `${GOOD_PACKAGE.name} ${GOOD_PACKAGE.version}`],
      [SHOUT_CONVERTER, 'converter', '2.3.4', `${GOOD_PACKAGE.name} ${GOOD_PACKAGE.version}`],
      [UPPER_TRANSFORM, 'transformation', '2.3.4', `${GOOD_PACKAGE.name} ${GOOD_PACKAGE.version}`],
      [SHORT_PREDICATE, 'predicate', '2.3.4', `${GOOD_PACKAGE.name} ${GOOD_PACKAGE.version}`],
    ]);
    const expected = Object.entries(EXPECTED_REFUSALS).sort(([a], [b]) => a.localeCompare(b))
      .map(([folder, reason]) => `${path.join(pluginPath, folder)}: ${reason}`);
    expect(refusals!.trimEnd().split('\n')).toEqual([`Refused (${expected.length}):`, ...expected]);
  });

  it('reads plugin.path from a worker properties file, several directories, and says which one does not exist', async () => {
    const good = tempDir('ferry-plugins-list-good-');
    writeGoodPackage(good);
    const missing = path.join(dir, 'not-there');
    const file = path.join(dir, 'worker.properties');
    fs.writeFileSync(file, `bootstrap.servers=localhost:9092\ngroup.id=g\nplugin.path=${good}, ${missing}\n`);
    const result = await plugins(['list', file, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as {
      pluginPath: string[];
      plugins: { class: string; type: string; version: string; package: string; folder: string }[];
      packages: { name: string; version: string; sdkVersion: string; folder: string }[];
      refused: { folder: string; kind: string; reason: string }[];
    };
    expect(listed.pluginPath).toEqual([good, missing]);
    expect(listed.plugins.map((p) => [p.class, p.type, p.version, p.package])).toEqual([
      [COUNTER_SOURCE, 'source', '2.3.4', GOOD_PACKAGE.name],
      [SHOUT_CONVERTER, 'converter', '2.3.4', GOOD_PACKAGE.name],
      [UPPER_TRANSFORM, 'transformation', '2.3.4', GOOD_PACKAGE.name],
      [SHORT_PREDICATE, 'predicate', '2.3.4', GOOD_PACKAGE.name],
    ]);
    expect(listed.packages).toEqual([{ name: GOOD_PACKAGE.name, version: GOOD_PACKAGE.version, sdkVersion: '1.0.0', folder: path.join(good, GOOD_PACKAGE.folder) }]);
    expect(listed.refused).toEqual([{ folder: missing, kind: 'unreadable-directory', reason: 'no such directory on plugin.path' }]);
  });

  it('--plugin-path wins over the file, and a path with nothing loadable says so', async () => {
    const empty = tempDir('ferry-plugins-list-empty-');
    const file = path.join(dir, 'other.properties');
    fs.writeFileSync(file, `plugin.path=${path.join(dir, 'plugins')}\n`);
    const result = await plugins(['list', file, '--plugin-path', empty]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`No plugin loaded from plugin.path ${empty}.\n`);
  });

  it('without a plugin path: a usage error (exit 2); a file without plugin.path: one line (exit 1)', async () => {
    const bare = await plugins(['list']);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe('');
    expect(bare.stderr.split('\n')[0]).toBe('ferry plugins list: name the plugin path: --plugin-path DIRS, or a worker properties file that sets plugin.path');

    const file = path.join(dir, 'no-plugin-path.properties');
    fs.writeFileSync(file, 'group.id=g\n');
    const none = await plugins(['list', file]);
    expect(none.code).toBe(1);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe(`ferry plugins list: ${file} sets no plugin.path: a worker loads the bundled plugins only\n`);

    const unreadable = await plugins(['list', path.join(dir, 'missing.properties')]);
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('is listed by ferry plugins --help', async () => {
    const help = await plugins(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/\n {2}list +what a worker would load from its plugin\.path/);
  });
});
