/**
 * Protobuf message type (protobufjs reflection) → Connect schema, as Confluent's
 * ProtobufData.toConnectSchema maps a descriptor (default settings):
 *
 *   message                  STRUCT named by the message's simple name; the subject version at the top
 *   oneof                    an optional STRUCT field `<oneof>_<i>` (`generate.index.for.unions`) named
 *                            `io.confluent.connect.protobuf.Union.<oneof>`, its members optional; oneofs
 *                            come before the other fields
 *   int32, sint32, sfixed32  INT32 (INT8 / INT16 when the field meta says connect.type int8 / int16)
 *   uint32, fixed32, int64, uint64, sint64, fixed64, sfixed64   INT64
 *                            (types other than int32 / int64 kept in `io.confluent.connect.protobuf.Type`)
 *   float, double, bool, string, bytes   FLOAT32, FLOAT64, BOOLEAN, STRING, BYTES
 *   enum                     STRING (INT32 with int.for.enums) named by the enum, with
 *                            `io.confluent.connect.protobuf.Enum` parameters symbol → number
 *   confluent.type.Decimal, google.type.Date, google.type.TimeOfDay, google.protobuf.Timestamp
 *                            Decimal (scale, precision from the field meta), Date, Time, Timestamp
 *   google.protobuf.*Value   with wrapper.for.nullables the optional primitive, otherwise a STRUCT
 *   map<K,V> / repeated XEntry {key = 1; value = 2}   MAP named after the entry (TagsEntry → tags)
 *   repeated                 an optional ARRAY of optional elements
 * Every field is optional (proto3 has no required fields; with wrapper.for.nullables plain scalars
 * stay required, with optional.for.nullables only `optional` fields, messages and enums are optional)
 * and carries its number in `io.confluent.connect.protobuf.Tag`.
 */
import protobuf from 'protobufjs';
import { DataError } from '../../../../connectors/sdk/errors.js';
import { LogicalDate, LogicalDecimal, LogicalTime, LogicalTimestamp } from '../../../../connectors/sdk/data/logical-types.js';
import type { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { CONNECT_PRECISION, CONNECT_TYPE, FIELD_META_OPTION, PROTOBUF_ENUM, PROTOBUF_TAG, PROTOBUF_TYPE, PROTOBUF_UNION_PREFIX } from './connect-to-proto.js';
import type { ProtobufDataSettings } from './protobuf-data-config.js';

const INT32_TYPES = new Set(['int32', 'sint32', 'sfixed32']);
const INT64_TYPES = new Set(['uint32', 'fixed32', 'int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const WRAPPERS: Readonly<Record<string, () => SchemaBuilder>> = {
  'google.protobuf.DoubleValue': () => SchemaBuilder.float64(),
  'google.protobuf.FloatValue': () => SchemaBuilder.float32(),
  'google.protobuf.Int64Value': () => SchemaBuilder.int64(),
  'google.protobuf.UInt64Value': () => SchemaBuilder.int64(),
  'google.protobuf.Int32Value': () => SchemaBuilder.int32(),
  'google.protobuf.UInt32Value': () => SchemaBuilder.int64(),
  'google.protobuf.BoolValue': () => SchemaBuilder.bool(),
  'google.protobuf.StringValue': () => SchemaBuilder.string(),
  'google.protobuf.BytesValue': () => SchemaBuilder.bytes(),
};

/** protobufjs full names start with a dot. */
export function fullNameOf(type: protobuf.ReflectionObject): string {
  return type.fullName.replace(/^\./, '');
}

/** The params of a field's `(confluent.field_meta)` option. */
export function fieldMetaParams(field: protobuf.Field): Map<string, string> {
  const params = new Map<string, string>();
  for (const option of (field.parsedOptions ?? []) as Array<Record<string, unknown>>) {
    const meta = option[FIELD_META_OPTION] as { params?: Array<{ key?: string; value?: string }> | { key?: string; value?: string } } | undefined;
    const list = meta?.params === undefined ? [] : Array.isArray(meta.params) ? meta.params : [meta.params];
    for (const p of list) if (typeof p.key === 'string' && typeof p.value === 'string') params.set(p.key, p.value);
  }
  return params;
}

/** The real (not proto3-`optional` synthetic) oneofs of a message. */
export function realOneofs(type: protobuf.Type): protobuf.OneOf[] {
  return type.oneofsArray.filter((o) => !(o.fieldsArray.length === 1 && o.fieldsArray[0]!.options?.['proto3_optional'] === true));
}

/** Whether a field is a map: protobufjs's map<K,V>, or Confluent's repeated XEntry {key = 1; value = 2}. */
export function isMapField(field: protobuf.Field): boolean {
  if (field instanceof protobuf.MapField) return true;
  const entry = field.resolvedType;
  if (!field.repeated || !(entry instanceof protobuf.Type) || !entry.name.endsWith('Entry')) return false;
  const [key, value] = entry.fieldsArray;
  return entry.fieldsArray.length === 2 && key!.name === 'key' && value!.name === 'value' && !key!.repeated && !value!.repeated;
}

/** The name of a oneof's STRUCT field. */
export function unionFieldName(type: protobuf.Type, oneof: protobuf.OneOf, settings: ProtobufDataSettings): string {
  return settings.generateIndexForUnions ? `${oneof.name}_${type.oneofsArray.indexOf(oneof)}` : oneof.name;
}

export function protoToConnect(type: protobuf.Type, version: number | null, settings: ProtobufDataSettings): Schema {
  const wrapper = WRAPPERS[fullNameOf(type)];
  const builder = wrapper !== undefined ? wrapper() : new Reader(settings).struct(type, new Set());
  if (version !== null) builder.version(version);
  return builder.build();
}

class Reader {
  constructor(private readonly settings: ProtobufDataSettings) {}

  struct(type: protobuf.Type, seen: Set<string>): SchemaBuilder {
    const name = fullNameOf(type);
    if (seen.has(name)) throw new DataError(`Recursive Protobuf message ${name} is not supported by ferry's ProtobufConverter`);
    const inside = new Set(seen).add(name);
    const builder = SchemaBuilder.struct().name(type.name);
    const oneofs = realOneofs(type);
    for (const oneof of oneofs) {
      const union = SchemaBuilder.struct().name(`${PROTOBUF_UNION_PREFIX}${oneof.name}`).optional();
      for (const member of oneof.fieldsArray) union.field(member.name, this.field(member, true, inside));
      builder.field(unionFieldName(type, oneof, this.settings), union.build());
    }
    for (const field of type.fieldsArray) {
      if (field.partOf !== null && oneofs.includes(field.partOf)) continue;
      builder.field(field.name, this.field(field, false, inside));
    }
    return builder;
  }

  private field(field: protobuf.Field, oneOfMember: boolean, seen: Set<string>): Schema {
    field.resolve();
    let builder: SchemaBuilder;
    const resolved = field.resolvedType;
    if (isMapField(field)) {
      builder = this.map(field, seen);
    } else if (resolved instanceof protobuf.Enum) {
      builder = (this.settings.intForEnums ? SchemaBuilder.int32() : SchemaBuilder.string()).name(resolved.name).parameter(PROTOBUF_ENUM, resolved.name);
      for (const [symbol, number] of Object.entries(resolved.values)) builder.parameter(`${PROTOBUF_ENUM}.${symbol}`, String(number));
      builder.optional();
    } else if (resolved instanceof protobuf.Type) {
      builder = this.message(field, resolved, seen).optional();
    } else {
      builder = this.scalar(field);
    }
    if (field.repeated && builder.build().type !== 'MAP') builder = SchemaBuilder.array(builder.optional().build()).optional();
    if (oneOfMember) builder.optional();
    else if (this.settings.optionalForNullables) {
      if (field.options?.['proto3_optional'] === true) builder.optional();
    } else if (!this.settings.wrapperForNullables) builder.optional();
    return builder.parameter(PROTOBUF_TAG, String(field.id)).build();
  }

  private message(field: protobuf.Field, type: protobuf.Type, seen: Set<string>): SchemaBuilder {
    switch (fullNameOf(type)) {
      case 'confluent.type.Decimal': {
        const params = fieldMetaParams(field);
        const builder = LogicalDecimal.builder(Number.parseInt(params.get('scale') ?? '0', 10));
        const precision = params.get('precision');
        return precision === undefined ? builder : builder.parameter(CONNECT_PRECISION, precision);
      }
      case 'google.type.Date':
        return LogicalDate.builder();
      case 'google.type.TimeOfDay':
        return LogicalTime.builder();
      case 'google.protobuf.Timestamp':
        return LogicalTimestamp.builder();
      default: {
        const wrapper = this.settings.wrapperForNullables ? WRAPPERS[fullNameOf(type)] : undefined;
        return wrapper !== undefined ? wrapper() : this.struct(type, seen);
      }
    }
  }

  private map(field: protobuf.Field, seen: Set<string>): SchemaBuilder {
    if (field instanceof protobuf.MapField) {
      const key = new protobuf.Field('key', 1, field.keyType);
      const value = new protobuf.Field('value', 2, field.type);
      value.parent = field.parent;
      return SchemaBuilder.map(this.field(key, false, seen), this.field(value, false, seen)).name(field.name);
    }
    const entry = field.resolvedType as protobuf.Type;
    const [key, value] = entry.fieldsArray;
    return SchemaBuilder.map(this.field(key!, false, seen), this.field(value!, false, seen)).name(mapFieldName(entry.name));
  }

  private scalar(field: protobuf.Field): SchemaBuilder {
    const type = field.type;
    if (INT32_TYPES.has(type)) {
      const connectType = fieldMetaParams(field).get(CONNECT_TYPE);
      if (connectType === 'int8') return SchemaBuilder.int8();
      if (connectType === 'int16') return SchemaBuilder.int16();
      return type === 'int32' ? SchemaBuilder.int32() : SchemaBuilder.int32().parameter(PROTOBUF_TYPE, type);
    }
    if (INT64_TYPES.has(type)) return type === 'int64' ? SchemaBuilder.int64() : SchemaBuilder.int64().parameter(PROTOBUF_TYPE, type);
    switch (type) {
      case 'float':
        return SchemaBuilder.float32();
      case 'double':
        return SchemaBuilder.float64();
      case 'bool':
        return SchemaBuilder.bool();
      case 'string':
        return SchemaBuilder.string();
      case 'bytes':
        return SchemaBuilder.bytes();
      default:
        throw new DataError(`Unsupported Protobuf field type ${type} of field ${field.name}`);
    }
  }
}

/** Confluent's toMapField: `TagsEntry` → `tags`, `ConnectDefault1Entry` → `connect_default1`. */
function mapFieldName(entryName: string): string {
  const base = entryName.endsWith('Entry') ? entryName.slice(0, -'Entry'.length) : entryName;
  return base.replace(/([A-Z])/g, (c, _m, at: number) => (at === 0 ? c.toLowerCase() : `_${c.toLowerCase()}`));
}
