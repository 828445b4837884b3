/**
 * Builds the worker's config providers from its properties, as Kafka's AbstractConfig does:
 * `config.providers=file,env` names them, `config.providers.<name>.class` picks the class and
 * `config.providers.<name>.param.<k>` configures it. A listed name without a `.class` key is
 * skipped (Kafka does the same; its placeholders then stay unresolved) and reported in
 * `skipped`. Provider settings are taken as written: placeholders in them are not resolved.
 *
 * A class is given by Kafka's fully qualified name, its simple name, or the simple name without
 * the `ConfigProvider` suffix (`File`, `Directory`, `EnvVar`), like other Connect plugin aliases.
 */
import { ConfigError, type FieldIssue } from '../../../connectors/sdk/config/config-error.js';
import { rawToString, type RawConfig } from '../../../connectors/sdk/config/config-value.js';
import type { ConfigProvider, ConfigProviderFactory } from './config-provider.js';
import { DirectoryConfigProvider } from './directory-config-provider.js';
import { EnvVarConfigProvider } from './env-var-config-provider.js';
import { FileConfigProvider } from './file-config-provider.js';

export const CONFIG_PROVIDERS_CONFIG = 'config.providers';
export const FILE_CONFIG_PROVIDER_CLASS = 'org.apache.kafka.common.config.provider.FileConfigProvider';
export const DIRECTORY_CONFIG_PROVIDER_CLASS = 'org.apache.kafka.common.config.provider.DirectoryConfigProvider';
export const ENV_VAR_CONFIG_PROVIDER_CLASS = 'org.apache.kafka.common.config.provider.EnvVarConfigProvider';

export const BUILTIN_CONFIG_PROVIDERS: ReadonlyMap<string, ConfigProviderFactory> = new Map<string, ConfigProviderFactory>([
  [FILE_CONFIG_PROVIDER_CLASS, (params) => new FileConfigProvider(params)],
  [DIRECTORY_CONFIG_PROVIDER_CLASS, (params) => new DirectoryConfigProvider(params)],
  [ENV_VAR_CONFIG_PROVIDER_CLASS, (params) => new EnvVarConfigProvider(params)],
]);

export interface ProviderOptions {
  /** More provider classes (e.g. from plugins), by fully qualified class name; they win over built-ins. */
  readonly providerClasses?: ReadonlyMap<string, ConfigProviderFactory>;
  /**
   * When set, only these classes may be instantiated (ferry's form of Kafka's
   * `org.apache.kafka.automatic.config.providers` system property). Fully qualified names.
   */
  readonly allowedClasses?: readonly string[];
}

export interface InstantiatedProviders {
  readonly providers: ReadonlyMap<string, ConfigProvider>;
  /** Names listed in `config.providers` that have no `.class` setting. */
  readonly skipped: readonly string[];
}

const classKey = (name: string) => `${CONFIG_PROVIDERS_CONFIG}.${name}.class`;
const paramPrefix = (name: string) => `${CONFIG_PROVIDERS_CONFIG}.${name}.param.`;

function aliasesOf(className: string): string[] {
  const simple = className.slice(className.lastIndexOf('.') + 1);
  const pruned = simple.endsWith('ConfigProvider') ? simple.slice(0, -'ConfigProvider'.length) : '';
  return [className, simple, ...(pruned === '' ? [] : [pruned])];
}

/** The fully qualified class an alias or class name stands for, if exactly one known class has it. */
export function resolveProviderClass(name: string, classes: Iterable<string>): string | undefined {
  const matches = new Set<string>();
  for (const className of classes) {
    if (className === name) return className;
    if (aliasesOf(className).includes(name)) matches.add(className);
  }
  return matches.size === 1 ? [...matches][0] : undefined;
}

function text(props: RawConfig, key: string): string | undefined {
  const v = Object.prototype.hasOwnProperty.call(props, key) ? props[key] : undefined;
  return v === undefined || v === null ? undefined : rawToString(v);
}

/** Instantiates every configured provider; throws one ConfigError listing every problem. */
export function instantiateConfigProviders(props: RawConfig, options: ProviderOptions = {}): InstantiatedProviders {
  const names = [...new Set((text(props, CONFIG_PROVIDERS_CONFIG) ?? '').split(',').map((n) => n.trim()).filter((n) => n !== ''))];
  const factories = new Map([...BUILTIN_CONFIG_PROVIDERS, ...(options.providerClasses ?? [])]);
  const providers = new Map<string, ConfigProvider>();
  const skipped: string[] = [];
  const issues: FieldIssue[] = [];
  for (const name of names) {
    const key = classKey(name);
    const written = text(props, key)?.trim();
    if (written === undefined) {
      skipped.push(name);
      continue;
    }
    const className = resolveProviderClass(written, factories.keys());
    if (className === undefined) {
      issues.push({ name: key, message: `Invalid value ${written} for configuration ${key}: Could not load config provider class or one of its dependencies` });
      continue;
    }
    if (options.allowedClasses !== undefined && !options.allowedClasses.includes(className)) {
      issues.push({ name: key, message: `${className} is not allowed as a config provider; allowed classes: ${options.allowedClasses.join(', ') || '(none)'}` });
      continue;
    }
    const params: Record<string, string> = {};
    const prefix = paramPrefix(name);
    for (const k of Object.keys(props)) {
      const v = text(props, k);
      if (k.startsWith(prefix) && k.length > prefix.length && v !== undefined) params[k.slice(prefix.length)] = v;
    }
    try {
      providers.set(name, (factories.get(className) as ConfigProviderFactory)(params));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      issues.push(...err.issues.map((i) => ({ name: prefix + i.name, message: i.message.replaceAll(i.name, prefix + i.name) })));
    }
  }
  if (issues.length > 0) {
    for (const p of providers.values()) void Promise.resolve().then(() => p.close?.()).catch(() => undefined);
    throw new ConfigError(issues);
  }
  return { providers, skipped };
}
