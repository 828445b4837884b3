/**
 * The Connect schema (type, semantic name, version, parameters) Debezium 3.6 gives a column of
 * each kind under the handling modes; optionality, default and doc are added by column-mapping.
 * Names and versions are Debezium's (io.debezium.time.*, io.debezium.data.*), parameters in the
 * order Debezium adds them (Decimal: `scale` then `connect.decimal.precision`).
 */
import { LogicalDate, LogicalDecimal, LogicalTime, LogicalTimestamp } from '../../sdk/data/logical-types.js';
import { Schema } from '../../sdk/data/schema.js';
import { SchemaBuilder } from '../../sdk/data/schema-builder.js';
import type { ColumnKind } from './column-kind.js';
import type { EventSettings } from './event-settings.js';

export const DEBEZIUM = {
  BITS: 'io.debezium.data.Bits',
  ENUM: 'io.debezium.data.Enum',
  ENUM_SET: 'io.debezium.data.EnumSet',
  JSON: 'io.debezium.data.Json',
  UUID: 'io.debezium.data.Uuid',
  GEOMETRY: 'io.debezium.data.geometry.Geometry',
  POINT: 'io.debezium.data.geometry.Point',
  YEAR: 'io.debezium.time.Year',
  DATE: 'io.debezium.time.Date',
  TIME: 'io.debezium.time.Time',
  MICRO_TIME: 'io.debezium.time.MicroTime',
  NANO_TIME: 'io.debezium.time.NanoTime',
  TIMESTAMP: 'io.debezium.time.Timestamp',
  MICRO_TIMESTAMP: 'io.debezium.time.MicroTimestamp',
  NANO_TIMESTAMP: 'io.debezium.time.NanoTimestamp',
  ZONED_TIMESTAMP: 'io.debezium.time.ZonedTimestamp',
  ISO_DATE: 'io.debezium.time.IsoDate',
  ISO_TIME: 'io.debezium.time.IsoTime',
  ISO_TIMESTAMP: 'io.debezium.time.IsoTimestamp',
} as const;

/** Debezium's extra Decimal parameter carrying the column's precision. */
export const DECIMAL_PRECISION_PARAMETER = 'connect.decimal.precision';

function named(builder: SchemaBuilder, name: string): SchemaBuilder {
  return builder.name(name).version(1);
}

/** A fresh builder (callers add optional/default/doc) for a column of `kind`. */
export function columnTypeSchema(kind: ColumnKind, settings: EventSettings): SchemaBuilder {
  switch (kind.kind) {
    case 'boolean':
      return SchemaBuilder.bool();
    case 'bits':
      return named(SchemaBuilder.bytes(), DEBEZIUM.BITS).parameter('length', String(kind.length));
    case 'integer':
      return SchemaBuilder.type(kind.type);
    case 'bigint':
      return kind.unsigned && settings.bigintUnsignedHandlingMode === 'precise' ? decimalSchema('precise', 20, 0) : SchemaBuilder.int64();
    case 'float32':
      return SchemaBuilder.float32();
    case 'float64':
      return SchemaBuilder.float64();
    case 'decimal':
      return decimalSchema(settings.decimalHandlingMode, kind.precision, kind.scale);
    case 'string':
      return SchemaBuilder.string();
    case 'binary':
      return settings.binaryHandlingMode === 'bytes' ? SchemaBuilder.bytes() : SchemaBuilder.string();
    case 'json':
      return named(SchemaBuilder.string(), DEBEZIUM.JSON);
    case 'uuid':
      return named(SchemaBuilder.string(), DEBEZIUM.UUID);
    case 'enum':
      return named(SchemaBuilder.string(), DEBEZIUM.ENUM).parameter('allowed', kind.allowed.join(','));
    case 'set':
      return named(SchemaBuilder.string(), DEBEZIUM.ENUM_SET).parameter('allowed', kind.allowed.join(','));
    case 'year':
      return named(SchemaBuilder.int32(), DEBEZIUM.YEAR);
    case 'date':
      return dateSchema(settings);
    case 'time':
      return timeSchema(settings);
    case 'datetime':
      return datetimeSchema(settings, kind.fsp);
    case 'timestamp':
      return named(SchemaBuilder.string(), DEBEZIUM.ZONED_TIMESTAMP);
    case 'geometry':
      // Debezium's Geometry builder is optional whatever the column says.
      return SchemaBuilder.struct().name(DEBEZIUM.GEOMETRY).version(1).doc('Geometry').optional()
        .field('wkb', Schema.BYTES_SCHEMA)
        .field('srid', Schema.OPTIONAL_INT32_SCHEMA);
    case 'point':
      return SchemaBuilder.struct().name(DEBEZIUM.POINT).version(1).doc('Geometry (POINT)')
        .field('x', Schema.FLOAT64_SCHEMA)
        .field('y', Schema.FLOAT64_SCHEMA)
        .field('wkb', Schema.OPTIONAL_BYTES_SCHEMA)
        .field('srid', Schema.OPTIONAL_INT32_SCHEMA);
  }
}

function decimalSchema(mode: EventSettings['decimalHandlingMode'], precision: number, scale: number): SchemaBuilder {
  switch (mode) {
    case 'precise':
      return LogicalDecimal.builder(scale).parameter(DECIMAL_PRECISION_PARAMETER, String(precision));
    case 'double':
      return SchemaBuilder.float64();
    case 'string':
      return SchemaBuilder.string();
  }
}

function dateSchema(settings: EventSettings): SchemaBuilder {
  switch (settings.timePrecisionMode) {
    case 'connect':
      return LogicalDate.builder();
    case 'isostring':
      return named(SchemaBuilder.string(), DEBEZIUM.ISO_DATE);
    default:
      return named(SchemaBuilder.int32(), DEBEZIUM.DATE);
  }
}

function timeSchema(settings: EventSettings): SchemaBuilder {
  switch (settings.timePrecisionMode) {
    case 'connect':
      return LogicalTime.builder();
    case 'isostring':
      return named(SchemaBuilder.string(), DEBEZIUM.ISO_TIME);
    case 'nanoseconds':
      return named(SchemaBuilder.int64(), DEBEZIUM.NANO_TIME);
    default:
      return named(SchemaBuilder.int64(), DEBEZIUM.MICRO_TIME);
  }
}

function datetimeSchema(settings: EventSettings, fsp: number): SchemaBuilder {
  switch (settings.timePrecisionMode) {
    case 'connect':
      return LogicalTimestamp.builder();
    case 'isostring':
      return named(SchemaBuilder.string(), DEBEZIUM.ISO_TIMESTAMP);
    case 'microseconds':
      return named(SchemaBuilder.int64(), DEBEZIUM.MICRO_TIMESTAMP);
    case 'nanoseconds':
      return named(SchemaBuilder.int64(), DEBEZIUM.NANO_TIMESTAMP);
    case 'adaptive_time_microseconds':
      return named(SchemaBuilder.int64(), fsp <= 3 ? DEBEZIUM.TIMESTAMP : DEBEZIUM.MICRO_TIMESTAMP);
  }
}
