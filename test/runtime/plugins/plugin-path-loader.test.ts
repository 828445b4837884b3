/**
 * Loading plugin packages from plugin.path (runtime/plugins/plugin-path-loader.ts), in a child
 * node process running the build (dist/, so run `npm run build` first): the resolve hook that
 * maps `ferry/sdk` to the worker's SDK is process-wide and acts on Node's own loader, which
 * vitest's module runner would bypass. The child loads a directory of packages written by
 * plugin-fixtures.ts on top of the bundled plugins and prints what it loaded, what it refused
 * and why, and what the resulting registry does with the loaded transform, converter and
 * connector.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/repo-root.js';
import { tempDir } from '../../helpers/temp-dir.js';
import {
  COUNTER_SOURCE, EXPECTED_REFUSALS, GOOD_PACKAGE, SHORT_PREDICATE, SHOUT_CONVERTER, UPPER_TRANSFORM,
  writeAllPackages, writeGoodPackage,
} from './plugin-fixtures.js';

const DIST = path.join(repoRoot(import.meta.dirname), 'dist');
const url = (file: string) => pathToFileURL(path.join(DIST, file)).href;

const CHILD = `
const [loaderUrl, builtinUrl, sdkUrl, dirs] = process.argv.slice(1);
const { loadPluginPath } = await import(loaderUrl);
const { builtinPlugins } = await import(builtinUrl);
const sdk = await import(sdkUrl);
const report = await loadPluginPath(JSON.parse(dirs), builtinPlugins());
const registry = report.registry;
const out = { loaded: report.loaded, refused: report.refused, infos: registry.infos(false) };
const connector = registry.connector('CounterSource');
if (connector) {
  out.connectorSpecIsTheWorkers = connector.configSpec instanceof sdk.ConfigSpec;
  out.validation = connector.configSpec.validate({ topic: '', count: '0' }).issues;
}
const upper = registry.transform('AcmeUpper');
if (upper) {
  const transform = upper.create();
  transform.configure({});
  out.transformed = transform.apply({ topic: 't', value: 'hello', headers: [] }).value;
  try { transform.apply({ topic: 't', value: 42, headers: [] }); } catch (err) { out.transformErrorIsTheWorkersDataError = err instanceof sdk.DataError; }
}
const short = registry.predicate('AcmeIsShort');
if (short) {
  const predicate = short.create();
  predicate.configure({ 'max.length': '3' });
  out.predicateTests = [predicate.test({ value: 'ab' }), predicate.test({ value: 'abcd' })];
}
try {
  const converter = registry.converters.createConverter('Shout', {}, false);
  out.converted = converter.fromConnectData('t', [], null, 'hello').toString();
  out.convertedBack = converter.toConnectData('t', [], Buffer.from('hi!')).value;
} catch (err) { out.converterError = err.message; }
console.log(JSON.stringify(out));
`;

interface PluginInfo { class: string; type: string; version?: string }
interface ChildReport {
  loaded: { folder: string; name: string; version: string; sdkVersion: string; plugins: { className: string; type: string; version: string; aliases: string[] }[] }[];
  refused: { folder: string; kind: string; reason: string }[];
  infos: PluginInfo[];
  connectorSpecIsTheWorkers?: boolean;
  validation?: { name: string; message: string }[];
  transformed?: string;
  transformErrorIsTheWorkersDataError?: boolean;
  predicateTests?: boolean[];
  converted?: string;
  convertedBack?: string;
  converterError?: string;
}

async function loadInChild(directories: string[]): Promise<ChildReport> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--input-type=module', '-e', CHILD,
    url('runtime/plugins/plugin-path-loader.js'), url('runtime/plugins/builtin-plugins.js'), url('connectors/sdk/index.js'), JSON.stringify(directories),
  ], { timeout: 30_000 });
  return JSON.parse(stdout) as ChildReport;
}

describe('a directory holding a good package and broken ones', () => {
  let dir: string;
  let report: ChildReport;

  beforeAll(async () => {
    dir = tempDir('ferry-plugin-path-');
    writeAllPackages(dir);
    report = await loadInChild([dir]);
  });

  it('loads the good package whole: its connector, transform and converter with their versions', () => {
    expect(report.loaded).toEqual([{
      folder: path.join(dir, GOOD_PACKAGE.folder), name: GOOD_PACKAGE.name, version: GOOD_PACKAGE.version, sdkVersion: '1.0.0',
      plugins: [
        { className: COUNTER_SOURCE, type: 'source', version: '2.3.4', aliases: ['CounterSource'] },
        { className: SHOUT_CONVERTER, type: 'converter', version: '2.3.4', aliases: ['ShoutConverter', 'Shout'] },
        { className: UPPER_TRANSFORM, type: 'transformation', version: '2.3.4', aliases: ['AcmeUpper'] },
        { className: SHORT_PREDICATE, type: 'predicate', version: '2.3.4', aliases: ['AcmeIsShort'] },
      ],
    }]);
    expect(report.infos).toContainEqual({ class: COUNTER_SOURCE, type: 'source', version: '2.3.4' });
    expect(report.infos).toContainEqual({ class: UPPER_TRANSFORM, type: 'transformation', version: '2.3.4' });
    expect(report.infos).toContainEqual({ class: SHOUT_CONVERTER, type: 'converter', version: '2.3.4' });
    expect(report.infos).toContainEqual({ class: SHORT_PREDICATE, type: 'predicate', version: '2.3.4' });
  });

  it('keeps every bundled plugin', () => {
    expect(report.infos).toContainEqual(expect.objectContaining({ class: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source' }));
    expect(report.infos).toContainEqual(expect.objectContaining({ class: 'org.apache.kafka.connect.transforms.InsertField$Value', type: 'transformation' }));
    expect(report.infos).toContainEqual({ class: 'org.apache.kafka.connect.json.JsonConverter', type: 'converter' });
  });

  it('gives the plugin the worker\'s own SDK, not the copy in its node_modules', () => {
    expect(report.connectorSpecIsTheWorkers).toBe(true);
    expect(report.transformErrorIsTheWorkersDataError).toBe(true);
  });

  it('validates with the connector\'s config spec, per field', () => {
    expect(report.validation).toEqual([
      { name: 'topic', message: expect.stringContaining('must be non-empty') },
      { name: 'count', message: expect.stringContaining('at least 1') },
    ]);
  });

  it('runs the transform, the predicate and the converter the registry resolves by alias', () => {
    expect(report.transformed).toBe('HELLO');
    expect(report.predicateTests).toEqual([true, false]);
    expect(report.converterError).toBeUndefined();
    expect(report.converted).toBe('hello!');
    expect(report.convertedBack).toBe('hi');
  });

  it('refuses each broken package with its reason', () => {
    const reasons = Object.fromEntries(report.refused.map((r) => [path.relative(dir, r.folder), r.reason]));
    expect(reasons).toEqual(EXPECTED_REFUSALS);
    expect(Object.fromEntries(report.refused.map((r) => [path.relative(dir, r.folder), r.kind]))).toEqual({
      'left-pad': 'not-a-plugin', 'broken-shape': 'not-a-plugin', 'future-sdk': 'sdk-mismatch',
      'clash-bundled': 'name-clash', 'acme-counter-copy': 'name-clash', 'throws-on-import': 'import-failed',
    });
  });

  it('adds nothing of a refused package to the registry', () => {
    const classes = report.infos.map((i) => i.class);
    for (const refused of ['com.acme.Broken', 'com.acme.Future', 'com.acme.FileSource']) expect(classes).not.toContain(refused);
    expect(classes.filter((c) => c === UPPER_TRANSFORM)).toHaveLength(1);
  });
});

describe('plugin.path entries', () => {
  it('takes a directory that is itself a package, and npm scopes one level down', async () => {
    const itself = writeGoodPackage(tempDir('ferry-plugin-itself-'));
    const report = await loadInChild([itself]);
    expect(report.loaded.map((p) => p.folder)).toEqual([itself]);
    expect(report.refused).toEqual([]);

    const scoped = tempDir('ferry-plugin-scoped-');
    writeGoodPackage(path.join(scoped, '@acme'));
    const fromScope = await loadInChild([scoped]);
    expect(fromScope.loaded.map((p) => p.folder)).toEqual([path.join(scoped, '@acme', GOOD_PACKAGE.folder)]);
  });

  it('loads a directory listed twice once', async () => {
    const twice = tempDir('ferry-plugin-twice-');
    writeGoodPackage(twice);
    const report = await loadInChild([twice, `${twice}/`]);
    expect(report.loaded.map((p) => p.folder)).toEqual([path.join(twice, GOOD_PACKAGE.folder)]);
    expect(report.refused).toEqual([]);
  });

  it('refuses the second of two directories that hold the same package, naming the first', async () => {
    const first = tempDir('ferry-plugin-a-');
    const second = tempDir('ferry-plugin-b-');
    writeGoodPackage(first);
    writeGoodPackage(second);
    const report = await loadInChild([first, second]);
    expect(report.loaded.map((p) => p.folder)).toEqual([path.join(first, GOOD_PACKAGE.folder)]);
    expect(report.refused).toEqual([{
      folder: path.join(second, GOOD_PACKAGE.folder), kind: 'name-clash',
      reason: `class name ${COUNTER_SOURCE} clashes with the source connector ${COUNTER_SOURCE} of package ${GOOD_PACKAGE.name}`,
    }]);
  });

  it('reports a directory that does not exist and a package folder without package.json or without its built module', async () => {
    const dir = tempDir('ferry-plugin-odd-');
    fs.mkdirSync(path.join(dir, 'just-a-folder'));
    fs.mkdirSync(path.join(dir, 'unbuilt'));
    fs.writeFileSync(path.join(dir, 'unbuilt', 'package.json'), JSON.stringify({ name: 'unbuilt', version: '1.0.0', main: 'dist/index.js' }));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'plain files are not packages');
    const missing = path.join(dir, 'no-such-dir');
    const report = await loadInChild([missing, dir]);
    expect(report.loaded).toEqual([]);
    expect(report.refused).toEqual([
      { folder: missing, kind: 'unreadable-directory', reason: 'no such directory on plugin.path' },
      { folder: path.join(dir, 'just-a-folder'), kind: 'not-a-plugin', reason: 'not a plugin: no package.json' },
      { folder: path.join(dir, 'unbuilt'), kind: 'not-a-plugin', reason: 'not a plugin: its main module dist/index.js does not exist (not built yet?)' },
    ]);
  });
});
