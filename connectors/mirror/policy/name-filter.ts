/**
 * The include/exclude rule shared by MirrorMaker's default topic and group filters: a name passes
 * when it matches one of the include patterns and none of the exclude patterns, each a Java regex
 * over the whole name. Patterns are compiled once, at construction (an invalid one throws).
 */
import { compileJavaPatterns } from './java-regex.js';

export class NameFilter {
  readonly #include: RegExp;
  readonly #exclude: RegExp;

  constructor(include: readonly string[], exclude: readonly string[]) {
    this.#include = compileJavaPatterns(include);
    this.#exclude = compileJavaPatterns(exclude);
  }

  protected passes(name: string): boolean {
    return this.#include.test(name) && !this.#exclude.test(name);
  }
}
