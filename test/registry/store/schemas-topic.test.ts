/**
 * The `_schemas` topic as another Kafka client sees it (kafkajs): keys and values byte-exact as a
 * Confluent registry writes them, legacy forms written by other registries read back, tombstones
 * reusing the exact key bytes read, the topic checked at start, and state surviving a restart.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { collect, kafkaClient, type ConsumedRecord } from '../../helpers/kafkajs-clients.js';
import { call, startRegistryOn, startTestBroker, type RunningSchemaRegistry, type TestBroker } from '../registry-test-kit.js';

let broker: TestBroker;
const running: RunningSchemaRegistry[] = [];
let group = 0;

beforeEach(async () => {
  broker = await startTestBroker();
});
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
  await broker.close();
});

async function registry(): Promise<RunningSchemaRegistry> {
  const r = await startRegistryOn(broker);
  running.push(r);
  return r;
}

async function schemasRecords(count: number): Promise<[string | null, string | null][]> {
  const records = await collect(kafkaClient(broker.bootstrap, 'schemas-reader'), {
    topics: ['_schemas'], groupId: `schemas-reader-${++group}`, done: (r: ConsumedRecord[]) => r.length >= count,
  });
  return records.map((r) => [r.key, r.value]);
}

async function createSchemasTopic(partitions: number, cleanupPolicy: string): Promise<void> {
  const admin = kafkaClient(broker.bootstrap, 'setup').admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: '_schemas', numPartitions: partitions, configEntries: [{ name: 'cleanup.policy', value: cleanupPolicy }] }] });
  await admin.disconnect();
}

it('writes keys and values byte for byte as Confluent does', async () => {
  const { url } = await registry();
  await call(url, 'POST', '/subjects/k-value/versions', { schema: '{"type":"string"}' });
  await call(url, 'POST', '/subjects/j-value/versions', { schemaType: 'JSON', schema: '{"type":"object"}' });
  await call(url, 'POST', '/subjects/r-value/versions', {
    schema: '{"type":"record","name":"R","fields":[{"name":"k","type":"string"}]}',
  });
  await call(url, 'POST', '/subjects/u-value/versions', {
    schema: '{"type":"record","name":"U","fields":[{"name":"r","type":"R"}]}', references: [{ name: 'R', subject: 'r-value', version: 1 }],
  });
  await call(url, 'PUT', '/config', { compatibility: 'full' });
  await call(url, 'PUT', '/config/k-value', { compatibility: 'NONE' });
  await call(url, 'PUT', '/mode/j-value', { mode: 'READONLY' });
  await call(url, 'DELETE', '/mode/j-value');
  await call(url, 'DELETE', '/subjects/k-value');
  await call(url, 'DELETE', '/subjects/k-value?permanent=true');
  expect(await schemasRecords(11)).toEqual([
    ['{"keytype":"SCHEMA","subject":"k-value","version":1,"magic":1}', '{"subject":"k-value","version":1,"id":1,"schema":"\\"string\\"","deleted":false}'],
    ['{"keytype":"SCHEMA","subject":"j-value","version":1,"magic":1}',
      '{"subject":"j-value","version":1,"id":2,"schemaType":"JSON","schema":"{\\"type\\":\\"object\\"}","deleted":false}'],
    ['{"keytype":"SCHEMA","subject":"r-value","version":1,"magic":1}',
      '{"subject":"r-value","version":1,"id":3,"schema":"{\\"type\\":\\"record\\",\\"name\\":\\"R\\",\\"fields\\":[{\\"name\\":\\"k\\",\\"type\\":\\"string\\"}]}","deleted":false}'],
    ['{"keytype":"SCHEMA","subject":"u-value","version":1,"magic":1}',
      '{"subject":"u-value","version":1,"id":4,"references":[{"name":"R","subject":"r-value","version":1}],'
      + '"schema":"{\\"type\\":\\"record\\",\\"name\\":\\"U\\",\\"fields\\":[{\\"name\\":\\"r\\",\\"type\\":\\"R\\"}]}","deleted":false}'],
    ['{"keytype":"CONFIG","magic":0}', '{"compatibilityLevel":"FULL"}'],
    ['{"keytype":"CONFIG","subject":"k-value","magic":0}', '{"subject":"k-value","compatibilityLevel":"NONE"}'],
    ['{"keytype":"MODE","subject":"j-value","magic":0}', '{"subject":"j-value","mode":"READONLY"}'],
    ['{"keytype":"MODE","subject":"j-value","magic":0}', null],
    ['{"keytype":"DELETE_SUBJECT","subject":"k-value","magic":0}', '{"subject":"k-value","version":1}'],
    ['{"keytype":"SCHEMA","subject":"k-value","version":1,"magic":1}', null],
    ['{"keytype":"CONFIG","subject":"k-value","magic":0}', null],
  ]);
});

it('reads what other registries wrote (legacy key order, magic 0, subject:null, values without subject) and tombstones their exact key bytes', async () => {
  await createSchemasTopic(1, 'compact');
  const producer = kafkaClient(broker.bootstrap, 'legacy-writer').producer();
  await producer.connect();
  const legacyKey = '{"subject":"old","version":1,"magic":0,"keytype":"SCHEMA"}';
  await producer.send({
    topic: '_schemas',
    messages: [
      { key: legacyKey, value: '{"schema":"\\"int\\"","deleted":false,"id":7,"version":1,"subject":"old"}' },
      { key: '{"keytype":"CONFIG","subject":null,"magic":0}', value: '{"compatibilityLevel":"FORWARD"}' },
      { key: '{"keytype":"NOOP","magic":0}', value: null },
      { key: 'not json', value: 'garbage' },
    ],
  });
  await producer.disconnect();
  const { url } = await registry();
  expect((await call(url, 'GET', '/schemas/ids/7')).body).toEqual({ schema: '"int"' });
  expect((await call(url, 'GET', '/subjects/old/versions/1')).body).toEqual({ subject: 'old', version: 1, id: 7, schema: '"int"' });
  expect((await call(url, 'GET', '/config')).body).toEqual({ compatibilityLevel: 'FORWARD' });
  expect((await call(url, 'POST', '/subjects/new/versions', { schema: '"long"' })).body).toEqual({ id: 8 });
  await call(url, 'DELETE', '/subjects/old');
  await call(url, 'DELETE', '/subjects/old?permanent=true');
  const records = await schemasRecords(7);
  expect(records.filter(([key]) => key?.includes('"old"') && key.includes('SCHEMA')).map(([key, value]) => [key, value === null])).toEqual([
    [legacyKey, false],
    [legacyKey, true],
  ]);
});

it('refuses a _schemas topic with more than one partition, saying why', async () => {
  await createSchemasTopic(2, 'compact');
  await expect(startRegistryOn(broker)).rejects.toThrow("The schema registry's topic _schemas must have exactly 1 partition, but has 2");
});

it('refuses a _schemas topic that is not compacted', async () => {
  await createSchemasTopic(1, 'delete');
  await expect(startRegistryOn(broker)).rejects.toThrow('The retention policy of the schema topic _schemas is incorrect: expected cleanup.policy=compact, found delete');
});

it('keeps its state across a restart: ids, versions, soft deletes, config and modes; new ids continue from the highest', async () => {
  const first = await registry();
  const a = await call(first.url, 'POST', '/subjects/a/versions', { schema: '{"type":"record","name":"A","fields":[]}' });
  await call(first.url, 'POST', '/subjects/b/versions', { schema: '"string"' });
  await call(first.url, 'POST', '/subjects/b/versions', { schema: '"bytes"' });
  await call(first.url, 'DELETE', '/subjects/b/versions/1');
  await call(first.url, 'PUT', '/config/a', { compatibility: 'FULL' });
  await call(first.url, 'PUT', '/mode/b', { mode: 'READONLY' });
  await first.close();
  running.splice(running.indexOf(first), 1);

  const second = await registry();
  expect((await call(second.url, 'GET', '/subjects')).body).toEqual(['a', 'b']);
  expect((await call(second.url, 'GET', '/subjects/a/versions/1')).body.id).toBe(a.body.id);
  expect((await call(second.url, 'GET', '/subjects/b/versions')).body).toEqual([2]);
  expect((await call(second.url, 'GET', '/subjects/b/versions?deleted=true')).body).toEqual([1, 2]);
  expect((await call(second.url, 'GET', '/schemas/ids/2')).body).toEqual({ schema: '"string"' });
  expect((await call(second.url, 'GET', '/config/a')).body).toEqual({ compatibilityLevel: 'FULL' });
  expect((await call(second.url, 'GET', '/mode/b')).body).toEqual({ mode: 'READONLY' });
  expect((await call(second.url, 'POST', '/subjects/c/versions', { schema: '"double"' })).body).toEqual({ id: 4 });
  expect((await call(second.url, 'POST', '/subjects/d/versions', { schema: '"string"' })).body).toEqual({ id: 2 });
});
