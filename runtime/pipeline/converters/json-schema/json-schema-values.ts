/**
 * Connect values ↔ JSON values under a JSON Schema mapped from a Connect schema (Confluent's
 * JsonSchemaData.fromConnectData / toConnectData).
 *
 * Writing: integers as digits (INT64 exactly), FLOAT32/FLOAT64 as Java's Float/Double.toString
 * (non-finite ones as the strings "NaN", "Infinity", "-Infinity", as Jackson quotes them), BYTES as
 * base64, a Decimal as base64 of its unscaled bytes (or a number with `decimal.format=NUMERIC`),
 * Date/Time/Timestamp as days / ms of day / epoch ms, a MAP whose key schema is a required STRING as
 * an object and any other MAP as an array of `{"key":…,"value":…}` objects, a STRUCT as an object in
 * field order, and a `io.confluent.connect.json.OneOf` union struct as the value of its first set
 * field. A null takes the schema's default (unless `ignore.default.for.nullables`), else is written
 * as `null` when the schema is optional.
 *
 * Reading is the reverse; a missing or null member takes the field's default, or null when optional.
 * Errors are DataErrors naming the field path.
 */
import { DataError } from '../../../../connectors/sdk/errors.js';
import { Decimal } from '../../../../connectors/sdk/data/decimal.js';
import { formatDouble, formatFloat } from '../../../../connectors/sdk/data/java-number-format.js';
import { DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME } from '../../../../connectors/sdk/data/logical-names.js';
import { LogicalDate, LogicalDecimal, LogicalTime, LogicalTimestamp } from '../../../../connectors/sdk/data/logical-types.js';
import type { Schema } from '../../../../connectors/sdk/data/schema.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';
import { normalizeInt64 } from '../../../../connectors/sdk/data/validate-value.js';
import { JsonNumber, nodeType, type JsonObject, type JsonValue } from '../json-text.js';
import { integer } from './jackson-json-print.js';
import type { JsonSchemaDataSettings } from './json-schema-data-config.js';

/** The Connect struct name standing for a JSON Schema `oneOf` (a union of its fields). */
export const JSON_ONE_OF_NAME = 'io.confluent.connect.json.OneOf';
export const MAP_KEY_FIELD = 'key';
export const MAP_VALUE_FIELD = 'value';

const NON_FINITE = new Map<string, number>([['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity]]);

/** True for a MAP written as a JSON object: its keys are required strings. */
export function isObjectMap(schema: Schema): boolean {
  return schema.keySchema?.type === 'STRING' && !schema.keySchema.optional;
}

function at(path: string): string {
  return path === '' ? 'the value' : `field "${path}"`;
}

function floatNode(value: number, format: (v: number) => string): JsonValue {
  return Number.isFinite(value) ? new JsonNumber(format(value), false) : format(value);
}

/** The JSON of `value` under `schema`; `undefined` when Confluent's converter writes nothing (a null for a required schema without default). */
export function connectToJson(schema: Schema, value: unknown, settings: JsonSchemaDataSettings, path = ''): JsonValue | undefined {
  if (value === null || value === undefined) {
    if (schema.defaultValue !== null && !settings.ignoreDefaultForNullables) return connectToJson(schema, schema.defaultValue, settings, path);
    return schema.optional ? null : undefined;
  }
  switch (schema.name) {
    case DECIMAL_LOGICAL_NAME: {
      const decimal = value as Decimal;
      if (settings.decimalFormat === 'NUMERIC') return new JsonNumber(decimal.toString(), decimal.scale <= 0);
      return LogicalDecimal.fromLogical(schema, decimal).toString('base64');
    }
    case DATE_LOGICAL_NAME:
      return integer(LogicalDate.fromLogical(schema, value as Date));
    case TIME_LOGICAL_NAME:
      return integer(LogicalTime.fromLogical(schema, value as Date));
    case TIMESTAMP_LOGICAL_NAME:
      return integer(LogicalTimestamp.fromLogical(schema, value as Date));
    default:
      break;
  }
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      return integer(value as number | bigint);
    case 'FLOAT32':
      return floatNode(value as number, formatFloat);
    case 'FLOAT64':
      return floatNode(value as number, formatDouble);
    case 'BOOLEAN':
    case 'STRING':
      return value as boolean | string;
    case 'BYTES':
      return Buffer.from(value as Uint8Array).toString('base64');
    case 'ARRAY':
      return (value as unknown[]).map((v, i) => connectToJson(schema.valueSchema!, v, settings, `${path}[${i}]`) ?? null);
    case 'MAP':
      return mapToJson(schema, value as Map<unknown, unknown>, settings, path);
    case 'STRUCT':
      return structToJson(schema, value as Struct, settings, path);
  }
}

function mapToJson(schema: Schema, map: Map<unknown, unknown>, settings: JsonSchemaDataSettings, path: string): JsonValue {
  const entries = [...map].map(([k, v]) => {
    const entryPath = `${path}[${String(k)}]`;
    return [connectToJson(schema.keySchema!, k, settings, entryPath) ?? null, connectToJson(schema.valueSchema!, v, settings, entryPath) ?? null] as const;
  });
  if (isObjectMap(schema)) return new Map(entries.map(([k, v]) => [k as string, v]));
  return entries.map(([k, v]) => new Map([[MAP_KEY_FIELD, k], [MAP_VALUE_FIELD, v]]));
}

function structToJson(schema: Schema, struct: Struct, settings: JsonSchemaDataSettings, path: string): JsonValue | undefined {
  const valueOf = (name: string) => (settings.ignoreDefaultForNullables ? struct.getWithoutDefault(name) : struct.get(name));
  if (schema.name === JSON_ONE_OF_NAME) {
    const set = schema.fields.find((f) => valueOf(f.name) !== null);
    if (set === undefined) return connectToJson(schema, null, settings, path);
    return connectToJson(set.schema, valueOf(set.name), settings, path);
  }
  const object: JsonObject = new Map();
  for (const field of schema.fields) {
    const fieldPath = path === '' ? field.name : `${path}.${field.name}`;
    const json = connectToJson(field.schema, valueOf(field.name), settings, fieldPath);
    if (json === undefined) throw new DataError(`Conversion error: null value for ${at(fieldPath)}, which is required and has no default value`, { path: fieldPath });
    object.set(field.name, json);
  }
  return object;
}

/** The Connect value of `node` (undefined: absent) under `schema`. */
export function jsonToConnect(schema: Schema, node: JsonValue | undefined, path = ''): unknown {
  if (node === undefined || node === null) {
    if (schema.defaultValue !== null) return schema.defaultValue;
    if (schema.optional) return null;
    throw new DataError(`Invalid null value for required ${schema.type} ${at(path)}`, { path });
  }
  const mismatch = (expected: string) => new DataError(`Invalid JSON for ${at(path)}: expected ${expected} for schema type ${schema.type}${schema.name ? ` (${schema.name})` : ''}, found ${nodeType(node)}`, { path });
  switch (schema.name) {
    case DECIMAL_LOGICAL_NAME: {
      if (node instanceof JsonNumber) return atSchemaScale(schema, Decimal.parse(node.text));
      if (typeof node === 'string') return LogicalDecimal.toLogical(schema, Buffer.from(node, 'base64'));
      throw mismatch('a number or base64 bytes');
    }
    case DATE_LOGICAL_NAME:
      return LogicalDate.toLogical(schema, Number(integralText(node, mismatch)));
    case TIME_LOGICAL_NAME:
      return LogicalTime.toLogical(schema, Number(integralText(node, mismatch)));
    case TIMESTAMP_LOGICAL_NAME:
      return LogicalTimestamp.toLogical(schema, BigInt(integralText(node, mismatch)));
    default:
      break;
  }
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
      return Number(integralText(node, mismatch));
    case 'INT64':
      return normalizeInt64(BigInt(integralText(node, mismatch)));
    case 'FLOAT32':
    case 'FLOAT64': {
      const n = node instanceof JsonNumber ? Number(node.text) : typeof node === 'string' ? NON_FINITE.get(node) : undefined;
      if (n === undefined) throw mismatch('a number');
      return schema.type === 'FLOAT32' ? Math.fround(n) : n;
    }
    case 'BOOLEAN':
      if (typeof node !== 'boolean') throw mismatch('a boolean');
      return node;
    case 'STRING':
      if (typeof node !== 'string') throw mismatch('a string');
      return node;
    case 'BYTES':
      if (typeof node !== 'string') throw mismatch('base64 text');
      return Buffer.from(node, 'base64');
    case 'ARRAY':
      if (!Array.isArray(node)) throw mismatch('an array');
      return node.map((element, i) => jsonToConnect(schema.valueSchema!, element, `${path}[${i}]`));
    case 'MAP':
      return jsonToMap(schema, node, path, mismatch);
    case 'STRUCT':
      return jsonToStruct(schema, node, path, mismatch);
  }
}

/** A numeric decimal at the schema's scale when that loses nothing (JSON `1.5` for scale 2 is 1.50), else as written. */
function atSchemaScale(schema: Schema, decimal: Decimal): Decimal {
  try {
    return decimal.setScale(LogicalDecimal.scale(schema));
  } catch {
    return decimal;
  }
}

function integralText(node: JsonValue, mismatch: (expected: string) => DataError): string {
  if (!(node instanceof JsonNumber) || !node.integral) throw mismatch('an integer');
  return node.text;
}

function isObject(node: JsonValue): node is JsonObject {
  return node instanceof Map;
}

function jsonToMap(schema: Schema, node: JsonValue, path: string, mismatch: (expected: string) => DataError): Map<unknown, unknown> {
  const result = new Map<unknown, unknown>();
  if (isObjectMap(schema)) {
    if (!isObject(node)) throw mismatch('an object (a map with string keys)');
    for (const [k, v] of node) result.set(k, jsonToConnect(schema.valueSchema!, v, `${path}[${k}]`));
    return result;
  }
  if (!Array.isArray(node)) throw mismatch('an array of {"key","value"} objects (a map with non-string keys)');
  node.forEach((entry, i) => {
    if (!isObject(entry) || entry.size !== 2) throw new DataError(`Invalid map entry ${i} of ${at(path)}: expected an object with "key" and "value"`, { path });
    result.set(jsonToConnect(schema.keySchema!, entry.get(MAP_KEY_FIELD), `${path}[${i}](key)`), jsonToConnect(schema.valueSchema!, entry.get(MAP_VALUE_FIELD), `${path}[${i}]`));
  });
  return result;
}

function jsonToStruct(schema: Schema, node: JsonValue, path: string, mismatch: (expected: string) => DataError): Struct {
  const struct = new Struct(schema);
  if (schema.name === JSON_ONE_OF_NAME) {
    const branch = schema.fields.find((f) => fitsBranch(f.schema, node));
    if (branch === undefined) throw new DataError(`No branch of the oneOf at ${at(path)} matches ${nodeType(node)} JSON`, { path });
    return struct.put(branch.name, jsonToConnect(branch.schema, node, path));
  }
  if (!isObject(node)) throw mismatch('an object');
  for (const field of schema.fields) {
    struct.put(field, jsonToConnect(field.schema, node.get(field.name), path === '' ? field.name : `${path}.${field.name}`));
  }
  return struct;
}

/** Whether JSON of this kind belongs to a oneOf branch of this schema, as Confluent's reader decides. */
function fitsBranch(schema: Schema, node: JsonValue): boolean {
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      return node instanceof JsonNumber && node.integral;
    case 'FLOAT32':
    case 'FLOAT64':
      return node instanceof JsonNumber;
    case 'BOOLEAN':
      return typeof node === 'boolean';
    case 'STRING':
      return typeof node === 'string';
    case 'BYTES':
      return typeof node === 'string' || (schema.name === DECIMAL_LOGICAL_NAME && node instanceof JsonNumber);
    case 'ARRAY':
      return Array.isArray(node);
    case 'MAP':
      return isObject(node) || Array.isArray(node);
    case 'STRUCT':
      return isObject(node) && [...node.keys()].every((k) => schema.field(k) !== null);
  }
}
