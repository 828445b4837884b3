/**
 * Record values as the JSON documents Confluent's sink sends: Kafka's JsonConverter output
 * (schemas.enable=false) after Confluent's preprocessing when schemas are used.
 *
 * With a schema and preprocessing (schema.ignore=false): Decimal as a double, Date/Time/Timestamp
 * as their numbers (days, ms of day, epoch ms), BYTES as base64, floats as Java prints them
 * (`1.0`), structs as objects in field order with nulls replaced by field defaults, maps with
 * string keys as objects when compact.map.entries is on and otherwise as arrays of
 * `{"key":..,"value":..}`. Without preprocessing (schema.ignore=true): Decimal as base64 of its
 * unscaled bytes and non-string-keyed maps as `[key,value]` pairs, as JsonConverter writes them.
 * Schemaless values: Maps and plain objects as objects, numbers, strings, booleans, arrays, Buffers
 * as base64.
 *
 * A document must be a JSON object: any other top-level value is a DataError (error tolerance
 * and the dead-letter topic apply). The top level is returned as entries so callers can add
 * `@timestamp` without parsing the text again.
 */
import { Decimal } from '../sdk/data/decimal.js';
import { formatDouble, formatFloat } from '../sdk/data/java-number-format.js';
import { DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME } from '../sdk/data/logical-names.js';
import type { Schema } from '../sdk/data/schema.js';
import { Struct } from '../sdk/data/struct.js';
import { DataError } from '../sdk/errors.js';
import { decimalToDouble } from './decimal-double.js';

export interface DocumentJsonOptions {
  /** Confluent's preprocessing (schemas not ignored). */
  readonly preprocess: boolean;
  readonly compactMapEntries: boolean;
}

/** The top-level members of a document: names and their JSON text, in order. */
export type DocumentEntries = Array<[string, string]>;

export function documentEntries(schema: Schema | null, value: unknown, options: DocumentJsonOptions): DocumentEntries {
  const writer = new JsonWriter(options);
  if (value instanceof Struct) {
    const struct = value;
    const structSchema = schema ?? struct.schema;
    if (structSchema.type !== 'STRUCT') throw new DataError('A Struct value needs a STRUCT schema');
    return structSchema.fields.map((f) => [f.name, writer.value(f.schema, struct.get(f), f.name)]);
  }
  if (schema !== null && schema.type === 'MAP' && value instanceof Map) {
    const stringKeys = schema.keySchema?.type === 'STRING';
    if (stringKeys && (!options.preprocess || options.compactMapEntries)) {
      return [...value].map(([k, v]) => [String(k), writer.value(schema.valueSchema, v, String(k))]);
    }
  }
  if (schema === null && value instanceof Map) {
    if ([...value.keys()].every((k) => typeof k === 'string')) {
      return [...value].map(([k, v]) => [k as string, writer.value(null, v, k as string)]);
    }
  }
  if (schema === null && isPlainObject(value)) {
    return Object.entries(value).map(([k, v]) => [k, writer.value(null, v, k)]);
  }
  throw new DataError(`A document must be a JSON object, but the record value is ${describe(schema, value)}`);
}

export function entriesToJson(entries: DocumentEntries): string {
  let out = '{';
  for (let i = 0; i < entries.length; i++) {
    const [k, v] = entries[i]!;
    out += (i === 0 ? '' : ',') + JSON.stringify(k) + ':' + v;
  }
  return out + '}';
}

/** Sets (or replaces in place) one top-level member. */
export function setEntry(entries: DocumentEntries, name: string, json: string): void {
  const existing = entries.find(([k]) => k === name);
  if (existing !== undefined) existing[1] = json;
  else entries.push([name, json]);
}

class JsonWriter {
  readonly #options: DocumentJsonOptions;

  constructor(options: DocumentJsonOptions) {
    this.#options = options;
  }

  value(schema: Schema | null, value: unknown, path: string): string {
    if (value === null || value === undefined) {
      if (schema === null) return 'null';
      if (schema.defaultValue !== null) return this.value(schema, schema.defaultValue, path);
      if (schema.optional) return 'null';
      throw new DataError(`null value for field ${path} that is required and has no default value`, { path });
    }
    if (schema === null) return this.#schemaless(value, path);
    switch (schema.name) {
      case DECIMAL_LOGICAL_NAME:
        if (this.#options.preprocess) return number(decimalToDouble(value), formatDouble);
        if (value instanceof Decimal) return JSON.stringify(value.toBytes().toString('base64'));
        throw invalid(path, 'a Decimal');
      case DATE_LOGICAL_NAME:
        return String(Math.floor(dateMillis(value, path) / 86_400_000));
      case TIME_LOGICAL_NAME:
        return String(dateMillis(value, path) % 86_400_000);
      case TIMESTAMP_LOGICAL_NAME:
        return String(dateMillis(value, path));
      default:
        break;
    }
    switch (schema.type) {
      case 'INT8':
      case 'INT16':
      case 'INT32':
      case 'INT64':
        if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))) return String(value);
        throw invalid(path, 'an integer');
      case 'FLOAT32':
        if (typeof value === 'number') return number(value, formatFloat);
        throw invalid(path, 'a number');
      case 'FLOAT64':
        if (typeof value === 'number') return number(value, formatDouble);
        throw invalid(path, 'a number');
      case 'BOOLEAN':
        if (typeof value === 'boolean') return String(value);
        throw invalid(path, 'a boolean');
      case 'STRING':
        if (typeof value === 'string') return JSON.stringify(value);
        throw invalid(path, 'a string');
      case 'BYTES':
        if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'));
        throw invalid(path, 'bytes');
      case 'ARRAY': {
        if (!Array.isArray(value)) throw invalid(path, 'an array');
        return `[${value.map((v, i) => this.value(schema.valueSchema, v, `${path}[${i}]`)).join(',')}]`;
      }
      case 'MAP':
        return this.#map(schema, value, path);
      case 'STRUCT': {
        if (!(value instanceof Struct)) throw invalid(path, 'a struct');
        const parts = schema.fields.map((f) => `${JSON.stringify(f.name)}:${this.value(f.schema, value.get(f.name), `${path}.${f.name}`)}`);
        return `{${parts.join(',')}}`;
      }
      default:
        throw invalid(path, 'a known Connect type');
    }
  }

  #map(schema: Schema, value: unknown, path: string): string {
    const entries: Array<[unknown, unknown]> = value instanceof Map ? [...value] : isPlainObject(value) ? Object.entries(value) : [];
    if (!(value instanceof Map) && !isPlainObject(value)) throw invalid(path, 'a map');
    const keySchema = schema.keySchema;
    const valueSchema = schema.valueSchema;
    if (keySchema?.type === 'STRING' && (!this.#options.preprocess || this.#options.compactMapEntries)) {
      return `{${entries.map(([k, v]) => `${JSON.stringify(String(k))}:${this.value(valueSchema, v, `${path}.${String(k)}`)}`).join(',')}}`;
    }
    if (this.#options.preprocess) {
      return `[${entries.map(([k, v]) => `{"key":${this.value(keySchema, k, `${path}.key`)},"value":${this.value(valueSchema, v, `${path}.value`)}}`).join(',')}]`;
    }
    return `[${entries.map(([k, v]) => `[${this.value(keySchema, k, `${path}.key`)},${this.value(valueSchema, v, `${path}.value`)}]`).join(',')}]`;
  }

  #schemaless(value: unknown, path: string): string {
    switch (typeof value) {
      case 'string':
        return JSON.stringify(value);
      case 'number':
        return Number.isInteger(value) ? String(value) : number(value, formatDouble);
      case 'bigint':
        return String(value);
      case 'boolean':
        return String(value);
      default:
        break;
    }
    if (Array.isArray(value)) return `[${value.map((v, i) => this.value(null, v, `${path}[${i}]`)).join(',')}]`;
    if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'));
    if (value instanceof Struct) return this.value(value.schema, value, path);
    if (value instanceof Map) {
      if ([...value.keys()].every((k) => typeof k === 'string')) {
        return `{${[...value].map(([k, v]) => `${JSON.stringify(k)}:${this.value(null, v, `${path}.${String(k)}`)}`).join(',')}}`;
      }
      return `[${[...value].map(([k, v]) => `[${this.value(null, k, `${path}.key`)},${this.value(null, v, `${path}.value`)}]`).join(',')}]`;
    }
    if (isPlainObject(value)) {
      return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${this.value(null, v, `${path}.${k}`)}`).join(',')}}`;
    }
    throw new DataError(`Cannot write ${value instanceof Date ? 'a Date without a schema' : typeof value} at ${path || 'the top level'} as JSON`, { path });
  }
}

function number(value: number, format: (v: number) => string): string {
  return Number.isFinite(value) ? format(value) : JSON.stringify(String(value));
}

function dateMillis(value: unknown, path: string): number {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.getTime();
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw invalid(path, 'a Date');
}

function invalid(path: string, expected: string): DataError {
  return new DataError(`The value of ${path || 'the record'} is not ${expected}`, { path });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function describe(schema: Schema | null, value: unknown): string {
  if (schema !== null) return `of schema type ${schema.type}`;
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'not a map or struct' : `a ${typeof value}`;
}
