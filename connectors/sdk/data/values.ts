/**
 * Kafka's Values utility: the string form of Connect values used for header values by
 * SimpleHeaderConverter (and by transforms that print values), and parsing that form back.
 *
 * `convertToString` writes strings bare at the top level and quoted (with `\` and `"` escaped)
 * inside arrays, maps and structs; numbers as Java prints them; bytes as base64; arrays as
 * `[a,b]`, maps as `{k:v}`, structs as `{"field":value}`; Dates by their value: before
 * 1970-01-02 as `HH:mm:ss.SSSZ`, on a UTC midnight as `yyyy-MM-dd`, otherwise as
 * `yyyy-MM-ddTHH:mm:ss.SSSZ`. Unlike Kafka, which infers from the Java class, the schema decides
 * whether a number prints as an integer or a float; without one, safe integers print as
 * integers and other numbers as doubles.
 */
import { DataError } from '../errors.js';
import { Decimal } from './decimal.js';
import { formatDouble, formatFloat } from './java-number-format.js';
import { Schema } from './schema.js';
import { SchemaAndValue } from './schema-and-value.js';
import { Struct } from './struct.js';
import { parseValueString } from './value-string-parser.js';

const MILLIS_PER_DAY = 86_400_000;

export const Values = {
  /** Kafka's Values.parseString: an empty string is an empty STRING; `null` parses to SchemaAndValue.NULL. */
  parseString(text: string | null): SchemaAndValue {
    if (text === null) return SchemaAndValue.NULL;
    if (text === '') return new SchemaAndValue(Schema.STRING_SCHEMA, text);
    return parseValueString(text) ?? SchemaAndValue.NULL;
  },

  /** Kafka's Values.convertToString; null for a null value. */
  convertToString(schema: Schema | null, value: unknown): string | null {
    if (value === null || value === undefined) return null;
    return append(value, schema, false);
  },
} as const;

function append(value: unknown, schema: Schema | null, embedded: boolean): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return numberText(value, schema);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return embedded ? `"${escape(value)}"` : value;
  if (value instanceof Uint8Array) {
    const text = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    return embedded ? `"${text}"` : text;
  }
  if (value instanceof Decimal) return value.toString();
  if (value instanceof Date) return formatDate(value);
  if (Array.isArray(value)) return `[${value.map((v) => append(v, schema?.valueSchema ?? null, true)).join(',')}]`;
  if (value instanceof Map) {
    const entries = [...value].map(([k, v]) => `${append(k, schema?.keySchema ?? null, true)}:${append(v, schema?.valueSchema ?? null, true)}`);
    return `{${entries.join(',')}}`;
  }
  if (value instanceof Struct) {
    const fields = value.schema.fields.map((f) => `${append(f.name, null, true)}:${append(value.get(f), f.schema, true)}`);
    return `{${fields.join(',')}}`;
  }
  throw new DataError(`Failed to serialize unexpected value type ${describeType(value)}: ${String(value)}`);
}

function numberText(value: number, schema: Schema | null): string {
  if (schema?.type === 'FLOAT32') return formatFloat(value);
  if (schema?.type === 'FLOAT64') return formatDouble(value);
  if (Number.isSafeInteger(value)) return String(value);
  const isIntegerType = schema?.type === 'INT8' || schema?.type === 'INT16' || schema?.type === 'INT32' || schema?.type === 'INT64';
  return isIntegerType && Number.isInteger(value) ? BigInt(value).toString() : formatDouble(value);
}

function escape(s: string): string {
  return s.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
}

function formatDate(date: Date): string {
  const ms = date.getTime();
  const iso = date.toISOString();
  const isoDate = iso.slice(0, iso.indexOf('T'));
  const isoTime = iso.slice(iso.indexOf('T') + 1);
  if (ms < MILLIS_PER_DAY) return isoTime;
  if (ms % MILLIS_PER_DAY === 0) return isoDate;
  return `${isoDate}T${isoTime}`;
}

function describeType(value: unknown): string {
  return typeof value === 'object' && value !== null ? (value.constructor?.name ?? 'Object') : typeof value;
}
