/**
 * TimestampConverter$Key / TimestampConverter$Value: converts a timestamp field (`field`), or the
 * whole key/value when `field` is empty, between `string` (a SimpleDateFormat `format`, UTC),
 * `unix` (an int64 in `unix.precision`), and Connect's `Date`, `Time` and `Timestamp`.
 *
 * The source form comes from the schema (Timestamp/Date/Time logical types, STRING = string,
 * INT64 = unix) or, without a schema, from the value (Date = Timestamp, integer = unix,
 * string = string). Converting to Date keeps the UTC day, to Time the time of day. Precisions
 * finer than milliseconds are truncated toward zero. Nulls stay null.
 */
import type { ConnectRecord } from '../../../connectors/sdk/connect-record.js';
import type { RawConfig } from '../../../connectors/sdk/connector.js';
import { DATE_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME } from '../../../connectors/sdk/data/logical-names.js';
import { LogicalDate, LogicalTime, LogicalTimestamp } from '../../../connectors/sdk/data/logical-types.js';
import { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../connectors/sdk/data/struct.js';
import { DataError } from '../../../connectors/sdk/errors.js';
import { choice, defineConfig, string } from '../../../connectors/sdk/config/config-spec.js';
import { int64Value } from './java-numbers.js';
import { schemaOf, valueOf, withPart, type RecordPart } from './record-part.js';
import { kindOf, requireMap, requireStructOrNull } from './requirements.js';
import { SchemaUpdateCache } from './schema-update-cache.js';
import { copySchemaBasics } from './schema-util.js';
import { getField, sameKindAs, workingCopy } from './schemaless-map.js';
import { DateParseError, SimpleDateFormat } from './simple-date-format.js';
import { fieldValue } from './struct-values.js';
import { dateFormatValidator } from './timestamp-router.js';
import type { RecordTransform } from '../../../connectors/sdk/transform.js';
import { keyValuePlugins, replaceNullWithDefaultField } from './transform-plugin.js';

const PURPOSE = 'converting timestamp formats';
const MILLIS_PER_DAY = 86_400_000;

export type TimestampKind = 'string' | 'unix' | 'Date' | 'Time' | 'Timestamp';
export type UnixPrecision = 'seconds' | 'milliseconds' | 'microseconds' | 'nanoseconds';

export const timestampConverterSpec = defineConfig({
  'field': string({ doc: 'The field holding the timestamp; empty means the whole key/value is the timestamp.', default: '', importance: 'HIGH' }),
  'target.type': choice({
    doc: 'The form to convert to: string, unix, Date, Time or Timestamp.',
    values: ['string', 'unix', 'Date', 'Time', 'Timestamp'], importance: 'HIGH',
  }),
  'format': string({
    doc: 'java.text.SimpleDateFormat pattern (UTC) used to format when target.type is string, and to parse string inputs.',
    default: '', validator: dateFormatValidator, importance: 'MEDIUM',
  }),
  'unix.precision': choice({
    doc: 'Unit of unix timestamps, both read and written: seconds, milliseconds, microseconds or nanoseconds. '
      + 'Sub-millisecond parts are lost.',
    values: ['nanoseconds', 'microseconds', 'milliseconds', 'seconds'], default: 'milliseconds', importance: 'LOW',
  }),
  'replace.null.with.default': replaceNullWithDefaultField(),
}, {
  validateCrossField(v) {
    return v.targetType === 'string' && v.format !== undefined && v.format.trim() === ''
      ? [{ name: 'format', message: 'TimestampConverter requires format option to be specified when using string timestamps' }]
      : [];
  },
});

const TARGET_SCHEMAS: Record<TimestampKind, readonly [required: Schema, optional: Schema]> = {
  string: [Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA],
  unix: [Schema.INT64_SCHEMA, Schema.OPTIONAL_INT64_SCHEMA],
  Date: [LogicalDate.SCHEMA, LogicalDate.builder().optional().build()],
  Time: [LogicalTime.SCHEMA, LogicalTime.builder().optional().build()],
  Timestamp: [LogicalTimestamp.SCHEMA, LogicalTimestamp.builder().optional().build()],
};

const UNITS_PER_MILLI: Record<Exclude<UnixPrecision, 'seconds'>, bigint> = { milliseconds: 1n, microseconds: 1000n, nanoseconds: 1_000_000n };
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function kindFromSchema(schema: Schema): TimestampKind {
  if (schema.name === TIMESTAMP_LOGICAL_NAME) return 'Timestamp';
  if (schema.name === DATE_LOGICAL_NAME) return 'Date';
  if (schema.name === TIME_LOGICAL_NAME) return 'Time';
  if (schema.type === 'STRING') return 'string';
  if (schema.type === 'INT64') return 'unix';
  throw new DataError(`Schema ${schema.toString()} does not correspond to a known timestamp type format`);
}

function kindFromValue(value: unknown): TimestampKind {
  if (value instanceof Date) return 'Timestamp';
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))) return 'unix';
  if (typeof value === 'string') return 'string';
  throw new DataError(`TimestampConverter does not support ${kindOf(value)} objects as timestamps`);
}

class TimestampConverter implements RecordTransform {
  readonly #part: RecordPart;
  readonly #cache = new SchemaUpdateCache();
  #field = '';
  #target: TimestampKind = 'Timestamp';
  #format: SimpleDateFormat | null = null;
  #precision: UnixPrecision = 'milliseconds';
  #replaceNullWithDefault = true;

  constructor(part: RecordPart) {
    this.#part = part;
  }

  configure(config: RawConfig): void {
    const c = timestampConverterSpec.parse(config);
    this.#field = c.field;
    this.#target = c.targetType;
    this.#format = c.format.trim() === '' ? null : new SimpleDateFormat(c.format);
    this.#precision = c.unixPrecision;
    this.#replaceNullWithDefault = c.replaceNullWithDefault;
  }

  apply<R extends ConnectRecord>(record: R): R {
    const schema = schemaOf(record, this.#part);
    const value = valueOf(record, this.#part) ?? null;
    if (schema === null) {
      if (value === null || this.#field === '') return withPart(record, this.#part, null, this.#convert(value, null));
      const original = requireMap(value, PURPOSE);
      const updated = workingCopy(original);
      updated.set(this.#field, this.#convert(getField(original, this.#field), null));
      return withPart(record, this.#part, null, sameKindAs(original, updated));
    }
    if (this.#field === '') {
      const targetSchema = TARGET_SCHEMAS[this.#target][schema.optional ? 1 : 0];
      return withPart(record, this.#part, targetSchema, this.#convert(value, kindFromSchema(schema)));
    }
    const struct = requireStructOrNull(value, PURPOSE);
    const updatedSchema = this.#cache.getOrBuild(schema, (s) => this.#updatedSchema(s));
    return withPart(record, this.#part, updatedSchema, this.#convertStruct(struct, updatedSchema));
  }

  close(): void {
    this.#cache.clear();
  }

  #updatedSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields) {
      const converted = field.name === this.#field;
      builder.field(field.name, converted ? TARGET_SCHEMAS[this.#target][field.schema.optional ? 1 : 0] : field.schema);
    }
    if (schema.optional) builder.optional();
    if (schema.defaultValue instanceof Struct) builder.defaultValue(this.#convertStruct(schema.defaultValue, builder.build()));
    return builder.build();
  }

  #convertStruct(struct: Struct | null, updatedSchema: Schema): Struct | null {
    if (struct === null) return null;
    const updated = new Struct(updatedSchema);
    for (const field of struct.schema.fields) {
      const value = fieldValue(struct, field, this.#replaceNullWithDefault);
      updated.put(field.name, field.name === this.#field ? this.#convert(value, kindFromSchema(field.schema)) : value);
    }
    return updated;
  }

  /** `value` in `source` form (inferred when null) converted to the target form. */
  #convert(value: unknown, source: TimestampKind | null): unknown {
    if (value === null || value === undefined) return null;
    return this.#fromRaw(this.#toRaw(value, source ?? kindFromValue(value)));
  }

  #toRaw(value: unknown, source: TimestampKind): Date {
    switch (source) {
      case 'string': {
        if (typeof value !== 'string') throw new DataError(`Expected string timestamp to be a String, but found ${kindOf(value)}`);
        const format = this.#format;
        if (format === null) throw new DataError('TimestampConverter requires format option to be specified when using string timestamps');
        try {
          return format.parse(value);
        } catch (err) {
          if (!(err instanceof DateParseError)) throw err;
          throw new DataError(`Could not parse timestamp: value (${value}) does not match pattern (${format.pattern})`, { cause: err });
        }
      }
      case 'unix': {
        if (typeof value !== 'bigint' && !(typeof value === 'number' && Number.isInteger(value))) {
          throw new DataError(`Expected Unix timestamp to be a Long, but found ${kindOf(value)}`);
        }
        const n = BigInt(value);
        const millis = this.#precision === 'seconds' ? clampInt64(n * 1000n) : n / UNITS_PER_MILLI[this.#precision];
        return LogicalTimestamp.toLogical(LogicalTimestamp.SCHEMA, millis);
      }
      default:
        if (!(value instanceof Date)) throw new DataError(`Expected ${source} to be a Date, but found ${kindOf(value)}`);
        return value;
    }
  }

  #fromRaw(date: Date): unknown {
    const millis = date.getTime();
    switch (this.#target) {
      case 'string':
        return (this.#format as SimpleDateFormat).format(date);
      case 'unix': {
        const n = BigInt(millis);
        return int64Value(this.#precision === 'seconds' ? n / 1000n : clampInt64(n * UNITS_PER_MILLI[this.#precision]));
      }
      case 'Date':
        return new Date(Math.floor(millis / MILLIS_PER_DAY) * MILLIS_PER_DAY);
      case 'Time':
        return new Date(((millis % MILLIS_PER_DAY) + MILLIS_PER_DAY) % MILLIS_PER_DAY);
      default:
        return date;
    }
  }
}

/** Java's TimeUnit conversions saturate at Long.MIN_VALUE / MAX_VALUE. */
function clampInt64(n: bigint): bigint {
  return n < INT64_MIN ? INT64_MIN : n > INT64_MAX ? INT64_MAX : n;
}

export const timestampConverterPlugins = keyValuePlugins(
  'TimestampConverter',
  'Converts timestamps between unix numbers, formatted strings and Connect Date, Time and Timestamp values.',
  timestampConverterSpec,
  (part) => new TimestampConverter(part),
);
