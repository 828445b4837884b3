/**
 * Avro schemas and datums ↔ Parquet, the way parquet-avro (which Confluent's ParquetFormat
 * writes through) maps them:
 *
 * - the top-level record is the message; a field is REQUIRED, or OPTIONAL when its Avro type is
 *   a union of null and one other type;
 * - boolean, int, long, float, double → BOOLEAN, INT32, INT64, FLOAT, DOUBLE; string → BYTE_ARRAY
 *   (UTF8); enum → BYTE_ARRAY (ENUM); bytes → BYTE_ARRAY; fixed → FIXED_LEN_BYTE_ARRAY; the
 *   logical types date, time-millis, timestamp-millis and decimal → DATE, TIME_MILLIS,
 *   TIMESTAMP_MILLIS, DECIMAL(precision, scale);
 * - record → group; array → the three-level LIST (`repeated group list { element }`,
 *   parquet-avro with write-old-list-structure=false); map → MAP
 *   (`repeated group key_value { required key (UTF8); value }`).
 *
 * Unions of several non-null types and recursive records have no Parquet form here: DataError.
 *
 * Reading goes back from the physical values (the reader strips leaf annotations, so decimals
 * keep every digit) to the datum of the file's Avro schema, which AvroData turns into Connect.
 */
import type { SchemaElement } from 'hyparquet';
import type { AvroSchema } from '../../sdk/data/avro/index.js';
import { branchName, fullName, type AvroRecord } from '../../sdk/data/avro/avro-schema.js';
import { nullableBranch } from '../../sdk/data/avro/avro-to-connect-schema.js';
import { JsonNumber } from '../../sdk/data/avro/json-value.js';
import { DataError } from '../../sdk/errors.js';
import { normalizeInt64 } from '../../sdk/data/validate-value.js';

/** The Parquet schema (depth-first, root first) of a top-level Avro record. */
export function parquetSchemaOf(record: AvroRecord): SchemaElement[] {
  const out: SchemaElement[] = [{ name: 'root', num_children: record.fields.length }];
  const path = new Set([fullName(record)]);
  for (const field of record.fields) addElement(out, field.name, field.type, path);
  return out;
}

/** The Parquet row (column name → value as hyparquet-writer takes it) of a record datum, and about how many bytes it holds. */
export function parquetRowOf(record: AvroRecord, datum: Record<string, unknown>): { row: Record<string, unknown>; bytes: number } {
  const size = { bytes: 0 };
  const row: Record<string, unknown> = {};
  for (const field of record.fields) row[field.name] = toParquet(field.type, datum[field.name], size);
  return { row, bytes: size.bytes };
}

/** The record datum of a row read with leaf annotations stripped (raw physical values). */
export function avroDatumOf(record: AvroRecord, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of record.fields) out[field.name] = fromParquet(field.type, row[field.name]);
  return out;
}

/** The non-null branch of a union of null and one type, else null. */
export const optionalBranch = nullableBranch;

function addElement(out: SchemaElement[], name: string, schema: AvroSchema, path: Set<string>, repetition: 'REQUIRED' | 'OPTIONAL' = 'REQUIRED'): void {
  if (schema.type === 'union') {
    const branch = optionalBranch(schema);
    if (branch === null) throw new DataError(`Field ${name}: an Avro union of ${schema.branches.map(branchName).join(', ')} cannot be written to Parquet`);
    addElement(out, name, branch, path, 'OPTIONAL');
    return;
  }
  const base = { name, repetition_type: repetition } as const;
  const logical = logicalOf(schema);
  switch (schema.type) {
    case 'boolean': out.push({ ...base, type: 'BOOLEAN' }); return;
    case 'int':
      out.push({ ...base, type: 'INT32', ...(logical === 'date' ? { converted_type: 'DATE' } : logical === 'time-millis' ? { converted_type: 'TIME_MILLIS' } : {}) });
      return;
    case 'long': out.push({ ...base, type: 'INT64', ...(logical === 'timestamp-millis' ? { converted_type: 'TIMESTAMP_MILLIS' } : {}) }); return;
    case 'float': out.push({ ...base, type: 'FLOAT' }); return;
    case 'double': out.push({ ...base, type: 'DOUBLE' }); return;
    case 'string': out.push({ ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8' }); return;
    case 'enum': out.push({ ...base, type: 'BYTE_ARRAY', converted_type: 'ENUM' }); return;
    case 'bytes': out.push({ ...base, type: 'BYTE_ARRAY', ...decimalOf(schema) }); return;
    case 'fixed': out.push({ ...base, type: 'FIXED_LEN_BYTE_ARRAY', type_length: schema.size, ...decimalOf(schema) }); return;
    case 'record': {
      const id = fullName(schema);
      if (path.has(id)) throw new DataError(`Field ${name}: the recursive record ${id} cannot be written to Parquet`);
      out.push({ ...base, num_children: schema.fields.length });
      path.add(id);
      for (const field of schema.fields) addElement(out, field.name, field.type, path);
      path.delete(id);
      return;
    }
    case 'array':
      out.push({ ...base, converted_type: 'LIST', num_children: 1 }, { name: 'list', repetition_type: 'REPEATED', num_children: 1 });
      addElement(out, 'element', unwrapped(schema.items), path, optionalBranch(schema.items) === null ? 'REQUIRED' : 'OPTIONAL');
      return;
    case 'map':
      out.push({ ...base, converted_type: 'MAP', num_children: 1 }, { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
        { name: 'key', repetition_type: 'REQUIRED', type: 'BYTE_ARRAY', converted_type: 'UTF8' });
      addElement(out, 'value', unwrapped(schema.values), path, optionalBranch(schema.values) === null ? 'REQUIRED' : 'OPTIONAL');
      return;
    case 'null':
      throw new DataError(`Field ${name}: the Avro type null cannot be written to Parquet`);
  }
}

const unwrapped = (schema: AvroSchema) => optionalBranch(schema) ?? schema;

function logicalOf(schema: AvroSchema): string | undefined {
  if (schema.type === 'union') return undefined;
  const value = schema.props.get('logicalType');
  return typeof value === 'string' ? value : undefined;
}

function numberProp(schema: AvroSchema, key: string): number | undefined {
  if (schema.type === 'union') return undefined;
  const value = schema.props.get(key);
  if (value instanceof JsonNumber) return value.toNumber();
  return typeof value === 'number' ? value : undefined;
}

function decimalOf(schema: AvroSchema): Partial<SchemaElement> {
  if (logicalOf(schema) !== 'decimal') return {};
  return { converted_type: 'DECIMAL', precision: numberProp(schema, 'precision') ?? 0, scale: numberProp(schema, 'scale') ?? 0 };
}

function toParquet(schema: AvroSchema, datum: unknown, size: { bytes: number }): unknown {
  if (datum === null || datum === undefined) return null;
  if (schema.type === 'union') {
    const branch = optionalBranch(schema)!;
    return toParquet(branch, (datum as Record<string, unknown>)[branchName(branch)], size);
  }
  switch (schema.type) {
    case 'long':
      size.bytes += 8;
      return BigInt(datum as number | bigint);
    case 'string':
    case 'enum':
      size.bytes += (datum as string).length;
      return datum;
    case 'bytes':
    case 'fixed':
      size.bytes += (datum as Buffer).length;
      return logicalOf(schema) === 'decimal' ? unscaled(datum as Buffer) : datum;
    case 'record': {
      const out: Record<string, unknown> = {};
      for (const field of schema.fields) out[field.name] = toParquet(field.type, (datum as Record<string, unknown>)[field.name], size);
      return out;
    }
    case 'array':
      return (datum as unknown[]).map((item) => toParquet(schema.items, item, size));
    case 'map':
      return Object.entries(datum as Record<string, unknown>).map(([key, value]) => {
        size.bytes += key.length;
        return { key, value: toParquet(schema.values, value, size) };
      });
    default:
      size.bytes += 8;
      return datum;
  }
}

function fromParquet(schema: AvroSchema, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (schema.type === 'union') {
    const branch = optionalBranch(schema)!;
    return { [branchName(branch)]: fromParquet(branch, value) };
  }
  switch (schema.type) {
    case 'long':
      return normalizeInt64(value as number | bigint);
    case 'int':
      return Number(value);
    case 'string':
    case 'enum':
      return typeof value === 'string' ? value : Buffer.from(value as Uint8Array).toString('utf8');
    case 'bytes':
    case 'fixed':
      return Buffer.from(value as Uint8Array);
    case 'record':
      return avroDatumOf(schema, value as Record<string, unknown>);
    case 'array':
      return (value as unknown[]).map((item) => fromParquet(schema.items, item));
    case 'map': {
      const entries: [unknown, unknown][] = value instanceof Map ? [...value]
        : Array.isArray(value) ? value.map((e: { key: unknown; value: unknown }) => [e.key, e.value]) : Object.entries(value as object);
      return Object.fromEntries(entries.map(([k, v]) => [typeof k === 'string' ? k : Buffer.from(k as Uint8Array).toString('utf8'), fromParquet(schema.values, v)]));
    }
    default:
      return value;
  }
}

/** The unscaled value of Avro decimal bytes (big-endian two's complement). */
function unscaled(bytes: Buffer): bigint {
  if (bytes.length === 0) return 0n;
  let value = BigInt.asUintN(8, BigInt(bytes[0]!));
  for (let i = 1; i < bytes.length; i++) value = (value << 8n) | BigInt(bytes[i]!);
  return BigInt.asIntN(bytes.length * 8, value);
}
