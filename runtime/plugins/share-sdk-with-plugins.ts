/**
 * Registers sdk-resolve-hooks.ts once per process, before the first plugin is imported, so that
 * plugins' `ferry/sdk` and `ferry/testing` are this ferry's own modules (see that file for why).
 * The targets are the SDK and kit entry points next to this module in the build
 * (dist/connectors/sdk/index.js, dist/testing/index.js): plugins load from the build only.
 *
 * Node applies registered hooks to every later `import` in the process, plugins' own imports
 * included; `require` is not hooked on Node 20, so a plugin reaches the SDK through ESM imports.
 */
import * as nodeModule from 'node:module';

export const SDK_SPECIFIER = 'ferry/sdk';
export const TESTING_SPECIFIER = 'ferry/testing';

/** Where `ferry/sdk` and `ferry/testing` resolve to in this process. */
export function sdkModuleUrls(): Record<string, string> {
  return {
    [SDK_SPECIFIER]: new URL('../../connectors/sdk/index.js', import.meta.url).href,
    [TESTING_SPECIFIER]: new URL('../../testing/index.js', import.meta.url).href,
  };
}

let registered = false;

/** Registers the hooks (once); throws when this Node cannot (register arrived in Node 20.6). */
export function shareSdkWithPlugins(): void {
  if (registered) return;
  const register = (nodeModule as { register?: typeof nodeModule.register }).register;
  if (typeof register !== 'function') {
    throw new Error(`plugins need Node 20.6 or later to share ferry/sdk with them (this is Node ${process.versions.node})`);
  }
  register(new URL('./sdk-resolve-hooks.js', import.meta.url), { data: sdkModuleUrls() });
  registered = true;
}
