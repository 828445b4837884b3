/** Config providers (KIP-297): placeholder resolution inside the worker, and keeping secrets out of output. */
export { AllowedPaths, ALLOWED_PATHS_PARAM } from './allowed-paths.js';
export {
  ConfigProviderError, configData,
  type ConfigData, type ConfigProvider, type ConfigProviderFactory, type ConfigProviderParams,
} from './config-provider.js';
export { ConfigResolver, resolveWorkerProperties, type Resolution, type UnresolvedPlaceholder } from './config-resolver.js';
export { DirectoryConfigProvider } from './directory-config-provider.js';
export { ALLOWLIST_PATTERN_PARAM, EnvVarConfigProvider } from './env-var-config-provider.js';
export { FileConfigProvider } from './file-config-provider.js';
export { findPlaceholders, hasPlaceholders, PLACEHOLDER_PATTERN, replacePlaceholders, type Placeholder } from './placeholders.js';
export {
  BUILTIN_CONFIG_PROVIDERS, CONFIG_PROVIDERS_CONFIG, DIRECTORY_CONFIG_PROVIDER_CLASS, ENV_VAR_CONFIG_PROVIDER_CLASS,
  FILE_CONFIG_PROVIDER_CLASS, instantiateConfigProviders, resolveProviderClass,
  type InstantiatedProviders, type ProviderOptions,
} from './provider-registry.js';
export { CLIENT_PASSWORD_KEYS, isClientPasswordKey, passwordKeysOf, redactSecrets } from './redaction.js';
export { restorePlaceholders } from './restore-placeholders.js';
export { scrubText, secretScrubber, secretValues, type ScrubOptions } from './secret-scrubber.js';
