/**
 * Checks a value against a schema (Kafka's ConnectSchema.validateValue), throwing a DataError
 * whose message and `path` name the offending field, e.g. `order.lines[2].price`.
 *
 * Accepted JS representations are listed in schema.ts. As in Kafka, a null is accepted only by
 * an optional schema (a default does not make null valid here; Struct.validate allows it), a
 * logical type requires its logical value (a Decimal, a Date) rather than the underlying bytes
 * or number, and a Struct must carry a schema equal to the expected one.
 */
import { DataError } from '../errors.js';
import { Decimal } from './decimal.js';
import { DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME } from './logical-names.js';
import type { Schema } from './schema.js';
import type { SchemaType } from './schema-type.js';
import { Struct } from './struct.js';

const INT_RANGES: Partial<Record<SchemaType, readonly [number, number]>> = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
};
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function validateValue(schema: Schema, value: unknown, path?: string): void {
  if (value === null || value === undefined) {
    if (!schema.optional) {
      throw new DataError(`Invalid value: null used for required ${location(path)}, schema type: ${schema.type}`, { path });
    }
    return;
  }
  const problem = logicalProblem(schema, value) ?? typeProblem(schema, value);
  if (problem !== undefined) {
    const named = schema.name !== null ? ` "${schema.name}"` : '';
    throw new DataError(
      `Invalid value for schema${named} with type ${schema.type}: expected ${problem}, got ${describeValue(value)} for ${location(path)}`,
      { path },
    );
  }
  switch (schema.type) {
    case 'STRUCT': {
      const struct = value as Struct;
      if (!struct.schema.equals(schema)) {
        throw new DataError(
          `Struct schemas do not match for ${location(path)}: expected ${schema.toString()}, got ${struct.schema.toString()}`,
          { path },
        );
      }
      struct.validate(path);
      break;
    }
    case 'ARRAY': {
      const elementSchema = requireSchema(schema.valueSchema, `elements of array ${location(path)}`, path);
      (value as unknown[]).forEach((element, i) => validateValue(elementSchema, element, `${path ?? ''}[${i}]`));
      break;
    }
    case 'MAP': {
      const keySchema = requireSchema(schema.keySchema, `keys of map ${location(path)}`, path);
      const valueSchema = requireSchema(schema.valueSchema, `values of map ${location(path)}`, path);
      for (const [k, v] of value as Map<unknown, unknown>) {
        const entryPath = `${path ?? ''}[${keyLabel(k)}]`;
        validateValue(keySchema, k, `${entryPath}(key)`);
        validateValue(valueSchema, v, entryPath);
      }
      break;
    }
    default:
      break;
  }
}

/** True when `value` is a valid INT64 representation: an integral number or a bigint within range. */
export function isInt64(value: unknown): value is number | bigint {
  if (typeof value === 'bigint') return value >= INT64_MIN && value <= INT64_MAX;
  return typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63;
}

/** The canonical INT64 representation: a number when within ±(2^53-1), otherwise a bigint. */
export function normalizeInt64(value: number | bigint): number | bigint {
  if (typeof value === 'number') return value;
  return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

/** A short human description of a value for error messages: `string "abc"`, `Buffer(3 bytes)`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  if (value instanceof Uint8Array) return `Buffer(${value.length} bytes)`;
  if (Array.isArray(value)) return `array of length ${value.length}`;
  if (value instanceof Map) return `Map of size ${value.size}`;
  if (value instanceof Date) return `Date ${Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()}`;
  if (value instanceof Decimal) return `Decimal ${value.toString()}`;
  if (value instanceof Struct) return `Struct with ${value.schema.toString()}`;
  if (typeof value === 'object') return `object ${value.constructor?.name ?? 'Object'}`;
  return typeof value;
}

function location(path: string | undefined): string {
  return path === undefined || path === '' ? 'value' : `field: "${path}"`;
}

function keyLabel(key: unknown): string {
  return typeof key === 'string' ? JSON.stringify(key) : String(key);
}

function requireSchema(schema: Schema | null, what: string, path: string | undefined): Schema {
  if (schema === null) throw new DataError(`No schema defined for ${what}`, { path });
  return schema;
}

function logicalProblem(schema: Schema, value: unknown): string | undefined {
  switch (schema.name) {
    case DECIMAL_LOGICAL_NAME:
      return value instanceof Decimal ? undefined : 'a Decimal';
    case DATE_LOGICAL_NAME:
    case TIME_LOGICAL_NAME:
    case TIMESTAMP_LOGICAL_NAME:
      return value instanceof Date && !Number.isNaN(value.getTime()) ? undefined : 'a valid Date';
    default:
      return undefined;
  }
}

function typeProblem(schema: Schema, value: unknown): string | undefined {
  if (isLogical(schema)) return undefined;
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32': {
      const [lo, hi] = INT_RANGES[schema.type]!;
      return typeof value === 'number' && Number.isInteger(value) && value >= lo && value <= hi
        ? undefined
        : `an integer from ${lo} to ${hi}`;
    }
    case 'INT64':
      return isInt64(value) ? undefined : 'a 64-bit integer (number or bigint)';
    case 'FLOAT32':
    case 'FLOAT64':
      return typeof value === 'number' ? undefined : 'a number';
    case 'BOOLEAN':
      return typeof value === 'boolean' ? undefined : 'a boolean';
    case 'STRING':
      return typeof value === 'string' ? undefined : 'a string';
    case 'BYTES':
      return value instanceof Uint8Array ? undefined : 'a Buffer';
    case 'ARRAY':
      return Array.isArray(value) ? undefined : 'an array';
    case 'MAP':
      return value instanceof Map ? undefined : 'a Map';
    case 'STRUCT':
      return value instanceof Struct ? undefined : 'a Struct';
  }
}

function isLogical(schema: Schema): boolean {
  return (
    schema.name === DECIMAL_LOGICAL_NAME ||
    schema.name === DATE_LOGICAL_NAME ||
    schema.name === TIME_LOGICAL_NAME ||
    schema.name === TIMESTAMP_LOGICAL_NAME
  );
}
