/**
 * The avsc Type that reads and writes Avro binary for an AvroSchema. avsc does the binary work;
 * two choices make it fit Connect data:
 *
 * - `long` is a custom type: Connect INT64 values are numbers within ±(2^53-1) and bigints beyond,
 *   and both are written; values read come back the same way (avsc's own long throws past 2^53).
 * - Unions are wrapped (`wrapUnions`): a non-null branch value is `{<branch name>: value}`, the
 *   branch named as in `branchName` (avro-schema.ts), so the writer picks the branch explicitly.
 *
 * Logical types are not registered with avsc: decimal, date, time and timestamp values travel as
 * their bytes/int/long, converted by the value mapping.
 */
import avro from 'avsc';
import { DataError } from '../../errors.js';
import { normalizeInt64 } from '../validate-value.js';
import { printAvroSchema } from './avro-schema-printer.js';
import { fullName, type AvroSchema } from './avro-schema.js';
import { JsonNumber, type JsonValue } from './json-value.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const LONG = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => normalizeInt64(buf.readBigInt64LE(0)),
  toBuffer: (value: number | bigint) => {
    const buf = Buffer.allocUnsafe(8);
    buf.writeBigInt64LE(BigInt(value));
    return buf;
  },
  fromJSON: (json: unknown) => (typeof json === 'bigint' ? normalizeInt64(json) : Number(json)),
  toJSON: (value: number | bigint) => value,
  isValid: (value: unknown) => (typeof value === 'number' && Number.isSafeInteger(value))
    || (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX),
  compare: (a: number | bigint, b: number | bigint) => (a < b ? -1 : a > b ? 1 : 0),
});

export type AvscType = avro.Type;

/** A new avsc Type for `schema`; throws DataError when avsc refuses the schema (an invalid name, say). */
export function avscTypeOf(schema: AvroSchema): AvscType {
  try {
    return avro.Type.forSchema(avscSchemaOf(schema, new Set()), { wrapUnions: true, registry: { long: LONG } });
  } catch (err) {
    throw new DataError(`Invalid Avro schema ${printAvroSchema(schema)}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * The schema as avsc reads it: primitives as bare names (avsc applies the custom `long` only to
 * those), named types in full once and by full name after, without props; field defaults are kept
 * (integers past 2^53 as bigints) for resolving one schema against another.
 */
function avscSchemaOf(schema: AvroSchema, seen: Set<string>): avro.Schema {
  switch (schema.type) {
    case 'union':
      return schema.branches.map((b) => avscSchemaOf(b, seen)) as avro.Schema;
    case 'array':
      return { type: 'array', items: avscSchemaOf(schema.items, seen) };
    case 'map':
      return { type: 'map', values: avscSchemaOf(schema.values, seen) };
    case 'record':
    case 'enum':
    case 'fixed': {
      // A leading dot names the null namespace absolutely: avsc would put a bare name in the enclosing one.
      const name = schema.namespace === null || schema.namespace === '' ? `.${schema.name}` : fullName(schema);
      if (seen.has(name)) return name;
      seen.add(name);
      if (schema.type === 'enum') return { type: 'enum', name, symbols: [...schema.symbols] };
      if (schema.type === 'fixed') return { type: 'fixed', name, size: schema.size };
      return {
        type: 'record', name,
        fields: schema.fields.map((f) => ({ name: f.name, type: avscSchemaOf(f.type, seen), ...(f.default === undefined ? {} : { default: plainJson(f.default) }) })),
      };
    }
    default:
      return schema.type;
  }
}

/** A default as the plain JS value avsc expects. */
function plainJson(value: JsonValue): unknown {
  if (value instanceof JsonNumber) return value.isInteger() && !Number.isSafeInteger(value.toNumber()) ? value.toBigInt() : value.toNumber();
  if (Array.isArray(value)) return value.map(plainJson);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, plainJson(v)]));
  return value;
}
