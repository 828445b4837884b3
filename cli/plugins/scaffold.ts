/**
 * Writes a connector plugin package from the templates in cli/plugins/scaffold-templates/
 * (`common/` for every package, then `source/` or `sink/`). Templates are plain files ending in
 * `.tmpl` with `{{PLACEHOLDERS}}`; they are read from this ferry's package folder, so the
 * scaffold a user gets is the one their ferry ships with. `README.kind.tmpl` is not a file of
 * the package: it is the kind's paragraph of the README.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SDK_VERSION } from '../../connectors/sdk/sdk-version.js';

export type ScaffoldKind = 'source' | 'sink';

export interface ScaffoldRequest {
  /** The npm package name. */
  readonly name: string;
  readonly dir: string;
  readonly kind: ScaffoldKind;
  /** The package.json devDependency spec of ferry (default: `file:` this ferry's folder). */
  readonly ferrySpec?: string;
}

const NPM_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/** Why `name` cannot be an npm package name, or undefined when it can. */
export function packageNameProblem(name: string): string | undefined {
  if (name.length > 214) return 'a package name has at most 214 characters';
  if (!NPM_NAME.test(name)) return 'a package name is lower case letters, digits, - . _ ~ (optionally @scope/name), not starting with . or _';
  return undefined;
}

/** This ferry's package folder (the one holding its package.json), from the build or the source. */
export function ferryPackageRoot(): string {
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'ferry') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no ferry package.json above ${import.meta.dirname}`);
  }
}

function pascalCase(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const words = base.split(/[^a-zA-Z0-9]+/).filter((w) => w !== '');
  const joined = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return /^[0-9]/.test(joined) || joined === '' ? `Plugin${joined}` : joined;
}

/** The placeholders' values for a package. */
export function scaffoldNames(name: string, kind: ScaffoldKind): Record<string, string> {
  const kindWord = kind === 'source' ? 'Source' : 'Sink';
  let pascal = pascalCase(name);
  if (!pascal.endsWith(kindWord)) pascal += kindWord;
  const classPackage = `ferry.plugins.${pascal.toLowerCase()}`;
  return {
    NAME: name,
    KIND: kind,
    PASCAL: pascal,
    ALIAS: pascal,
    CLASS_PACKAGE: classPackage,
    CLASS: `${classPackage}.${pascal}Connector`,
    SDK_VERSION,
  };
}

async function templateFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory()) files.push(...await templateFiles(dir, relative));
    else if (entry.name.endsWith('.tmpl')) files.push(relative);
  }
  return files;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (whole, key: string) => values[key] ?? whole);
}

/** Writes the package; resolves with the files written (relative to `dir`), in order. */
export async function writeScaffold(request: ScaffoldRequest): Promise<string[]> {
  const root = ferryPackageRoot();
  const templates = path.join(root, 'cli/plugins/scaffold-templates');
  const values: Record<string, string> = { ...scaffoldNames(request.name, request.kind), FERRY_SPEC: request.ferrySpec ?? `file:${root}` };
  values['KIND_README'] = fill((await readFile(path.join(templates, request.kind, 'README.kind.tmpl'), 'utf8')).trimEnd(), values);
  const written: string[] = [];
  for (const layer of ['common', request.kind]) {
    for (const file of await templateFiles(path.join(templates, layer))) {
      if (file === 'README.kind.tmpl') continue;
      // npm drops files named .gitignore from published packages, so the template has no dot.
      const target = file === 'gitignore.tmpl' ? '.gitignore' : file.slice(0, -'.tmpl'.length);
      const content = fill(await readFile(path.join(templates, layer, file), 'utf8'), values);
      await mkdir(path.dirname(path.join(request.dir, target)), { recursive: true });
      await writeFile(path.join(request.dir, target), content);
      written.push(target);
    }
  }
  return written;
}
