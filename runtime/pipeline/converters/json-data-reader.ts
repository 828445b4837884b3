/**
 * JSON nodes → Connect schemas and data, as Kafka's JsonConverter reads them.
 *
 * Everything Kafka writes reads back to the same schema and value. Without a schema, types are
 * inferred as Kafka does: integers → INT64 (a number, or a bigint beyond ±(2^53-1); one beyond
 * the INT64 range stays exact, where Kafka wraps it), other numbers → FLOAT64, strings → STRING,
 * booleans → BOOLEAN, arrays → ARRAY, objects → MAP (a Map in document order). A null or missing
 * value takes the schema's default when `replace.null.with.default` is on, else is null if the
 * schema is optional, else an error.
 *
 * Where Kafka silently coerces a JSON value of the wrong kind (a string read as BOOLEAN becomes
 * false, a number read as STRING becomes null, 300 read as INT8 wraps to 44, 1.5 read as INT32
 * truncates to 1), ferry raises a DataError naming the field instead; integral floats such as
 * `1.0` are still accepted for integer types, and "NaN"/"Infinity" strings for float types
 * (Kafka writes them that way but cannot read them back). A NUMERIC decimal whose scale differs
 * from the schema's is rescaled when no digits are lost.
 */
import { DataError } from '../../../connectors/sdk/errors.js';
import { Decimal } from '../../../connectors/sdk/data/decimal.js';
import {
  DATE_LOGICAL_NAME,
  DECIMAL_LOGICAL_NAME,
  DECIMAL_SCALE_PARAMETER,
  TIME_LOGICAL_NAME,
  TIMESTAMP_LOGICAL_NAME,
} from '../../../connectors/sdk/data/logical-names.js';
import { LogicalDate, LogicalDecimal, LogicalTime, LogicalTimestamp } from '../../../connectors/sdk/data/logical-types.js';
import type { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../connectors/sdk/data/schema-builder.js';
import type { SchemaType } from '../../../connectors/sdk/data/schema-type.js';
import { Struct } from '../../../connectors/sdk/data/struct.js';
import { normalizeInt64 } from '../../../connectors/sdk/data/validate-value.js';
import { JsonNumber, nodeType, type JsonObject, type JsonValue } from './json-text.js';

const TYPES_BY_JSON_NAME: Readonly<Record<string, SchemaType>> = {
  boolean: 'BOOLEAN',
  int8: 'INT8',
  int16: 'INT16',
  int32: 'INT32',
  int64: 'INT64',
  float: 'FLOAT32',
  double: 'FLOAT64',
  bytes: 'BYTES',
  string: 'STRING',
  array: 'ARRAY',
  map: 'MAP',
  struct: 'STRUCT',
};

const INT_BOUNDS: Partial<Record<SchemaType, readonly [bigint, bigint]>> = {
  INT8: [-128n, 127n],
  INT16: [-32768n, 32767n],
  INT32: [-2147483648n, 2147483647n],
  INT64: [-(2n ** 63n), 2n ** 63n - 1n],
};
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const NON_FINITE: Readonly<Record<string, number>> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

export interface JsonReadOptions {
  readonly replaceNullWithDefault: boolean;
}

export class JsonDataReader {
  constructor(private readonly options: JsonReadOptions) {}

  /** Kafka's asConnectSchema: null for a JSON null. */
  readSchema(node: JsonValue | undefined): Schema | null {
    if (node === null || node === undefined) return null;
    if (!(node instanceof Map)) throw new DataError(`Schema must be a JSON object, but found ${nodeType(node)}`);
    const typeName = node.get('type');
    if (typeof typeName !== 'string') throw new DataError("Schema must contain 'type' field");
    const type = TYPES_BY_JSON_NAME[typeName];
    if (type === undefined) throw new DataError(`Unknown schema type: ${typeName}`);

    let builder: SchemaBuilder;
    if (type === 'ARRAY') {
      const items = node.get('items');
      if (items === undefined || items === null) throw new DataError('Array schema did not specify the element type');
      builder = SchemaBuilder.array(this.requireSchema(items, 'Array element'));
    } else if (type === 'MAP') {
      const keys = node.get('keys');
      if (keys === undefined) throw new DataError('Map schema did not specify the key type');
      const values = node.get('values');
      if (values === undefined) throw new DataError('Map schema did not specify the value type');
      builder = SchemaBuilder.map(this.requireSchema(keys, 'Map key'), this.requireSchema(values, 'Map value'));
    } else if (type === 'STRUCT') {
      builder = SchemaBuilder.struct();
      const fields = node.get('fields');
      if (!Array.isArray(fields)) throw new DataError('Struct schema\'s "fields" argument is not an array.');
      for (const field of fields) {
        const name = field instanceof Map ? field.get('field') : undefined;
        if (typeof name !== 'string') throw new DataError("Struct schema's field name not specified properly");
        builder.field(name, this.requireSchema(field, `Field "${name}"`));
      }
    } else {
      builder = SchemaBuilder.type(type);
    }

    if (node.get('optional') === true) builder.optional();
    else builder.required();
    const name = node.get('name');
    if (typeof name === 'string') builder.name(name);
    const version = node.get('version');
    if (version instanceof JsonNumber && version.integral) builder.version(Number(BigInt.asIntN(32, BigInt(version.text))));
    const doc = node.get('doc');
    if (typeof doc === 'string') builder.doc(doc);
    const parameters = node.get('parameters');
    if (parameters instanceof Map) {
      for (const [k, v] of parameters) {
        if (typeof v !== 'string') throw new DataError('Schema parameters must have string values.');
        builder.parameter(k, v);
      }
    }
    if (node.has('default')) builder.defaultValue(this.readValue(builder.build(), node.get('default'), ''));
    return builder.build();
  }

  /** Kafka's convertToConnect: the Connect value of `node` under `schema` (null: schemaless). */
  readValue(schema: Schema | null, node: JsonValue | undefined, path: string): unknown {
    if (schema === null) return readSchemaless(node);
    if (node === null || node === undefined) {
      if (schema.defaultValue !== null && this.options.replaceNullWithDefault) return schema.defaultValue;
      if (schema.optional) return null;
      throw new DataError(`Invalid null value for required ${schema.type} ${where(path)}`, { path });
    }
    switch (schema.name) {
      case DECIMAL_LOGICAL_NAME:
        return readDecimal(schema, node, path);
      case DATE_LOGICAL_NAME:
        return LogicalDate.toLogical(schema, readInt(node, 'Date', path));
      case TIME_LOGICAL_NAME:
        return LogicalTime.toLogical(schema, readInt(node, 'Time', path));
      case TIMESTAMP_LOGICAL_NAME:
        if (!(node instanceof JsonNumber && node.integral)) {
          throw new DataError(`Invalid type for Timestamp, underlying representation should be integral but was ${nodeType(node)} ${at(path)}`, { path });
        }
        return LogicalTimestamp.toLogical(schema, BigInt.asIntN(64, BigInt(node.text)));
      default:
        return this.readTyped(schema, node, path);
    }
  }

  private requireSchema(node: JsonValue, what: string): Schema {
    const schema = this.readSchema(node);
    if (schema === null) throw new DataError(`${what} schema cannot be null.`);
    return schema;
  }

  private readTyped(schema: Schema, node: JsonValue, path: string): unknown {
    switch (schema.type) {
      case 'BOOLEAN':
        if (typeof node === 'boolean') return node;
        throw mismatch(schema, 'a JSON boolean', node, path);
      case 'INT8':
      case 'INT16':
      case 'INT32':
        return Number(readInteger(schema, node, path));
      case 'INT64':
        return normalizeInt64(readInteger(schema, node, path));
      case 'FLOAT32':
        return Math.fround(readFloat(schema, node, path));
      case 'FLOAT64':
        return readFloat(schema, node, path);
      case 'STRING':
        if (typeof node === 'string') return node;
        throw mismatch(schema, 'a JSON string', node, path);
      case 'BYTES':
        if (typeof node === 'string') return decodeBase64(node, 'Invalid bytes field', path);
        throw mismatch(schema, 'a base64 JSON string', node, path);
      case 'ARRAY':
        if (Array.isArray(node)) return node.map((element, i) => this.readValue(schema.valueSchema, element, `${path}[${i}]`));
        throw mismatch(schema, 'a JSON array', node, path);
      case 'MAP':
        return this.readMap(schema, node, path);
      case 'STRUCT': {
        if (!(node instanceof Map)) {
          throw new DataError(`Structs should be encoded as JSON objects, but found ${nodeType(node)} ${at(path)}`, { path });
        }
        const struct = new Struct(schema);
        for (const field of schema.fields) {
          const fieldPath = path ? `${path}.${field.name}` : field.name;
          struct.put(field, this.readValue(field.schema, node.get(field.name), fieldPath));
        }
        return struct;
      }
    }
  }

  private readMap(schema: Schema | null, node: JsonValue, path: string): Map<unknown, unknown> {
    const keySchema = schema?.keySchema ?? null;
    const valueSchema = schema?.valueSchema ?? null;
    const result = new Map<unknown, unknown>();
    if (schema === null || keySchema === null || keySchema.type === 'STRING') {
      if (!(node instanceof Map)) {
        throw new DataError(`Maps with string fields should be encoded as JSON objects, but found ${nodeType(node)} ${at(path)}`, { path });
      }
      for (const [k, v] of node as JsonObject) {
        const key = keySchema === null ? k : this.readValue(keySchema, k, `${path}[${JSON.stringify(k)}](key)`);
        result.set(key, this.readValue(valueSchema, v, `${path}[${JSON.stringify(k)}]`));
      }
      return result;
    }
    if (!Array.isArray(node)) {
      throw new DataError(`Maps with non-string fields should be encoded as JSON array of tuples, but found ${nodeType(node)} ${at(path)}`, { path });
    }
    node.forEach((entry, i) => {
      if (!Array.isArray(entry)) {
        throw new DataError(`Found invalid map entry instead of array tuple: ${nodeType(entry)} ${at(`${path}[${i}]`)}`, { path });
      }
      if (entry.length !== 2) {
        throw new DataError(`Found invalid map entry, expected length 2 but found :${entry.length} ${at(`${path}[${i}]`)}`, { path });
      }
      const key = this.readValue(keySchema, entry[0], `${path}[${i}](key)`);
      result.set(key, this.readValue(valueSchema, entry[1], `${path}[${i}]`));
    });
    return result;
  }

}

/**
 * A value without a schema. Nothing here can fail, so no error paths are built. Objects become
 * new Maps (the parsed tree is not handed out).
 */
function readSchemaless(node: JsonValue | undefined): unknown {
  if (node === null || node === undefined) return null;
  if (typeof node === 'boolean' || typeof node === 'string') return node;
  if (node instanceof JsonNumber) return schemalessNumber(node.text, node.integral);
  if (Array.isArray(node)) return node.map(readSchemaless);
  const result = new Map<string, unknown>();
  for (const [k, v] of node) result.set(k, readSchemaless(v));
  return result;
}

/** The longest integer text (sign excluded) whose value is always a safe integer: 10^15 < 2^53. */
const SAFE_INTEGER_DIGITS = 15;

/**
 * A JSON number as Connect data without a schema: an integer as INT64 (see integerValue), any
 * other number as FLOAT64. With parseJsonTextWithNumbers, a document read this way is exactly
 * readValue(null, parseJsonValue(…)).
 */
export function schemalessNumber(text: string, integral: boolean): number | bigint {
  return integral ? integerValue(text) : Number(text);
}

/** An integer's text as INT64 data: a number when safe, else a bigint (normalizeInt64 of its exact value). */
function integerValue(text: string): number | bigint {
  const digits = text.charCodeAt(0) === 0x2d ? text.length - 1 : text.length;
  // `-0` (and `-00`) is the integer 0, not the double -0.
  if (digits <= SAFE_INTEGER_DIGITS) return Number(text) || 0;
  return normalizeInt64(BigInt(text));
}

function where(path: string): string {
  return path ? `field "${path}"` : 'value';
}

function at(path: string): string {
  return path ? `at field "${path}"` : 'at the top level';
}

function mismatch(schema: Schema, expected: string, node: JsonValue, path: string): DataError {
  return new DataError(`Invalid value for ${schema.type} ${where(path)}: expected ${expected}, but found ${nodeType(node)}`, { path });
}

function readInteger(schema: Schema, node: JsonValue, path: string): bigint {
  const [lo, hi] = INT_BOUNDS[schema.type]!;
  if (!(node instanceof JsonNumber)) throw mismatch(schema, 'a JSON number', node, path);
  let value: bigint;
  if (node.integral) {
    value = BigInt(node.text);
  } else {
    const decimal = Decimal.parse(node.text);
    if (!decimal.isInteger()) {
      throw new DataError(`Invalid value for ${schema.type} ${where(path)}: ${node.text} is not an integer`, { path });
    }
    value = decimal.integerDigits > 20 ? hi + 1n : decimal.toBigInt();
  }
  if (value < lo || value > hi) {
    throw new DataError(`Invalid value for ${schema.type} ${where(path)}: ${node.text} is out of range [${lo}, ${hi}]`, { path });
  }
  return value;
}

function readFloat(schema: Schema, node: JsonValue, path: string): number {
  if (node instanceof JsonNumber) return Number(node.text);
  if (typeof node === 'string' && node in NON_FINITE) return NON_FINITE[node];
  throw mismatch(schema, 'a JSON number', node, path);
}

function readInt(node: JsonValue, logical: string, path: string): number {
  if (node instanceof JsonNumber && node.integral) {
    const value = BigInt(node.text);
    if (value >= -2147483648n && value <= 2147483647n) return Number(value);
  }
  throw new DataError(
    `Invalid type for ${logical}, underlying representation should be integer but was ${describeNode(node)} ${at(path)}`,
    { path },
  );
}

function describeNode(node: JsonValue): string {
  return node instanceof JsonNumber ? `NUMBER ${node.text}` : nodeType(node);
}

function readDecimal(schema: Schema, node: JsonValue, path: string): Decimal {
  if (node instanceof JsonNumber) {
    const decimal = Decimal.parse(node.text);
    const scaleText = schema.parameters?.get(DECIMAL_SCALE_PARAMETER);
    if (scaleText === undefined || !/^[+-]?\d+$/.test(scaleText)) return decimal;
    try {
      return decimal.setScale(Number(scaleText));
    } catch {
      return decimal;
    }
  }
  if (typeof node === 'string') {
    const bytes = decodeBase64(node, 'Invalid bytes for Decimal field', path);
    try {
      return LogicalDecimal.toLogical(schema, bytes);
    } catch (err) {
      throw new DataError(`Invalid bytes for Decimal field ${at(path)}: ${(err as Error).message}`, { path, cause: err });
    }
  }
  throw new DataError(
    `Invalid type for Decimal, underlying representation should be numeric or bytes but was ${nodeType(node)} ${at(path)}`,
    { path },
  );
}

function decodeBase64(text: string, problem: string, path: string): Buffer {
  if (!BASE64.test(text)) throw new DataError(`${problem} ${at(path)}: "${text.length > 40 ? `${text.slice(0, 40)}…` : text}" is not valid base64`, { path });
  return Buffer.from(text, 'base64');
}
