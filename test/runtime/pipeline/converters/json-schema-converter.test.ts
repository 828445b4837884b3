/**
 * JsonSchemaConverter against ferry's Schema Registry on the bundled broker (both real, over TCP):
 * the schema text registered and the wire bytes for every Connect type and logical type, reading
 * back with the subject version, synchronous answers once warm, nulls, bad bytes, unknown ids,
 * the registry's 409, json.fail.invalid.schema, and bytes read and written by a client nobody here
 * wrote (@kafkajs/confluent-schema-registry).
 */
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../connectors/sdk/config/config-error.js';
import { Decimal } from '../../../../connectors/sdk/data/decimal.js';
import { LogicalDate, LogicalDecimal, LogicalTime, LogicalTimestamp } from '../../../../connectors/sdk/data/logical-types.js';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaAndValue } from '../../../../connectors/sdk/data/schema-and-value.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';
import { DataError } from '../../../../connectors/sdk/errors.js';
import { BUILTIN_CONVERTER_CLASSES } from '../../../../runtime/pipeline/converters/converter-registry.js';
import { JsonSchemaConverter } from '../../../../runtime/pipeline/converters/json-schema-converter.js';
import { expectSynchronousWhenWarm, freshTopic, ORDER, order, prefixHex, structFields, useRegistry } from './registry-converter-test-kit.js';

const registry = useRegistry();

const converter = (configs: Record<string, string> = {}, isKey = false) => registry.converter(JsonSchemaConverter, configs, isKey);

const ORDER_TEXT = '{"type":"object","title":"io.x.Order","properties":{'
  + '"note":{"connect.index":1,"oneOf":[{"type":"null"},{"type":"string"}]},'
  + '"amount":{"type":"string","title":"org.apache.kafka.connect.data.Decimal","connect.index":2,"connect.version":1,"connect.type":"bytes","connect.parameters":{"scale":"2"}},'
  + '"at":{"type":"integer","title":"org.apache.kafka.connect.data.Timestamp","connect.index":3,"connect.version":1,"connect.type":"int64"},'
  + '"id":{"type":"integer","connect.index":0,"connect.type":"int64"}}}';

describe('JsonSchemaConverter with a Schema Registry', () => {
  it('is registered under its Confluent class name', () => {
    expect(BUILTIN_CONVERTER_CLASSES.map((c) => c.className)).toContain('io.confluent.connect.json.JsonSchemaConverter');
  });

  it('registers the text Confluent registers under <topic>-value and frames compact JSON with its id', async () => {
    const t = freshTopic('orders');
    const bytes = (await converter().fromConnectData(t, [], ORDER, order(7)))!;
    const registered = await registry.get(`/subjects/${t}-value/versions/1`) as { id: number; schema: string; schemaType: string };
    expect(registered.schemaType).toBe('JSON');
    expect(registered.schema).toBe(ORDER_TEXT);
    expect(bytes.subarray(0, 5).toString('hex')).toBe(prefixHex(registered.id));
    // 1999 → unscaled bytes 07 cf → base64 "B88="
    expect(bytes.subarray(5).toString('utf8')).toBe('{"id":7,"note":"hi","amount":"B88=","at":1700000000000}');
  });

  it('writes every Connect type and logical type as Confluent does, and reads each back equal', async () => {
    const t = freshTopic('types');
    const schema = SchemaBuilder.struct().name('io.x.Types')
      .field('i8', Schema.INT8_SCHEMA).field('i16', Schema.INT16_SCHEMA).field('i32', Schema.INT32_SCHEMA).field('i64', Schema.INT64_SCHEMA)
      .field('f32', Schema.FLOAT32_SCHEMA).field('f64', Schema.FLOAT64_SCHEMA).field('b', Schema.BOOLEAN_SCHEMA)
      .field('s', Schema.STRING_SCHEMA).field('raw', Schema.BYTES_SCHEMA)
      .field('list', SchemaBuilder.array(Schema.INT32_SCHEMA).build())
      .field('byName', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build())
      .field('byId', SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build())
      .field('day', LogicalDate.SCHEMA).field('time', LogicalTime.SCHEMA).field('ts', LogicalTimestamp.SCHEMA)
      .field('amount', LogicalDecimal.schema(3))
      .field('missing', Schema.OPTIONAL_FLOAT64_SCHEMA)
      .field('sub', SchemaBuilder.struct().name('io.x.Sub').field('a', Schema.STRING_SCHEMA).build())
      .build();
    const value = new Struct(schema)
      .put('i8', -8).put('i16', 300).put('i32', -70000).put('i64', 2n ** 62n)
      .put('f32', 1.5).put('f64', 1e7).put('b', true).put('s', 'é"\n').put('raw', Buffer.from([0, 1, 2]))
      .put('list', [1, 2]).put('byName', new Map([['a', 1]])).put('byId', new Map([[5, 'five']]))
      .put('day', new Date(Date.UTC(2024, 0, 2))).put('time', new Date(3_600_000)).put('ts', new Date(1_700_000_000_123))
      .put('amount', new Decimal(-1n, 3)).put('sub', new Struct(schema.field('sub')!.schema).put('a', 'x'));
    const bytes = (await converter().fromConnectData(t, [], schema, value))!;
    expect(bytes.subarray(5).toString('utf8')).toBe('{"i8":-8,"i16":300,"i32":-70000,"i64":4611686018427387904,"f32":1.5,"f64":1.0E7,"b":true,'
      + '"s":"é\\"\\n","raw":"AAEC","list":[1,2],"byName":{"a":1},"byId":[{"key":5,"value":"five"}],'
      + '"day":19724,"time":3600000,"ts":1700000000123,"amount":"/w==","missing":null,"sub":{"a":"x"}}');
    const read = await converter().toConnectData(t, [], bytes);
    expect(read.schema!.version).toBe(1);
    expect(read.schema!.fields.map((f) => f.name)).toEqual(schema.fields.map((f) => f.name));
    expect(read.schema!.field('byId')!.schema.equals(schema.field('byId')!.schema)).toBe(true);
    const back = read.value as Struct;
    for (const f of schema.fields.filter((f) => f.name !== 'sub')) expect([f.name, back.get(f.name)]).toEqual([f.name, value.get(f.name)]);
    expect((back.get('sub') as Struct).get('a')).toBe('x');
  });

  it('answers synchronously once the schema and its id are known, both ways', async () => {
    await expectSynchronousWhenWarm(() => converter(), freshTopic('warm'));
  });

  it('writes null as a tombstone for a null or required schema, as framed JSON null (or the default) for an optional one', async () => {
    const t = freshTopic('nulls');
    const c = converter();
    expect(c.fromConnectData(t, [], null, null)).toBeNull();
    expect(c.fromConnectData(t, [], ORDER, null)).toBeNull();
    const optional = (await c.fromConnectData(t, [], Schema.OPTIONAL_STRING_SCHEMA, null))!;
    expect(optional.subarray(5).toString()).toBe('null');
    expect(await c.toConnectData(t, [], optional)).toBe(SchemaAndValue.NULL);
    const withDefault = SchemaBuilder.string().optional().defaultValue('dflt').build();
    const defaulted = (await converter().fromConnectData(freshTopic('dflt'), [], withDefault, null))!;
    expect(defaulted.subarray(5).toString()).toBe('"dflt"');
    expect(c.toConnectData(t, [], null)).toBe(SchemaAndValue.NULL);
  });

  it('refuses bytes without the magic byte, naming the topic and the byte', () => {
    const read = () => converter().toConnectData('plain-json', [], Buffer.from('{"a":1}'));
    expect(read).toThrow(DataError);
    expect(read).toThrow('Failed to deserialize data for topic plain-json to JSON Schema: Unknown magic byte! The first byte is 0x7b, expected 0x00');
  });

  it('refuses an id the registry does not know with its 40403, naming the topic', async () => {
    const failure = await Promise.resolve(converter().toConnectData('ghost', [], Buffer.from([0, 0, 0, 0x03, 0xe7, 0x7b, 0x7d]))).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DataError);
    expect((failure as Error).message).toBe(
      'Failed to deserialize data for topic ghost to JSON Schema: Error retrieving JSON Schema value schema for id 999: Schema 999 not found; error code: 40403',
    );
  });

  it('refuses a value that does not match the Connect schema, naming the field', () => {
    expect(() => converter().fromConnectData('bad', [], ORDER, new Map())).toThrow(DataError);
    const broken = new Struct(ORDER).put('id', 1);
    expect(() => converter().fromConnectData('bad', [], ORDER, broken)).toThrow(/Failed to serialize JSON Schema data from topic bad: .*amount/);
  });

  it("fails with the registry's 409 when a change is incompatible (an added property, in the converter's open content model), and registers a compatible one", async () => {
    const t = freshTopic('evolving');
    const v1 = SchemaBuilder.struct().name('io.x.E').field('id', Schema.INT32_SCHEMA).field('tag', Schema.OPTIONAL_STRING_SCHEMA).build();
    await converter().fromConnectData(t, [], v1, new Struct(v1).put('id', 1));
    const v2 = SchemaBuilder.struct().name('io.x.E').field('id', Schema.INT32_SCHEMA).build();
    const bytes = (await converter().fromConnectData(t, [], v2, new Struct(v2).put('id', 2)))!;
    expect((await converter().toConnectData(t, [], bytes)).schema!.version).toBe(2);
    const added = SchemaBuilder.struct().name('io.x.E').field('id', Schema.INT32_SCHEMA).field('extra', Schema.OPTIONAL_STRING_SCHEMA).build();
    const failure = await Promise.resolve(converter().fromConnectData(t, [], added, new Struct(added).put('id', 3))).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DataError);
    expect((failure as Error).message).toMatch(new RegExp(`^Failed to serialize JSON Schema data from topic ${t}: Schema being registered is incompatible with an earlier schema for subject "${t}-value".*OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL.*; error code: 409`));
  });

  it('registers under the record name (the title) with RecordNameStrategy, and looks up with auto.register.schemas=false', async () => {
    const t = freshTopic('strategy');
    const strategy = { 'value.subject.name.strategy': 'io.confluent.kafka.serializers.subject.TopicRecordNameStrategy' };
    const bytes = (await converter(strategy).fromConnectData(t, [], ORDER, order(1)))!;
    expect(await registry.get(`/subjects/${t}-io.x.Order/versions`)).toEqual([1]);
    expect(structFields((await converter(strategy).toConnectData(t, [], bytes)).value)).toEqual(structFields(order(1)));
    expect(await converter({ ...strategy, 'auto.register.schemas': 'false' }).fromConnectData(t, [], ORDER, order(1))).toEqual(bytes);
  });

  it('checks values against the schema with json.fail.invalid.schema=true', async () => {
    const t = freshTopic('validated');
    const client = new SchemaRegistry({ host: registry.url() });
    const { id } = await client.register({ type: SchemaType.JSON, schema: '{"type":"object","properties":{"n":{"type":"integer","minimum":0}}}' }, { subject: `${t}-value` });
    const framed = (json: string) => Buffer.concat([Buffer.from(prefixHex(id), 'hex'), Buffer.from(json)]);
    expect((await converter({ 'json.fail.invalid.schema': 'true' }).toConnectData(t, [], framed('{"n":3}'))).value).toEqual(new Struct((await converter().toConnectData(t, [], framed('{"n":3}'))).schema!).put('n', 3));
    const failure = await Promise.resolve(converter({ 'json.fail.invalid.schema': 'true' }).toConnectData(t, [], framed('{"n":-1}'))).catch((e: unknown) => e);
    expect((failure as Error).message).toBe(`Failed to deserialize data for topic ${t} to JSON Schema: Validation error: "/n" must be >= 0 (JSON Schema keyword minimum)`);
    expect((await converter().toConnectData(t, [], framed('{"n":-1}'))).schema!.field('n')!.schema.type).toBe('INT64');
  });

  it('requires schema.registry.url and refuses generalized.sum.type.support=true', () => {
    expect(() => new JsonSchemaConverter().configure({}, false)).toThrow(ConfigError);
    expect(() => converter({ 'generalized.sum.type.support': 'true' })).toThrow('generalized.sum.type.support=true is not supported');
  });
});

describe('JsonSchemaConverter and schema references', () => {
  it('follows $refs to registered references, validating with them too', async () => {
    const t = freshTopic('refs');
    const register = async (subject: string, schema: unknown, references: unknown[] = []) => {
      const response = await fetch(`${registry.url()}/subjects/${subject}/versions`, {
        method: 'POST', headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' }, body: JSON.stringify({ schemaType: 'JSON', schema: JSON.stringify(schema), references }),
      });
      return (await response.json() as { id: number }).id;
    };
    await register(`${t}-address`, { type: 'object', title: 'Address', properties: { city: { type: 'string' } }, definitions: { Zip: { type: 'string', maxLength: 5 } } });
    const id = await register(`${t}-value`, {
      type: 'object', title: 'Customer', properties: { name: { type: 'string' }, home: { $ref: 'address.json' }, zip: { $ref: 'address.json#/definitions/Zip' } },
    }, [{ name: 'address.json', subject: `${t}-address`, version: 1 }]);
    const framed = (json: string) => Buffer.concat([Buffer.from(prefixHex(id), 'hex'), Buffer.from(json)]);
    const read = await converter({ 'json.fail.invalid.schema': 'true' }).toConnectData(t, [], framed('{"name":"Ann","home":{"city":"Oslo"},"zip":"0150"}'));
    expect(read.schema!.field('home')!.schema.name).toBe('Address');
    expect(((read.value as Struct).get('home') as Struct).get('city')).toBe('Oslo');
    expect((read.value as Struct).get('zip')).toBe('0150');
    const failure = await Promise.resolve(converter({ 'json.fail.invalid.schema': 'true' }).toConnectData(t, [], framed('{"zip":"123456"}'))).catch((e: unknown) => e);
    expect((failure as Error).message).toContain('Validation error: "/zip" must NOT have more than 5 characters');
  });
});

describe('JsonSchemaConverter and a client nobody here wrote (@kafkajs/confluent-schema-registry)', () => {
  // The converter's schemas carry connect.* keywords, which ajv's strict mode refuses: the client needs strict off.
  const client = () => new SchemaRegistry({ host: registry.url() }, { [SchemaType.JSON]: { strict: false } });

  it('reads what the converter writes', async () => {
    const t = freshTopic('interop-out');
    const bytes = (await converter().fromConnectData(t, [], ORDER, order(42)))!;
    expect(await client().decode(bytes)).toEqual({ id: 42, note: 'hi', amount: 'B88=', at: 1_700_000_000_000 });
  });

  it('writes what the converter reads, and shares the id of a schema the converter registered', async () => {
    const t = freshTopic('interop-in');
    const { id } = await client().register({ type: SchemaType.JSON, schema: JSON.stringify({
      type: 'object', title: 'com.acme.Ping', properties: { n: { type: 'integer' }, who: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
    }) }, { subject: `${t}-value` });
    const theirs = await client().encode(id, { n: 3, who: 'them', tags: ['a'] });
    const read = await converter().toConnectData(t, [], theirs);
    expect(read.schema!.name).toBe('com.acme.Ping');
    expect(read.schema!.version).toBe(1);
    expect(structFields(read.value)).toEqual({ n: 3, who: 'them', tags: ['a'] });

    const ours = (await converter().fromConnectData(freshTopic('interop-same'), [], ORDER, order(1)))!;
    const again = await client().register({ type: SchemaType.JSON, schema: ORDER_TEXT }, { subject: `${t}-orders-value` });
    expect(again.id).toBe(ours.readInt32BE(1));
    const encoded = await client().encode(again.id, { id: 5, note: null, amount: 'B88=', at: 1 });
    expect(structFields((await converter().toConnectData(`${t}-orders`, [], encoded)).value)).toEqual({ id: 5, note: null, amount: new Decimal(1999n, 2), at: new Date(1) });
  });
});
