/**
 * `ferry plugins new` as a plugin author meets it, from the build (run `npm run build` first):
 * it writes a package in a temporary directory (and refuses a non-empty one in one line), the
 * package builds with its own `npm run build` (offline: node_modules links this repository as
 * `ferry`, and its TypeScript), `ferry start` with the package on plugin.path lists it with its
 * version, validates its config per field and runs it end to end, and the package's own
 * `npm test` — the conformance kit in a real worker — passes, for a source and for a sink.
 */
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TopicIo } from '../../testing/index.js';
import { startFerry } from '../helpers/ferry-process.js';
import { linkOfflineNodeModules } from '../helpers/offline-package.js';
import { repoRoot } from '../helpers/repo-root.js';
import { runProcess, type ProcessResult } from '../helpers/run-process.js';
import { CLI } from '../helpers/test-broker.js';
import { tempDir } from '../helpers/temp-dir.js';
import { until } from '../helpers/until.js';

const SOURCE_CLASS = 'ferry.plugins.acmeinboxsource.AcmeInboxSourceConnector';

function ferry(args: string[]): Promise<ProcessResult> {
  return runProcess(process.execPath, [CLI, ...args], { timeoutMs: 30_000 });
}

function npm(dir: string, args: string[]): Promise<ProcessResult> {
  return runProcess('npm', ['--prefix', dir, ...args], { timeoutMs: 180_000 });
}

/** `ferry plugins new`, then the offline node_modules, then `npm run build`. */
async function scaffoldAndBuild(name: string, dir: string, kind: 'source' | 'sink'): Promise<{ created: ProcessResult; built: ProcessResult }> {
  const created = await ferry(['plugins', 'new', name, '--dir', dir, '--kind', kind]);
  if (created.code !== 0) return { created, built: created };
  await linkOfflineNodeModules(dir);
  return { created, built: await npm(dir, ['run', 'build']) };
}

let root: string;
let sourceDir: string;
let created: ProcessResult;
let built: ProcessResult;

beforeAll(async () => {
  root = tempDir('ferry-plugins-new-');
  sourceDir = path.join(root, 'acme-inbox');
  ({ created, built } = await scaffoldAndBuild('acme-inbox', sourceDir, 'source'));
}, 180_000);

describe('ferry plugins new', () => {
  it('writes a TypeScript package with ferry as a devDependency, build and test scripts, a kit test and a README', async () => {
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(`Wrote source connector ${SOURCE_CLASS} to ${sourceDir}:`);
    for (const file of ['package.json', 'tsconfig.json', 'README.md', '.gitignore', 'src/index.ts', 'src/config.ts', 'src/connector.ts', 'src/task.ts', 'test/connector.test.ts']) {
      expect(created.stdout).toContain(`  ${file}\n`);
    }
    const manifest = JSON.parse(await readFile(path.join(sourceDir, 'package.json'), 'utf8')) as {
      name: string; type: string; main: string; scripts: Record<string, string>; devDependencies: Record<string, string>;
    };
    expect(manifest).toMatchObject({ name: 'acme-inbox', type: 'module', main: 'dist/src/index.js', scripts: { build: 'tsc -p tsconfig.json' } });
    expect(manifest.scripts['test']).toContain('node --test');
    expect(manifest.devDependencies['ferry']).toBe(`file:${repoRoot(import.meta.dirname)}`);
    expect(manifest.devDependencies['typescript']).toBeDefined();
    expect(await readFile(path.join(sourceDir, 'src/index.ts'), 'utf8')).toContain('definePlugins({');
    expect(await readFile(path.join(sourceDir, 'test/connector.test.ts'), 'utf8')).toContain("from 'ferry/testing'");
  });

  it('refuses a directory that is not empty in one line, exit 1, and writes nothing', async () => {
    const busy = tempDir('ferry-plugins-new-busy-');
    await writeFile(path.join(busy, 'mine.txt'), 'keep me');
    const result = await ferry(['plugins', 'new', 'acme-other', '--dir', busy]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`ferry plugins new: ${busy} is not empty; give a new or empty directory with --dir\n`);
    expect(existsSync(path.join(busy, 'package.json'))).toBe(false);
  });

  it('refuses a name npm would refuse, as a usage error', async () => {
    const result = await ferry(['plugins', 'new', 'Acme Inbox', '--dir', path.join(root, 'bad')]);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe("ferry plugins new: 'Acme Inbox' is not a package name: a package name is lower case letters, digits, - . _ ~ (optionally @scope/name), not starting with . or _");
    expect(existsSync(path.join(root, 'bad'))).toBe(false);
  });

  it('builds with its own npm run build against the published SDK types, offline', () => {
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    expect(existsSync(path.join(sourceDir, 'dist/src/index.js'))).toBe(true);
    expect(existsSync(path.join(sourceDir, 'dist/test/connector.test.js'))).toBe(true);
  });

  it('ferry start with plugin.path lists it with its version, validates it per field and runs it end to end', async () => {
    const inbox = tempDir('ferry-plugins-new-inbox-');
    const worker = await startFerry({ dataDir: tempDir('ferry-plugins-new-data-'), settings: { 'plugin.path': sourceDir } });
    const topics = new TopicIo(worker.bootstrap);
    try {
      const plugins = await (await fetch(`${worker.restUrl}/connector-plugins`)).json() as { class: string; type: string; version: string }[];
      expect(plugins).toContainEqual({ class: SOURCE_CLASS, type: 'source', version: '0.1.0' });

      const validation = await (await fetch(`${worker.restUrl}/connector-plugins/AcmeInboxSource/config/validate`, {
        method: 'PUT', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'inbox', 'connector.class': 'AcmeInboxSource', topic: 'inbox', 'poll.interval.ms': '0' }),
      })).json() as { error_count: number; configs: { value: { name: string; errors: string[] } }[] };
      const errors = Object.fromEntries(validation.configs.filter((c) => c.value.errors.length > 0).map((c) => [c.value.name, c.value.errors]));
      expect(Object.keys(errors).sort()).toEqual(['inbox.dir', 'poll.interval.ms']);
      expect(errors['poll.interval.ms']![0]).toMatch(/at least 1/);

      const createdConnector = await fetch(`${worker.restUrl}/connectors`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'inbox', config: {
          'connector.class': 'AcmeInboxSource', 'inbox.dir': inbox, topic: 'inbox', 'poll.interval.ms': '100',
          'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
        } }),
      });
      expect(createdConnector.status).toBe(201);
      await putInInbox(inbox, '0001', 'hello from the inbox');
      await putInInbox(inbox, '0002', 'and a second file');
      const values = await until(async () => {
        const seen = (await topics.readAll('inbox')).map((r) => r.value);
        return seen.length >= 2 ? seen : undefined;
      }, { timeoutMs: 20_000, what: 'the inbox files on topic inbox' });
      expect(values).toEqual(['hello from the inbox', 'and a second file']);
    } finally {
      await topics.close();
      await worker.stop();
    }
  });

  it('passes the conformance kit through its own npm test', async () => {
    const result = await npm(sourceDir, ['test']);
    expect(result.stdout).toContain(`# ${SOURCE_CLASS} 0.1.0: 13 checks passed`);
    expect(result.stdout).toMatch(/^# pass 1$/m);
    expect(result.code).toBe(0);
  }, 180_000);

  it('--kind sink writes a sink that builds and passes the kit too', async () => {
    const sinkDir = path.join(root, 'acme-outbox');
    const sink = await scaffoldAndBuild('acme-outbox', sinkDir, 'sink');
    expect(sink.created.stdout).toContain('Wrote sink connector ferry.plugins.acmeoutboxsink.AcmeOutboxSinkConnector');
    expect(sink.built.code).toBe(0);
    const result = await npm(sinkDir, ['test']);
    expect(result.stdout).toContain('# ferry.plugins.acmeoutboxsink.AcmeOutboxSinkConnector 0.1.0: 14 checks passed');
    expect(result.code).toBe(0);
  }, 240_000);
});

/** A file appears in the inbox whole (as the scaffold's README asks): a poll between its creation and its write would send it empty. */
async function putInInbox(inbox: string, name: string, text: string): Promise<void> {
  await writeFile(path.join(inbox, `${name}.partial`), text);
  await rename(path.join(inbox, `${name}.partial`), path.join(inbox, `${name}.txt`));
}
