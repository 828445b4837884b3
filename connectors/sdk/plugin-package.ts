/**
 * What a plugin package exports: the connectors, transforms, predicates and converters it adds
 * to a worker, and the SDK version it was built against. A plugin is an npm package folder
 * under one of the worker's `plugin.path` directories; its main module exports a PluginPackage
 * as `default` or as `plugins`, usually written with `definePlugins`.
 *
 * Rules the worker applies when it loads a package:
 * - `sdkVersion` is compared with the worker's SDK_VERSION; a different major is refused.
 *   Write it as a literal (`sdkVersion: '1.0.0'`), not as `SDK_VERSION`: inside a worker,
 *   `ferry/sdk` is the worker's own SDK, so SDK_VERSION read at load time is always the
 *   worker's version and would hide a mismatch.
 * - Class names and aliases must not clash with a bundled plugin or one loaded earlier.
 * - The descriptors are the same types the bundled plugins use: a ConnectorPlugin, TransformPlugin
 *   or PredicatePlugin object, and for converters the converter class itself (ConverterPlugin).
 */
import type { Converter, ConverterClass, HeaderConverter } from './converter.js';
import type { ConnectorPlugin } from './plugin.js';
import type { PredicatePlugin, TransformPlugin } from './transform.js';

/**
 * A converter or header converter class offered by a plugin package: a class with a no-argument
 * constructor and static `className`, `configSpec` and `version`. Whether it is a Converter, a
 * HeaderConverter or both is read from the methods its instances have; the aliases users may
 * write (`MyConverter`, `My`) are derived from the class name as for the bundled converters.
 */
export interface ConverterPlugin<T extends Converter | HeaderConverter = Converter | HeaderConverter> extends ConverterClass<T> {
  /** Reported in `GET /connector-plugins?connectorsOnly=false`. */
  readonly version: string;
}

export interface PluginPackage {
  /** The SDK version the package was built against, e.g. `'1.0.0'` (a literal; see above). */
  readonly sdkVersion: string;
  readonly connectors?: readonly ConnectorPlugin[];
  readonly transforms?: readonly TransformPlugin[];
  readonly predicates?: readonly PredicatePlugin[];
  readonly converters?: readonly ConverterPlugin[];
}

/**
 * Declares a plugin package's export with its type checked (a misspelt list name is a compile
 * error). Returns the same object, frozen together with its lists, so that nothing changes what
 * the worker registered.
 */
export function definePlugins(plugins: PluginPackage): PluginPackage {
  for (const list of [plugins.connectors, plugins.transforms, plugins.predicates, plugins.converters]) {
    if (list !== undefined) Object.freeze(list);
  }
  return Object.freeze(plugins);
}
