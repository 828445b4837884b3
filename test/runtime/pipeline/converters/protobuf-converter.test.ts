/**
 * ProtobufConverter against ferry's Schema Registry on the bundled broker (both real, over TCP): the
 * .proto text registered, the wire bytes (prefix, message indexes, Protobuf binary), reading back with
 * the subject version, synchronous answers once warm, bad bytes, unknown ids, and what a client
 * nobody here wrote (@kafkajs/confluent-schema-registry, which writes no message indexes) can share.
 */
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../../connectors/sdk/data/decimal.js';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaAndValue } from '../../../../connectors/sdk/data/schema-and-value.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';
import { DataError } from '../../../../connectors/sdk/errors.js';
import { BUILTIN_CONVERTER_CLASSES } from '../../../../runtime/pipeline/converters/converter-registry.js';
import { ProtobufConverter } from '../../../../runtime/pipeline/converters/protobuf-converter.js';
import { expectSynchronousWhenWarm, freshTopic, ORDER, order, prefixHex, structFields, useRegistry } from './registry-converter-test-kit.js';

const registry = useRegistry();

const converter = (configs: Record<string, string> = {}, isKey = false) => registry.converter(ProtobufConverter, configs, isKey);

const ORDER_PROTO = 'syntax = "proto3";\npackage io.x;\n\nimport "confluent/type/decimal.proto";\nimport "google/protobuf/timestamp.proto";\n\n'
  + 'message Order {\n  int64 id = 1;\n  string note = 2;\n'
  + '  confluent.type.Decimal amount = 3 [(confluent.field_meta) = {\n    params: [\n      {\n        value: "2",\n        key: "scale"\n      }\n    ]\n  }];\n'
  + '  google.protobuf.Timestamp at = 4;\n}\n';

describe('ProtobufConverter with a Schema Registry', () => {
  it('is registered under its Confluent class name', () => {
    expect(BUILTIN_CONVERTER_CLASSES.map((c) => c.className)).toContain('io.confluent.connect.protobuf.ProtobufConverter');
  });

  it('registers the proto3 text under <topic>-value and frames the message index 0x00 and the Protobuf binary', async () => {
    const t = freshTopic('orders');
    const bytes = (await converter().fromConnectData(t, [], ORDER, order(7)))!;
    const registered = await registry.get(`/subjects/${t}-value/versions/1`) as { id: number; schema: string; schemaType: string };
    expect(registered.schemaType).toBe('PROTOBUF');
    expect(registered.schema).toBe(ORDER_PROTO);
    expect(bytes.toString('hex')).toBe(`${prefixHex(registered.id)}00` + '0807' + '12026869' + '1a080a0207cf10041802' + '22060880e2cfaa06');
  });

  it('reads back in another converter: every field optional with its tag, the subject version as the Connect version', async () => {
    const t = freshTopic('readback');
    const bytes = (await converter().fromConnectData(t, [], ORDER, order(2n ** 60n, null)))!;
    const read = await converter().toConnectData(t, [], bytes);
    expect(read.schema!.name).toBe('Order');
    expect(read.schema!.version).toBe(1);
    expect(read.schema!.fields.map((f) => [f.name, f.schema.optional, f.schema.parameters?.get('io.confluent.connect.protobuf.Tag')])).toEqual([
      ['id', true, '1'], ['note', true, '2'], ['amount', true, '3'], ['at', true, '4'],
    ]);
    // proto3 cannot tell a null string from an empty one.
    expect(structFields(read.value)).toEqual({ id: 2n ** 60n, note: '', amount: new Decimal(1999n, 2), at: new Date(1_700_000_000_000) });
  });

  it('answers synchronously once the schema and its id are known, both ways', async () => {
    await expectSynchronousWhenWarm(() => converter(), freshTopic('warm'));
  });

  it('writes a primitive as its google.protobuf wrapper: wrappers.proto registered, the message index of StringValue (7)', async () => {
    const t = freshTopic('keys');
    const bytes = (await converter({}, true).fromConnectData(t, [], Schema.STRING_SCHEMA, 'k1'))!;
    const registered = await registry.get(`/subjects/${t}-key/versions/1`) as { id: number; schema: string };
    expect(registered.schema).toBe('syntax = "proto3";\npackage google.protobuf;\n\n'
      + 'option java_package = "com.google.protobuf";\noption java_outer_classname = "WrappersProto";\noption java_multiple_files = true;\n'
      + 'option go_package = "google.golang.org/protobuf/types/known/wrapperspb";\noption cc_enable_arenas = true;\noption objc_class_prefix = "GPB";\n'
      + 'option csharp_namespace = "Google.Protobuf.WellKnownTypes";\n\n'
      + 'message DoubleValue {\n  double value = 1;\n}\nmessage FloatValue {\n  float value = 1;\n}\nmessage Int64Value {\n  int64 value = 1;\n}\n'
      + 'message UInt64Value {\n  uint64 value = 1;\n}\nmessage Int32Value {\n  int32 value = 1;\n}\nmessage UInt32Value {\n  uint32 value = 1;\n}\n'
      + 'message BoolValue {\n  bool value = 1;\n}\nmessage StringValue {\n  string value = 1;\n}\nmessage BytesValue {\n  bytes value = 1;\n}\n');
    expect(bytes.toString('hex')).toBe(`${prefixHex(registered.id)}020e0a026b31`);
    const read = await converter({}, true).toConnectData(t, [], bytes);
    expect([read.schema!.type, read.schema!.version, read.value]).toEqual(['STRING', 1, 'k1']);
    const longKeys = freshTopic('long-keys');
    const long = (await converter({}, true).fromConnectData(longKeys, [], Schema.INT64_SCHEMA, 2n ** 60n))!;
    expect(long.subarray(5, 7).toString('hex')).toBe('0204');
    expect((await converter({}, true).toConnectData(longKeys, [], long)).value).toBe(2n ** 60n);
  });

  it("writes as the subject's latest schema with use.latest.version: its message of the same name, its field numbers; refuses one lacking a field", async () => {
    const t = freshTopic('latest');
    const client = new SchemaRegistry({ host: registry.url() });
    await client.register({ type: SchemaType.PROTOBUF, schema: 'syntax = "proto3";\npackage io.x;\n\nmessage Header {\n  string h = 1;\n}\nmessage Slim {\n  string note = 7;\n  int64 id = 3;\n  string extra = 9;\n}\n' }, { subject: `${t}-value` });
    const slim = SchemaBuilder.struct().name('io.x.Slim').field('id', Schema.INT64_SCHEMA).field('note', Schema.OPTIONAL_STRING_SCHEMA).build();
    const latest = converter({ 'use.latest.version': 'true', 'auto.register.schemas': 'false' });
    const bytes = (await latest.fromConnectData(t, [], slim, new Struct(slim).put('id', 5).put('note', 'n')))!;
    expect(bytes.subarray(5).toString('hex')).toBe('0202' + '1805' + '3a016e'); // index [1]; id = 5 as field 3; note as field 7
    expect(await registry.get(`/subjects/${t}-value/versions`)).toEqual([1]);
    expect(structFields((await converter().toConnectData(t, [], bytes)).value)).toEqual({ note: 'n', id: 5, extra: '' });

    const wider = SchemaBuilder.struct().name('io.x.Slim').field('id', Schema.INT64_SCHEMA).field('missing', Schema.OPTIONAL_STRING_SCHEMA).build();
    const failure = await Promise.resolve(latest.fromConnectData(t, [], wider, new Struct(wider).put('id', 1).put('missing', 'm'))).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DataError);
    expect((failure as Error).message).toBe(`Failed to serialize Protobuf data from topic ${t}: Protobuf message io.x.Slim has no field missing`);
  });

  it('writes null as a tombstone and reads null bytes as null', () => {
    const c = converter();
    expect(c.fromConnectData('t', [], ORDER, null)).toBeNull();
    expect(c.fromConnectData('t', [], null, null)).toBeNull();
    expect(c.toConnectData('t', [], null)).toBe(SchemaAndValue.NULL);
  });

  it('refuses bytes without the magic byte and ids the registry does not know, naming the topic', async () => {
    const read = () => converter().toConnectData('plain', [], Buffer.from('{"a":1}'));
    expect(read).toThrow(DataError);
    expect(read).toThrow('Failed to deserialize data for topic plain to Protobuf: Unknown magic byte! The first byte is 0x7b, expected 0x00');
    const failure = await Promise.resolve(converter().toConnectData('ghost', [], Buffer.from([0, 0, 0, 0x03, 0xe7, 0, 8, 1]))).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DataError);
    expect((failure as Error).message).toBe(
      'Failed to deserialize data for topic ghost to Protobuf: Error retrieving Protobuf value schema for id 999: Schema 999 not found; error code: 40403',
    );
  });

  it('registers under package.Message with RecordNameStrategy and reads it back', async () => {
    const t = freshTopic('strategy');
    const strategy = { 'value.subject.name.strategy': 'io.confluent.kafka.serializers.subject.TopicRecordNameStrategy' };
    const bytes = (await converter(strategy).fromConnectData(t, [], ORDER, order(1)))!;
    expect(await registry.get(`/subjects/${t}-io.x.Order/versions`)).toEqual([1]);
    expect(structFields((await converter(strategy).toConnectData(t, [], bytes)).value)['id']).toBe(1);
    // The message the indexes name is the record name on reading too (StringValue, not wrappers.proto's first message).
    const keyStrategy = { 'key.subject.name.strategy': 'RecordNameStrategy' };
    const key = (await converter(keyStrategy, true).fromConnectData(t, [], Schema.STRING_SCHEMA, 'k'))!;
    expect(await registry.get('/subjects/google.protobuf.StringValue/versions')).toEqual([1]);
    expect((await converter(keyStrategy, true).toConnectData(t, [], key)).value).toBe('k');
  });

  it('reads the message that the indexes name in a file with several, written by a Java-compatible producer', async () => {
    const t = freshTopic('indexed');
    const proto = 'syntax = "proto3";\npackage acme;\n\nmessage First {\n  string a = 1;\n}\nmessage Second {\n  int32 n = 1;\n\n  message Inner {\n    string s = 1;\n  }\n}\n';
    const client = new SchemaRegistry({ host: registry.url() });
    const { id } = await client.register({ type: SchemaType.PROTOBUF, schema: proto }, { subject: `${t}-value` });
    const root = protobuf.parse(proto, { keepCase: true }).root;
    const inner = root.lookupType('acme.Second.Inner');
    const payload = Buffer.from(inner.encode(inner.fromObject({ s: 'deep' })).finish());
    // [1, 0]: the second top-level message, its first nested message.
    const bytes = Buffer.concat([Buffer.from(`${prefixHex(id)}040200`, 'hex'), payload]);
    const read = await converter().toConnectData(t, [], bytes);
    expect(read.schema!.name).toBe('Inner');
    expect((read.value as Struct).get('s')).toBe('deep');
  });
});

describe('ProtobufConverter and schema references', () => {
  it('reads a schema whose import is a registered reference (and that one\'s own reference)', async () => {
    const t = freshTopic('refs');
    const register = async (subject: string, schema: string, references: unknown[] = []) => {
      const response = await fetch(`${registry.url()}/subjects/${subject}/versions`, {
        method: 'POST', headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' }, body: JSON.stringify({ schemaType: 'PROTOBUF', schema, references }),
      });
      return (await response.json() as { id: number }).id;
    };
    await register(`${t}-unit`, 'syntax = "proto3";\npackage acme;\n\nmessage Unit {\n  string code = 1;\n}\n');
    await register(`${t}-money`, 'syntax = "proto3";\npackage acme;\n\nimport "acme/unit.proto";\n\nmessage Money {\n  int64 cents = 1;\n  Unit unit = 2;\n}\n',
      [{ name: 'acme/unit.proto', subject: `${t}-unit`, version: 1 }]);
    const orderProto = 'syntax = "proto3";\npackage acme;\n\nimport "acme/money.proto";\n\nmessage Order {\n  string id = 1;\n  Money total = 2;\n}\n';
    const id = await register(`${t}-value`, orderProto, [{ name: 'acme/money.proto', subject: `${t}-money`, version: 1 }]);
    const root = new protobuf.Root();
    protobuf.parse('syntax = "proto3"; package acme; message Unit { string code = 1; }', root, { keepCase: true });
    protobuf.parse('syntax = "proto3"; package acme; message Money { int64 cents = 1; Unit unit = 2; }', root, { keepCase: true });
    protobuf.parse(orderProto, root, { keepCase: true });
    const type = root.lookupType('acme.Order');
    const payload = Buffer.from(type.encode(type.fromObject({ id: 'o-1', total: { cents: 250, unit: { code: 'EUR' } } })).finish());
    const read = await converter().toConnectData(t, [], Buffer.concat([Buffer.from(`${prefixHex(id)}00`, 'hex'), payload]));
    const total = (read.value as Struct).get('total') as Struct;
    expect([(read.value as Struct).get('id'), total.get('cents'), (total.get('unit') as Struct).get('code')]).toEqual(['o-1', 250, 'EUR']);
  });
});

describe('ProtobufConverter and a client nobody here wrote (@kafkajs/confluent-schema-registry)', () => {
  it('decodes what the converter writes (it skips the 0x00 message index), from the schema text the converter registered', async () => {
    // Its protobufjs 7 cannot parse the multi-line field_meta option (int8, int16, Decimal), so a plain schema.
    const t = freshTopic('interop-out');
    const item = SchemaBuilder.struct().name('io.x.Item').optional().field('sku', Schema.STRING_SCHEMA).build();
    const schema = SchemaBuilder.struct().name('io.x.Basket').field('id', Schema.INT64_SCHEMA).field('tags', SchemaBuilder.array(Schema.STRING_SCHEMA).build())
      .field('item', item).build();
    const value = new Struct(schema).put('id', 42).put('tags', ['a', 'b']).put('item', new Struct(item).put('sku', 'x-1'));
    const bytes = (await converter().fromConnectData(t, [], schema, value))!;
    const decoded = await new SchemaRegistry({ host: registry.url() }).decode(bytes) as { id: unknown; tags: string[]; item: { sku: string } };
    expect([String(decoded.id), decoded.tags, decoded.item.sku]).toEqual(['42', ['a', 'b'], 'x-1']);
  });

  it("refuses the client's own Protobuf bytes, which lack the message indexes Java requires, with a DataError naming the topic", async () => {
    const t = freshTopic('interop-in');
    const client = new SchemaRegistry({ host: registry.url() });
    const { id } = await client.register({ type: SchemaType.PROTOBUF, schema: 'syntax = "proto3";\npackage acme;\n\nmessage Ping {\n  int32 n = 1;\n  string who = 2;\n}\n' }, { subject: `${t}-value` });
    const theirs = await client.encode(id, { n: 3, who: 'them' });
    const failure = await Promise.resolve(converter().toConnectData(t, [], theirs)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DataError);
    expect((failure as Error).message).toMatch(new RegExp(`^Failed to deserialize data for topic ${t} to Protobuf: `));
  });
});
