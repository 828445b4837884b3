/**
 * MirrorMaker's DefaultConfigPropertyFilter: a topic config is copied to the remote topic unless
 * its name matches one of `config.properties.exclude` (whole-name Java regexes).
 */
import { compileJavaPatterns } from './java-regex.js';

/** `config.properties.exclude` default: replication throttles, timestamp rules and broker-local safety settings. */
export const DEFAULT_CONFIG_PROPERTIES_EXCLUDE: readonly string[] = Object.freeze([
  'follower\\.replication\\.throttled\\.replicas',
  'leader\\.replication\\.throttled\\.replicas',
  'message\\.timestamp\\.difference\\.max\\.ms',
  'message\\.timestamp\\.type',
  'unclean\\.leader\\.election\\.enable',
  'min\\.insync\\.replicas',
]);

export class ConfigPropertyFilter {
  readonly #exclude: RegExp;

  constructor(exclude: readonly string[]) {
    this.#exclude = compileJavaPatterns(exclude);
  }

  shouldReplicateConfigProperty(name: string): boolean {
    return !this.#exclude.test(name);
  }
}
