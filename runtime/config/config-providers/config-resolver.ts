/**
 * Resolves config provider placeholders (Kafka's ConfigTransformer) inside the worker only:
 * stored connector configs and everything the REST API returns keep their placeholders, and the
 * worker resolves a connector's or task's config each time it starts one.
 *
 * Rules, as Kafka's: all placeholders of one config are collected first and each provider is
 * asked once per path for the keys used with it; a placeholder naming a provider that is not
 * configured, or a key the provider does not have, stays in the value as written (listed in
 * `unresolved` so the worker can warn); a provider that fails makes the whole resolution fail
 * with a ConfigProviderError; values that are not strings pass through untouched. TTLs are
 * reported per path, the smallest when several providers answer for the same path.
 */
import type { RawConfig } from '../../../connectors/sdk/config/config-value.js';
import { ConfigProviderError, type ConfigData, type ConfigProvider } from './config-provider.js';
import { findPlaceholders, replacePlaceholders, type Placeholder } from './placeholders.js';
import { instantiateConfigProviders, type ProviderOptions } from './provider-registry.js';

export interface UnresolvedPlaceholder {
  /** The config key whose value holds the placeholder. */
  readonly configKey: string;
  readonly placeholder: string;
  readonly reason: 'unknown-provider' | 'missing-key';
}

export interface Resolution<C> {
  /** The config with every resolvable placeholder replaced. */
  readonly resolved: C;
  /** Per provider path, milliseconds until its values may change (`config.action.reload`). */
  readonly ttls: ReadonlyMap<string, number>;
  /** Every value a placeholder was replaced with; feed to the secret scrubber. */
  readonly secrets: ReadonlySet<string>;
  readonly unresolved: readonly UnresolvedPlaceholder[];
}

type Mutable<C> = { -readonly [K in keyof C]: C[K] };

export class ConfigResolver {
  readonly #providers: ReadonlyMap<string, ConfigProvider>;
  /** Provider names listed in `config.providers` that were not set up (no `.class`). */
  readonly skippedProviders: readonly string[];

  constructor(providers: ReadonlyMap<string, ConfigProvider>, skippedProviders: readonly string[] = []) {
    this.#providers = providers;
    this.skippedProviders = skippedProviders;
  }

  /** The providers a worker's properties configure; throws a ConfigError on bad provider settings. */
  static fromWorkerProperties(props: RawConfig, options: ProviderOptions = {}): ConfigResolver {
    const { providers, skipped } = instantiateConfigProviders(props, options);
    return new ConfigResolver(providers, skipped);
  }

  get providerNames(): string[] {
    return [...this.#providers.keys()];
  }

  async resolve<C extends RawConfig>(raw: C): Promise<Resolution<Mutable<C>>> {
    const wanted = new Map<string, Map<string, Set<string>>>();
    for (const value of Object.values(raw)) {
      if (typeof value !== 'string') continue;
      for (const p of findPlaceholders(value)) {
        if (!this.#providers.has(p.provider)) continue;
        const byPath = wanted.get(p.provider) ?? new Map<string, Set<string>>();
        wanted.set(p.provider, byPath);
        const keys = byPath.get(p.path) ?? new Set<string>();
        byPath.set(p.path, keys);
        keys.add(p.key);
      }
    }

    const lookups = new Map<string, Map<string, ReadonlyMap<string, string>>>();
    const ttls = new Map<string, number>();
    const requests: Promise<void>[] = [];
    for (const [name, byPath] of wanted) {
      const provider = this.#providers.get(name) as ConfigProvider;
      const results = new Map<string, ReadonlyMap<string, string>>();
      lookups.set(name, results);
      for (const [path, keys] of byPath) {
        requests.push(fetchData(name, provider, path, keys).then((data) => {
          results.set(path, data.data);
          if (data.ttl !== undefined && data.ttl >= 0) ttls.set(path, Math.min(data.ttl, ttls.get(path) ?? Infinity));
        }));
      }
    }
    await Promise.all(requests);

    const resolved: Record<string, unknown> = {};
    const secrets = new Set<string>();
    const unresolved: UnresolvedPlaceholder[] = [];
    for (const configKey of Object.keys(raw)) {
      const value = raw[configKey];
      if (typeof value !== 'string') {
        resolved[configKey] = value;
        continue;
      }
      resolved[configKey] = replacePlaceholders(value, (p: Placeholder) => {
        const byPath = lookups.get(p.provider);
        const found = byPath?.get(p.path)?.get(p.key);
        if (found === undefined) {
          unresolved.push({ configKey, placeholder: p.text, reason: byPath === undefined ? 'unknown-provider' : 'missing-key' });
        } else {
          secrets.add(found);
        }
        return found;
      });
    }
    return { resolved: resolved as Mutable<C>, ttls, secrets, unresolved };
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#providers.values()].map(async (p) => p.close?.()));
  }
}

async function fetchData(name: string, provider: ConfigProvider, path: string, keys: ReadonlySet<string>): Promise<ConfigData> {
  try {
    return await provider.get(path, keys);
  } catch (err) {
    const where = path === '' ? '' : ` for path ${path}`;
    throw new ConfigProviderError(`Config provider '${name}' could not supply ${[...keys].join(', ')}${where}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Sets up the providers a worker's properties name and resolves the placeholders in those same
 * properties (the provider settings themselves are used as written). The resolver stays open for
 * the worker's connectors and tasks; close it when the worker stops.
 */
export async function resolveWorkerProperties<C extends RawConfig>(
  props: C,
  options: ProviderOptions = {},
): Promise<{ resolver: ConfigResolver; worker: Resolution<Mutable<C>> }> {
  const resolver = ConfigResolver.fromWorkerProperties(props, options);
  try {
    return { resolver, worker: await resolver.resolve(props) };
  } catch (err) {
    await resolver.close();
    throw err;
  }
}
