/**
 * `${dir:<directory>:<file>}`: the whole content of `<directory>/<file>`, as UTF-8 and untrimmed
 * (Kafka's DirectoryConfigProvider, made for mounted secret volumes). Only regular files, links
 * to them included, directly in the directory count; subdirectories are ignored. An empty path
 * yields no values; a refused path or one that is not a readable directory is an error.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AllowedPaths, ALLOWED_PATHS_PARAM } from './allowed-paths.js';
import { ConfigProviderError, type ConfigData, type ConfigProvider, type ConfigProviderParams } from './config-provider.js';

export class DirectoryConfigProvider implements ConfigProvider {
  readonly #allowed: AllowedPaths;

  constructor(params: ConfigProviderParams = {}) {
    this.#allowed = new AllowedPaths(params[ALLOWED_PATHS_PARAM]);
  }

  async get(path: string, keys?: ReadonlySet<string>): Promise<ConfigData> {
    const data = new Map<string, string>();
    if (path === '') return { data };
    const dir = await this.#allowed.check(path);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOTDIR' ? 'it is not a directory' : code ?? String(err);
      throw new ConfigProviderError(`Could not list directory ${path}: ${why}`, { cause: err });
    }
    for (const name of names) {
      if (keys !== undefined && !keys.has(name)) continue;
      const file = join(dir, name);
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) continue;
      await this.#allowed.check(file);
      try {
        data.set(name, await readFile(file, 'utf8'));
      } catch (err) {
        throw new ConfigProviderError(`Could not read file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
      }
    }
    return { data };
  }
}
