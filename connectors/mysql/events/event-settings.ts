/**
 * The connector settings that decide how Debezium change events look: type-mapping modes,
 * naming, and which columns appear. The task parses the connector config into this object once
 * (`resolveEventSettings` fills defaults and rejects values Debezium rejects) and hands it to the
 * table-schema and event builders.
 *
 * Defaults and accepted values are Debezium 3.6's (BinlogConnectorConfig / CommonConnectorConfig).
 */
import { ConnectError } from '../../sdk/errors.js';

export type Flavor = 'mysql' | 'mariadb';
export type DecimalHandlingMode = 'precise' | 'double' | 'string';
/**
 * `adaptive` is refused by Debezium's binlog connectors ("no longer supported"); `structured`
 * (new in 3.6) is not implemented here yet and is refused with a clear message.
 */
export type TimePrecisionMode = 'adaptive_time_microseconds' | 'connect' | 'isostring' | 'microseconds' | 'nanoseconds';
export type BigIntUnsignedHandlingMode = 'long' | 'precise';
export type BinaryHandlingMode = 'bytes' | 'base64' | 'base64-url-safe' | 'hex';
export type NameAdjustmentMode = 'none' | 'avro' | 'avro_unicode';

/** Decides whether a column appears in event values (column.include/exclude.list); keys keep every key column. */
export type ColumnFilter = (database: string, table: string, column: string) => boolean;

/**
 * `column.propagate.source.type` / `datatype.propagate.source.type`: true for value fields that get
 * the `__debezium.source.column.*` parameters. `typeName` is Debezium's (`INT UNSIGNED`, `VARCHAR`).
 */
export type PropagateSourceTypeFilter = (database: string, table: string, column: string, typeName: string) => boolean;

export interface EventSettings {
  readonly flavor: Flavor;
  /** `topic.prefix`: the logical server name. */
  readonly topicPrefix: string;
  /** `topic.delimiter`, default `.`. */
  readonly topicDelimiter: string;
  /** `topic.heartbeat.prefix`, default `__debezium-heartbeat`. */
  readonly heartbeatTopicPrefix: string;
  /** `topic.heartbeat.name`: when set, the whole heartbeat topic name. */
  readonly heartbeatTopicName: string | null;
  /** `topic.transaction`, default `transaction`. */
  readonly transactionTopic: string;
  readonly decimalHandlingMode: DecimalHandlingMode;
  readonly timePrecisionMode: TimePrecisionMode;
  readonly bigintUnsignedHandlingMode: BigIntUnsignedHandlingMode;
  readonly binaryHandlingMode: BinaryHandlingMode;
  /** `enable.time.adjuster` (default true): two-digit years 00-69 → 2000-2069, 70-99 → 1970-1999. */
  readonly enableTimeAdjuster: boolean;
  readonly schemaNameAdjustmentMode: NameAdjustmentMode;
  readonly fieldNameAdjustmentMode: NameAdjustmentMode;
  /** `include.schema.comments` (default false): column comments become field `doc`. */
  readonly includeSchemaComments: boolean;
  readonly columnFilter: ColumnFilter | null;
  readonly propagateSourceType: PropagateSourceTypeFilter | null;
  /** `tombstones.on.delete`, default true. */
  readonly tombstonesOnDelete: boolean;
  /** `skipped.operations` as op codes (`c`, `u`, `d`, `t`); default `t` only. */
  readonly skippedOperations: ReadonlySet<'c' | 'u' | 'd' | 't'>;
  /** `skip.messages.without.change`, default false. */
  readonly skipMessagesWithoutChange: boolean;
  /** `provide.transaction.metadata`, default false. */
  readonly provideTransactionMetadata: boolean;
  /** `extended.headers.enabled` (Debezium 3.x, default true): the `__debezium.context.*` headers. */
  readonly extendedHeadersEnabled: boolean;
  /** `task.id` reported in `__debezium.context.taskId`; Debezium's single binlog task is "0". */
  readonly taskId: string;
  /** A fresh id per task run, reported in `__debezium.context.runId`. */
  readonly runId: string;
}

export type EventSettingsInput = Partial<EventSettings> & { readonly flavor: Flavor; readonly topicPrefix: string };

/** Every setting, defaults filled in, modes validated. Throws ConnectError naming the property. */
export function resolveEventSettings(input: EventSettingsInput): EventSettings {
  if (!input.topicPrefix) throw new ConnectError('topic.prefix is required and must not be empty');
  const timePrecisionMode = input.timePrecisionMode ?? 'adaptive_time_microseconds';
  checkMode('time.precision.mode', timePrecisionMode, TIME_PRECISION_MODES);
  const settings: EventSettings = {
    topicDelimiter: '.',
    heartbeatTopicPrefix: '__debezium-heartbeat',
    heartbeatTopicName: null,
    transactionTopic: 'transaction',
    decimalHandlingMode: 'precise',
    bigintUnsignedHandlingMode: 'long',
    binaryHandlingMode: 'bytes',
    enableTimeAdjuster: true,
    schemaNameAdjustmentMode: 'none',
    fieldNameAdjustmentMode: 'none',
    includeSchemaComments: false,
    columnFilter: null,
    propagateSourceType: null,
    tombstonesOnDelete: true,
    skippedOperations: new Set(['t']),
    skipMessagesWithoutChange: false,
    provideTransactionMetadata: false,
    extendedHeadersEnabled: true,
    taskId: '0',
    runId: globalThis.crypto.randomUUID(),
    // An input property present but undefined keeps its default.
    ...(Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as EventSettingsInput),
    timePrecisionMode,
  };
  checkMode('decimal.handling.mode', settings.decimalHandlingMode, ['precise', 'double', 'string']);
  checkMode('bigint.unsigned.handling.mode', settings.bigintUnsignedHandlingMode, ['long', 'precise']);
  checkMode('binary.handling.mode', settings.binaryHandlingMode, ['bytes', 'base64', 'base64-url-safe', 'hex']);
  checkMode('schema.name.adjustment.mode', settings.schemaNameAdjustmentMode, ['none', 'avro', 'avro_unicode']);
  checkMode('field.name.adjustment.mode', settings.fieldNameAdjustmentMode, ['none', 'avro', 'avro_unicode']);
  checkMode('flavor', settings.flavor, ['mysql', 'mariadb']);
  return settings;
}

const TIME_PRECISION_MODES: readonly string[] = ['adaptive_time_microseconds', 'connect', 'isostring', 'microseconds', 'nanoseconds'];

function checkMode(property: string, value: string, allowed: readonly string[]): void {
  if (allowed.includes(value)) return;
  if (property === 'time.precision.mode' && value === 'adaptive') {
    throw new ConnectError("time.precision.mode: The 'adaptive' time.precision.mode is no longer supported");
  }
  if (property === 'time.precision.mode' && value === 'structured') {
    throw new ConnectError("time.precision.mode: 'structured' is not supported by ferry yet; use adaptive_time_microseconds, connect, isostring, microseconds or nanoseconds");
  }
  throw new ConnectError(`${property}: invalid value "${value}"; expected one of ${allowed.join(', ')}`);
}
