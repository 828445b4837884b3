/**
 * Connect values ↔ Protobuf messages (protobufjs), as Confluent's ProtobufData.fromConnectData /
 * toConnectData convert them.
 *
 *   INT8..INT32, FLOAT32/64, BOOLEAN, STRING, BYTES   the scalar (INT64 exactly, through a string)
 *   Decimal      confluent.type.Decimal {value: unscaled big-endian two's complement, precision, scale}
 *   Date         google.type.Date {year, month, day};  Time  google.type.TimeOfDay {hours, minutes,
 *                seconds, nanos};  Timestamp  google.protobuf.Timestamp {seconds, nanos}
 *   enum         the symbol (or its number with int.for.enums)
 *   ARRAY / MAP  repeated values / repeated {key, value} entries
 *   STRUCT       the nested message; a Union struct sets the one oneof member that is not null
 *   wrappers     google.protobuf.*Value {value}
 * A null is left unset (a struct field's null takes its default first, unless
 * ignore.default.for.nullables), so proto3 reads it back as the zero value: unset scalars read as
 * 0 / "" / false / the first enum symbol, unset messages as null, as in Java.
 */
import protobuf from 'protobufjs';
import { DataError } from '../../../../connectors/sdk/errors.js';
import { Decimal } from '../../../../connectors/sdk/data/decimal.js';
import { DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME } from '../../../../connectors/sdk/data/logical-names.js';
import { LogicalDate, LogicalTime, LogicalTimestamp } from '../../../../connectors/sdk/data/logical-types.js';
import type { Schema } from '../../../../connectors/sdk/data/schema.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';
import { normalizeInt64 } from '../../../../connectors/sdk/data/validate-value.js';
import { PROTOBUF_UNION_PREFIX } from './connect-to-proto.js';
import { fullNameOf } from './proto-to-connect.js';

type Plain = Record<string, unknown>;

const MILLIS_PER_DAY = 86_400_000;

/** The plain object protobufjs's `fromObject` turns into a message of `type`. */
export function structToProto(struct: Struct, type: protobuf.Type, ignoreDefaultForNullables: boolean): Plain {
  const out: Plain = {};
  for (const field of struct.schema.fields) {
    const value = ignoreDefaultForNullables ? struct.getWithoutDefault(field.name) : struct.get(field.name);
    if (value === null || value === undefined) continue;
    if (field.schema.type === 'STRUCT' && field.schema.name?.startsWith(PROTOBUF_UNION_PREFIX)) {
      const union = value as Struct;
      const member = union.schema.fields.find((f) => union.get(f.name) !== null);
      if (member !== undefined) out[member.name] = valueToProto(member.schema, union.get(member.name), protoField(type, member.name), ignoreDefaultForNullables);
      continue;
    }
    out[field.name] = valueToProto(field.schema, value, protoField(type, field.name), ignoreDefaultForNullables);
  }
  return out;
}

function protoField(type: protobuf.Type, name: string): protobuf.Field {
  const field = type.fields[name];
  if (field === undefined) throw new DataError(`Protobuf message ${fullNameOf(type)} has no field ${name}`);
  field.resolve();
  return field;
}

function valueToProto(schema: Schema, value: unknown, field: protobuf.Field, ignoreDefault: boolean): unknown {
  if (schema.type === 'ARRAY') return (value as unknown[]).filter((v) => v !== null).map((v) => single(schema.valueSchema!, v, field, ignoreDefault));
  if (schema.type === 'MAP') {
    const entries = [...(value as Map<unknown, unknown>)];
    if (field instanceof protobuf.MapField) {
      return Object.fromEntries(entries.map(([k, v]) => [String(k), single(schema.valueSchema!, v, field, ignoreDefault)]));
    }
    const entry = field.resolvedType as protobuf.Type;
    return entries.map(([k, v]) => ({
      key: single(schema.keySchema!, k, protoField(entry, 'key'), ignoreDefault),
      value: v === null ? undefined : single(schema.valueSchema!, v, protoField(entry, 'value'), ignoreDefault),
    }));
  }
  return single(schema, value, field, ignoreDefault);
}

/** One (non-repeated) value of `field`. */
function single(schema: Schema, value: unknown, field: protobuf.Field, ignoreDefault: boolean): unknown {
  const resolved = field.resolvedType;
  const logical = logicalToProto(schema, value);
  if (logical !== undefined) return logical;
  if (resolved instanceof protobuf.Type && schema.type !== 'STRUCT') return { value: scalar(schema, value) };
  if (schema.type === 'STRUCT') return structToProto(value as Struct, resolved as protobuf.Type, ignoreDefault);
  return scalar(schema, value);
}

function scalar(schema: Schema, value: unknown): unknown {
  if (schema.type === 'INT64') return String(value);
  return value;
}

function logicalToProto(schema: Schema, value: unknown): Plain | undefined {
  switch (schema.name) {
    case DECIMAL_LOGICAL_NAME: {
      const decimal = value as Decimal;
      return { value: decimal.toBytes(), precision: decimal.precision, scale: decimal.scale };
    }
    case DATE_LOGICAL_NAME: {
      const date = new Date(LogicalDate.fromLogical(schema, value as Date) * MILLIS_PER_DAY);
      return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
    }
    case TIME_LOGICAL_NAME: {
      const ms = LogicalTime.fromLogical(schema, value as Date);
      return { hours: Math.floor(ms / 3_600_000), minutes: Math.floor(ms / 60_000) % 60, seconds: Math.floor(ms / 1000) % 60, nanos: (ms % 1000) * 1_000_000 };
    }
    case TIMESTAMP_LOGICAL_NAME: {
      const ms = LogicalTimestamp.fromLogical(schema, value as Date);
      const seconds = Math.floor(ms / 1000);
      return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
    }
    default:
      return undefined;
  }
}

const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: String, defaults: true, arrays: true, objects: true, oneofs: true };

/** The Connect STRUCT of a decoded message. */
export function protoToStruct(schema: Schema, message: protobuf.Message, type: protobuf.Type): Struct {
  return objectToStruct(schema, type.toObject(message, TO_OBJECT), type);
}

function objectToStruct(schema: Schema, object: Plain, type: protobuf.Type): Struct {
  const struct = new Struct(schema);
  for (const field of schema.fields) {
    if (field.schema.type === 'STRUCT' && field.schema.name?.startsWith(PROTOBUF_UNION_PREFIX)) {
      const union = new Struct(field.schema);
      const set = union.schema.fields.find((f) => object[f.name] !== undefined && object[f.name] !== null && isSetMember(type, f.name, object));
      if (set === undefined) continue;
      union.put(set.name, fromProto(set.schema, object[set.name], protoField(type, set.name)));
      struct.put(field, union);
      continue;
    }
    struct.put(field, fromProto(field.schema, object[field.name], protoField(type, field.name)));
  }
  return struct;
}

/** Whether `name` is the member its oneof says is set (toObject with `oneofs` names it). */
function isSetMember(type: protobuf.Type, name: string, object: Plain): boolean {
  const oneof = type.fields[name]?.partOf;
  return oneof === null || oneof === undefined || object[oneof.name] === name;
}

function fromProto(schema: Schema, value: unknown, field: protobuf.Field): unknown {
  if (value === null || value === undefined) return schema.optional ? null : schema.defaultValue;
  if (schema.type === 'ARRAY') return (value as unknown[]).map((v) => fromSingle(schema.valueSchema!, v, field));
  if (schema.type === 'MAP') {
    if (field instanceof protobuf.MapField) {
      const keySchema = schema.keySchema!;
      return new Map(Object.entries(value as Plain).map(([k, v]) => [mapKey(keySchema, k), fromSingle(schema.valueSchema!, v, field)]));
    }
    const entry = field.resolvedType as protobuf.Type;
    return new Map((value as Plain[]).map((e) => [
      fromProto(schema.keySchema!, e['key'], protoField(entry, 'key')),
      fromProto(schema.valueSchema!, e['value'], protoField(entry, 'value')),
    ]));
  }
  return fromSingle(schema, value, field);
}

function mapKey(schema: Schema, key: string): unknown {
  switch (schema.type) {
    case 'STRING':
      return key;
    case 'BOOLEAN':
      return key === 'true';
    case 'INT64':
      return normalizeInt64(BigInt(key));
    default:
      return Number(key);
  }
}

function fromSingle(schema: Schema, value: unknown, field: protobuf.Field): unknown {
  if (value === null || value === undefined) return null;
  const plain = value as Plain;
  switch (schema.name) {
    case DECIMAL_LOGICAL_NAME:
      return Decimal.fromBytes(plain['value'] as Uint8Array, Number(plain['scale'] ?? 0));
    case DATE_LOGICAL_NAME:
      return LogicalDate.toLogical(schema, Date.UTC(Number(plain['year']), Number(plain['month']) - 1, Number(plain['day'])) / MILLIS_PER_DAY);
    case TIME_LOGICAL_NAME:
      return LogicalTime.toLogical(schema, ((Number(plain['hours']) * 60 + Number(plain['minutes'])) * 60 + Number(plain['seconds'])) * 1000 + Math.floor(Number(plain['nanos']) / 1_000_000));
    case TIMESTAMP_LOGICAL_NAME:
      return LogicalTimestamp.toLogical(schema, BigInt(String(plain['seconds'])) * 1000n + BigInt(Math.floor(Number(plain['nanos']) / 1_000_000)));
    default:
      break;
  }
  const resolved = field instanceof protobuf.MapField ? null : field.resolvedType;
  if (schema.type === 'STRUCT') return objectToStruct(schema, plain, resolved as protobuf.Type);
  if (resolved instanceof protobuf.Type) return connectScalar(schema, plain['value']);
  if (resolved instanceof protobuf.Enum && schema.type === 'INT32') return typeof value === 'string' ? resolved.values[value] : value;
  return connectScalar(schema, value);
}

function connectScalar(schema: Schema, value: unknown): unknown {
  switch (schema.type) {
    case 'INT64':
      return normalizeInt64(BigInt(String(value ?? 0)));
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'FLOAT32':
    case 'FLOAT64':
      return Number(value ?? 0);
    case 'BYTES':
      return Buffer.from((value ?? new Uint8Array()) as Uint8Array);
    default:
      return value;
  }
}
