/**
 * A Connect value → the datum avsc writes for its Avro schema (AvroData.fromConnectData):
 * INT8/INT16/INT32 → number, INT64 → number or bigint, Decimal → unscaled two's-complement bytes
 * (sign-extended to the size of a `fixed`), Date → days, Time → ms of the day, Timestamp → epoch ms,
 * BYTES → Buffer, string-key MAP → object, other MAP → array of {key, value}, STRUCT → object of
 * fields (a null field with a default takes the default unless `ignore.default.for.nullables`),
 * Union STRUCT → its first non-null field in that branch. A union datum is `{branch: value}`.
 *
 * The Connect and Avro schemas are walked together; a value that does not fit its Connect
 * schema fails with a DataError naming the path.
 */
import { DataError } from '../../errors.js';
import type { Decimal } from '../decimal.js';
import { DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME } from '../logical-names.js';
import { LogicalDate, LogicalDecimal, LogicalTime, LogicalTimestamp } from '../logical-types.js';
import type { Schema } from '../schema.js';
import { Struct } from '../struct.js';
import { describeValue } from '../validate-value.js';
import type { AvroDataSettings } from './avro-data-config.js';
import { KEY_FIELD, VALUE_FIELD } from './avro-names.js';
import { branchName, type AvroSchema } from './avro-schema.js';
import { isUnionStruct } from './connect-to-avro-schema.js';
import { nullableBranch, unionFieldName } from './avro-to-connect-schema.js';

export function connectToAvroValue(schema: Schema, avro: AvroSchema, value: unknown, settings: AvroDataSettings): unknown {
  return toDatum(schema, avro, value, settings, '');
}

function toDatum(schema: Schema, avro: AvroSchema, value: unknown, settings: AvroDataSettings, path: string): unknown {
  if (value === null || value === undefined) {
    if (!schema.optional) throw new DataError(`Found null value for non-optional schema${path ? ` at ${path}` : ''}`, { path });
    return null;
  }
  if (avro.type === 'union') {
    if (isUnionStruct(schema)) return unionDatum(schema, avro, value, settings, path);
    const branch = nullableBranch(avro) ?? (avro.branches.length === 1 ? avro.branches[0]! : null);
    if (branch === null) throw new DataError(`Cannot write ${schema.toString()} to an Avro union of ${avro.branches.length} types`, { path });
    return { [branchName(branch)]: toDatum(schema, branch, value, settings, path) };
  }
  const mismatch = (expected: string): never => {
    throw new DataError(`Invalid value for ${schema.toString()}: expected ${expected}, got ${describeValue(value)}${path ? ` for field ${path}` : ''}`, { path });
  };
  switch (schema.name) {
    case DECIMAL_LOGICAL_NAME: {
      const bytes = LogicalDecimal.fromLogical(schema, value as Decimal);
      return avro.type === 'fixed' ? signExtended(bytes, avro.size, path) : bytes;
    }
    case DATE_LOGICAL_NAME:
      return value instanceof Date ? LogicalDate.fromLogical(schema, value) : mismatch('a Date');
    case TIME_LOGICAL_NAME:
      return value instanceof Date ? LogicalTime.fromLogical(schema, value) : mismatch('a Date');
    case TIMESTAMP_LOGICAL_NAME:
      return value instanceof Date ? LogicalTimestamp.fromLogical(schema, value) : mismatch('a Date');
  }
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
      return Number.isInteger(value) ? value : mismatch('an integer');
    case 'INT64':
      return Number.isInteger(value) || typeof value === 'bigint' ? value : mismatch('an integer');
    case 'FLOAT32':
    case 'FLOAT64':
      return typeof value === 'number' ? value : mismatch('a number');
    case 'BOOLEAN':
      return typeof value === 'boolean' ? value : mismatch('a boolean');
    case 'STRING':
      return typeof value === 'string' ? value : mismatch('a string');
    case 'BYTES':
      if (!(value instanceof Uint8Array)) return mismatch('bytes');
      return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    case 'ARRAY': {
      if (!Array.isArray(value) || avro.type !== 'array') return mismatch('an array');
      const element = schema.valueSchema!;
      return value.map((v, i) => toDatum(element, avro.items, v, settings, `${path}[${i}]`));
    }
    case 'MAP': {
      if (!(value instanceof Map)) return mismatch('a Map');
      if (avro.type === 'map') {
        const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
        for (const [k, v] of value) {
          if (typeof k !== 'string') mismatch('a Map with string keys');
          out[k as string] = toDatum(schema.valueSchema!, avro.values, v, settings, `${path}[${String(k)}]`);
        }
        return out;
      }
      if (avro.type !== 'array' || avro.items.type !== 'record') return mismatch('a Map');
      const entry = avro.items;
      const keyType = entry.fields[0]!.type;
      const valueType = entry.fields[1]!.type;
      return [...value].map(([k, v]) => ({
        [KEY_FIELD]: toDatum(schema.keySchema!, keyType, k, settings, `${path}.key`),
        [VALUE_FIELD]: toDatum(schema.valueSchema!, valueType, v, settings, `${path}[${String(k)}]`),
      }));
    }
    case 'STRUCT': {
      if (!(value instanceof Struct) || avro.type !== 'record') return mismatch('a Struct');
      const out: Record<string, unknown> = {};
      const fields = schema.fields;
      for (let i = 0; i < fields.length; i++) {
        const field = fields[i]!;
        const avroField = avro.fields[i]!;
        const fieldValue = settings.ignoreDefaultForNullables && field.schema.optional ? value.getWithoutDefault(field) : value.get(field);
        out[avroField.name] = toDatum(field.schema, avroField.type, fieldValue, settings, path ? `${path}.${field.name}` : field.name);
      }
      return out;
    }
  }
}

function unionDatum(schema: Schema, avro: AvroSchema & { type: 'union' }, value: unknown, settings: AvroDataSettings, path: string): unknown {
  if (!(value instanceof Struct)) throw new DataError(`Invalid value for ${schema.toString()}: expected a Struct, got ${describeValue(value)}`, { path });
  for (const field of schema.fields) {
    const fieldValue = value.getWithoutDefault(field);
    if (fieldValue === null) continue;
    const branch = avro.branches.find((b) => b.type !== 'null' && unionFieldName(b, settings) === field.name);
    if (branch === undefined) throw new DataError(`No Avro union branch for field ${field.name} of ${schema.toString()}`, { path });
    return { [branchName(branch)]: toDatum(field.schema, branch, fieldValue, settings, path ? `${path}.${field.name}` : field.name) };
  }
  return null;
}

function signExtended(bytes: Buffer, size: number, path: string): Buffer {
  if (bytes.length > size) throw new DataError(`Decimal of ${bytes.length} bytes does not fit Avro fixed of size ${size}`, { path });
  if (bytes.length === size) return bytes;
  const out = Buffer.alloc(size, (bytes[0]! & 0x80) !== 0 ? 0xff : 0x00);
  bytes.copy(out, size - bytes.length);
  return out;
}
