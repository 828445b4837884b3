/**
 * Resolves config-provider placeholders in a connector's or task's config just before it
 * runs, and gives back a scrubber that hides the resolved secrets (and password-type
 * settings) in any text leaving the worker, such as failure traces in the status topic.
 * Stored configs keep their placeholders; only running instances see resolved values.
 */
import type { RawConfig } from '../../connectors/sdk/connector.js';
import type { ConnectorPlugin } from '../../connectors/sdk/plugin.js';
import {
  passwordKeysOf, restorePlaceholders, secretScrubber, secretValues, type ConfigResolver,
} from '../config/config-providers/index.js';

export interface ResolvedConfig {
  readonly resolved: RawConfig;
  /** Replaces every secret of this config found in `text` with [hidden]. */
  readonly scrub: (text: string) => string;
  /** Task configs a connector derived from the resolved config, with the placeholders put back. */
  readonly restore: (derived: RawConfig) => RawConfig;
}

export type ConfigResolution = (raw: RawConfig, plugin: ConnectorPlugin) => Promise<ResolvedConfig>;

export function configResolution(resolver: ConfigResolver | null): ConfigResolution {
  return async (raw, plugin) => {
    const result = resolver ? await resolver.resolve(raw) : { resolved: raw, secrets: new Set<string>() };
    const resolved = result.resolved as RawConfig;
    const secrets = [...result.secrets, ...secretValues(resolved, raw, passwordKeysOf(plugin.configSpec, resolved))];
    return {
      resolved,
      scrub: secrets.length === 0 ? (text) => text : secretScrubber(secrets),
      restore: (derived) => restorePlaceholders(derived, raw, resolved),
    };
  };
}
