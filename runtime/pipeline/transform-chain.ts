/**
 * The transformation chain of one connector's tasks (Kafka's TransformationChain and
 * TransformationStage), built from the connector's raw config the way Kafka Connect reads it:
 *
 *   transforms=route,drop
 *   transforms.route.type=RegexRouter              (Kafka class name or short name)
 *   transforms.route.regex=(.*)-raw
 *   transforms.route.replacement=$1
 *   transforms.drop.type=org.apache.kafka.connect.transforms.Filter
 *   transforms.drop.predicate=isTombstone          (optional; `negate=true` inverts it)
 *   predicates=isTombstone
 *   predicates.isTombstone.type=RecordIsTombstone
 *
 * Each transform gets its alias's keys with `transforms.<alias>.` stripped and `type`,
 * `predicate` and `negate` removed; each stage gets its own predicate instance, configured with
 * the predicate alias's keys. Building validates everything first and throws one ConfigError
 * naming every bad key in full (`transforms.<alias>.type`, `transforms.<alias>.spec`, ...).
 *
 * `apply` runs the stages in order on one record at a time; a stage whose predicate says no
 * passes the record on unchanged, and a null result drops the record without running later
 * stages. A failure inside a stage is rethrown as a TransformationError (a DataError naming the
 * alias and class, so error tolerance can skip the record as Kafka does for any transformation
 * failure); a RetriableError is rethrown unchanged so it can be retried.
 */
import type { ConnectRecord } from '../../connectors/sdk/connect-record.js';
import { DataError, RetriableError } from '../../connectors/sdk/errors.js';
import type { Predicate, PredicatePlugin, Transform, TransformPlugin } from '../../connectors/sdk/transform.js';
import { ConfigError, defineConfig, type ConfigFields, type ConfigSpec, type FieldIssue } from '../../connectors/sdk/config/config-spec.js';
import { commonConnectorSpec, transformAliasSpec } from '../config/connector-config.js';
import type { RawConfig } from '../../connectors/sdk/config/config-value.js';
import { builtinPredicates } from './predicates/builtin-predicates.js';
import { builtinTransforms } from './transforms/builtin-transforms.js';

export interface PluginRegistries {
  /** Transforms by class name and alias; defaults to `builtinTransforms`. */
  readonly transforms?: ReadonlyMap<string, TransformPlugin>;
  /** Predicates by class name and alias; defaults to `builtinPredicates`. */
  readonly predicates?: ReadonlyMap<string, PredicatePlugin>;
}

/** A transform failed on a record; `cause` is what it threw. */
export class TransformationError extends DataError {
  override readonly name: string = 'TransformationError';
  override readonly code: string = 'TRANSFORMATION_FAILED';
  readonly alias: string;
  readonly className: string;

  constructor(alias: string, className: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`Transform '${alias}' (${className}) failed: ${detail}`, { cause, path: cause instanceof DataError ? cause.path : undefined });
    this.alias = alias;
    this.className = className;
  }
}

export interface StagePredicate<R extends ConnectRecord> {
  readonly alias: string;
  readonly plugin: PredicatePlugin;
  readonly predicate: Predicate<R>;
}

export class TransformStage<R extends ConnectRecord = ConnectRecord> {
  constructor(
    readonly alias: string,
    readonly plugin: TransformPlugin,
    readonly transform: Transform<R>,
    readonly predicate: StagePredicate<R> | null,
    readonly negate: boolean,
  ) {}

  /** The transformed record, the same record when the predicate excludes it, or null to drop it. */
  apply(record: R): R | null {
    try {
      if (this.predicate !== null && this.predicate.predicate.test(record) === this.negate) return record;
      return this.transform.apply(record);
    } catch (err) {
      if (err instanceof RetriableError) throw err;
      throw new TransformationError(this.alias, this.plugin.className, err);
    }
  }

  close(): void {
    closeQuietly(this.transform);
    if (this.predicate !== null) closeQuietly(this.predicate.predicate);
  }
}

function closeQuietly(closeable: { close?(): void }): void {
  try {
    closeable.close?.();
  } catch {
    // Closing is best effort, as in Kafka's closeQuietly.
  }
}

export class TransformChain<R extends ConnectRecord = ConnectRecord> {
  constructor(readonly stages: readonly TransformStage<R>[]) {}

  get isEmpty(): boolean {
    return this.stages.length === 0;
  }

  /** Runs every stage in order; null means a stage dropped the record. */
  apply(record: R): R | null {
    let current: R | null = record;
    for (const stage of this.stages) {
      current = stage.apply(current);
      if (current === null) return null;
    }
    return current;
  }

  /** Closes every transform and predicate; failures are ignored. */
  close(): void {
    for (const stage of this.stages) stage.close();
  }
}

export function resolveTransform(name: string, registry: ReadonlyMap<string, TransformPlugin> = builtinTransforms): TransformPlugin | undefined {
  return registry.get(name.trim());
}

export function resolvePredicate(name: string, registry: ReadonlyMap<string, PredicatePlugin> = builtinPredicates): PredicatePlugin | undefined {
  return registry.get(name.trim());
}

function classNotFound(name: string): string {
  return `Class ${name} could not be found.`;
}

/**
 * The config spec of a transform class, or the error to report on its `type` key; shaped for
 * `enrichConnectorSpec`'s `transformSpec` option.
 */
export function transformSpecFor(className: string, registry?: ReadonlyMap<string, TransformPlugin>): ConfigSpec<ConfigFields> | string {
  return resolveTransform(className, registry)?.configSpec ?? classNotFound(className.trim());
}

/** As `transformSpecFor`, for predicates (`enrichConnectorSpec`'s `predicateSpec` option). */
export function predicateSpecFor(className: string, registry?: ReadonlyMap<string, PredicatePlugin>): ConfigSpec<ConfigFields> | string {
  return resolvePredicate(className, registry)?.configSpec ?? classNotFound(className.trim());
}

const aliasListSpec = defineConfig({
  'transforms': commonConnectorSpec.fields['transforms'],
  'predicates': commonConnectorSpec.fields['predicates'],
});

const RESERVED_TRANSFORM_KEYS = new Set(['type', 'predicate', 'negate']);

function isBlank(value: RawConfig[string]): boolean {
  return value === undefined || value === null || String(value).trim() === '';
}

/** The alias's keys with the prefix stripped and values as strings, less `omit`. */
function aliasConfig(raw: RawConfig, prefix: string, omit: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(raw)) {
    const value = raw[key];
    if (!key.startsWith(prefix) || value === undefined || value === null) continue;
    const name = key.slice(prefix.length);
    if (name !== '' && !omit.has(name)) Object.defineProperty(out, name, { value: String(value), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Calls `configure`, turning what it throws into issues named in full under `prefix`. */
function configureIssues(target: { configure(config: Record<string, string>): void }, config: Record<string, string>, prefix: string): FieldIssue[] {
  try {
    target.configure(config);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => ({ name: prefix + i.name, message: i.message }));
    return [{ name: `${prefix}type`, message: err instanceof Error ? err.message : String(err) }];
  }
}

interface PlannedPredicate {
  readonly plugin: PredicatePlugin;
  readonly config: Record<string, string>;
}

/**
 * Builds and configures the chain `raw` (a connector config) describes. Throws ConfigError listing
 * every problem: a bad alias list, a missing or unknown `type`, a predicate alias that is not
 * configured, `negate` without `predicate`, and each transform's and predicate's own key errors.
 */
export function buildTransformChain<R extends ConnectRecord = ConnectRecord>(raw: RawConfig, registries: PluginRegistries = {}): TransformChain<R> {
  const transforms = registries.transforms ?? builtinTransforms;
  const predicates = registries.predicates ?? builtinPredicates;
  const lists = aliasListSpec.validate({ transforms: raw['transforms'], predicates: raw['predicates'] });
  if (!lists.isValid) throw new ConfigError(lists.issues);
  const listed = (name: string) => (lists.values.find((v) => v.name === name)?.value ?? []) as readonly string[];
  const transformAliases = listed('transforms');
  const predicateAliases = listed('predicates');
  const issues: FieldIssue[] = [];

  const plannedPredicates = new Map<string, PlannedPredicate>();
  for (const alias of predicateAliases) {
    const prefix = `predicates.${alias}.`;
    const plugin = resolvePlugin(raw, prefix, predicates, issues);
    if (plugin === undefined) continue;
    const specIssues = plugin.configSpec.embed(prefix).validate(raw).issues;
    issues.push(...specIssues);
    if (specIssues.length === 0) plannedPredicates.set(alias, { plugin, config: aliasConfig(raw, prefix, new Set(['type'])) });
  }

  const stages: TransformStage<R>[] = [];
  for (const alias of transformAliases) {
    const prefix = `transforms.${alias}.`;
    const plugin = resolvePlugin(raw, prefix, transforms, issues);
    const predicateKey = `${prefix}predicate`;
    const predicateAlias = isBlank(raw[predicateKey]) ? null : String(raw[predicateKey]).trim();
    if (raw[`${prefix}negate`] !== undefined && predicateAlias === null) {
      issues.push({
        name: `${prefix}type`,
        message: `Config '${prefix}negate' was provided but there is no config '${predicateKey}' defining a predicate to be negated.`,
      });
    }
    if (predicateAlias !== null && !predicateAliases.includes(predicateAlias)) {
      issues.push({
        name: predicateKey,
        message: `Predicate '${predicateAlias}' is not one of the configured predicates (predicates=${predicateAliases.join(',')})`,
      });
    }
    const aliasValidation = transformAliasSpec.embed(prefix).validate(raw);
    issues.push(...aliasValidation.issues);
    if (plugin === undefined) continue;
    const specIssues = plugin.configSpec.embed(prefix).validate(raw).issues;
    issues.push(...specIssues);
    if (specIssues.length > 0 || aliasValidation.issues.length > 0) continue;

    const transform = plugin.create<R>();
    const transformIssues = configureIssues(transform, aliasConfig(raw, prefix, RESERVED_TRANSFORM_KEYS), prefix);
    issues.push(...transformIssues);
    if (transformIssues.length > 0) continue;
    let predicate: StagePredicate<R> | null = null;
    const planned = predicateAlias === null ? undefined : plannedPredicates.get(predicateAlias);
    if (predicateAlias !== null && planned !== undefined) {
      const instance = planned.plugin.create<R>();
      const predicateIssues = configureIssues(instance, planned.config, `predicates.${predicateAlias}.`);
      issues.push(...predicateIssues.filter((i) => !issues.some((seen) => seen.name === i.name && seen.message === i.message)));
      predicate = { alias: predicateAlias, plugin: planned.plugin, predicate: instance };
    }
    const negated = aliasValidation.values.find((v) => v.name === `${prefix}negate`)?.value === true;
    stages.push(new TransformStage(alias, plugin, transform, predicate, negated));
  }

  if (issues.length > 0) {
    for (const stage of stages) stage.close();
    throw new ConfigError(issues);
  }
  return new TransformChain(stages);
}

function resolvePlugin<P extends TransformPlugin | PredicatePlugin>(
  raw: RawConfig,
  prefix: string,
  registry: ReadonlyMap<string, P>,
  issues: FieldIssue[],
): P | undefined {
  const typeKey = `${prefix}type`;
  const type = raw[typeKey];
  if (type === null) {
    issues.push({ name: typeKey, message: 'Null value can not be supplied as the configuration value.' });
    return undefined;
  }
  if (isBlank(type)) {
    issues.push({ name: typeKey, message: `Missing required configuration "${typeKey}" which has no default value.` });
    return undefined;
  }
  const name = String(type).trim();
  const plugin = registry.get(name);
  if (plugin === undefined) issues.push({ name: typeKey, message: `Invalid value ${name} for configuration ${typeKey}: ${classNotFound(name)}` });
  return plugin;
}
