/**
 * Field builders: one call declares a key's type, default, docs, validation and Kafka metadata
 * (importance, group, order, width, display name, dependents, recommender). The TypeScript type of
 * the parsed value is carried by the builder: a field without a default is required and never null;
 * a field whose default is `null` parses to `T | null`.
 *
 * Defaults are given in parsed form (`default: 5`, `default: ['a', 'b']`); password defaults as
 * plain strings.
 */
import type { ConfigType } from './config-value.js';
import { Password } from './password.js';
import { oneOf, runValidator, type Validator } from './validators.js';

export type Importance = 'HIGH' | 'MEDIUM' | 'LOW';
export type Width = 'NONE' | 'SHORT' | 'MEDIUM' | 'LONG';

/** Parsed values of a spec keyed by dotted Kafka name, as recommenders see them (null if unparsable). */
export type ConfigValues = Readonly<Record<string, unknown>>;

/** Kafka's Recommender: suggested values and visibility computed from the other values. */
export interface Recommender {
  validValues?(name: string, values: ConfigValues): readonly unknown[];
  visible?(name: string, values: ConfigValues): boolean;
}

export interface FieldOptions<T> {
  doc: string;
  /** Absent: the key is required. `null`: optional, parses to null when unset. */
  default?: T | null;
  /** Defaults to MEDIUM. */
  importance?: Importance;
  validator?: Validator<T> | readonly Validator<T>[];
  group?: string;
  /** Position within the group; defaults to one after the previous key of that group in this spec. */
  orderInGroup?: number;
  /** Defaults to NONE. */
  width?: Width;
  /** Defaults to the key name. */
  displayName?: string;
  dependents?: readonly string[];
  recommender?: Recommender;
  /** First ferry/Kafka version with this key (docs only). */
  since?: string;
  /** Marks the key deprecated in docs; a string says what to use instead. */
  deprecated?: boolean | string;
}

type AnyValidator = (value: unknown, name: string) => string | undefined | void;

export interface ConfigField<V> {
  readonly type: ConfigType;
  readonly doc: string;
  readonly required: boolean;
  /** Parsed default; `undefined` exactly when `required`. */
  readonly defaultValue: V | undefined;
  readonly importance: Importance;
  readonly validators: readonly Validator<unknown>[];
  readonly group: string | null;
  readonly orderInGroup: number | undefined;
  readonly width: Width;
  readonly displayName: string | undefined;
  readonly dependents: readonly string[];
  readonly recommender: Recommender | undefined;
  readonly since: string | undefined;
  readonly deprecated: boolean | string | undefined;
  /** LIST only: drop empty elements (`a,,b` → `[a, b]`). */
  readonly omitEmpty: boolean;
  /** Maps a parsed value to its canonical spelling (choice fields). */
  readonly canonicalize: ((value: unknown) => unknown) | undefined;
  /** Phantom member carrying the parsed type. */
  readonly __value?: V;
}

/** The parsed type of a field. */
export type FieldValue<F> = F extends ConfigField<infer V> ? V : never;

type ValueOf<T, O> = O extends { default: infer D } ? (null extends D ? T | null : T) : T;

function field<V>(type: ConfigType, o: FieldOptions<never>, defaultValue: unknown, extra: Partial<ConfigField<V>> = {}): ConfigField<V> {
  const validators = (o.validator === undefined ? [] : Array.isArray(o.validator) ? o.validator : [o.validator]) as AnyValidator[];
  const required = !('default' in o) || o.default === undefined;
  return {
    type,
    doc: o.doc,
    required,
    defaultValue: (required ? undefined : defaultValue) as V | undefined,
    importance: o.importance ?? 'MEDIUM',
    validators: validators as Validator<unknown>[],
    group: o.group ?? null,
    orderInGroup: o.orderInGroup,
    width: o.width ?? 'NONE',
    displayName: o.displayName,
    dependents: [...(o.dependents ?? [])],
    recommender: o.recommender,
    since: o.since,
    deprecated: o.deprecated,
    omitEmpty: false,
    canonicalize: undefined,
    ...extra,
  };
}

function opts<T>(o: FieldOptions<T>): FieldOptions<never> {
  return o as unknown as FieldOptions<never>;
}

export function string<O extends FieldOptions<string>>(o: O): ConfigField<ValueOf<string, O>> {
  return field('STRING', opts(o), o.default);
}

/** A class name or alias; resolving it to a plugin is the plugin registry's job. */
export function classField<O extends FieldOptions<string>>(o: O): ConfigField<ValueOf<string, O>> {
  return field('CLASS', opts(o), o.default);
}
export { classField as class_ };

export function int<O extends FieldOptions<number>>(o: O): ConfigField<ValueOf<number, O>> {
  return field('INT', opts(o), o.default);
}

export function short<O extends FieldOptions<number>>(o: O): ConfigField<ValueOf<number, O>> {
  return field('SHORT', opts(o), o.default);
}

/** A 64-bit integer held as a JS number: exact up to 2^53, Long.MAX_VALUE reads as 2^63. */
export function long<O extends FieldOptions<number>>(o: O): ConfigField<ValueOf<number, O>> {
  return field('LONG', opts(o), o.default);
}

export function double<O extends FieldOptions<number>>(o: O): ConfigField<ValueOf<number, O>> {
  return field('DOUBLE', opts(o), o.default);
}

export function boolean<O extends FieldOptions<boolean>>(o: O): ConfigField<ValueOf<boolean, O>> {
  return field('BOOLEAN', opts(o), o.default);
}

export interface ListOptions extends FieldOptions<readonly string[]> {
  /** Drop empty elements instead of keeping them as Kafka does. */
  omitEmpty?: boolean;
}

/** A comma-separated list; elements are trimmed. */
export function list<O extends ListOptions>(o: O): ConfigField<ValueOf<readonly string[], O>> {
  const dflt = o.default === undefined || o.default === null ? o.default : Object.freeze([...o.default]);
  return field('LIST', opts(o), dflt, { omitEmpty: o.omitEmpty ?? false });
}

export interface PasswordOptions extends Omit<FieldOptions<Password>, 'default'> {
  default?: string | null;
}

/** A secret, parsed into a {@link Password} that prints as `[hidden]`. */
export function password<O extends PasswordOptions>(o: O): ConfigField<ValueOf<Password, O>> {
  const dflt = typeof o.default === 'string' ? new Password(o.default) : o.default;
  return field('PASSWORD', opts(o as FieldOptions<Password>), dflt);
}

export interface ChoiceOptions<V extends string> extends Omit<FieldOptions<V>, 'default' | 'validator'> {
  values: readonly V[];
  default?: NoInfer<V> | null;
  caseInsensitive?: boolean;
  validator?: Validator<V> | readonly Validator<V>[];
}

/**
 * A STRING restricted to `values` (Kafka's ValidString / CaseInsensitiveValidString). The parsed
 * value is typed as the union of `values` and, when case-insensitive, spelled as declared.
 */
export function choice<const V extends string>(o: ChoiceOptions<V> & { default: null }): ConfigField<V | null>;
export function choice<const V extends string>(o: ChoiceOptions<V>): ConfigField<V>;
export function choice<const V extends string>(o: ChoiceOptions<V>): ConfigField<V | null> {
  const extra = o.validator === undefined ? [] : Array.isArray(o.validator) ? o.validator : [o.validator];
  const validators = [oneOf(o.values, { caseInsensitive: o.caseInsensitive }), ...extra];
  const canonical = new Map(o.values.map((v) => [o.caseInsensitive ? v.toLowerCase() : v, v]));
  const canonicalize = (value: unknown) =>
    typeof value === 'string' ? canonical.get(o.caseInsensitive ? value.toLowerCase() : value) ?? value : value;
  return field<V | null>('STRING', opts({ ...o, validator: validators } as FieldOptions<string>), o.default, { canonicalize });
}

const INTEGER_LIMITS: Partial<Record<ConfigType, number>> = { SHORT: 2 ** 15, INT: 2 ** 31, LONG: 2 ** 63 };

function defaultHasType(type: ConfigType, value: unknown): boolean {
  switch (type) {
    case 'STRING':
    case 'CLASS':
      return typeof value === 'string';
    case 'PASSWORD':
      return value instanceof Password;
    case 'BOOLEAN':
      return typeof value === 'boolean';
    case 'DOUBLE':
      return typeof value === 'number';
    case 'LIST':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    default: {
      const limit = INTEGER_LIMITS[type] as number;
      return typeof value === 'number' && Number.isInteger(value) && value >= -limit && value <= limit;
    }
  }
}

/** Returns what is wrong with a field's own default (checked once, when the spec is defined). */
export function checkDefault(name: string, f: ConfigField<unknown>): string | undefined {
  if (f.required || f.defaultValue === null) return undefined;
  if (!defaultHasType(f.type, f.defaultValue)) return `Default for configuration ${name} is not a ${f.type} value`;
  for (const v of f.validators) {
    const problem = runValidator(v, f.defaultValue, name);
    if (problem !== undefined) return `Invalid default for configuration ${name}: ${problem}`;
  }
  return undefined;
}
