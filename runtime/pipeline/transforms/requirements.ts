/**
 * Checks transforms make on what they are handed (Kafka's transforms Requirements), with Kafka's
 * wording: `Only Struct objects supported for [field insertion], found: string`. Where Kafka names
 * a Java class, the JS kind of the value is named instead.
 */
import type { ConnectRecord, SinkRecord } from '../../../connectors/sdk/connect-record.js';
import { Decimal } from '../../../connectors/sdk/data/decimal.js';
import type { Schema } from '../../../connectors/sdk/data/schema.js';
import { Struct } from '../../../connectors/sdk/data/struct.js';
import { DataError } from '../../../connectors/sdk/errors.js';
import { isSchemalessMap, type SchemalessMap } from './schemaless-map.js';

/** The kind of a value as error messages name it: `string`, `number`, `Buffer`, `Map`, `Struct`, ... */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'object') return typeof value;
  if (Buffer.isBuffer(value)) return 'Buffer';
  if (value instanceof Uint8Array) return 'Uint8Array';
  if (Array.isArray(value)) return 'Array';
  if (value instanceof Map) return 'Map';
  if (value instanceof Struct) return 'Struct';
  if (value instanceof Decimal) return 'Decimal';
  if (value instanceof Date) return 'Date';
  return value.constructor?.name ?? 'Object';
}

export function requireSchema(schema: Schema | null, purpose: string): Schema {
  if (schema === null) throw new DataError(`Schema required for [${purpose}]`);
  return schema;
}

export function requireStruct(value: unknown, purpose: string): Struct {
  if (!(value instanceof Struct)) throw new DataError(`Only Struct objects supported for [${purpose}], found: ${kindOf(value)}`);
  return value;
}

export function requireStructOrNull(value: unknown, purpose: string): Struct | null {
  return value === null || value === undefined ? null : requireStruct(value, purpose);
}

/** A schemaless map: a Map, or a plain object whose own keys are the field names. */
export function requireMap(value: unknown, purpose: string): SchemalessMap {
  if (!isSchemalessMap(value)) {
    throw new DataError(`Only Map objects supported in absence of schema for [${purpose}], found: ${kindOf(value)}`);
  }
  return value;
}

export function requireMapOrNull(value: unknown, purpose: string): SchemalessMap | null {
  return value === null || value === undefined ? null : requireMap(value, purpose);
}

export function isSinkRecord(record: ConnectRecord): record is SinkRecord {
  return typeof (record as Partial<SinkRecord>).kafkaOffset === 'number';
}

export function requireSinkRecord(record: ConnectRecord, purpose: string): SinkRecord {
  if (!isSinkRecord(record)) {
    const kind = 'sourcePartition' in record ? 'SourceRecord' : 'ConnectRecord';
    throw new DataError(`Only SinkRecord supported for [${purpose}], found: ${kind}`);
  }
  return record;
}
