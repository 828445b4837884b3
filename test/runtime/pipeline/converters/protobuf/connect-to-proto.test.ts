/**
 * The proto3 text the ProtobufConverter registers for each Connect type and logical type (reference
 * §5.8), the Protobuf bytes of a value of each, the message-index codec (§4.1), and the Connect
 * schema read back from a .proto.
 */
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../../../connectors/sdk/data/decimal.js';
import { LogicalDate, LogicalDecimal, LogicalTime, LogicalTimestamp } from '../../../../../connectors/sdk/data/logical-types.js';
import { Schema } from '../../../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../../connectors/sdk/data/struct.js';
import { DataError } from '../../../../../connectors/sdk/errors.js';
import { connectToProto } from '../../../../../runtime/pipeline/converters/protobuf/connect-to-proto.js';
import { LoadedProto } from '../../../../../runtime/pipeline/converters/protobuf/loaded-proto.js';
import { DEFAULT_PROTOBUF_DATA_SETTINGS, type ProtobufDataSettings } from '../../../../../runtime/pipeline/converters/protobuf/protobuf-data-config.js';
import { protoToConnect } from '../../../../../runtime/pipeline/converters/protobuf/proto-to-connect.js';
import { protoToStruct, structToProto } from '../../../../../runtime/pipeline/converters/protobuf/protobuf-values.js';
import { decodeMessageIndexes, encodeMessageIndexes } from '../../../../../runtime/pipeline/converters/schema-registry/message-indexes.js';

const settings = (s: Partial<ProtobufDataSettings> = {}) => ({ ...DEFAULT_PROTOBUF_DATA_SETTINGS, ...s });
const meta = (indent: string, ...lines: string[]) => ` [(confluent.field_meta) = {\n${indent}  params: [\n${indent}    {\n${lines.map((l) => `${indent}      ${l}`).join(',\n')}\n${indent}    }\n${indent}  ]\n${indent}}];\n`;

const SUB = SchemaBuilder.struct().name('io.x.Sub').optional().field('a', Schema.INT32_SCHEMA).build();
const VALUE = SchemaBuilder.struct().name('io.x.Value')
  .field('b', Schema.INT8_SCHEMA).field('s16', Schema.INT16_SCHEMA).field('id', Schema.INT32_SCHEMA).field('big', Schema.INT64_SCHEMA)
  .field('f', Schema.FLOAT32_SCHEMA).field('d', Schema.FLOAT64_SCHEMA).field('ok', Schema.BOOLEAN_SCHEMA).field('name', Schema.OPTIONAL_STRING_SCHEMA)
  .field('raw', Schema.BYTES_SCHEMA).field('list', SchemaBuilder.array(Schema.STRING_SCHEMA).build())
  .field('tags', SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build())
  .field('amt', LogicalDecimal.schema(2)).field('day', LogicalDate.SCHEMA).field('t', LogicalTime.SCHEMA).field('ts', LogicalTimestamp.SCHEMA)
  .field('sub', SUB)
  .build();

export const VALUE_PROTO = 'syntax = "proto3";\npackage io.x;\n\n'
  + 'import "confluent/type/decimal.proto";\nimport "google/type/date.proto";\nimport "google/type/timeofday.proto";\nimport "google/protobuf/timestamp.proto";\n\n'
  + 'message Value {\n'
  + `  int32 b = 1${meta('  ', 'key: "connect.type"', 'value: "int8"')}`
  + `  int32 s16 = 2${meta('  ', 'key: "connect.type"', 'value: "int16"')}`
  + '  int32 id = 3;\n  int64 big = 4;\n  float f = 5;\n  double d = 6;\n  bool ok = 7;\n  string name = 8;\n  bytes raw = 9;\n'
  + '  repeated string list = 10;\n  repeated ConnectDefault1Entry tags = 11;\n'
  + `  confluent.type.Decimal amt = 12${meta('  ', 'value: "2"', 'key: "scale"')}`
  + '  google.type.Date day = 13;\n  google.type.TimeOfDay t = 14;\n  google.protobuf.Timestamp ts = 15;\n  Sub sub = 16;\n\n'
  + '  message ConnectDefault1Entry {\n    int32 key = 1;\n    string value = 2;\n  }\n'
  + '  message Sub {\n    int32 a = 1;\n  }\n'
  + '}\n';

function value(): Struct {
  return new Struct(VALUE).put('b', -3).put('s16', 300).put('id', 7).put('big', 2n ** 60n).put('f', 1.5).put('d', 2.25).put('ok', true)
    .put('name', 'hi').put('raw', Buffer.from([1, 2])).put('list', ['a']).put('tags', new Map([[1, 'one']]))
    .put('amt', new Decimal(1999n, 2)).put('day', new Date(Date.UTC(2024, 0, 2))).put('t', new Date(3_723_004))
    .put('ts', new Date(1_700_000_000_123)).put('sub', new Struct(SUB).put('a', 5));
}

describe('Connect schema → .proto text', () => {
  it('maps every Connect type and logical type as Confluent does: meta params for int8/int16/scale, XEntry messages for maps, well-known imports in order of use', () => {
    const generated = connectToProto(VALUE, settings());
    expect(generated.text).toBe(VALUE_PROTO);
    expect(generated.fullName).toBe('io.x.Value');
  });

  it('names unnamed structs and maps ConnectDefault1, 2… in the order they are asked for, and suffixes a struct named like its field', () => {
    const schema = SchemaBuilder.struct()
      .field('m', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT64_SCHEMA).build())
      .field('inner', SchemaBuilder.struct().name('inner').field('x', Schema.STRING_SCHEMA).build())
      .build();
    expect(connectToProto(schema, settings()).text).toBe('syntax = "proto3";\n\nmessage ConnectDefault1 {\n'
      + '  repeated ConnectDefault2Entry m = 1;\n  innerMessage inner = 2;\n\n'
      + '  message ConnectDefault2Entry {\n    string key = 1;\n    int64 value = 2;\n  }\n'
      + '  message innerMessage {\n    string x = 1;\n  }\n}\n');
  });

  it('uses google.protobuf wrappers for optional fields with wrapper.for.nullables, and keeps tags, enums and unions read from a .proto', () => {
    const schema = SchemaBuilder.struct().name('W').field('n', Schema.OPTIONAL_INT64_SCHEMA).field('s', Schema.OPTIONAL_STRING_SCHEMA).build();
    expect(connectToProto(schema, settings({ wrapperForNullables: true })).text).toBe('syntax = "proto3";\n\nimport "google/protobuf/wrappers.proto";\n\n'
      + 'message W {\n  google.protobuf.Int64Value n = 1;\n  google.protobuf.StringValue s = 2;\n}\n');
    const proto = 'syntax = "proto3";\npackage p;\n\nmessage M {\n  Color c = 3;\n\n  oneof pick {\n    string s = 5;\n    int32 i = 6;\n  }\n\n  enum Color {\n    RED = 0;\n    GREEN = 1;\n  }\n}\n';
    const read = protoToConnect(LoadedProto.load(proto).messageAt([0]).type, null, settings());
    expect(read.fields.map((f) => f.name)).toEqual(['pick_0', 'c']);
    expect(connectToProto(read, settings()).text).toBe(proto.replace('package p;\n', ''));
  });

  it('refuses an array, map or logical type at the root, and nested arrays, with a DataError', () => {
    expect(() => connectToProto(SchemaBuilder.array(Schema.STRING_SCHEMA).build(), settings())).toThrow(DataError);
    expect(() => connectToProto(LogicalDate.SCHEMA, settings())).toThrow('got org.apache.kafka.connect.data.Date');
    expect(() => connectToProto(SchemaBuilder.struct().field('a', SchemaBuilder.array(SchemaBuilder.array(Schema.INT32_SCHEMA).build()).build()).build(), settings()))
      .toThrow('Array cannot be nested');
  });
});

describe('Connect values ↔ Protobuf bytes', () => {
  it('writes each type as Confluent does and reads it back', () => {
    const { type } = LoadedProto.load(VALUE_PROTO).messageAt([0]);
    const bytes = Buffer.from(type.encode(type.fromObject(structToProto(value(), type, false))).finish());
    expect(bytes.toString('hex')).toBe(
      '08fdffffffffffffffff01' // b = -3 (int32 varint, sign-extended to 10 bytes)
      + '10ac02' + '1807' + '208080808080808080' + '10' // s16 = 300, id = 7, big = 2^60
      + '2d0000c03f' + '310000000000000240' + '3801' // f = 1.5, d = 2.25, ok = true
      + '42026869' + '4a020102' + '520161' // name "hi", raw 01 02, list ["a"]
      + '5a07080112036f6e65' // tags: entry {key 1, value "one"}
      + '62080a0207cf10041802' // amt: Decimal {value 07cf, precision 4, scale 2}
      + '6a0708e80f10011802' // day: Date {2024, 1, 2}
      + '720b080110021803208092f401' // t: TimeOfDay {1, 2, 3, 4000000 ns}
      + '7a0b0880e2cfaa0610c0a9d33a' // ts: Timestamp {1700000000 s, 123000000 ns}
      + '8201020805', // sub {a = 5}
    );
    const schema = protoToConnect(type, 3, settings());
    const back = protoToStruct(schema, type.decode(bytes), type);
    expect(schema.version).toBe(3);
    expect(schema.field('b')!.schema.type).toBe('INT8');
    expect(schema.field('tags')!.schema.name).toBe('connect_default1');
    expect(schema.field('amt')!.schema.parameters!.get('scale')).toBe('2');
    expect(schema.field('id')!.schema.parameters!.get('io.confluent.connect.protobuf.Tag')).toBe('3');
    const original = value();
    for (const f of VALUE.fields.filter((f) => f.name !== 'sub')) expect([f.name, back.get(f.name)]).toEqual([f.name, original.get(f.name)]);
    expect((back.get('sub') as Struct).get('a')).toBe(5);
  });

  it('keeps null apart from the zero value with optional.for.nullables (proto3 optional fields)', () => {
    const schema = SchemaBuilder.struct().name('io.x.Opt').field('id', Schema.INT32_SCHEMA).field('name', Schema.OPTIONAL_STRING_SCHEMA)
      .field('count', Schema.OPTIONAL_INT64_SCHEMA).build();
    const text = connectToProto(schema, settings({ optionalForNullables: true })).text;
    expect(text).toBe('syntax = "proto3";\npackage io.x;\n\nmessage Opt {\n  int32 id = 1;\n  optional string name = 2;\n  optional int64 count = 3;\n}\n');
    const { type } = LoadedProto.load(text).messageAt([0]);
    const read = protoToConnect(type, null, settings({ optionalForNullables: true }));
    expect(read.fields.map((f) => [f.name, f.schema.optional])).toEqual([['id', false], ['name', true], ['count', true]]);
    const bytes = type.encode(type.fromObject(structToProto(new Struct(schema).put('id', 0).put('name', '').put('count', null), type, false))).finish();
    expect(Buffer.from(bytes).toString('hex')).toBe('1200'); // name present though empty; id 0 and count null absent
    const back = protoToStruct(read, type.decode(bytes), type);
    expect([back.get('id'), back.get('name'), back.get('count')]).toEqual([0, '', null]);
  });

  it('reads unset proto3 scalars as their zero value and unset messages as null, as Java does', () => {
    const { type } = LoadedProto.load(VALUE_PROTO).messageAt([0]);
    const sparse = new Struct(VALUE).put('b', 0).put('s16', 0).put('id', 0).put('big', 0).put('f', 0).put('d', 0).put('ok', false)
      .put('raw', Buffer.alloc(0)).put('list', []).put('tags', new Map()).put('amt', new Decimal(0n, 2))
      .put('day', new Date(0)).put('t', new Date(0)).put('ts', new Date(0));
    const bytes = type.encode(type.fromObject(structToProto(sparse, type, false))).finish();
    const back = protoToStruct(protoToConnect(type, null, settings()), type.decode(bytes), type);
    expect([back.get('name'), back.get('id'), back.get('big'), back.get('sub')]).toEqual(['', 0, 0, null]);
  });
});

describe('message indexes', () => {
  it.each([
    [[0], '00'], [[1], '0202'], [[0, 2], '040004'], [[3, 1, 70], '0606028c01'],
  ])('%j ↔ %s', (indexes, hex) => {
    expect(encodeMessageIndexes(indexes).toString('hex')).toBe(hex);
    expect(decodeMessageIndexes(Buffer.from(`${hex}ff`, 'hex'))).toEqual({ indexes, offset: hex.length / 2 });
  });

  it('reads the long form of [0] too, and refuses truncated indexes', () => {
    expect(decodeMessageIndexes(Buffer.from('0200', 'hex')).indexes).toEqual([0]);
    expect(() => decodeMessageIndexes(Buffer.from('04', 'hex'))).toThrow(DataError);
  });
});
