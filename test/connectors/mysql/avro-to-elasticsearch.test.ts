/**
 * The pipeline most Debezium users run, with Confluent's AvroConverter on both sides: MariaDB →
 * io.debezium.connector.mariadb.MariaDbConnector → Avro records against the Schema Registry that
 * `ferry start` runs → the Elasticsearch sink (unwrapped with ExtractNewRecordState, keyed by the
 * row's id) → the Elasticsearch test server. What a user checks: the subjects and the Debezium
 * schema names the registry holds, the Avro bytes on the topic (magic byte and a registered id),
 * the index mapping derived from the Avro schemas, and documents that follow inserts, updates
 * and deletes.
 */
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import avsc from 'avsc';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startElasticsearchTestServer, type EsTestServer } from '../../helpers/elasticsearch-server.js';
import { kafkaClient } from '../../helpers/kafkajs-clients.js';
import { until } from '../../helpers/until.js';
import { cdcConfig, startCdcSetting, type CdcSetting } from './cdc-harness.js';

const AVRO = 'io.confluent.connect.avro.AvroConverter';
const PREFIX = 'avroshop';
const TOPIC = `${PREFIX}.inventory.products`;

let setting: CdcSetting;
let es: EsTestServer;

beforeAll(async () => {
  [setting, es] = await Promise.all([startCdcSetting(), startElasticsearchTestServer({ mode: 'es8' })]);
  await setting.db.query(`
    CREATE DATABASE inventory;
    CREATE TABLE inventory.products (
      id INT PRIMARY KEY, name VARCHAR(64) NOT NULL, price DECIMAL(10,2) NOT NULL, stock INT, added DATE NOT NULL
    ) DEFAULT CHARSET=utf8mb4;
    INSERT INTO inventory.products VALUES (1, 'kettle', 24.50, 12, '2026-01-05'), (2, 'teapot', 31.00, NULL, '2026-02-11');
  `);
});

afterAll(async () => {
  await setting?.ferry.stop();
  await es?.close();
});

/** The first `count` values of the topic as raw bytes (kafkajs, no converter). */
async function rawValues(topic: string, count: number): Promise<Buffer[]> {
  const consumer = kafkaClient(setting.ferry.bootstrap, 'avro-es-raw').consumer({ groupId: `raw-${topic}-${Date.now()}`, maxWaitTimeInMs: 100 });
  const values: Buffer[] = [];
  let enough!: () => void;
  const done = new Promise<void>((resolve) => { enough = resolve; });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.value !== null) values.push(message.value);
        if (values.length >= count) enough();
      },
    });
    await done;
  } finally {
    await consumer.disconnect();
  }
  return values.slice(0, count);
}

function avroConverters(): Record<string, string> {
  const url = setting.ferry.registryUrl;
  return {
    'key.converter': AVRO, 'key.converter.schema.registry.url': url,
    'value.converter': AVRO, 'value.converter.schema.registry.url': url,
  };
}

async function registry<T>(path: string): Promise<T> {
  const response = await fetch(`${setting.ferry.registryUrl}${path}`);
  expect(response.status, path).toBe(200);
  return await response.json() as T;
}

it('registers Debezium\'s key and envelope schemas and writes Confluent-framed Avro records', async () => {
  await setting.rest.createConnector('products-cdc', cdcConfig(setting, PREFIX, {
    'table.include.list': 'inventory\\.products', ...avroConverters(),
  }));
  await setting.rest.untilStates('products-cdc', { connector: 'RUNNING', tasks: ['RUNNING'] });
  const values = await rawValues(TOPIC, 2);

  const subjects = await registry<string[]>('/subjects');
  expect(subjects).toEqual(expect.arrayContaining([`${TOPIC}-key`, `${TOPIC}-value`]));
  const value = await registry<{ id: number; schema: string }>(`/subjects/${TOPIC}-value/versions/latest`);
  const envelope = JSON.parse(value.schema) as { type: string; name: string; namespace: string; fields: Array<{ name: string; type: unknown }>; 'connect.name': string };
  expect(envelope).toMatchObject({ type: 'record', name: 'Envelope', namespace: TOPIC, 'connect.name': `${TOPIC}.Envelope` });
  expect(envelope.fields.map((f) => f.name)).toEqual(['before', 'after', 'source', 'transaction', 'op', 'ts_ms', 'ts_us', 'ts_ns']);
  // before: an optional record of the row, as Confluent's AvroData writes optional structs;
  // after: the same named record, referred to by its name.
  const before = envelope.fields[0]!.type as [string, { type: string; name: string; fields: Array<{ name: string; type: unknown }> }];
  expect(before[0]).toBe('null');
  // Its namespace is the envelope's, so Java's printer leaves it out.
  expect(before[1]).toMatchObject({ type: 'record', name: 'Value', 'connect.name': `${TOPIC}.Value` });
  expect(before[1]).not.toHaveProperty('namespace');
  expect(envelope.fields[1]!.type).toEqual(['null', 'Value']);
  expect(before[1].fields.map((f) => f.name)).toEqual(['id', 'name', 'price', 'stock', 'added']);
  const price = before[1].fields.find((f) => f.name === 'price')!.type as Record<string, unknown>;
  expect(price).toMatchObject({ type: 'bytes', logicalType: 'decimal', scale: 2, precision: 10, 'connect.name': 'org.apache.kafka.connect.data.Decimal' });
  const added = before[1].fields.find((f) => f.name === 'added')!.type as Record<string, unknown>;
  expect(added).toMatchObject({ type: 'int', 'connect.name': 'io.debezium.time.Date' });

  // Each value on the topic: magic byte 0, then the id the registry gave the envelope schema,
  // and a client nobody here wrote decodes it.
  for (const bytes of values) {
    expect(bytes[0]).toBe(0);
    expect(bytes.readInt32BE(1)).toBe(value.id);
  }
  // ts_ns (nanoseconds since 1970) is beyond 2^53: longs are read as BigInt, as avsc documents.
  const bigLongs = avsc.types.LongType.__with({
    fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
    toBuffer: (n: bigint) => { const buf = Buffer.alloc(8); buf.writeBigInt64LE(n); return buf; },
    fromJSON: BigInt,
    toJSON: Number,
    isValid: (n: unknown) => typeof n === 'bigint',
    compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
  });
  const client = new SchemaRegistry({ host: setting.ferry.registryUrl }, { [SchemaType.AVRO]: { registry: { long: bigLongs } } });
  const decoded = await client.decode(values[0]!) as { op: string; after: Record<string, unknown> };
  expect(decoded.op).toBe('r');
  expect(decoded.after).toMatchObject({ id: 1, name: 'kettle', stock: 12, added: 20458 });
  expect(await registry<number[]>(`/subjects/${TOPIC}-value/versions`)).toEqual([1]);
});

it('indexes the rows in Elasticsearch through the Avro schemas, following updates and deletes', async () => {
  await setting.rest.createConnector('products-es', {
    'connector.class': 'io.confluent.connect.elasticsearch.ElasticsearchSinkConnector',
    'tasks.max': '1',
    topics: TOPIC,
    'connection.url': es.url,
    ...avroConverters(),
    'schema.ignore': 'false',
    'key.ignore': 'false',
    'behavior.on.null.values': 'delete',
    transforms: 'unwrap,id',
    'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
    'transforms.unwrap.drop.tombstones': 'false',
    'transforms.id.type': 'org.apache.kafka.connect.transforms.ExtractField$Key',
    'transforms.id.field': 'id',
  });
  await until(() => es.count(TOPIC) === 2, { timeoutMs: 30_000, intervalMs: 100, what: 'two documents' });
  expect(es.documents(TOPIC).get('1')?.source).toEqual({ id: 1, name: 'kettle', price: 24.5, stock: 12, added: 20458 });
  expect(es.documents(TOPIC).get('2')?.source).toEqual({ id: 2, name: 'teapot', price: 31, stock: null, added: 20495 });
  const text = { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
  expect(es.mapping(TOPIC)).toEqual({
    properties: { id: { type: 'integer' }, name: text, price: { type: 'double' }, stock: { type: 'integer' }, added: { type: 'integer' } },
  });

  await setting.db.query(`
    UPDATE inventory.products SET price = 19.99, stock = 40 WHERE id = 1;
    DELETE FROM inventory.products WHERE id = 2;
    INSERT INTO inventory.products VALUES (3, 'cup', 4.25, 300, '2026-03-01');
  `);
  await until(() => es.count(TOPIC) === 2 && es.documents(TOPIC).has('3') && !es.documents(TOPIC).has('2'),
    { timeoutMs: 30_000, intervalMs: 100, what: 'the update, delete and insert in the index' });
  expect(es.documents(TOPIC).get('1')?.source).toMatchObject({ price: 19.99, stock: 40 });
  expect(es.documents(TOPIC).get('3')?.source).toEqual({ id: 3, name: 'cup', price: 4.25, stock: 300, added: 20513 });
});
