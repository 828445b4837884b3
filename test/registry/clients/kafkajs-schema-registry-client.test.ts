/**
 * ferry's registry with a client nobody here wrote: @kafkajs/confluent-schema-registry registers,
 * fetches, encodes and decodes Avro, JSON Schema and Protobuf records against it (the wire format
 * is the client's: magic byte, 4-byte id, payload), looks ids up by subject and version, and
 * meets a 409 for an incompatible change.
 */
import schemaRegistryClient from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, startRegistryOn, startTestBroker, type RunningSchemaRegistry, type TestBroker } from '../registry-test-kit.js';

const { SchemaRegistry, SchemaType } = schemaRegistryClient;

let broker: TestBroker;
let registry: RunningSchemaRegistry;
let client: InstanceType<typeof SchemaRegistry>;

beforeAll(async () => {
  broker = await startTestBroker();
  registry = await startRegistryOn(broker);
  client = new SchemaRegistry({ host: registry.url });
});
afterAll(async () => {
  await registry?.close();
  await broker?.close();
});

const order = {
  type: 'record',
  name: 'Order',
  namespace: 'com.example',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'customer', type: 'string' },
    { name: 'amount', type: 'double' },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
};

it('registers an Avro schema, encodes with its id, and decodes through the registry', async () => {
  const { id } = await client.register({ type: SchemaType.AVRO, schema: JSON.stringify(order) }, { subject: 'orders-value' });
  const value = { id: 42, customer: 'ada', amount: 12.5, note: 'gift' };
  const encoded = await client.encode(id, value);
  expect(encoded[0]).toBe(0);
  expect(encoded.readInt32BE(1)).toBe(id);
  const fresh = new SchemaRegistry({ host: registry.url });
  expect(await fresh.decode(encoded)).toEqual({ id: 42, customer: 'ada', amount: 12.5, note: 'gift' });
  expect(await fresh.getLatestSchemaId('orders-value')).toBe(id);
  expect(await fresh.getRegistryId('orders-value', 1)).toBe(id);
  expect(await fresh.getRegistryIdBySchema('orders-value', { type: SchemaType.AVRO, schema: JSON.stringify(order) })).toBe(id);
  const fetched = await fresh.getSchema(id);
  expect((fetched as { name?: string }).name).toBe('com.example.Order');
  expect((await call(registry.url, 'GET', '/config/orders-value')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
});

it('evolves an Avro schema compatibly, decodes old data with the new schema, and meets 409 for an incompatible change', async () => {
  const v1 = { type: 'record', name: 'Reading', fields: [{ name: 'celsius', type: 'float' }] };
  const v2 = { ...v1, fields: [...v1.fields, { name: 'site', type: 'string', default: 'unknown' }] };
  const broken = { ...v1, fields: [{ name: 'celsius', type: 'string' }] };
  const { id: id1 } = await client.register({ type: SchemaType.AVRO, schema: JSON.stringify(v1) }, { subject: 'readings-value' });
  const { id: id2 } = await client.register({ type: SchemaType.AVRO, schema: JSON.stringify(v2) }, { subject: 'readings-value' });
  expect(id2).not.toBe(id1);
  const old = await client.encode(id1, { celsius: 21.5 });
  expect(await client.decode(old, { [SchemaType.AVRO]: { readerSchema: JSON.stringify(v2) } } as never)).toEqual({ celsius: 21.5, site: 'unknown' });
  await expect(client.register({ type: SchemaType.AVRO, schema: JSON.stringify(broken) }, { subject: 'readings-value' }))
    .rejects.toThrow(/incompatible with an earlier schema/);
});

it('registers a JSON Schema and round-trips a record', async () => {
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: { name: { type: 'string' }, age: { type: 'integer' } },
    required: ['name'],
  };
  const { id } = await client.register({ type: SchemaType.JSON, schema: JSON.stringify(schema) }, { subject: 'people-value' });
  const encoded = await client.encode(id, { name: 'ada', age: 36 });
  expect(encoded.readInt32BE(1)).toBe(id);
  expect(await new SchemaRegistry({ host: registry.url }).decode(encoded)).toEqual({ name: 'ada', age: 36 });
  expect((await call(registry.url, 'GET', `/schemas/ids/${id}`)).body.schemaType).toBe('JSON');
});

it('registers a Protobuf schema and round-trips a message', async () => {
  const schema = `syntax = "proto3";
package com.example;

message Payment {
  string id = 1;
  int64 cents = 2;
}
`;
  const { id } = await client.register({ type: SchemaType.PROTOBUF, schema }, { subject: 'payments-value' });
  const encoded = await client.encode(id, { id: 'p-1', cents: 1250 });
  expect(encoded.readInt32BE(1)).toBe(id);
  const decoded = await new SchemaRegistry({ host: registry.url }).decode(encoded) as { id: string; cents: unknown };
  expect(decoded.id).toBe('p-1');
  expect(Number(decoded.cents)).toBe(1250);
  expect((await call(registry.url, 'GET', `/schemas/ids/${id}`)).body.schemaType).toBe('PROTOBUF');
});
