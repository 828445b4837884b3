/**
 * Node module customization hooks (registered with node:module `register`, so they run on
 * Node's loader thread, never imported by ferry's own code): `import 'ferry/sdk'` and
 * `import 'ferry/testing'`, from any module at all, resolve to the running ferry's own files.
 *
 * Why: a plugin package carries its own node_modules, often with its own copy of `ferry` (a
 * devDependency for the types, or an older release). Were its `ferry/sdk` resolved there, its
 * Struct, Schema, ConfigSpec and errors would be other classes than the worker's: `instanceof
 * DataError` would be false for its errors, the worker would not recognise its Structs, and a
 * ConfigSpec merged with the worker's would throw on the private fields of another copy. Kafka
 * Connect has the same problem with jars and solves it by loading the Connect API parent-first;
 * this mapping is that, for ESM. Only these two specifiers are mapped; every other import of a
 * plugin resolves as Node resolves it, from the plugin's own folder.
 *
 * Data (from register's `data`): the file URLs to map to, `{ 'ferry/sdk': url, 'ferry/testing': url }`.
 */
import type { InitializeHook, ResolveHook } from 'node:module';

export type SdkModuleUrls = Readonly<Record<string, string>>;

let mapped: SdkModuleUrls = {};

export const initialize: InitializeHook<SdkModuleUrls> = (data) => {
  mapped = { ...data };
};

export const resolve: ResolveHook = (specifier, context, nextResolve) => {
  const url = Object.hasOwn(mapped, specifier) ? mapped[specifier] : undefined;
  if (url !== undefined) return { url, format: 'module', shortCircuit: true };
  return nextResolve(specifier, context);
};
