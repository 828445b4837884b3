/**
 * Kafka Connect's built-in logical types: a named schema over a primitive type, whose values are
 * richer JS objects.
 *
 *   LogicalDecimal    BYTES, parameter `scale`   Decimal  ↔ big-endian two's-complement unscaled bytes
 *   LogicalDate       INT32                      Date     ↔ days since 1970-01-01 (UTC midnight only)
 *   LogicalTime       INT32                      Date     ↔ milliseconds since midnight (1970-01-01 UTC)
 *   LogicalTimestamp  INT64                      Date     ↔ milliseconds since the epoch
 *
 * `fromLogical` turns the logical value into its wire value and `toLogical` back; both check that
 * the schema carries the right name, as Kafka does. All schemas are version 1.
 */
import { DataError } from '../errors.js';
import { Decimal } from './decimal.js';
import {
  DATE_LOGICAL_NAME,
  DECIMAL_LOGICAL_NAME,
  DECIMAL_SCALE_PARAMETER,
  TIME_LOGICAL_NAME,
  TIMESTAMP_LOGICAL_NAME,
} from './logical-names.js';
import type { Schema } from './schema.js';
import { SchemaBuilder } from './schema-builder.js';

const MILLIS_PER_DAY = 86_400_000;

function requireName(schema: Schema, name: string, what: string): void {
  if (schema.name !== name) throw new DataError(`Requested conversion of ${what} object but the schema does not match.`);
}

function millisOf(value: Date, what: string): number {
  const ms = value instanceof Date ? value.getTime() : NaN;
  if (Number.isNaN(ms)) throw new DataError(`Invalid ${what} value: expected a valid Date`);
  return ms;
}

export const LogicalDecimal = {
  LOGICAL_NAME: DECIMAL_LOGICAL_NAME,
  SCALE_FIELD: DECIMAL_SCALE_PARAMETER,

  builder(scale: number): SchemaBuilder {
    return SchemaBuilder.bytes().name(DECIMAL_LOGICAL_NAME).parameter(DECIMAL_SCALE_PARAMETER, String(scale)).version(1);
  },

  schema(scale: number): Schema {
    return LogicalDecimal.builder(scale).build();
  },

  /** The scale a Decimal schema declares; throws DataError when it is missing or not an integer. */
  scale(schema: Schema): number {
    const text = schema.parameters?.get(DECIMAL_SCALE_PARAMETER);
    if (text === undefined) throw new DataError('Invalid Decimal schema: scale parameter not found.');
    if (!/^[+-]?\d+$/.test(text)) throw new DataError(`Invalid scale parameter found in Decimal schema: "${text}"`);
    return Number(text);
  },

  fromLogical(schema: Schema, value: Decimal): Buffer {
    const scale = LogicalDecimal.scale(schema);
    if (value.scale !== scale) {
      throw new DataError(
        `Decimal value has mismatching scale for given Decimal schema. Schema has scale ${scale}, value has scale ${value.scale}.`,
      );
    }
    return value.toBytes();
  },

  toLogical(schema: Schema, bytes: Uint8Array): Decimal {
    return Decimal.fromBytes(bytes, LogicalDecimal.scale(schema));
  },
} as const;

export const LogicalDate = {
  LOGICAL_NAME: DATE_LOGICAL_NAME,

  builder(): SchemaBuilder {
    return SchemaBuilder.int32().name(DATE_LOGICAL_NAME).version(1);
  },

  SCHEMA: SchemaBuilder.int32().name(DATE_LOGICAL_NAME).version(1).build(),

  /** Days since the epoch; the Date must be a UTC midnight. */
  fromLogical(schema: Schema, value: Date): number {
    requireName(schema, DATE_LOGICAL_NAME, 'Date');
    const ms = millisOf(value, 'Date');
    if (ms % MILLIS_PER_DAY !== 0) {
      throw new DataError('Kafka Connect Date type should not have any time fields set to non-zero values.');
    }
    return ms / MILLIS_PER_DAY;
  },

  toLogical(schema: Schema, days: number): Date {
    requireName(schema, DATE_LOGICAL_NAME, 'Date');
    return new Date(days * MILLIS_PER_DAY);
  },
} as const;

export const LogicalTime = {
  LOGICAL_NAME: TIME_LOGICAL_NAME,

  builder(): SchemaBuilder {
    return SchemaBuilder.int32().name(TIME_LOGICAL_NAME).version(1);
  },

  SCHEMA: SchemaBuilder.int32().name(TIME_LOGICAL_NAME).version(1).build(),

  /** Milliseconds since midnight; the Date must fall on 1970-01-01 UTC. */
  fromLogical(schema: Schema, value: Date): number {
    requireName(schema, TIME_LOGICAL_NAME, 'Time');
    const ms = millisOf(value, 'Time');
    if (ms < 0 || ms > MILLIS_PER_DAY) {
      throw new DataError('Kafka Connect Time type should not have any date fields set to non-zero values.');
    }
    return ms;
  },

  toLogical(schema: Schema, millis: number): Date {
    requireName(schema, TIME_LOGICAL_NAME, 'Time');
    if (millis < 0 || millis > MILLIS_PER_DAY) {
      throw new DataError('Time values must use number of milliseconds greater than 0 and less than 86400000');
    }
    return new Date(millis);
  },
} as const;

export const LogicalTimestamp = {
  LOGICAL_NAME: TIMESTAMP_LOGICAL_NAME,

  builder(): SchemaBuilder {
    return SchemaBuilder.int64().name(TIMESTAMP_LOGICAL_NAME).version(1);
  },

  SCHEMA: SchemaBuilder.int64().name(TIMESTAMP_LOGICAL_NAME).version(1).build(),

  fromLogical(schema: Schema, value: Date): number {
    requireName(schema, TIMESTAMP_LOGICAL_NAME, 'Timestamp');
    return millisOf(value, 'Timestamp');
  },

  /** JS Dates span ±8.64e15 ms; a timestamp outside that range is rejected. */
  toLogical(schema: Schema, millis: number | bigint): Date {
    requireName(schema, TIMESTAMP_LOGICAL_NAME, 'Timestamp');
    const date = new Date(Number(millis));
    if (Number.isNaN(date.getTime())) throw new DataError(`Timestamp ${String(millis)} is outside the range a Date can hold`);
    return date;
  },
} as const;
