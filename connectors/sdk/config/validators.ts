/**
 * Single-field validators. A validator receives a parsed, non-null value and returns nothing when
 * it is fine, or the detail of what is wrong; the spec turns that into Kafka's wording
 * `Invalid value <v> for configuration <name>: <detail>`. A validator that throws is treated as
 * returning its error message.
 */

export type ValidationResult = string | undefined | void;

export interface Validator<T> {
  (value: T, name: string): ValidationResult;
  /** Text for the "valid values" column of the docs, e.g. `[1,...]` (Kafka's validator toString). */
  readonly describe?: string;
  /** JSON Schema keywords the validator implies for the value, e.g. `{ minimum: 1 }`. */
  readonly jsonSchema?: Readonly<Record<string, unknown>>;
}

/** Wraps a check function as a validator with docs text and JSON Schema hints. */
export function validator<T>(
  check: (value: T, name: string) => ValidationResult,
  describe?: string,
  jsonSchema?: Record<string, unknown>,
): Validator<T> {
  const v = (value: T, name: string) => check(value, name);
  return Object.assign(v, { describe, jsonSchema });
}

export function range(bounds: { min?: number; max?: number }): Validator<number> {
  const { min, max } = bounds;
  const describe = min !== undefined && max !== undefined ? `[${min},...,${max}]`
    : min !== undefined ? `[${min},...]`
      : max !== undefined ? `[...,${max}]` : '[...]';
  const schema: Record<string, unknown> = {};
  if (min !== undefined) schema.minimum = min;
  if (max !== undefined) schema.maximum = max;
  return validator((n: number) => {
    if (min !== undefined && n < min) return `Value must be at least ${min}`;
    if (max !== undefined && n > max) return `Value must be no more than ${max}`;
    return undefined;
  }, describe, schema);
}

export const atLeast = (min: number): Validator<number> => range({ min });
export const between = (min: number, max: number): Validator<number> => range({ min, max });

/** The value must be one of `values`; `caseInsensitive` compares ignoring case. */
export function oneOf<S extends string>(values: readonly S[], options: { caseInsensitive?: boolean } = {}): Validator<string> {
  const { caseInsensitive = false } = options;
  const allowed = new Set(caseInsensitive ? values.map((v) => v.toLowerCase()) : values);
  const listed = values.join(', ');
  return validator((s: string) => {
    if (allowed.has(caseInsensitive ? s.toLowerCase() : s)) return undefined;
    return caseInsensitive ? `String must be one of (case insensitive): ${listed}` : `String must be one of: ${listed}`;
  }, caseInsensitive ? `(case insensitive) [${listed}]` : `[${listed}]`, caseInsensitive ? {} : { enum: [...values] });
}

export function nonEmptyString(): Validator<string> {
  return validator((s: string) => (s.length === 0 ? 'String must be non-empty' : undefined), 'non-empty string', { minLength: 1 });
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/g;

/** Kafka's rule for connector names: non-empty and free of ISO control characters. */
export function nonEmptyStringWithoutControlChars(): Validator<string> {
  return validator((s: string) => {
    if (s.length === 0) return 'String may not be empty';
    const found = s.match(CONTROL_CHARS);
    if (!found) return undefined;
    const codes = found.map((c) => c.charCodeAt(0));
    return `String may not contain control sequences but had the following ASCII chars: ${codes.join(', ')}`;
  }, 'non-empty string without ISO control characters', { minLength: 1 });
}

/** The value must match `pattern` in full. */
export function matches(pattern: RegExp, describe?: string): Validator<string> {
  const anchored = new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace('g', ''));
  const text = describe ?? `matches ${pattern.source}`;
  return validator((s: string) => (anchored.test(s) ? undefined : `Value must match the pattern ${pattern.source}`), text, {
    pattern: anchored.source,
  });
}

/** The value must compile as a regular expression. */
export function validRegex(): Validator<string> {
  return validator((s: string) => {
    try {
      new RegExp(s);
      return undefined;
    } catch (err) {
      return `Not a valid regular expression: ${(err as Error).message}`;
    }
  }, 'valid regular expression');
}

/** Applies `inner` to every element of a list value; reports the first failure. */
export function eachItem(inner: Validator<string>): Validator<readonly string[]> {
  return validator((items: readonly string[], name: string) => {
    for (const item of items) {
      const problem = runValidator(inner, item, name);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }, inner.describe !== undefined ? `list of ${inner.describe}` : undefined);
}

export function uniqueItems(message = 'Duplicate values are not allowed', describe = 'unique values'): Validator<readonly string[]> {
  return validator((items: readonly string[]) => (new Set(items).size < items.length ? message : undefined), describe, {});
}

export function nonEmptyList(): Validator<readonly string[]> {
  return validator((items: readonly string[]) => (items.length === 0 ? 'List must not be empty' : undefined), 'non-empty list');
}

/** Runs validators in order and stops at the first failure (Kafka's CompositeValidator). */
export function all<T>(...validators: Validator<T>[]): Validator<T> {
  const described = validators.map((v) => v.describe).filter((d): d is string => d !== undefined);
  const schema = Object.assign({}, ...validators.map((v) => v.jsonSchema ?? {})) as Record<string, unknown>;
  return validator((value: T, name: string) => {
    for (const v of validators) {
      const problem = runValidator(v, value, name);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }, described.length > 0 ? described.join(', ') : undefined, schema);
}

/** Calls a validator, turning a thrown error into its message. */
export function runValidator<T>(v: Validator<T>, value: T, name: string): string | undefined {
  try {
    const result = v(value, name);
    return typeof result === 'string' ? result : undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
