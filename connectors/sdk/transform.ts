/**
 * Single message transforms and predicates (Kafka's Transformation and Predicate), and the
 * descriptors that make them available under a class name in `transforms.<alias>.type` and
 * `predicates.<alias>.type`.
 *
 * Calling rules, as in Kafka Connect:
 * - The runtime creates one instance per alias per task and calls `configure` once, before any
 *   record, with the alias's keys (`transforms.<alias>.` stripped; `type`, `predicate` and
 *   `negate` removed). `configure` throws a ConfigError naming the bad keys.
 * - `apply` / `test` run on the task's own thread of control, one record at a time.
 * - Records are immutable: a transform returns a new record built with
 *   `{ ...record, value, valueSchema }` so that SourceRecord and SinkRecord fields survive, or
 *   the same record when nothing changes, or null to drop the record.
 * - A record the transform cannot handle throws DataError; error tolerance decides what happens.
 */
import type { ConfigFields, ConfigSpec } from './config/config-spec.js';
import type { ConnectRecord } from './connect-record.js';
import type { RawConfig } from './connector.js';

export interface Transform<R extends ConnectRecord = ConnectRecord> {
  configure(config: RawConfig): void;
  /** The transformed record, or null to drop it. */
  apply(record: R): R | null;
  close?(): void;
}

export interface Predicate<R extends ConnectRecord = ConnectRecord> {
  configure(config: RawConfig): void;
  test(record: R): boolean;
  close?(): void;
}

/**
 * A transform that works on any record type, source or sink: what `TransformPlugin.create`
 * returns for most transforms. `apply` keeps the record's type by spreading it.
 */
export interface RecordTransform {
  configure(config: RawConfig): void;
  apply<R extends ConnectRecord>(record: R): R | null;
  close?(): void;
}

/** A predicate that works on any record type: what `PredicatePlugin.create` returns for most predicates. */
export interface RecordPredicate {
  configure(config: RawConfig): void;
  test(record: ConnectRecord): boolean;
  close?(): void;
}

interface PluginDescriptor {
  /** The Kafka class name, e.g. `org.apache.kafka.connect.transforms.InsertField$Value`. */
  readonly className: string;
  /** Other names accepted for this class, e.g. `InsertField$Value`. */
  readonly aliases: readonly string[];
  readonly version: string;
  /** The keys `configure` accepts (unprefixed), for validation and docs. */
  readonly configSpec: ConfigSpec<ConfigFields>;
  /** One paragraph saying what the plugin does. */
  readonly description: string;
}

export interface TransformPlugin extends PluginDescriptor {
  /** A new, unconfigured instance. */
  create<R extends ConnectRecord = ConnectRecord>(): Transform<R>;
}

export interface PredicatePlugin extends PluginDescriptor {
  /** A new, unconfigured instance. */
  create<R extends ConnectRecord = ConnectRecord>(): Predicate<R>;
}
