/**
 * Checks what a plugin package's main module exports before anything of it reaches the
 * registry: a PluginPackage as `default` or as `plugins`, with an SDK version of this worker's
 * major, and descriptors of the shape the bundled plugins have. Each refusal names the first
 * thing wrong, where it is (`connectors[1] (com.acme.Source): createTask is not a function`),
 * so that the author can fix it from the log line alone.
 *
 * Config specs must be ConfigSpec instances of this worker's SDK: `ferry/sdk` resolves to the
 * worker's own (share-sdk-with-plugins.ts), so a spec from another copy means the package
 * bundled the SDK into its code, which breaks validation and instanceof checks at run time.
 */
import { ConfigSpec } from '../../connectors/sdk/config/config-spec.js';
import type { ConverterPlugin, PluginPackage } from '../../connectors/sdk/plugin-package.js';
import { SDK_VERSION } from '../../connectors/sdk/sdk-version.js';
import { NotAPluginError } from './plugin-package-manifest.js';

export class SdkMismatchError extends Error {
  override readonly name = 'SdkMismatchError';
}

type Fields = Record<string, unknown>;

const VERSION = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/;

/** The PluginPackage a module namespace exports; throws NotAPluginError or SdkMismatchError saying why not. */
export function pluginPackageOf(namespace: Fields, workerSdkVersion: string = SDK_VERSION): PluginPackage {
  const exported = chooseExport(namespace);
  const sdkVersion = exported['sdkVersion'];
  if (typeof sdkVersion !== 'string') throw notAPlugin(`${exported === namespace['plugins'] ? 'the "plugins" export' : 'the default export'} has no sdkVersion string`);
  const major = VERSION.exec(sdkVersion.trim())?.[1];
  if (major === undefined) throw notAPlugin(`sdkVersion '${sdkVersion}' is not a version like 1.0.0`);
  if (Number(major) !== Number(VERSION.exec(workerSdkVersion)?.[1])) {
    throw new SdkMismatchError(`SDK major version mismatch: built for SDK ${sdkVersion.trim()}, this worker's SDK is ${workerSdkVersion}`);
  }
  const lists = ['connectors', 'transforms', 'predicates', 'converters'] as const;
  for (const list of lists) {
    const value = exported[list];
    if (value !== undefined && !Array.isArray(value)) throw notAPlugin(`${list} is not an array`);
  }
  const connectors = (exported['connectors'] ?? []) as unknown[];
  const transforms = (exported['transforms'] ?? []) as unknown[];
  const predicates = (exported['predicates'] ?? []) as unknown[];
  const converters = (exported['converters'] ?? []) as unknown[];
  if (connectors.length + transforms.length + predicates.length + converters.length === 0) {
    throw notAPlugin('it declares no connectors, transforms, predicates or converters');
  }
  connectors.forEach((c, i) => checkConnector(c, `connectors[${i}]`));
  transforms.forEach((t, i) => checkTransformLike(t, `transforms[${i}]`));
  predicates.forEach((p, i) => checkTransformLike(p, `predicates[${i}]`));
  converters.forEach((c, i) => checkConverter(c, `converters[${i}]`));
  return exported as unknown as PluginPackage;
}

function chooseExport(namespace: Fields): Fields {
  const byDefault = namespace['default'];
  const byName = namespace['plugins'];
  if (isObject(byDefault) && 'sdkVersion' in byDefault) return byDefault;
  if (isObject(byName)) return byName;
  if (isObject(byDefault)) return byDefault;
  if (byDefault === undefined && byName === undefined) {
    throw notAPlugin('its main module exports neither a default plugin package nor "plugins" (export default definePlugins({...}))');
  }
  throw notAPlugin(`its ${byName !== undefined ? '"plugins"' : 'default'} export is ${describe(byName ?? byDefault)}, not a plugin package object`);
}

function checkConnector(value: unknown, where: string): void {
  const fields = checkDescriptor(value, where);
  const at = `${where} (${fields['className'] as string})`;
  if (fields['kind'] !== 'source' && fields['kind'] !== 'sink') throw notAPlugin(`${at}: kind is ${describe(fields['kind'])}, not 'source' or 'sink'`);
  if (typeof fields['taskClassName'] !== 'string' || fields['taskClassName'] === '') throw notAPlugin(`${at}: taskClassName is not a string`);
  for (const factory of ['createConnector', 'createTask']) {
    if (typeof fields[factory] !== 'function') throw notAPlugin(`${at}: ${factory} is not a function`);
  }
}

function checkTransformLike(value: unknown, where: string): void {
  const fields = checkDescriptor(value, where);
  const at = `${where} (${fields['className'] as string})`;
  if (typeof fields['description'] !== 'string') throw notAPlugin(`${at}: description is not a string`);
  if (typeof fields['create'] !== 'function') throw notAPlugin(`${at}: create is not a function`);
}

/** className, aliases, version and configSpec, which every descriptor has. */
function checkDescriptor(value: unknown, where: string): Fields {
  if (!isObject(value)) throw notAPlugin(`${where} is ${describe(value)}, not a plugin descriptor object`);
  const className = value['className'];
  if (typeof className !== 'string' || className.trim() === '') throw notAPlugin(`${where}: className is not a non-empty string`);
  const at = `${where} (${className})`;
  const aliases = value['aliases'];
  if (!Array.isArray(aliases) || aliases.some((a) => typeof a !== 'string' || a.trim() === '')) throw notAPlugin(`${at}: aliases is not an array of names`);
  if (typeof value['version'] !== 'string' || value['version'] === '') throw notAPlugin(`${at}: version is not a string`);
  checkConfigSpec(value['configSpec'], at);
  return value;
}

function checkConverter(value: unknown, where: string): void {
  if (typeof value !== 'function') throw notAPlugin(`${where} is ${describe(value)}, not a converter class`);
  const cls = value as unknown as Partial<ConverterPlugin> & { prototype: Fields };
  if (typeof cls.className !== 'string' || cls.className.trim() === '') throw notAPlugin(`${where} (class ${value.name}): static className is not a non-empty string`);
  const at = `${where} (${cls.className})`;
  if (typeof cls.version !== 'string' || cls.version === '') throw notAPlugin(`${at}: static version is not a string`);
  checkConfigSpec(cls.configSpec, at);
  if (typeof cls.prototype['toConnectData'] !== 'function' && typeof cls.prototype['toConnectHeader'] !== 'function') {
    throw notAPlugin(`${at}: has neither toConnectData (a Converter) nor toConnectHeader (a HeaderConverter)`);
  }
}

function checkConfigSpec(spec: unknown, at: string): void {
  if (spec instanceof ConfigSpec) return;
  if (isObject(spec) && typeof spec['validate'] === 'function') {
    throw notAPlugin(`${at}: configSpec comes from another copy of the SDK than the worker's (import defineConfig from 'ferry/sdk'; do not bundle the SDK)`);
  }
  throw notAPlugin(`${at}: configSpec is ${describe(spec)}, not a ConfigSpec (make it with defineConfig from 'ferry/sdk')`);
}

function notAPlugin(what: string): NotAPluginError {
  return new NotAPluginError(`not a plugin: ${what}`);
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string '${value.length > 40 ? `${value.slice(0, 40)}...` : value}'`;
  if (typeof value === 'function') return 'a function';
  return typeof value === 'object' ? 'an object' : `${typeof value === 'undefined' ? 'missing' : `a ${typeof value}`}`;
}
