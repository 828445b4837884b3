/**
 * The `allowed.paths` param of the file and directory providers (Kafka's AllowedPaths, KIP-993):
 * a comma-separated list of absolute, existing paths. When set, a provider may only read a path
 * that lies inside one of them, compared by whole path components after resolving `.` and `..`
 * (`/etc/secrets-old` is not inside `/etc/secrets`). Unlike Kafka, ferry also checks the path
 * with symbolic links followed, so a link inside an allowed directory cannot point outside it.
 */
import { existsSync, realpathSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { isAbsolute, resolve, sep } from 'node:path';
import { ConfigError } from '../../../connectors/sdk/config/config-error.js';
import { ConfigProviderError } from './config-provider.js';

export const ALLOWED_PATHS_PARAM = 'allowed.paths';

function inside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

export class AllowedPaths {
  readonly #roots: readonly string[] | null;
  readonly #realRoots: readonly string[];

  /** `value` is the raw param; absent or empty allows every path. Throws a ConfigError on a bad entry. */
  constructor(value: string | undefined) {
    const entries = (value ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '');
    if (entries.length === 0) {
      this.#roots = null;
      this.#realRoots = [];
      return;
    }
    const problems = entries.filter((e) => !isAbsolute(e) || !existsSync(e));
    if (problems.length > 0) {
      throw new ConfigError(problems.map((p) => ({
        name: ALLOWED_PATHS_PARAM,
        message: `Path ${p} is not valid. The path should be absolute and exist`,
      })));
    }
    this.#roots = entries.map((e) => resolve(e));
    this.#realRoots = this.#roots.map((r) => realpathSync(r));
  }

  get restricted(): boolean {
    return this.#roots !== null;
  }

  /**
   * The absolute, normalised form of `path` if it may be read; otherwise throws a
   * ConfigProviderError naming the path and the allowed roots.
   */
  async check(path: string): Promise<string> {
    const absolute = resolve(path);
    if (this.#roots === null) return absolute;
    let allowed = this.#roots.some((root) => inside(absolute, root));
    if (allowed) {
      const real = await realpath(absolute).catch(() => undefined);
      if (real !== undefined) allowed = this.#realRoots.some((root) => inside(real, root));
    }
    if (!allowed) {
      throw new ConfigProviderError(`The path ${path} is not allowed to be read; ${ALLOWED_PATHS_PARAM} is ${this.#roots.join(',')}`);
    }
    return absolute;
  }
}
