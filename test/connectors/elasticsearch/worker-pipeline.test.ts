/**
 * The Elasticsearch sink through a worker on the bundled broker (`ferry start`), into the
 * Elasticsearch test server (ES 8 mode, the official client): what a user sees in the index
 * after producing to a topic — inserts, upserts and deletes by key, ids without keys, the mapping
 * from schemas, and a malformed document in the dead-letter topic while the rest is indexed.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { headerPairs } from '../../helpers/kcat.js';
import { until } from '../../helpers/until.js';
import {
  createTopic, endOffsets, esSinkConfig, lastValuePerKey, mergedPerKey, produce, readTopic, startEsWorkerSetting,
  untilCommitted, untilDocuments, type EsWorkerSetting, type Produced,
} from './worker-setting.js';

let setting: EsWorkerSetting;

beforeAll(async () => {
  setting = await startEsWorkerSetting({ mode: 'es8' });
});

afterAll(async () => {
  await setting?.close();
});

/**
 * Keyed changes over three partitions: full values for most records, a tombstone every 7th,
 * keys deleted and written again; `solo` (its own partition) is written once and deleted at once,
 * `partial` gets one field per record (what upserts merge).
 */
function keyedChanges(): Produced[] {
  const records: Produced[] = [
    { key: 'solo', value: JSON.stringify({ name: 'solo', n: -1 }), partition: 2 },
    { key: 'solo', value: null, partition: 2 },
  ];
  for (let i = 0; i < 240; i++) {
    const key = `k${i % 17}`;
    const partition = i % 17 % 2;
    if (i % 7 === 6) records.push({ key, value: null, partition });
    else records.push({ key, value: JSON.stringify({ name: key, n: i, text: `change ${i} of ${key}` }), partition });
  }
  for (const [i, field] of ['a', 'b', 'c', 'a'].entries()) records.push({ key: 'partial', value: JSON.stringify({ [field]: i }), partition: 2 });
  return records;
}

it('applies inserts and deletes by key: each document is the topic\'s last value for its key, versioned by its offset', async () => {
  await createTopic(setting, 'items-insert', 3);
  await produce(setting, 'items-insert', keyedChanges());
  await setting.rest.createConnector('items-insert', esSinkConfig(setting, 'items-insert', {
    'behavior.on.null.values': 'delete', 'batch.size': '25', 'max.in.flight.requests': '4',
  }));
  const topic = await readTopic(setting, 'items-insert');
  await untilCommitted(setting, 'items-insert', 'items-insert', endOffsets(topic));

  const expected = lastValuePerKey(topic);
  const docs = setting.es.documents('items-insert');
  expect([...docs.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [id, { source, version }] of expected) expect(docs.get(id), id).toMatchObject({ source, version });
  expect(docs.has('solo')).toBe(false);
  expect(docs.get('partial')?.source).toEqual({ a: 3 });
});

it('applies upserts (doc_as_upsert) and deletes by key: each document merges the key\'s values since its last delete', async () => {
  await createTopic(setting, 'items-upsert', 3);
  await produce(setting, 'items-upsert', keyedChanges());
  await setting.rest.createConnector('items-upsert', esSinkConfig(setting, 'items-upsert', {
    'write.method': 'upsert', 'behavior.on.null.values': 'delete', 'batch.size': '25', 'max.in.flight.requests': '4',
  }));
  const topic = await readTopic(setting, 'items-upsert');
  await untilCommitted(setting, 'items-upsert', 'items-upsert', endOffsets(topic));

  const expected = mergedPerKey(topic);
  const docs = setting.es.documents('items-upsert');
  expect(Object.fromEntries([...docs].map(([id, d]) => [id, d.source]))).toEqual(Object.fromEntries(expected));
  expect(docs.has('solo')).toBe(false);
  expect(docs.get('partial')?.source).toEqual({ a: 3, b: 1, c: 2 });
  expect(await setting.rest.status('items-upsert')).toMatchObject({ connector: { state: 'RUNNING' }, tasks: [{ state: 'RUNNING' }] });
});

it('ids records without keys as <topic>+<partition>+<offset> with key.ignore=true: one document per record', async () => {
  await createTopic(setting, 'Clicks', 2);
  const records: Produced[] = Array.from({ length: 60 }, (_, i) => ({
    key: i % 3 === 0 ? 'same-key' : null, value: JSON.stringify({ click: i, page: `/p/${i % 5}` }), partition: i % 2,
  }));
  await produce(setting, 'Clicks', records);
  await setting.rest.createConnector('clicks', esSinkConfig(setting, 'Clicks', { 'key.ignore': 'true' }));

  const docs = await untilDocuments(setting, 'clicks', 60);
  const topic = await readTopic(setting, 'Clicks');
  expect(topic).toHaveLength(60);
  expect(Object.fromEntries([...docs].map(([id, d]) => [id, d.source]))).toEqual(
    Object.fromEntries(topic.map((r) => [`Clicks+${r.partition}+${r.offset}`, JSON.parse(r.payload!)])),
  );
  await untilCommitted(setting, 'clicks', 'Clicks', endOffsets(topic));
  expect(setting.es.count('clicks')).toBe(60);
});

const ORDER_SCHEMA = {
  type: 'struct', name: 'shop.Order', optional: false, fields: [
    { field: 'id', type: 'int64', optional: false },
    { field: 'customer', type: 'string', optional: false },
    { field: 'qty', type: 'int32', optional: false },
    { field: 'priority', type: 'int8', optional: true, default: 3 },
    { field: 'shelf', type: 'int16', optional: true },
    { field: 'weight', type: 'float', optional: true },
    { field: 'price', type: 'double', optional: false },
    { field: 'paid', type: 'boolean', optional: false },
    { field: 'receipt', type: 'bytes', optional: true },
    { field: 'placed', type: 'int64', optional: false, name: 'org.apache.kafka.connect.data.Timestamp', version: 1 },
    { field: 'ships', type: 'int32', optional: true, name: 'org.apache.kafka.connect.data.Date', version: 1 },
    { field: 'total', type: 'bytes', optional: false, name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '2' } },
    { field: 'tags', type: 'array', optional: true, items: { type: 'string', optional: false } },
    { field: 'address', type: 'struct', optional: true, fields: [
      { field: 'city', type: 'string', optional: false },
      { field: 'zip', type: 'int32', optional: true },
    ] },
  ],
};

it('puts the mapping Confluent infers from the value schema (JsonConverter with schemas, schema.ignore=false) and indexes the values', async () => {
  await createTopic(setting, 'orders', 1);
  const payload = (i: number) => ({
    id: i, customer: `c${i}`, qty: i * 2, priority: 1, shelf: 7, weight: 1.5, price: 9.99, paid: i % 2 === 0,
    receipt: Buffer.from(`r${i}`).toString('base64'), placed: 1_700_000_000_000 + i, ships: 19_700 + i,
    // 12.34 as Decimal(scale 2): the unscaled 1234 as big-endian bytes, base64.
    total: Buffer.from([0x04, 0xd2]).toString('base64'), tags: ['a', `t${i}`], address: { city: 'Oslo', zip: 150 + i },
  });
  await produce(setting, 'orders', [1, 2, 3].map((i) => ({ key: `order-${i}`, value: JSON.stringify({ schema: ORDER_SCHEMA, payload: payload(i) }) })));
  await setting.rest.createConnector('orders', esSinkConfig(setting, 'orders', {
    'schema.ignore': 'false', 'value.converter.schemas.enable': 'true',
  }));

  const docs = await untilDocuments(setting, 'orders', 3);
  const text = { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
  expect(setting.es.mapping('orders')).toEqual({
    properties: {
      id: { type: 'long' }, customer: text, qty: { type: 'integer' }, priority: { type: 'byte', null_value: 3 }, shelf: { type: 'short' },
      weight: { type: 'float' }, price: { type: 'double' }, paid: { type: 'boolean' }, receipt: { type: 'binary' },
      placed: { type: 'date' }, ships: { type: 'date' }, total: { type: 'double' }, tags: text,
      address: { properties: { city: text, zip: { type: 'integer' } } },
    },
  });
  expect(docs.get('order-2')?.source).toEqual({ ...payload(2), total: 12.34 });
});

it('sends a malformed document to the dead-letter topic with the server\'s reason and context headers, and indexes every other record', async () => {
  await createTopic(setting, 'readings', 1);
  const values = Array.from({ length: 30 }, (_, i) => JSON.stringify({ sensor: `s${i}`, level: i === 17 ? 'very high' : i }));
  await produce(setting, 'readings', values.map((value, i) => ({ key: `r${i}`, value })));
  await setting.rest.createConnector('readings', esSinkConfig(setting, 'readings', {
    'behavior.on.malformed.documents': 'warn',
    'errors.tolerance': 'all',
    'errors.deadletterqueue.topic.name': 'readings-dlq',
    'errors.deadletterqueue.topic.replication.factor': '1',
    'errors.deadletterqueue.context.headers.enable': 'true',
  }));

  await untilCommitted(setting, 'readings', 'readings', new Map([[0, 30]]));
  const docs = setting.es.documents('readings');
  expect([...docs.keys()].sort()).toEqual(Array.from({ length: 30 }, (_, i) => `r${i}`).filter((id) => id !== 'r17').sort());
  expect(docs.get('r18')).toMatchObject({ source: { sensor: 's18', level: 18 }, version: 18 });
  expect(setting.es.mapping('readings')).toMatchObject({ properties: { level: { type: 'long' } } });

  const dlq = await until(async () => {
    const messages = await readTopic(setting, 'readings-dlq');
    return messages.length > 0 ? messages : null;
  }, { timeoutMs: 30_000, intervalMs: 200, what: 'a record in readings-dlq' });
  expect(dlq).toHaveLength(1);
  expect(dlq[0]!.key).toBe('r17');
  expect(dlq[0]!.payload).toBe(values[17]);
  const headers = Object.fromEntries(headerPairs(dlq[0]!));
  expect(headers).toMatchObject({
    '__connect.errors.topic': 'readings',
    '__connect.errors.partition': '0',
    '__connect.errors.offset': '17',
    '__connect.errors.connector.name': 'readings',
    '__connect.errors.task.id': '0',
    '__connect.errors.stage': 'TASK_PUT',
  });
  const reason = headers['__connect.errors.exception.message']!;
  expect(reason).toContain('document_parsing_exception');
  expect(reason).toContain('failed to parse field [level] of type [long] in document with id \'r17\'');
  expect(await setting.rest.status('readings')).toMatchObject({ connector: { state: 'RUNNING' }, tasks: [{ state: 'RUNNING' }] });
});
