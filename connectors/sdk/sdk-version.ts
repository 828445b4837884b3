/**
 * The version of ferry's connector SDK (this folder, published as `ferry/sdk`), in semantic
 * versioning, independent of ferry's own version.
 *
 * A plugin package states the SDK version it was built against (`PluginPackage.sdkVersion`);
 * a worker refuses a package whose major differs from this one. Within a major, a worker
 * loads plugins built against any minor: minors only add. docs/sdk.md states what counts as a
 * breaking change.
 */
export const SDK_VERSION = '1.1.0';
