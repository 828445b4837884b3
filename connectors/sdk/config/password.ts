/**
 * A secret config value. Every way the runtime might print it (string conversion, JSON, util.inspect,
 * template literals) yields `[hidden]`; only `reveal()` returns the secret.
 */
import { inspect } from 'node:util';

export const HIDDEN = '[hidden]';

export class Password {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  equals(other: unknown): boolean {
    return other instanceof Password && other.#value === this.#value;
  }

  toString(): string {
    return HIDDEN;
  }

  toJSON(): string {
    return HIDDEN;
  }

  [inspect.custom](): string {
    return HIDDEN;
  }
}
