/**
 * Loads the plugin packages on a worker's `plugin.path` into a registry built on the bundled
 * one. For each package folder (plugin-package-folders.ts), in order: read its package.json
 * (plugin-package-manifest.ts), import its main module with `ferry/sdk` mapped to this worker's
 * SDK (share-sdk-with-plugins.ts), check the export (plugin-package-shape.ts), and check that
 * none of its class names or aliases is taken by a bundled plugin or a package loaded before it.
 *
 * Rules:
 * - A package is loaded whole or refused whole, with one reason: not a plugin (what is wrong),
 *   an SDK major version mismatch, a name clash (which name, with what), or an import that threw
 *   (its message). A refusal never stops the others; the report lists both.
 * - Names share one namespace across kinds (a transform may not take a connector's alias), since
 *   `PUT /connector-plugins/{name}/config/validate` finds any kind by name. Converters' names are
 *   their class name and the aliases derived from it (`MyConverter`, `My`), as users may write them.
 * - Importing runs the package's top-level code in this process; the loader does nothing else
 *   with it (no connector is created here).
 */
import type { Logger } from 'pino';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConverterPlugin, PluginPackage } from '../../connectors/sdk/plugin-package.js';
import type { PluginInfo } from '../control/cluster-control.js';
import { ConverterRegistry } from '../pipeline/converters/converter-registry.js';
import { scanPluginPath } from './plugin-package-folders.js';
import { NotAPluginError, readPluginManifest, type PluginManifest } from './plugin-package-manifest.js';
import { pluginPackageOf, SdkMismatchError } from './plugin-package-shape.js';
import type { PluginRegistry } from './plugin-registry.js';
import { shareSdkWithPlugins } from './share-sdk-with-plugins.js';

export interface LoadedPlugin {
  readonly className: string;
  readonly type: PluginInfo['type'];
  readonly version: string;
  readonly aliases: readonly string[];
}

export interface LoadedPluginPackage {
  /** Absolute path of the package folder. */
  readonly folder: string;
  /** package.json name and version. */
  readonly name: string;
  readonly version: string;
  /** The SDK version the package says it was built against. */
  readonly sdkVersion: string;
  readonly plugins: readonly LoadedPlugin[];
}

export type RefusalKind = 'not-a-plugin' | 'sdk-mismatch' | 'name-clash' | 'import-failed' | 'unreadable-directory';

export interface RefusedPluginPackage {
  /** The package folder, or the plugin.path directory that could not be read. */
  readonly folder: string;
  readonly kind: RefusalKind;
  /** One line saying why, e.g. `SDK major version mismatch: built for SDK 2.0.0, this worker's SDK is 1.0.0`. */
  readonly reason: string;
}

export interface PluginPathReport {
  /** The bundled plugins and every loaded package's. */
  readonly registry: PluginRegistry;
  readonly loaded: readonly LoadedPluginPackage[];
  readonly refused: readonly RefusedPluginPackage[];
}

class NameClashError extends Error {}

/** Loads every package on these directories (plugin.path's entries) on top of `bundled`. */
export async function loadPluginPath(directories: readonly string[], bundled: PluginRegistry): Promise<PluginPathReport> {
  const scan = await scanPluginPath(directories);
  const refused: RefusedPluginPackage[] = scan.problems.map((p) => ({ ...p, kind: 'unreadable-directory' }));
  const loaded: LoadedPluginPackage[] = [];
  const owners = namesOf(bundled);
  let registry = bundled;
  if (scan.folders.length > 0) shareSdkWithPlugins();
  for (const folder of scan.folders) {
    try {
      const manifest = await readPluginManifest(folder);
      const plugins = pluginPackageOf(await importMain(folder, manifest));
      const listed = describePlugins(plugins);
      claimNames(owners, listed, `package ${manifest.name}`);
      registry = registry.withPlugins({
        connectors: plugins.connectors ?? [], transforms: plugins.transforms ?? [],
        predicates: plugins.predicates ?? [], converters: plugins.converters ?? [],
      });
      loaded.push({ folder, name: manifest.name, version: manifest.version, sdkVersion: plugins.sdkVersion.trim(), plugins: listed });
    } catch (err) {
      refused.push({ folder, kind: refusalKind(err), reason: oneLine(err) });
    }
  }
  return { registry, loaded, refused };
}

/** One INFO line per loaded package and one WARN line per refusal, each naming the folder. */
export function logPluginPathReport(report: Pick<PluginPathReport, 'loaded' | 'refused'>, logger: Logger): void {
  for (const p of report.loaded) {
    const classes = p.plugins.map((c) => c.className);
    logger.info({ package: p.name, version: p.version, folder: p.folder, plugins: classes },
      `loaded plugin package ${p.name} ${p.version} from ${p.folder}: ${classes.join(', ')}`);
  }
  for (const r of report.refused) logger.warn({ folder: r.folder, reason: r.reason }, `plugin package ${r.folder} refused: ${r.reason}`);
}

async function importMain(folder: string, manifest: PluginManifest): Promise<Record<string, unknown>> {
  try {
    return await import(pathToFileURL(manifest.mainFile).href) as Record<string, unknown>;
  } catch (err) {
    const relative = path.relative(folder, manifest.mainFile);
    throw new Error(`importing its main module ${relative} failed: ${oneLine(err)}`, { cause: err });
  }
}

function describePlugins(plugins: PluginPackage): LoadedPlugin[] {
  return [
    ...(plugins.connectors ?? []).map((c) => ({ className: c.className, type: c.kind, version: c.version, aliases: c.aliases })),
    ...(plugins.converters ?? []).flatMap((c) => converterInfos(c)),
    ...(plugins.transforms ?? []).map((t) => ({ className: t.className, type: 'transformation' as const, version: t.version, aliases: t.aliases })),
    ...(plugins.predicates ?? []).map((p) => ({ className: p.className, type: 'predicate' as const, version: p.version, aliases: p.aliases })),
  ];
}

/** A converter class as the registry will list it: once per kind (converter, header converter), with its derived aliases. */
function converterInfos(cls: ConverterPlugin): LoadedPlugin[] {
  const [info] = new ConverterRegistry([cls]).list();
  return info!.kinds.map((kind) => ({
    className: cls.className, type: kind === 'converter' ? 'converter' : 'header_converter', version: cls.version, aliases: info!.aliases,
  }));
}

const KIND_NAMES: Record<PluginInfo['type'], string> = {
  source: 'source connector', sink: 'sink connector', converter: 'converter', header_converter: 'header converter',
  transformation: 'transform', predicate: 'predicate',
};

/** Every name the bundled registry answers to, with what it names. */
function namesOf(registry: PluginRegistry): Map<string, string> {
  const owners = new Map<string, string>();
  const claim = (names: readonly string[], what: string) => {
    for (const n of names) if (!owners.has(n)) owners.set(n, what);
  };
  for (const c of registry.sets.connectors) claim([c.className, ...c.aliases], `the bundled ${KIND_NAMES[c.kind]} ${c.className}`);
  for (const t of registry.sets.transforms) claim([t.className, ...t.aliases], `the bundled transform ${t.className}`);
  for (const p of registry.sets.predicates) claim([p.className, ...p.aliases], `the bundled predicate ${p.className}`);
  for (const c of registry.converters.list()) claim([c.className, ...c.aliases], `the bundled converter ${c.className}`);
  return owners;
}

/** Takes the package's names, or throws naming the first clash (and changes nothing). */
function claimNames(owners: Map<string, string>, plugins: readonly LoadedPlugin[], packageName: string): void {
  const mine = new Map<string, { key: string; what: string }>();
  plugins.forEach((p, index) => {
    const what = `${KIND_NAMES[p.type]} ${p.className}`;
    // A class that is both a converter and a header converter is listed twice: one plugin, the same names.
    const key = p.type === 'converter' || p.type === 'header_converter' ? `converter class ${p.className}` : String(index);
    for (const name of new Set([p.className, ...p.aliases])) {
      const label = name === p.className ? `class name ${name}` : `alias ${name} of ${what}`;
      const owner = owners.get(name);
      if (owner !== undefined) throw new NameClashError(`${label} clashes with ${owner}`);
      const sibling = mine.get(name);
      if (sibling !== undefined && sibling.key !== key) throw new NameClashError(`${label} clashes with the ${sibling.what} of the same package`);
      mine.set(name, { key, what });
    }
  });
  for (const [name, { what }] of mine) owners.set(name, `the ${what} of ${packageName}`);
}

function refusalKind(err: unknown): RefusalKind {
  if (err instanceof SdkMismatchError) return 'sdk-mismatch';
  if (err instanceof NameClashError) return 'name-clash';
  if (err instanceof NotAPluginError) return 'not-a-plugin';
  return 'import-failed';
}

function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.trim().replace(/\s*\n\s*/g, ' ');
}
