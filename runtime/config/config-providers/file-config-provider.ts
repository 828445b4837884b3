/**
 * `${file:<path>:<key>}`: `<key>` from the Java `.properties` file at `<path>` (Kafka's
 * FileConfigProvider). The file is read on every `get`, so edits apply at the next connector or
 * task start. An empty path yields no values; a refused or unreadable path is an error.
 */
import { readFile } from 'node:fs/promises';
import { parseProperties } from '../properties-file.js';
import { AllowedPaths, ALLOWED_PATHS_PARAM } from './allowed-paths.js';
import { configData, ConfigProviderError, type ConfigData, type ConfigProvider, type ConfigProviderParams } from './config-provider.js';

export class FileConfigProvider implements ConfigProvider {
  readonly #allowed: AllowedPaths;

  constructor(params: ConfigProviderParams = {}) {
    this.#allowed = new AllowedPaths(params[ALLOWED_PATHS_PARAM]);
  }

  async get(path: string, keys?: ReadonlySet<string>): Promise<ConfigData> {
    if (path === '') return configData([]);
    const file = await this.#allowed.check(path);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new ConfigProviderError(`Could not read properties from file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
    }
    try {
      return configData(Object.entries(parseProperties(text)), keys);
    } catch (err) {
      throw new ConfigProviderError(`Could not read properties from file ${path}: ${(err as Error).message}`, { cause: err });
    }
  }
}
