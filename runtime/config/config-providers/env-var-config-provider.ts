/**
 * `${env:<VAR>}`: the environment variable `<VAR>` (Kafka's EnvVarConfigProvider, KIP-887). Only
 * variables whose whole name matches `allowlist.pattern` (default `.*`) are visible; others stay
 * unresolved as if unset. Paths are not supported: `${env:some/path:VAR}` is an error. Unlike
 * Kafka, which snapshots the environment once, the environment is read at each `get`.
 */
import { ConfigError } from '../../../connectors/sdk/config/config-error.js';
import { configData, ConfigProviderError, type ConfigData, type ConfigProvider, type ConfigProviderParams } from './config-provider.js';

export const ALLOWLIST_PATTERN_PARAM = 'allowlist.pattern';

export class EnvVarConfigProvider implements ConfigProvider {
  readonly #allowlist: RegExp;
  readonly #env: NodeJS.ProcessEnv;

  constructor(params: ConfigProviderParams = {}, env: NodeJS.ProcessEnv = process.env) {
    const pattern = params[ALLOWLIST_PATTERN_PARAM] ?? '.*';
    try {
      this.#allowlist = new RegExp(`^(?:${pattern})$`);
    } catch (err) {
      throw new ConfigError([{ name: ALLOWLIST_PATTERN_PARAM, message: `Invalid value ${pattern} for configuration ${ALLOWLIST_PATTERN_PARAM}: ${(err as Error).message}` }]);
    }
    this.#env = env;
  }

  get(path: string, keys?: ReadonlySet<string>): ConfigData {
    if (path !== '') throw new ConfigProviderError(`Path is not supported for EnvVarConfigProvider, invalid value '${path}'`);
    const visible: [string, string][] = [];
    for (const [name, value] of Object.entries(this.#env)) {
      if (value !== undefined && this.#allowlist.test(name)) visible.push([name, value]);
    }
    return configData(visible, keys);
  }
}
