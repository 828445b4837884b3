/**
 * Connect data → JSON text, byte for byte as Kafka's JsonConverter (Jackson, compact) writes it.
 *
 * Values: integers as plain digits (INT64 exactly, number or bigint); FLOAT32/FLOAT64 as Java's
 * Float/Double.toString (`1.0`, `1.0E10`), non-finite ones as the strings "NaN", "Infinity",
 * "-Infinity"; BYTES as base64; a Decimal as base64 of its unscaled bytes or, with
 * `decimal.format=NUMERIC`, as Java's BigDecimal.toString; Date/Time/Timestamp as their
 * int32/int64 wire numbers; a MAP with STRING keys as an object and any other MAP as an array of
 * `[key,value]` pairs; a STRUCT as an object of all its fields in schema order. A null takes the
 * schema's default when `replace.null.with.default` is on, and is written as `null` when the
 * schema is optional.
 *
 * Schemas: `{"type":..,` then `items` | `keys`,`values` | `fields`, then `optional`, `name`,
 * `version`, `doc`, `parameters`, `default`; each struct field's schema ends with `"field"`.
 * Type names are Kafka's: `float` and `double` for FLOAT32 and FLOAT64.
 *
 * Without a schema the JS type decides: safe integers and bigints as integers, other numbers as
 * doubles, Maps and plain objects as objects (or pair arrays when a Map has a non-string key),
 * Structs with their own schema. A Decimal or Date without a schema is an error, as in Kafka.
 */
import { DataError } from '../../../connectors/sdk/errors.js';
import { Decimal } from '../../../connectors/sdk/data/decimal.js';
import { formatDouble, formatFloat } from '../../../connectors/sdk/data/java-number-format.js';
import {
  DATE_LOGICAL_NAME,
  DECIMAL_LOGICAL_NAME,
  TIME_LOGICAL_NAME,
  TIMESTAMP_LOGICAL_NAME,
} from '../../../connectors/sdk/data/logical-names.js';
import { LogicalDate, LogicalDecimal, LogicalTime, LogicalTimestamp } from '../../../connectors/sdk/data/logical-types.js';
import type { Schema } from '../../../connectors/sdk/data/schema.js';
import type { SchemaType } from '../../../connectors/sdk/data/schema-type.js';
import { Struct } from '../../../connectors/sdk/data/struct.js';
import { describeValue, isInt64 } from '../../../connectors/sdk/data/validate-value.js';
import { quoteJsonString } from './json-text.js';
import { LruCache } from './lru-cache.js';

export const JSON_TYPE_NAMES: Readonly<Record<SchemaType, string>> = {
  BOOLEAN: 'boolean',
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FLOAT32: 'float',
  FLOAT64: 'double',
  BYTES: 'bytes',
  STRING: 'string',
  ARRAY: 'array',
  MAP: 'map',
  STRUCT: 'struct',
};

const INT_RANGES: Partial<Record<SchemaType, readonly [number, number]>> = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
};

/**
 * Per struct schema (immutable): each field's `"name":` text, and the fields' error paths per
 * parent path, so a record's field names are neither quoted nor joined to their path again.
 */
interface StructLayout {
  readonly prefixes: readonly string[];
  readonly paths: Map<string, readonly string[]>;
}

const MAX_PATHS_PER_LAYOUT = 64;
const layouts = new WeakMap<Schema, StructLayout>();

function layoutOf(schema: Schema): StructLayout {
  let layout = layouts.get(schema);
  if (layout === undefined) {
    layout = { prefixes: schema.fields.map((f) => `${quoteJsonString(f.name)}:`), paths: new Map() };
    layouts.set(schema, layout);
  }
  return layout;
}

function fieldPaths(schema: Schema, layout: StructLayout, path: string): readonly string[] {
  let paths = layout.paths.get(path);
  if (paths === undefined) {
    paths = schema.fields.map((f) => (path ? `${path}.${f.name}` : f.name));
    if (layout.paths.size < MAX_PATHS_PER_LAYOUT) layout.paths.set(path, paths);
  }
  return paths;
}

export interface JsonWriteOptions {
  readonly decimalFormat: 'BASE64' | 'NUMERIC';
  readonly replaceNullWithDefault: boolean;
  readonly schemaCacheSize: number;
}

export class JsonDataWriter {
  private readonly schemaCache: LruCache<Schema, string>;

  constructor(private readonly options: JsonWriteOptions) {
    this.schemaCache = new LruCache(options.schemaCacheSize);
  }

  /** The JSON of a schema; `null` for no schema. */
  writeSchema(schema: Schema | null): string {
    if (schema === null) return 'null';
    const cached = this.schemaCache.get(schema);
    if (cached !== undefined) return cached;
    const parts = [`"type":"${JSON_TYPE_NAMES[schema.type]}"`];
    if (schema.type === 'ARRAY') parts.push(`"items":${this.writeSchema(schema.valueSchema)}`);
    if (schema.type === 'MAP') parts.push(`"keys":${this.writeSchema(schema.keySchema)}`, `"values":${this.writeSchema(schema.valueSchema)}`);
    if (schema.type === 'STRUCT') {
      const fields = schema.fields.map((f) => `${this.writeSchema(f.schema).slice(0, -1)},"field":${quoteJsonString(f.name)}}`);
      parts.push(`"fields":[${fields.join(',')}]`);
    }
    parts.push(`"optional":${schema.optional}`);
    if (schema.name !== null) parts.push(`"name":${quoteJsonString(schema.name)}`);
    if (schema.version !== null) parts.push(`"version":${schema.version}`);
    if (schema.doc !== null) parts.push(`"doc":${quoteJsonString(schema.doc)}`);
    if (schema.parameters !== null) {
      const params = [...schema.parameters].map(([k, v]) => `${quoteJsonString(k)}:${quoteJsonString(v)}`);
      parts.push(`"parameters":{${params.join(',')}}`);
    }
    if (schema.defaultValue !== null) parts.push(`"default":${this.writeDefault(schema, '')}`);
    const json = `{${parts.join(',')}}`;
    this.schemaCache.set(schema, json);
    return json;
  }

  /** A struct default was built against the schema before it had a default, so it is written with its own. */
  private writeDefault(schema: Schema, path: string): string {
    const value = schema.defaultValue;
    return value instanceof Struct ? this.writeStruct(value, path) : this.writeValue(schema, value, path);
  }

  /** The JSON of a value under `schema` (null: schemaless). `path` names the value in errors. */
  writeValue(schema: Schema | null, value: unknown, path: string): string {
    if (value === null || value === undefined) {
      if (schema === null) return 'null';
      if (schema.defaultValue !== null && this.options.replaceNullWithDefault) return this.writeDefault(schema, path);
      if (schema.optional) return 'null';
      throw new DataError(
        `Conversion error: null value for ${where(path)} that is required and has no default value (schema type ${schema.type})`,
        { path },
      );
    }
    if (schema === null) return this.writeSchemaless(value, path);
    switch (schema.name) {
      case DECIMAL_LOGICAL_NAME:
        return this.writeDecimal(schema, value, path);
      case DATE_LOGICAL_NAME:
        return String(LogicalDate.fromLogical(schema, expectDate(value, 'Date', path)));
      case TIME_LOGICAL_NAME:
        return String(LogicalTime.fromLogical(schema, expectDate(value, 'Time', path)));
      case TIMESTAMP_LOGICAL_NAME:
        return String(LogicalTimestamp.fromLogical(schema, expectDate(value, 'Timestamp', path)));
      default:
        return this.writeTyped(schema, value, path);
    }
  }

  private writeTyped(schema: Schema, value: unknown, path: string): string {
    switch (schema.type) {
      case 'INT32':
        if (typeof value === 'number' && (value | 0) === value) return String(value);
        throw intOutOfRange(schema, value, path);
      case 'INT8':
      case 'INT16': {
        const [lo, hi] = INT_RANGES[schema.type]!;
        if (typeof value === 'number' && Number.isInteger(value) && value >= lo && value <= hi) return String(value);
        throw intOutOfRange(schema, value, path);
      }
      case 'INT64':
        if (isInt64(value)) return integerText(value);
        throw invalidType(schema, value, 'a 64-bit integer (number or bigint)', path);
      case 'FLOAT32':
        if (typeof value === 'number') return floatText(value, formatFloat);
        throw invalidType(schema, value, 'a number', path);
      case 'FLOAT64':
        if (typeof value === 'number') return floatText(value, formatDouble);
        throw invalidType(schema, value, 'a number', path);
      case 'BOOLEAN':
        if (typeof value === 'boolean') return String(value);
        throw invalidType(schema, value, 'a boolean', path);
      case 'STRING':
        if (typeof value === 'string') return quoteJsonString(value);
        throw invalidType(schema, value, 'a string', path);
      case 'BYTES':
        if (value instanceof Uint8Array) return base64(value);
        throw invalidType(schema, value, 'a Buffer', path);
      case 'ARRAY':
        if (Array.isArray(value)) return `[${value.map((v, i) => this.writeValue(schema.valueSchema, v, `${path}[${i}]`)).join(',')}]`;
        throw invalidType(schema, value, 'an array', path);
      case 'MAP':
        if (value instanceof Map) return this.writeMap(schema.keySchema, schema.valueSchema, value, schema.keySchema?.type === 'STRING', path);
        throw invalidType(schema, value, 'a Map', path);
      case 'STRUCT':
        if (!(value instanceof Struct)) throw invalidType(schema, value, 'a Struct', path);
        if (!value.schema.equals(schema)) {
          throw new DataError(`Mismatching schema for ${where(path)}: expected ${schema.toString()}, got ${value.schema.toString()}`, { path });
        }
        return this.writeStruct(value, path);
    }
  }

  private writeStruct(struct: Struct, path: string): string {
    const schema = struct.schema;
    const fields = schema.fields;
    const layout = layoutOf(schema);
    const prefixes = layout.prefixes;
    const paths = fieldPaths(schema, layout, path);
    let out = '{';
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (i > 0) out += ',';
      out += prefixes[i]! + this.writeValue(f.schema, struct.getWithoutDefault(f), paths[i]!);
    }
    return `${out}}`;
  }

  /**
   * Entries' error paths are built only where a write can fail: a schemaless scalar cannot, and
   * is written without one.
   */
  private writeMap(
    keySchema: Schema | null,
    valueSchema: Schema | null,
    map: ReadonlyMap<unknown, unknown>,
    objectMode: boolean,
    path: string,
  ): string {
    let out = objectMode ? '{' : '[';
    let first = true;
    for (const [k, v] of map) {
      if (first) first = false;
      else out += ',';
      const scalar = valueSchema === null && keySchema === null ? schemalessScalar(v) : undefined;
      if (objectMode && keySchema === null && scalar !== undefined) {
        out += `${quoteJsonString(keyText(k))}:${scalar}`;
        continue;
      }
      const entryPath = `${path}[${typeof k === 'string' ? JSON.stringify(k) : String(k)}]`;
      const valueJson = scalar ?? this.writeValue(valueSchema, v, entryPath);
      if (objectMode) {
        if (keySchema !== null) this.writeValue(keySchema, k, `${entryPath}(key)`);
        out += `${quoteJsonString(keyText(k))}:${valueJson}`;
      } else {
        out += `[${this.writeValue(keySchema, k, `${entryPath}(key)`)},${valueJson}]`;
      }
    }
    return objectMode ? `${out}}` : `${out}]`;
  }

  private writeDecimal(schema: Schema, value: unknown, path: string): string {
    if (!(value instanceof Decimal)) throw invalidType(schema, value, 'a Decimal', path);
    if (this.options.decimalFormat === 'NUMERIC') return value.toString();
    return base64(LogicalDecimal.fromLogical(schema, value));
  }

  private writeSchemaless(value: unknown, path: string): string {
    const scalar = schemalessScalar(value);
    if (scalar !== undefined) return scalar;
    if (value instanceof Uint8Array) return base64(value);
    if (Array.isArray(value)) return `[${value.map((v, i) => schemalessScalar(v) ?? this.writeValue(null, v, `${path}[${i}]`)).join(',')}]`;
    if (value instanceof Map) return this.writeMap(null, null, value, hasOnlyStringKeys(value), path);
    if (value instanceof Struct) {
      value.validate(path || undefined);
      return this.writeStruct(value, path);
    }
    if (isPlainObject(value)) return this.writeMap(null, null, new Map(Object.entries(value)), true, path);
    throw new DataError(`${describeValue(value)} at ${where(path)} has no corresponding schema type; give it a schema`, { path });
  }
}

/** The JSON of a schemaless null, number, bigint, boolean or string (none can fail); undefined for anything else. */
function schemalessScalar(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return quoteJsonString(value);
    case 'number':
      return Number.isSafeInteger(value) ? String(value) : floatText(value, formatDouble);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'null';
    default:
      return value === null ? 'null' : undefined;
  }
}

function hasOnlyStringKeys(map: ReadonlyMap<unknown, unknown>): boolean {
  for (const k of map.keys()) if (typeof k !== 'string') return false;
  return true;
}

/** An object member's name for a map key: a string as is, null as "null", anything else as String(). */
function keyText(key: unknown): string {
  return typeof key === 'string' ? key : key === null || key === undefined ? 'null' : String(key);
}

function where(path: string): string {
  return path ? `field "${path}"` : 'the value';
}

function intOutOfRange(schema: Schema, value: unknown, path: string): DataError {
  const [lo, hi] = INT_RANGES[schema.type]!;
  return invalidType(schema, value, `an integer from ${lo} to ${hi}`, path);
}

function invalidType(schema: Schema, value: unknown, expected: string, path: string): DataError {
  const named = schema.name !== null ? ` "${schema.name}"` : '';
  return new DataError(`Invalid type for ${schema.type}${named} at ${where(path)}: expected ${expected}, got ${describeValue(value)}`, { path });
}

function expectDate(value: unknown, logical: string, path: string): Date {
  if (value instanceof Date) return value;
  throw new DataError(`Invalid type for ${logical} at ${where(path)}: expected a Date, got ${describeValue(value)}`, { path });
}

function integerText(value: number | bigint): string {
  return typeof value === 'bigint' ? value.toString() : Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
}

function floatText(value: number, format: (v: number) => string): string {
  return Number.isFinite(value) ? format(value) : `"${format(value)}"`;
}

function base64(bytes: Uint8Array): string {
  return `"${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}"`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
