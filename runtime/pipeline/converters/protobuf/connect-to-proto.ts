/**
 * Connect schema → the proto3 file Confluent's ProtobufConverter registers for it
 * (ProtobufData.fromConnectSchema), printed as Confluent's canonical text by the registry's printer
 * (registry/schemas/protobuf-schema-text.ts) so that ids and lookups are shared with Java clients.
 *
 * The root is a STRUCT — message named after the last segment of the Connect name, `package` the
 * rest; unnamed schemas are `ConnectDefault1`, `ConnectDefault2`… (one counter per conversion, in the
 * order names are asked for) — or a primitive, written as its google.protobuf wrapper message (the
 * registered text is then wrappers.proto itself). Fields are numbered 1, 2, 3… in order, unless their schema carries the
 * parameter `io.confluent.connect.protobuf.Tag`.
 *
 *   INT8 / INT16        int32 with field option (confluent.field_meta) params connect.type = int8/int16
 *   INT32 / INT64       int32 / int64, or the type in `io.confluent.connect.protobuf.Type` (sint32, …)
 *   FLOAT32 / FLOAT64   float / double;  BOOLEAN bool;  STRING string;  BYTES bytes
 *   STRING or INT32 with `io.confluent.connect.protobuf.Enum`   a nested enum of the named symbols
 *   ARRAY               repeated (arrays of arrays are refused, as Confluent does)
 *   MAP                 repeated <Name>Entry, a nested message {key = 1; value = 2} (not map<>)
 *   STRUCT              a nested message (named after the Connect name; `…Message` when it equals
 *                       the field name); `io.confluent.connect.protobuf.Union.<name>` a oneof
 *   Decimal             confluent.type.Decimal, with params scale / precision in the field meta
 *   Date / Time / Timestamp   google.type.Date / google.type.TimeOfDay / google.protobuf.Timestamp
 *   optional            a plain field (null reads back as the zero value), or with
 *                       wrapper.for.nullables the google.protobuf.*Value wrapper, or with
 *                       optional.for.nullables a proto3 `optional` field
 * Imports follow the order types are first used. The meta option is printed without importing
 * confluent/meta.proto, as Confluent's converter does.
 */
import { DataError } from '../../../../connectors/sdk/errors.js';
import { DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME } from '../../../../connectors/sdk/data/logical-names.js';
import { scrubName } from '../../../../connectors/sdk/data/avro/scrub-name.js';
import type { Schema } from '../../../../connectors/sdk/data/schema.js';
import type { ProtoEnum, ProtoField, ProtoFile, ProtoMessage, ProtoOneOf, ProtoOption, ProtoOptionValue, ProtoType } from '../../../../registry/schemas/protobuf-schema-model.js';
import { protoFileText } from '../../../../registry/schemas/protobuf-schema-text.js';
import { hashMapOrder } from '../json-schema/java-hash-map-order.js';
import type { ProtobufDataSettings } from './protobuf-data-config.js';

export const PROTOBUF_NAMESPACE = 'io.confluent.connect.protobuf';
export const PROTOBUF_ENUM = `${PROTOBUF_NAMESPACE}.Enum`;
export const PROTOBUF_UNION_PREFIX = `${PROTOBUF_NAMESPACE}.Union.`;
export const PROTOBUF_TAG = `${PROTOBUF_NAMESPACE}.Tag`;
export const PROTOBUF_TYPE = `${PROTOBUF_NAMESPACE}.Type`;
export const CONNECT_TYPE = 'connect.type';
export const CONNECT_PRECISION = 'connect.decimal.precision';
export const FIELD_META_OPTION = '(confluent.field_meta)';
export const DEFAULT_MESSAGE_NAME = 'ConnectDefault';

/** Well-known message types and the file that declares each. */
export const KNOWN_TYPE_FILES: Readonly<Record<string, string>> = {
  'confluent.type.Decimal': 'confluent/type/decimal.proto',
  'google.type.Date': 'google/type/date.proto',
  'google.type.TimeOfDay': 'google/type/timeofday.proto',
  'google.protobuf.Timestamp': 'google/protobuf/timestamp.proto',
  'google.protobuf.DoubleValue': 'google/protobuf/wrappers.proto',
  'google.protobuf.FloatValue': 'google/protobuf/wrappers.proto',
  'google.protobuf.Int64Value': 'google/protobuf/wrappers.proto',
  'google.protobuf.UInt64Value': 'google/protobuf/wrappers.proto',
  'google.protobuf.Int32Value': 'google/protobuf/wrappers.proto',
  'google.protobuf.UInt32Value': 'google/protobuf/wrappers.proto',
  'google.protobuf.BoolValue': 'google/protobuf/wrappers.proto',
  'google.protobuf.StringValue': 'google/protobuf/wrappers.proto',
  'google.protobuf.BytesValue': 'google/protobuf/wrappers.proto',
};

const LOGICAL_TYPES: Readonly<Record<string, string>> = {
  [DECIMAL_LOGICAL_NAME]: 'confluent.type.Decimal',
  [DATE_LOGICAL_NAME]: 'google.type.Date',
  [TIME_LOGICAL_NAME]: 'google.type.TimeOfDay',
  [TIMESTAMP_LOGICAL_NAME]: 'google.protobuf.Timestamp',
};

/** A generated file: its canonical text and where the root message sits. */
export interface GeneratedProto {
  readonly text: string;
  /** `package.Message`, the name RecordNameStrategy uses. */
  readonly fullName: string;
  /** The root message's index path. */
  readonly indexes: readonly number[];
}

/** The messages of google/protobuf/wrappers.proto, in declaration order (their message indexes), with their value type. */
const WRAPPER_MESSAGES: ReadonlyArray<readonly [string, string]> = [
  ['DoubleValue', 'double'], ['FloatValue', 'float'], ['Int64Value', 'int64'], ['UInt64Value', 'uint64'], ['Int32Value', 'int32'],
  ['UInt32Value', 'uint32'], ['BoolValue', 'bool'], ['StringValue', 'string'], ['BytesValue', 'bytes'],
];

const ROOT_WRAPPERS: Partial<Record<string, string>> = {
  INT8: 'Int32Value', INT16: 'Int32Value', INT32: 'Int32Value', INT64: 'Int64Value', FLOAT32: 'FloatValue', FLOAT64: 'DoubleValue',
  BOOLEAN: 'BoolValue', STRING: 'StringValue', BYTES: 'BytesValue',
};

/**
 * A primitive root is written as its google.protobuf wrapper message, and Confluent's converter then
 * registers the whole wrappers.proto file as protobuf-java describes it (its file options in
 * Confluent's print order, no comments).
 */
function wrapperRoot(schema: Schema): GeneratedProto {
  const wrapper = ROOT_WRAPPERS[schema.type];
  if (wrapper === undefined || (schema.name !== null && LOGICAL_TYPES[schema.name] !== undefined)) {
    throw new DataError(`ferry's ProtobufConverter writes a STRUCT or a primitive at the root, got ${schema.name ?? schema.type}`);
  }
  const option = (name: string, value: ProtoOptionValue): ProtoOption => ({ name, value });
  const str = (value: string): ProtoOptionValue => ({ kind: 'string', value });
  const file: ProtoFile = {
    syntax: 'proto3',
    packageName: 'google.protobuf',
    imports: [],
    publicImports: [],
    options: [
      option('java_package', str('com.google.protobuf')),
      option('java_outer_classname', str('WrappersProto')),
      option('java_multiple_files', { kind: 'boolean', text: 'true' }),
      option('go_package', str('google.golang.org/protobuf/types/known/wrapperspb')),
      option('cc_enable_arenas', { kind: 'boolean', text: 'true' }),
      option('objc_class_prefix', str('GPB')),
      option('csharp_namespace', str('Google.Protobuf.WellKnownTypes')),
    ],
    types: WRAPPER_MESSAGES.map(([name, type]) => ({
      kind: 'message', name, reserveds: [], options: [], oneOfs: [], extensions: [], extends: [], nestedTypes: [],
      fields: [{ label: undefined, type, name: 'value', tag: 1, options: [], defaultValue: undefined, jsonName: undefined }],
    })),
    extends: [],
    services: [],
  };
  return { text: protoFileText(file), fullName: `google.protobuf.${wrapper}`, indexes: [WRAPPER_MESSAGES.findIndex(([name]) => name === wrapper)] };
}

interface MutableMessage {
  name: string;
  fields: ProtoField[];
  oneOfs: ProtoOneOf[];
  nested: ProtoType[];
  nestedNames: Set<string>;
  /** The number of the next field without an explicit tag. */
  nextTag: number;
}

/** The .proto file of a Connect STRUCT schema. */
export function connectToProto(schema: Schema, settings: ProtobufDataSettings): GeneratedProto {
  if (schema.type !== 'STRUCT') return wrapperRoot(schema);
  return new Generator(settings).file(schema);
}

class Generator {
  private nameIndex = 0;
  private readonly imports: string[] = [];

  constructor(private readonly settings: ProtobufDataSettings) {}

  file(schema: Schema): GeneratedProto {
    const fullName = this.nameOrDefault(schema.name);
    const parts = fullName.split('.').map((p) => this.scrub(p));
    const name = parts.pop()!;
    const packageName = parts.length > 0 ? parts.join('.') : undefined;
    const message = this.message(name, schema);
    const file: ProtoFile = {
      syntax: 'proto3', packageName, imports: this.imports, publicImports: [], options: [], types: [message], extends: [], services: [],
    };
    return { text: protoFileText(file), fullName: packageName === undefined ? name : `${packageName}.${name}`, indexes: [0] };
  }

  private message(name: string, struct: Schema): ProtoMessage {
    const message: MutableMessage = { name, fields: [], oneOfs: [], nested: [], nestedNames: new Set(), nextTag: 1 };
    for (const field of struct.fields) {
      const tag = tagOf(field.schema) ?? message.nextTag++;
      const built = this.field(message, field.schema, this.scrub(field.name), tag, false);
      if (built !== null) message.fields.push(built);
    }
    return { kind: 'message', name, reserveds: [], options: [], fields: message.fields, oneOfs: message.oneOfs, extensions: [], extends: [], nestedTypes: message.nested };
  }

  private oneOf(parent: MutableMessage, union: Schema, name: string): void {
    const fields: ProtoField[] = [];
    for (const member of union.fields) {
      // Confluent numbers a member without a tag 0, which no parser accepts: ferry takes the next free number.
      const built = this.field(parent, member.schema, this.scrub(member.name), tagOf(member.schema) ?? parent.nextTag++, true);
      if (built !== null) fields.push(built);
    }
    parent.oneOfs.push({ name, options: [], fields });
  }

  /** A field of `parent` (adding the nested types it needs); null for a union, which becomes a oneof. */
  private field(parent: MutableMessage, fieldSchema: Schema, name: string, tag: number, oneOfMember: boolean): ProtoField | null {
    const repeated = fieldSchema.type === 'ARRAY' || fieldSchema.type === 'MAP';
    // optional.for.nullables: proto3 `optional` (presence), except in a oneof, where the label is not printed.
    const label = repeated ? 'repeated' : this.settings.optionalForNullables && fieldSchema.optional && !oneOfMember ? 'optional' : undefined;
    const schema = fieldSchema.type === 'ARRAY' ? fieldSchema.valueSchema! : fieldSchema;
    const params = new Map<string, string>();
    const type = this.dataType(schema, name, params, oneOfMember);
    if (schema.type === 'STRUCT') {
      if (schema.name?.startsWith(PROTOBUF_UNION_PREFIX)) {
        this.oneOf(parent, schema, this.unqualified(schema.name.slice(PROTOBUF_UNION_PREFIX.length)));
        return null;
      }
      if (!parent.nestedNames.has(type)) {
        parent.nestedNames.add(type);
        parent.nested.push(this.message(type, schema));
      }
    } else if (schema.type === 'MAP') {
      parent.nested.push(this.mapEntry(type, schema));
    } else if (schema.parameters?.has(PROTOBUF_ENUM)) {
      const enumName = this.unqualified(schema.name);
      if (!parent.nested.some((t) => t.kind === 'enum' && t.name === enumName)) parent.nested.push(enumOf(enumName, schema));
    } else {
      const file = KNOWN_TYPE_FILES[type];
      if (file !== undefined && !this.imports.includes(file)) this.imports.push(file);
    }
    const options: ProtoOption[] = params.size > 0 ? [fieldMetaOption(params)] : [];
    return { label, type, name, tag, options, defaultValue: undefined, jsonName: undefined };
  }

  private mapEntry(name: string, map: Schema): ProtoMessage {
    const entry: MutableMessage = { name, fields: [], oneOfs: [], nested: [], nestedNames: new Set(), nextTag: 3 };
    entry.fields.push(this.field(entry, map.keySchema!, 'key', 1, false)!, this.field(entry, map.valueSchema!, 'value', 2, false)!);
    return { kind: 'message', name, reserveds: [], options: [], fields: entry.fields, oneOfs: entry.oneOfs, extensions: [], extends: [], nestedTypes: entry.nested };
  }

  private dataType(schema: Schema, fieldName: string, params: Map<string, string>, oneOfMember: boolean): string {
    const logical = schema.name === null ? undefined : LOGICAL_TYPES[schema.name];
    if (logical !== undefined) {
      if (schema.name === DECIMAL_LOGICAL_NAME) {
        const precision = schema.parameters?.get(CONNECT_PRECISION);
        if (precision !== undefined) params.set('precision', precision);
        const scale = schema.parameters?.get('scale');
        if (scale !== undefined) params.set('scale', scale);
      }
      return logical;
    }
    const wrapped = (wrapper: string, plain: string) => (this.settings.wrapperForNullables && schema.optional && !oneOfMember ? wrapper : plain);
    const declared = schema.parameters?.get(PROTOBUF_TYPE);
    const enumName = schema.parameters?.get(PROTOBUF_ENUM);
    switch (schema.type) {
      case 'INT8':
      case 'INT16':
        params.set(CONNECT_TYPE, schema.type.toLowerCase());
        return wrapped('google.protobuf.Int32Value', 'int32');
      case 'INT32':
        return enumName ?? wrapped('google.protobuf.Int32Value', declared ?? 'int32');
      case 'INT64': {
        const type = declared ?? 'int64';
        const wrapper = type === 'uint32' || type === 'fixed32' ? 'google.protobuf.UInt32Value'
          : type === 'uint64' || type === 'fixed64' ? 'google.protobuf.UInt64Value' : 'google.protobuf.Int64Value';
        return wrapped(wrapper, type);
      }
      case 'FLOAT32':
        return wrapped('google.protobuf.FloatValue', 'float');
      case 'FLOAT64':
        return wrapped('google.protobuf.DoubleValue', 'double');
      case 'BOOLEAN':
        return wrapped('google.protobuf.BoolValue', 'bool');
      case 'STRING':
        return enumName ?? wrapped('google.protobuf.StringValue', 'string');
      case 'BYTES':
        return wrapped('google.protobuf.BytesValue', 'bytes');
      case 'ARRAY':
        throw new DataError('Array cannot be nested: Protobuf has no repeated repeated field');
      case 'MAP':
        return `${upperCamel(this.unqualified(schema.name))}Entry`;
      case 'STRUCT': {
        const name = this.unqualified(schema.name);
        return name === fieldName ? `${name}Message` : name;
      }
    }
  }

  private nameOrDefault(name: string | null): string {
    return name !== null && name !== '' ? name : `${DEFAULT_MESSAGE_NAME}${++this.nameIndex}`;
  }

  private unqualified(name: string | null): string {
    const full = this.nameOrDefault(name);
    return this.scrub(full.slice(full.lastIndexOf('.') + 1));
  }

  private scrub(name: string): string {
    if (!this.settings.scrubInvalidNames) return name;
    const scrubbed = scrubName(name);
    return scrubbed.startsWith('_') ? `x${scrubbed}` : scrubbed;
  }
}

function tagOf(schema: Schema): number | undefined {
  const tag = schema.parameters?.get(PROTOBUF_TAG);
  return tag === undefined ? undefined : Number.parseInt(tag, 10);
}

/** Guava's LOWER_UNDERSCORE → UPPER_CAMEL, applied by Confluent to names with an underscore. */
function upperCamel(name: string): string {
  if (!name.includes('_')) return name;
  return name.split('_').map((part) => (part === '' ? '' : part[0]!.toUpperCase() + part.slice(1).toLowerCase())).join('');
}

function enumOf(name: string, schema: Schema): ProtoEnum {
  const prefix = `${PROTOBUF_ENUM}.`;
  const constants = [...schema.parameters!]
    .filter(([k]) => k.startsWith(prefix))
    .map(([k, v]) => ({ name: k.slice(prefix.length), tag: Number.parseInt(v, 10), options: [] }));
  return { kind: 'enum', name, reserveds: [], options: [], constants };
}

/** `[(confluent.field_meta) = { params: [ { key: …, value: … } ] }]`; scale and precision print their value first, as Confluent does. */
function fieldMetaOption(params: Map<string, string>): ProtoOption {
  const str = (value: string): ProtoOptionValue => ({ kind: 'string', value });
  const items: ProtoOptionValue[] = hashMapOrder([...params.keys()]).map((key) => {
    const value = params.get(key)!;
    const entries: Array<readonly [string, ProtoOptionValue]> = key === 'precision' || key === 'scale'
      ? [['value', str(value)], ['key', str(key)]]
      : [['key', str(key)], ['value', str(value)]];
    return { kind: 'map', entries };
  });
  return { name: FIELD_META_OPTION, value: { kind: 'map', entries: [['params', { kind: 'list', items }]] } };
}
