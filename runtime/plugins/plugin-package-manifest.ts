/**
 * A plugin package's package.json: its name, version and main module, found as Node finds a
 * package's entry point when it is imported: `exports` (a string, or the "." entry, choosing the
 * first of the `node`, `import` and `default` conditions in the order written), else `main`,
 * else index.js. Anything that keeps the folder from being a package throws NotAPluginError
 * saying what is missing.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { kindOf } from './plugin-package-folders.js';

export class NotAPluginError extends Error {
  override readonly name = 'NotAPluginError';
}

export interface PluginManifest {
  readonly name: string;
  readonly version: string;
  /** Absolute path of the module to import. */
  readonly mainFile: string;
}

const CONDITIONS = new Set(['node', 'import', 'default']);

export async function readPluginManifest(folder: string): Promise<PluginManifest> {
  const file = path.join(folder, 'package.json');
  if (await kindOf(file) !== 'file') throw new NotAPluginError('not a plugin: no package.json');
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new NotAPluginError(`not a plugin: package.json is not valid JSON (${(err as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new NotAPluginError('not a plugin: package.json is not a JSON object');
  const manifest = json as Record<string, unknown>;
  const name = manifest['name'];
  const version = manifest['version'];
  if (typeof name !== 'string' || name.trim() === '') throw new NotAPluginError('not a plugin: package.json has no "name"');
  if (typeof version !== 'string' || version.trim() === '') throw new NotAPluginError('not a plugin: package.json has no "version"');
  const entry = entryOf(manifest);
  if (entry === undefined) throw new NotAPluginError('not a plugin: package.json "exports" has no "." entry for import');
  const target = path.resolve(folder, entry);
  if (path.relative(folder, target).startsWith('..')) throw new NotAPluginError(`not a plugin: its main module ${entry} is outside the package`);
  const mainFile = await existingModule(target);
  if (mainFile === undefined) {
    throw new NotAPluginError(`not a plugin: its main module ${path.relative(folder, target) || entry} does not exist (not built yet?)`);
  }
  return { name, version, mainFile };
}

function entryOf(manifest: Record<string, unknown>): string | undefined {
  const exports = manifest['exports'];
  if (exports !== undefined && exports !== null) {
    const isSubpathMap = typeof exports === 'object' && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith('.'));
    return target(isSubpathMap ? (exports as Record<string, unknown>)['.'] : exports);
  }
  const main = manifest['main'];
  return typeof main === 'string' && main.trim() !== '' ? main : 'index.js';
}

/** The path a conditional export target names for an `import` from Node. */
function target(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const v of value) {
      const found = target(v);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [condition, v] of Object.entries(value)) if (CONDITIONS.has(condition)) return target(v);
  }
  return undefined;
}

/** The file itself, or as Node's legacy `main` lookup tries it: with .js, or its index.js. */
async function existingModule(file: string): Promise<string | undefined> {
  for (const candidate of [file, `${file}.js`, path.join(file, 'index.js')]) {
    if (await kindOf(candidate) === 'file') return candidate;
  }
  return undefined;
}
