/**
 * docs/migrate-from-kafka-connect.md lists every worker property ferry declares as honoured or
 * as accepted and ignored, and the plugins ferry ships under Kafka's class names. These checks
 * keep the lists true: the property tables against the declarations in worker-config.ts and
 * against the code that reads the parsed config (a property marked honoured must be read
 * somewhere in runtime/, api/ or cli/, one marked ignored must not be), the plugin tables
 * against the worker's built-in registry.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { distributedWorkerSpec, standaloneWorkerSpec } from '../../../runtime/config/worker-config.js';
import { builtinPlugins } from '../../../runtime/plugins/builtin-plugins.js';
import { repoRoot } from '../../helpers/repo-root.js';

const root = repoRoot(import.meta.dirname);
const guide = fs.readFileSync(path.join(root, 'docs/migrate-from-kafka-connect.md'), 'utf8');

/** The table rows under the `### heading` of the guide, as cells. */
function tableRows(heading: string): string[][] {
  const lines = guide.split('\n');
  const start = lines.indexOf(`### ${heading}`);
  expect(start, `heading '### ${heading}' in the migration guide`).toBeGreaterThan(-1);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('#')) break;
    if (!line.startsWith('| `')) continue;
    rows.push(line.split('|').slice(1, -1).map((cell) => cell.trim()));
  }
  return rows;
}

/** The `code` items of a table cell. */
const codes = (cell: string | undefined) => [...(cell ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
const firstColumn = (heading: string) => tableRows(heading).map((row) => codes(row[0])[0]!);
const sorted = (items: Iterable<string>) => [...items].sort();

/** Every TypeScript source that could read worker properties: runtime/, api/ and cli/, without the declarations themselves. */
function readerSources(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (entry.name.endsWith('.ts') && relative !== path.join('runtime', 'config', 'worker-config.ts')) {
        out.push({ file: relative, text: fs.readFileSync(path.join(root, relative), 'utf8') });
      }
    }
  };
  for (const dir of ['runtime', 'api', 'cli']) walk(dir);
  return out;
}

/** Files reading `property` from the parsed config (its camelCase field) or from the raw properties (its quoted name). */
function readersOf(property: string, sources: { file: string; text: string }[]): string[] {
  const field = property.replace(/[._-](.)/g, (_, c: string) => c.toUpperCase());
  const pattern = new RegExp(`\\b${field}\\b|['"]${property.replace(/\./g, '\\.')}['"]`);
  return sources.filter((s) => pattern.test(s.text)).map((s) => s.file);
}

describe('the migration guide\'s worker properties', () => {
  const honoured = firstColumn('Honoured');
  const ignored = firstColumn('Accepted and ignored');

  it('list every declared worker property once', () => {
    const declared = new Set([...Object.keys(distributedWorkerSpec.fields), ...Object.keys(standaloneWorkerSpec.fields)]);
    const listed = [...honoured, ...ignored];
    expect(listed.filter((name, i) => listed.indexOf(name) !== i), 'listed twice').toEqual([]);
    expect(sorted(listed)).toEqual(sorted(declared));
  });

  it('say which ones the worker reads', () => {
    const sources = readerSources();
    const unread = honoured.filter((name) => readersOf(name, sources).length === 0);
    expect(unread, 'marked honoured in the guide, but nothing in runtime/, api/ or cli/ reads them').toEqual([]);
    const read = ignored.map((name) => ({ name, readers: readersOf(name, sources) })).filter((p) => p.readers.length > 0);
    expect(read, 'marked ignored in the guide, but read here: move them to the honoured table').toEqual([]);
  });
});

describe('the migration guide\'s plugin tables', () => {
  const registry = builtinPlugins();
  const infos = registry.infos(false);
  const classesOf = (...types: string[]) => new Set(infos.filter((i) => types.includes(i.type)).map((i) => i.class));

  it('name every bundled connector with its aliases', () => {
    const rows = tableRows('Connectors');
    expect(sorted(rows.map((row) => codes(row[0])[0]!))).toEqual(sorted(classesOf('source', 'sink')));
    for (const row of rows) {
      const className = codes(row[0])[0]!;
      expect(sorted(codes(row[1])), `aliases of ${className}`).toEqual(sorted(registry.connector(className)!.aliases));
    }
  });

  it('name every bundled converter with the roles it can take', () => {
    const rows = tableRows('Converters');
    expect(sorted(rows.map((row) => codes(row[0])[0]!))).toEqual(sorted(classesOf('converter', 'header_converter')));
    for (const row of rows) {
      const className = codes(row[0])[0]!;
      const roles = infos.filter((i) => i.class === className).map((i) => (i.type === 'converter' ? 'converter' : 'header converter'));
      expect(sorted(row[1]!.replace(/\s*\(.*\)$/, '').split(', ')), `roles of ${className}`).toEqual(sorted(roles));
    }
  });

  it('name every bundled transform and predicate', () => {
    expect(sorted(firstColumn('Transforms'))).toEqual(sorted(classesOf('transformation')));
    expect(sorted(firstColumn('Predicates'))).toEqual(sorted(classesOf('predicate')));
  });
});
