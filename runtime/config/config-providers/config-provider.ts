/**
 * The config provider contract (Kafka's ConfigProvider, KIP-297). A provider answers
 * `${name:path:key}` placeholders: `get(path, keys)` returns the values it has for those keys
 * (keys it does not have are simply absent, which leaves their placeholders unresolved). A
 * provider is built once per worker from its `config.providers.<name>.param.*` settings and
 * shared by every connector the worker runs, so `get` must not keep per-call state.
 */

export interface ConfigData {
  readonly data: ReadonlyMap<string, string>;
  /** Milliseconds after which the values may have changed (Kafka's ConfigData.ttl). */
  readonly ttl?: number;
}

export interface ConfigProvider {
  /** Values under `path` (`''` for the `${name:key}` form); only `keys` when given. */
  get(path: string, keys?: ReadonlySet<string>): ConfigData | Promise<ConfigData>;
  close?(): void | Promise<void>;
}

/** A provider's `param.*` settings with the `config.providers.<name>.param.` prefix removed. */
export type ConfigProviderParams = Readonly<Record<string, string>>;

/** Builds a configured provider; throws a ConfigError whose issues name the bad params. */
export type ConfigProviderFactory = (params: ConfigProviderParams) => ConfigProvider;

/** A provider could not answer (path refused, file unreadable, ...). Messages never carry values. */
export class ConfigProviderError extends Error {
  override readonly name = 'ConfigProviderError';
  readonly code = 'CONFIG_PROVIDER_FAILED';
  readonly retriable = false;
}

export function configData(data: Iterable<readonly [string, string]>, keys?: ReadonlySet<string>): ConfigData {
  const out = new Map<string, string>();
  for (const [k, v] of data) if (keys === undefined || keys.has(k)) out.set(k, v);
  return { data: out };
}
