/**
 * ferry's declarative config spec (Kafka's ConfigDef): every connector, converter, transform and
 * the worker declare their keys once with `defineConfig`, and that declaration drives parsing,
 * defaults, validation, the REST validate endpoint (`toConfigInfos`), the plugin config endpoint
 * (`describe`), JSON Schema and Markdown docs.
 *
 * Naming rule: specs are declared with Kafka's dotted key names (`'tasks.max'`); the parsed config
 * is a frozen object keyed by the camelCase of each name (`tasksMax`): every `.`, `-` or `_` is
 * dropped and the letter after it upper-cased. Runtime code reads only these typed properties.
 *
 * Unknown keys are never errors: `parse` ignores them and `validate` lists them in `unknownKeys`
 * for the caller to warn about (pass-through prefixes such as `producer.override.*` arrive this way).
 * Validation never throws; `parse` throws one ConfigError that lists every problem.
 */
import { ConfigError, type FieldIssue } from './config-error.js';
import { checkDefault, type ConfigField, type ConfigValues, type FieldValue, type Recommender } from './config-field.js';
import { configInfosOf, describeSpec, type ConfigInfos, type ConfigKeyInfo } from './config-infos.js';
import { specToJsonSchema, type JsonSchemaObject } from './config-json-schema.js';
import { specToMarkdown, type MarkdownOptions } from './config-markdown.js';
import { displayValue, parseType, rawToString, renderValue, type RawConfig } from './config-value.js';
import { Password } from './password.js';
import { runValidator } from './validators.js';

export type ConfigFields = { readonly [name: string]: ConfigField<unknown> };

type CamelTail<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelTail<T>>}`
  : S extends `${infer H}_${infer T}` ? `${H}${Capitalize<CamelTail<T>>}` : S;

/** The property name a dotted key gets in the parsed config: `errors.log.enable` → `errorsLogEnable`. */
export type CamelCase<S extends string> = S extends `${infer H}.${infer T}`
  ? `${CamelTail<H>}${Capitalize<CamelCase<T>>}`
  : CamelTail<S>;

export type ParsedFields<F extends ConfigFields> = {
  readonly [K in keyof F & string as CamelCase<K>]: FieldValue<F[K]>;
};

/** The typed result of `parse`: `ParsedConfig<typeof spec>` (or of a fields record). */
export type ParsedConfig<S> = S extends ConfigSpec<infer F> ? ParsedFields<F> : S extends ConfigFields ? ParsedFields<S> : never;

export type Prefixed<F extends ConfigFields, P extends string> = { readonly [K in keyof F & string as `${P}${K}`]: F[K] };
export type Merged<F extends ConfigFields, G extends ConfigFields> = {
  readonly [K in keyof F | keyof G]: K extends keyof G ? G[K] : K extends keyof F ? F[K] : never;
};

/**
 * A rule spanning several keys (e.g. "exactly one of topics / topics.regex"). `values` holds only
 * the keys that parsed and validated cleanly; `raw` is the submitted map. Issues name the key the
 * error is reported against.
 */
export type CrossFieldRule<F extends ConfigFields> = (values: Partial<ParsedFields<F>>, raw: RawConfig) => readonly FieldIssue[] | void;

export interface SpecOptions<F extends ConfigFields> {
  validateCrossField?: CrossFieldRule<F>;
}

/** Kafka's ConfigValue: one key's outcome in a validation. `value` is parsed (or the default). */
export interface ConfigValue {
  readonly name: string;
  value: unknown;
  recommendedValues: unknown[];
  errors: string[];
  visible: boolean;
}

const VALIDATION = Symbol('ConfigValidation');

export interface ConfigValidation {
  /** One entry per declared key in spec order, then undeclared keys that carry errors. */
  readonly values: readonly ConfigValue[];
  readonly errorCount: number;
  readonly isValid: boolean;
  /** Every error as `{ name, message }`, in `values` order. */
  readonly issues: readonly FieldIssue[];
  /** Submitted keys the spec does not declare (not errors). */
  readonly unknownKeys: readonly string[];
  readonly [VALIDATION]: true;
}

export function isConfigValidation(x: unknown): x is ConfigValidation {
  return typeof x === 'object' && x !== null && VALIDATION in x;
}

export const NULL_VALUE_ERROR = 'Null value can not be supplied as the configuration value.';

type InternalRule = (parsed: ReadonlyMap<string, unknown>, raw: RawConfig) => readonly FieldIssue[];

export function camelCase(name: string): string {
  return name.split(/[.\-_]/).map((part, i) => (i === 0 ? part : part.charAt(0).toUpperCase() + part.slice(1))).join('');
}

function own(raw: RawConfig, key: string): RawConfig[string] {
  return Object.prototype.hasOwnProperty.call(raw, key) ? raw[key] : undefined;
}

export class ConfigSpec<F extends ConfigFields> {
  /** The declarations keyed by dotted name, in declaration order. */
  readonly fields: Readonly<F>;
  readonly names: readonly string[];
  /** Group names in order of first use (Kafka's `groups`). */
  readonly groups: readonly string[];
  readonly #properties: ReadonlyMap<string, string>;
  readonly #rules: readonly InternalRule[];

  /** Use `defineConfig`; this assumes group orders are already resolved. */
  constructor(fields: F, rules: readonly InternalRule[] = []) {
    this.fields = Object.freeze({ ...fields });
    this.names = Object.freeze(Object.keys(fields));
    this.groups = Object.freeze([...new Set(this.names.map((n) => fields[n].group).filter((g): g is string => g !== null))]);
    this.#rules = rules;
    const properties = new Map<string, string>();
    const owners = new Map<string, string>();
    for (const name of this.names) {
      const prop = camelCase(name);
      const clash = owners.get(prop);
      if (clash !== undefined) throw new Error(`Configurations ${clash} and ${name} both map to property ${prop}`);
      owners.set(prop, name);
      properties.set(name, prop);
      const problem = checkDefault(name, fields[name]);
      if (problem !== undefined) throw new Error(problem);
    }
    this.#properties = properties;
  }

  /** The parsed-config property for a dotted name. */
  propertyOf(name: keyof F & string): CamelCase<typeof name> {
    return this.#properties.get(name) as CamelCase<typeof name>;
  }

  /** The dotted name behind a parsed-config property (for reporting issues). */
  nameOf(property: keyof ParsedFields<F> & string): keyof F & string {
    for (const [name, prop] of this.#properties) if (prop === property) return name;
    throw new Error(`No configuration maps to property ${property}`);
  }

  /** Parses and validates `raw`; throws a ConfigError listing every problem. Unknown keys are ignored. */
  parse(raw: RawConfig): ParsedFields<F> {
    const validation = this.validate(raw);
    if (!validation.isValid) throw new ConfigError(validation.issues);
    const out: Record<string, unknown> = {};
    for (const v of validation.values) {
      const prop = this.#properties.get(v.name);
      if (prop !== undefined) out[prop] = Array.isArray(v.value) ? Object.freeze([...v.value]) : v.value;
    }
    return Object.freeze(out) as ParsedFields<F>;
  }

  /** Per-key results in Kafka's ConfigDef.validate style. Never throws. */
  validate(raw: RawConfig): ConfigValidation {
    const results = new Map<string, ConfigValue>();
    const clean = new Map<string, unknown>();
    for (const name of this.names) {
      const result = this.#validateField(name, own(raw, name));
      results.set(name, result);
      if (result.errors.length === 0) clean.set(name, result.value);
    }
    this.#applyRecommenders(results);
    const extras = new Map<string, ConfigValue>();
    const unknownKeys: string[] = [];
    for (const key of Object.keys(raw)) {
      if (results.has(key) || raw[key] === undefined) continue;
      unknownKeys.push(key);
      if (raw[key] === null) extraValue(extras, key, null).errors.push(NULL_VALUE_ERROR);
    }
    for (const rule of this.#rules) {
      for (const issue of rule(clean, raw)) {
        const target = results.get(issue.name) ?? extraValue(extras, issue.name, own(raw, issue.name) ?? null);
        target.errors.push(issue.message);
      }
    }
    return finishValidation([...results.values(), ...extras.values()], unknownKeys);
  }

  /** Submitted keys the spec does not declare. */
  unknownKeys(raw: RawConfig): string[] {
    return Object.keys(raw).filter((k) => raw[k] !== undefined && !Object.prototype.hasOwnProperty.call(this.fields, k));
  }

  /** The body of `PUT /connector-plugins/{plugin}/config/validate` (Kafka's ConfigInfos). */
  toConfigInfos(pluginName: string, input: RawConfig | ConfigValidation): ConfigInfos {
    const validation = isConfigValidation(input) ? input : this.validate(input);
    return configInfosOf(pluginName, this.fields, this.groups, validation);
  }

  /** The body of `GET /connector-plugins/{plugin}/config` (Kafka's ConfigKeyInfo list). */
  describe(): ConfigKeyInfo[] {
    return describeSpec(this.fields);
  }

  /** A JSON Schema (draft-07) for the raw config map this spec accepts. */
  toJsonSchema(options: { title?: string; description?: string } = {}): JsonSchemaObject {
    return specToJsonSchema(this.fields, options);
  }

  /** Reference docs in Markdown, grouped as the spec groups its keys. */
  toMarkdown(options: MarkdownOptions = {}): string {
    return specToMarkdown(this.fields, this.groups, options);
  }

  /**
   * The config map form of (part of) a parsed config, e.g. for task configs: dotted keys, Kafka
   * string forms, nulls left out. Passwords are revealed.
   */
  serialize(config: Partial<ParsedFields<F>>): Record<string, string> {
    const out: Record<string, string> = {};
    const values = config as Record<string, unknown>;
    for (const name of this.names) {
      const value = values[this.#properties.get(name) as string];
      if (value === undefined || value === null) continue;
      out[name] = value instanceof Password ? value.reveal() : renderValue(value, this.fields[name].type) as string;
    }
    return out;
  }

  /**
   * This spec's keys followed by `other`'s new keys. A key in both is an error unless `onConflict`
   * says `override` (other's definition takes its place) or `keep` (this definition stays).
   * Cross-field rules of both apply.
   */
  merge<G extends ConfigFields>(other: ConfigSpec<G>, options: { onConflict?: 'error' | 'override' | 'keep' } = {}): ConfigSpec<Merged<F, G>> {
    const onConflict = options.onConflict ?? 'error';
    const fields: Record<string, ConfigField<unknown>> = { ...this.fields };
    for (const name of other.names) {
      if (name in fields) {
        if (onConflict === 'error') throw new Error(`Configuration ${name} is defined more than once`);
        if (onConflict === 'keep') continue;
      }
      fields[name] = other.fields[name];
    }
    return new ConfigSpec(fields as unknown as Merged<F, G>, [...this.#rules, ...other.#rules]);
  }

  /** Adds keys (and optionally a cross-field rule) to this spec; new keys continue group orders. */
  extend<G extends ConfigFields>(fields: G, options: SpecOptions<G> = {}): ConfigSpec<Merged<F, G>> {
    const orders = new Map<string, number>();
    for (const name of this.names) {
      const f = this.fields[name];
      if (f.group !== null) orders.set(f.group, Math.max(orders.get(f.group) ?? 0, f.orderInGroup ?? 0));
    }
    return this.merge(defineSpec(fields, options, orders));
  }

  /**
   * The same keys under `prefix` (Kafka's ConfigDef.embed), e.g. a transform's keys under
   * `transforms.<alias>.`. With `group`, every key moves to that group, numbered from `startingOrder`.
   */
  embed<P extends string>(prefix: P, options: { group?: string; startingOrder?: number } = {}): ConfigSpec<Prefixed<F, P>> {
    let order = options.startingOrder ?? 1;
    const fields: Record<string, ConfigField<unknown>> = {};
    for (const name of this.names) {
      const f = this.fields[name];
      const r = f.recommender;
      const recommender: Recommender | undefined = r && {
        validValues: r.validValues && ((n: string, v: ConfigValues) => r.validValues!(n.slice(prefix.length), unprefix(v, prefix))),
        visible: r.visible && ((n: string, v: ConfigValues) => r.visible!(n.slice(prefix.length), unprefix(v, prefix))),
      };
      fields[prefix + name] = {
        ...f,
        group: options.group ?? f.group,
        orderInGroup: options.group !== undefined ? order++ : f.orderInGroup,
        dependents: f.dependents.map((d) => prefix + d),
        recommender,
      };
    }
    const rules = this.#rules.map((rule): InternalRule => (parsed, raw) => {
      const inner = new Map([...parsed].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
      return rule(inner, unprefix(raw, prefix) as RawConfig).map((i) => ({ name: prefix + i.name, message: i.message }));
    });
    return new ConfigSpec(fields as unknown as Prefixed<F, P>, rules);
  }

  #validateField(name: string, raw: RawConfig[string]): ConfigValue {
    const f = this.fields[name];
    const result: ConfigValue = { name, value: null, recommendedValues: [], errors: [], visible: true };
    if (raw === undefined) {
      if (f.required) {
        result.errors.push(`Missing required configuration "${name}" which has no default value.`);
        return result;
      }
      result.value = f.defaultValue;
    } else if (raw === null) {
      result.errors.push(NULL_VALUE_ERROR);
      return result;
    } else {
      const text = rawToString(raw);
      const parsed = parseType(f.type, text);
      if (!parsed.ok) {
        result.errors.push(`Invalid value ${text} for configuration ${name}: ${parsed.message}`);
        return result;
      }
      let value = parsed.value;
      if (f.omitEmpty && Array.isArray(value)) value = value.filter((v) => v !== '');
      result.value = f.canonicalize ? f.canonicalize(value) : value;
    }
    if (result.value === null) return result;
    for (const v of f.validators) {
      const problem = runValidator(v, result.value, name);
      if (problem !== undefined) {
        result.errors.push(`Invalid value ${displayValue(result.value, f.type)} for configuration ${name}: ${problem}`);
        break;
      }
    }
    return result;
  }

  #applyRecommenders(results: Map<string, ConfigValue>): void {
    const view: Record<string, unknown> = {};
    for (const [name, r] of results) view[name] = r.value;
    Object.freeze(view);
    for (const [name, r] of results) {
      const recommender = this.fields[name].recommender;
      if (!recommender) continue;
      try {
        if (recommender.validValues) r.recommendedValues = [...recommender.validValues(name, view)];
        if (recommender.visible) r.visible = recommender.visible(name, view);
      } catch (err) {
        r.errors.push(err instanceof Error ? err.message : String(err));
      }
    }
  }
}

function finishValidation(values: ConfigValue[], unknownKeys: readonly string[]): ConfigValidation {
  const issues = values.flatMap((v) => v.errors.map((message) => ({ name: v.name, message })));
  return { values, errorCount: issues.length, isValid: issues.length === 0, issues, unknownKeys, [VALIDATION]: true };
}

/**
 * A copy of `validation` with more issues attached to their keys, e.g. those a connector's own
 * `validate` reports; issues naming undeclared keys get an entry of their own.
 */
export function addIssues(validation: ConfigValidation, issues: readonly FieldIssue[]): ConfigValidation {
  const values = validation.values.map((v) => ({ ...v, recommendedValues: [...v.recommendedValues], errors: [...v.errors] }));
  const byName = new Map(values.map((v) => [v.name, v]));
  for (const issue of issues) {
    let target = byName.get(issue.name);
    if (!target) {
      target = { name: issue.name, value: null, recommendedValues: [], errors: [], visible: true };
      byName.set(issue.name, target);
      values.push(target);
    }
    target.errors.push(issue.message);
  }
  return finishValidation(values, validation.unknownKeys);
}

function extraValue(extras: Map<string, ConfigValue>, name: string, value: unknown): ConfigValue {
  let v = extras.get(name);
  if (!v) {
    v = { name, value, recommendedValues: [], errors: [], visible: true };
    extras.set(name, v);
  }
  return v;
}

function unprefix(values: Readonly<Record<string, unknown>>, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(values)) if (key.startsWith(prefix)) out[key.slice(prefix.length)] = values[key];
  return out;
}

function defineSpec<F extends ConfigFields>(fields: F, options: SpecOptions<F>, orders = new Map<string, number>()): ConfigSpec<F> {
  const resolved: Record<string, ConfigField<unknown>> = {};
  for (const name of Object.keys(fields)) {
    const f = fields[name];
    let orderInGroup = f.orderInGroup;
    if (f.group !== null) {
      orderInGroup ??= (orders.get(f.group) ?? 0) + 1;
      orders.set(f.group, Math.max(orders.get(f.group) ?? 0, orderInGroup));
    }
    resolved[name] = { ...f, orderInGroup };
  }
  const rules: InternalRule[] = [];
  const rule = options.validateCrossField;
  if (rule) {
    const names = Object.keys(fields);
    rules.push((parsed, raw) => {
      const values: Record<string, unknown> = {};
      for (const name of names) if (parsed.has(name)) values[camelCase(name)] = parsed.get(name);
      return rule(values as Partial<ParsedFields<F>>, raw) ?? [];
    });
  }
  return new ConfigSpec(resolved as unknown as F, rules);
}

/**
 * Declares a config spec. Keys are Kafka's dotted names; values come from the field builders
 * (`string`, `int`, `list`, `password`, `choice`, ...). The order of declaration is the order of
 * `describe()`, validate results and docs.
 */
export function defineConfig<F extends ConfigFields>(fields: F, options: SpecOptions<F> = {}): ConfigSpec<F> {
  return defineSpec(fields, options);
}

export { ConfigError, type FieldIssue } from './config-error.js';
export {
  boolean, choice, classField, class_, double, int, list, long, password, short, string,
  type ChoiceOptions, type ConfigField, type ConfigValues, type FieldOptions, type FieldValue, type Importance,
  type ListOptions, type PasswordOptions, type Recommender, type Width,
} from './config-field.js';
export type { ConfigInfo, ConfigInfos, ConfigKeyInfo, ConfigValueInfo } from './config-infos.js';
export { mergeConfigInfos } from './config-infos.js';
export type { JsonSchemaObject } from './config-json-schema.js';
export type { MarkdownOptions } from './config-markdown.js';
export type { ConfigType, RawConfig, RawValue } from './config-value.js';
export { Password } from './password.js';
export * as validators from './validators.js';
export type { Validator } from './validators.js';
