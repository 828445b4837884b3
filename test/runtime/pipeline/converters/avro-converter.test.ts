/**
 * AvroConverter against ferry's Schema Registry on the bundled broker (both real, over TCP):
 * registration and the exact text registered, the wire bytes, reading back with the subject
 * version, caching (a warm converter answers synchronously), bad bytes, unknown ids, the
 * registry's 409 for an incompatible change, subject name strategies, and bytes read and written
 * by a client nobody here wrote (@kafkajs/confluent-schema-registry).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../connectors/sdk/config/config-error.js';
import { LogicalDecimal, LogicalTimestamp } from '../../../../connectors/sdk/data/logical-types.js';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaAndValue } from '../../../../connectors/sdk/data/schema-and-value.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';
import { DataError, RetriableError } from '../../../../connectors/sdk/errors.js';
import { AvroConverter } from '../../../../runtime/pipeline/converters/avro-converter.js';
import { expectSynchronousWhenWarm, freshTopic, ORDER, order, structFields, useRegistry } from './registry-converter-test-kit.js';

const registry = useRegistry();
const converter = (configs: Record<string, string> = {}, isKey = false) => registry.converter(AvroConverter, configs, isKey);
const topic = freshTopic;
const registryGet = registry.get;
const fields = structFields;

const ORDER_TEXT = '{"type":"record","name":"Order","namespace":"io.x","fields":[{"name":"id","type":"long"},'
  + '{"name":"note","type":["null","string"],"default":null},'
  + '{"name":"amount","type":{"type":"bytes","scale":2,"precision":64,"connect.version":1,"connect.parameters":{"scale":"2"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}},'
  + '{"name":"at","type":{"type":"long","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Timestamp","logicalType":"timestamp-millis"}}],'
  + '"connect.name":"io.x.Order"}';

describe('AvroConverter with a Schema Registry', () => {
  it('registers the Connect schema under <topic>-value with the text Confluent registers, and frames the Avro binary with its id', async () => {
    const t = topic('orders');
    const bytes = (await converter().fromConnectData(t, [], ORDER, order(7)))!;
    const versions = await registryGet(`/subjects/${t}-value/versions/1`) as { id: number; schema: string };
    expect(versions.schema).toBe(ORDER_TEXT);
    const id = Buffer.alloc(4);
    id.writeInt32BE(versions.id);
    // id 7 → 0e; note → branch 1 (02) "hi" (04 68 69); amount 1999 → 2 bytes (04) 07 cf; at → long 1.7e12 (zig-zag varint).
    expect(bytes.toString('hex')).toBe(`00${id.toString('hex')}0e02046869` + '0407cf' + '80a0abfef962');
  });

  it('reads back the same schema and value in another converter, the subject version as the Connect version', async () => {
    const t = topic('readback');
    const bytes = (await converter().fromConnectData(t, [], ORDER, order(2n ** 60n, null)))!;
    const read = await converter().toConnectData(t, [], bytes);
    const expectedSchema = SchemaBuilder.struct().name('io.x.Order').version(1)
      .field('id', Schema.INT64_SCHEMA).field('note', Schema.OPTIONAL_STRING_SCHEMA)
      .field('amount', LogicalDecimal.schema(2)).field('at', LogicalTimestamp.SCHEMA).build();
    expect(read.schema!.equals(expectedSchema)).toBe(true);
    const value = read.value as Struct;
    expect([value.get('id'), value.get('note'), String(value.get('amount')), (value.get('at') as Date).getTime()]).toEqual([2n ** 60n, null, '19.99', 1_700_000_000_000]);
  });

  it('answers synchronously once the schema and its id are known, both ways', async () => {
    const again = await expectSynchronousWhenWarm(() => converter(), topic('warm'));
    expect(fields(again)).toEqual(fields(order(2)));
  });

  it('writes a null value as a tombstone without asking the registry, and reads null bytes as null', async () => {
    const c = new AvroConverter();
    c.configure({ 'schema.registry.url': 'http://127.0.0.1:1' }, false);
    expect(c.fromConnectData('t', [], Schema.OPTIONAL_STRING_SCHEMA, null)).toBeNull();
    expect(c.fromConnectData('t', [], null, null)).toBeNull();
    expect(c.toConnectData('t', [], null)).toBe(SchemaAndValue.NULL);
    expect(() => c.fromConnectData('t', [], ORDER, null)).toThrow('Failed to serialize Avro data from topic t: Found null value for non-optional schema');
  });

  it('refuses bytes without the magic byte, naming the topic and the byte', () => {
    const read = () => converter().toConnectData('plain-json', [], Buffer.from('{"a":1}'));
    expect(read).toThrow(DataError);
    expect(read).toThrow('Failed to deserialize data for topic plain-json to Avro: Unknown magic byte! The first byte is 0x7b, expected 0x00');
  });

  it('refuses an id the registry does not know with its 40403', async () => {
    const bytes = Buffer.from([0, 0, 0, 0x03, 0xe7, 0x02]);
    const failure = await Promise.resolve(converter().toConnectData('ghost', [], bytes)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DataError);
    expect((failure as Error).message).toBe(
      'Failed to deserialize data for topic ghost to Avro: Error retrieving Avro value schema for id 999: Schema 999 not found; error code: 40403',
    );
  });

  it("fails with the registry's 409 when a change is not BACKWARD compatible, and registers a compatible one", async () => {
    const t = topic('evolving');
    const v1 = SchemaBuilder.struct().name('io.x.E').field('id', Schema.INT32_SCHEMA).build();
    await converter().fromConnectData(t, [], v1, new Struct(v1).put('id', 1));
    const compatible = SchemaBuilder.struct().name('io.x.E').field('id', Schema.INT32_SCHEMA).field('tag', Schema.OPTIONAL_STRING_SCHEMA).build();
    const bytes = (await converter().fromConnectData(t, [], compatible, new Struct(compatible).put('id', 2).put('tag', 'x')))!;
    expect(((await converter().toConnectData(t, [], bytes)).schema)!.version).toBe(2);

    const incompatible = SchemaBuilder.struct().name('io.x.E').field('id', Schema.INT32_SCHEMA).field('required', Schema.STRING_SCHEMA).build();
    const failure = await Promise.resolve(converter().fromConnectData(t, [], incompatible, new Struct(incompatible).put('id', 3).put('required', 'r')))
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DataError);
    expect((failure as Error).message).toMatch(
      new RegExp(`^Failed to serialize Avro data from topic ${t}: Schema being registered is incompatible with an earlier schema for subject "${t}-value", details: \\[.*READER_FIELD_MISSING_DEFAULT_VALUE.*; error code: 409`),
    );
  });

  it.each([
    ['TopicNameStrategy', true, (t: string) => `${t}-key`],
    ['io.confluent.kafka.serializers.subject.RecordNameStrategy', false, () => 'io.x.Order'],
    ['io.confluent.kafka.serializers.subject.TopicRecordNameStrategy', false, (t: string) => `${t}-io.x.Order`],
  ])('registers under the subject %s names (key: %s)', async (strategy, isKey, subject) => {
    const t = topic('strategy');
    const c = converter({ [`${isKey ? 'key' : 'value'}.subject.name.strategy`]: strategy }, isKey);
    const bytes = (await c.fromConnectData(t, [], ORDER, order(1)))!;
    expect(await registryGet(`/subjects/${subject(t)}/versions`)).toEqual([1]);
    const read = await converter({ [`${isKey ? 'key' : 'value'}.subject.name.strategy`]: strategy }, isKey).toConnectData(t, [], bytes);
    expect(fields(read.value as Struct)).toEqual(fields(order(1)));
  });

  it('looks the schema up instead of registering it with auto.register.schemas=false', async () => {
    const t = topic('lookup');
    const lookupOnly = converter({ 'auto.register.schemas': 'false' });
    const failure = await Promise.resolve(lookupOnly.fromConnectData(t, [], ORDER, order(1))).catch((e: unknown) => e);
    expect((failure as Error).message).toBe(`Failed to serialize Avro data from topic ${t}: Subject '${t}-value' not found.; error code: 40401`);
    const registered = (await converter().fromConnectData(t, [], ORDER, order(1)))!;
    expect(await lookupOnly.fromConnectData(t, [], ORDER, order(1))).toEqual(registered);
  });

  it("writes in the subject's latest schema with use.latest.version when that schema can read the derived one", async () => {
    const t = topic('latest');
    const wider = SchemaBuilder.struct().name('io.x.W').field('id', Schema.INT32_SCHEMA).field('extra', Schema.OPTIONAL_STRING_SCHEMA).build();
    await converter().fromConnectData(t, [], wider, new Struct(wider).put('id', 1));
    const narrow = SchemaBuilder.struct().name('io.x.W').field('id', Schema.INT32_SCHEMA).build();
    const bytes = (await converter({ 'use.latest.version': 'true', 'auto.register.schemas': 'false' }).fromConnectData(t, [], narrow, new Struct(narrow).put('id', 5)))!;
    expect(await registryGet(`/subjects/${t}-value/versions`)).toEqual([1]);
    const read = (await converter().toConnectData(t, [], bytes)).value as Struct;
    expect([read.get('id'), read.get('extra')]).toEqual([5, null]);
  });

  it('fails retriable when the registry cannot be reached, so error tolerance retries it', async () => {
    const unreachable = converter({ 'schema.registry.url': 'http://127.0.0.1:1' });
    const failure = await Promise.resolve(unreachable.fromConnectData('t', [], ORDER, order(1))).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RetriableError);
    expect((failure as Error).message).toMatch(/^Failed to serialize Avro data from topic t: Cannot reach the schema registry at http:\/\/127.0.0.1:1 /);
  });

  it('writes in the schema use.schema.id names, refusing one that cannot read the derived schema', async () => {
    const t = topic('by-id');
    const wider = SchemaBuilder.struct().name('io.x.I').field('id', Schema.INT32_SCHEMA).field('extra', SchemaBuilder.string().defaultValue('x')).build();
    const widerBytes = (await converter().fromConnectData(t, [], wider, new Struct(wider).put('id', 1)))!;
    const id = widerBytes.readInt32BE(1);
    const narrow = SchemaBuilder.struct().name('io.x.I').field('id', Schema.INT32_SCHEMA).build();
    const bytes = (await converter({ 'use.schema.id': String(id), 'auto.register.schemas': 'false' }).fromConnectData(t, [], narrow, new Struct(narrow).put('id', 9)))!;
    expect(bytes.readInt32BE(1)).toBe(id);
    const read = (await converter().toConnectData(t, [], bytes)).value as Struct;
    expect([read.get('id'), read.get('extra')]).toEqual([9, 'x']);
    const unrelated = SchemaBuilder.struct().name('io.x.I').field('other', Schema.STRING_SCHEMA).build();
    const failure = await Promise.resolve(converter({ 'use.schema.id': String(id) }).fromConnectData(t, [], unrelated, new Struct(unrelated).put('other', 'o')))
      .catch((e: unknown) => e);
    expect((failure as Error).message).toMatch(new RegExp(`^Failed to serialize Avro data from topic ${t}: Schema ${id} from the registry cannot read values of the schema derived from the Connect schema`));
  });

  it('requires schema.registry.url, and refuses settings ferry does not implement rather than ignoring them', () => {
    expect(() => new AvroConverter().configure({}, false)).toThrow(ConfigError);
    expect(() => converter({ 'generalized.sum.type.support': 'true' })).toThrow('generalized.sum.type.support=true is not supported by ferry; only false is');
    expect(() => converter({ 'value.subject.name.strategy': 'com.example.MyStrategy' })).toThrow(/Invalid value com.example.MyStrategy for configuration value.subject.name.strategy/);
    expect(() => converter({ 'basic.auth.credentials.source': 'SASL_INHERIT' })).toThrow(ConfigError);
  });
});

describe('AvroConverter and a client nobody here wrote (@kafkajs/confluent-schema-registry)', () => {
  it('reads what the converter writes, and the converter reads what it writes', async () => {
    const t = topic('interop');
    const client = new SchemaRegistry({ host: registry.url() });
    const bytes = (await converter().fromConnectData(t, [], ORDER, order(42)))!;
    const decoded = await client.decode(bytes) as Record<string, unknown>;
    expect(decoded['id']).toBe(42);
    expect(decoded['note']).toBe('hi');
    expect(Buffer.from(decoded['amount'] as Buffer).toString('hex')).toBe('07cf');

    const { id } = await client.register({ type: 'AVRO' as never, schema: JSON.stringify({
      type: 'record', name: 'Ping', namespace: 'com.acme', fields: [{ name: 'n', type: 'int' }, { name: 'who', type: ['null', 'string'], default: null }],
    }) }, { subject: `${t}-pings-value` });
    const theirs = await client.encode(id, { n: 3, who: 'them' });
    const read = await converter().toConnectData(`${t}-pings`, [], theirs);
    expect(read.schema!.name).toBe('com.acme.Ping');
    expect(read.schema!.version).toBe(1);
    expect([(read.value as Struct).get('n'), (read.value as Struct).get('who')]).toEqual([3, 'them']);
  });
});

describe('AvroConverter basic auth', () => {
  it.each([
    ['USER_INFO', (url: string) => ({ 'schema.registry.url': url, 'basic.auth.credentials.source': 'USER_INFO', 'basic.auth.user.info': 'ann:s3cr:et' })],
    ['URL', (url: string) => ({ 'schema.registry.url': url.replace('http://', 'http://ann:s3cr%3Aet@') })],
  ])('sends the credentials from %s as a Basic Authorization header', async (_source, configs) => {
    const seen: (string | undefined)[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/vnd.schemaregistry.v1+json' });
        res.end('{"id":12}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const c = new AvroConverter();
      c.configure(configs(url), false);
      const bytes = (await c.fromConnectData('auth', [], Schema.STRING_SCHEMA, 'x'))!;
      expect(bytes.toString('hex')).toBe('000000000c0278');
      expect(seen).toEqual([`Basic ${Buffer.from('ann:s3cr:et').toString('base64')}`]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
