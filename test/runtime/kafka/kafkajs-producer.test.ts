import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumedRecord, KafkaClient, OutgoingRecord, TopicAdmin } from '../../../runtime/kafka/kafka-client.js';
import type { KafkajsRecordProducer } from '../../../runtime/kafka/kafkajs-producer.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { createTopic, testClient, topicName } from './kafka-test-kit.js';

let broker: TestBroker;
let client: KafkaClient;
let admin: TopicAdmin;

beforeAll(async () => {
  broker = await startTestBroker();
  client = testClient(broker.bootstrap);
  admin = client.admin({ clientId: 'producer-test-admin', role: 'internal' });
});

afterAll(async () => {
  await client.close();
  await broker.close();
});

async function readAll(topic: string): Promise<ConsumedRecord[]> {
  const reader = client.topicReader({ topic, clientId: 'producer-test-reader' });
  const records: ConsumedRecord[] = [];
  reader.onRecord((r) => records.push(r));
  await reader.start();
  await reader.readToEnd();
  await reader.stop();
  return records;
}

const record = (topic: string, key: string | null, value: string | null, extra: Partial<OutgoingRecord> = {}): OutgoingRecord => ({
  topic, key: key === null ? null : Buffer.from(key), value: value === null ? null : Buffer.from(value), headers: [], ...extra,
});

describe('KafkajsRecordProducer', () => {
  it('reports the partition and offset of every record, matching where it was stored', async () => {
    const topic = await createTopic(admin, topicName('produce'), 3);
    const producer = client.producer({ clientId: 'p1', role: 'connector' });
    const sent = await producer.send([
      record(topic, 'a', '1', { partition: 2 }),
      record(topic, 'b', '2', { partition: 2, timestamp: 1_700_000_000_000, headers: [{ key: 'h', value: Buffer.from('x') }, { key: 'h', value: Buffer.from('y') }] }),
      record(topic, null, '3', { partition: 0 }),
    ]);
    expect(sent).toEqual([{ topic, partition: 2, offset: 0 }, { topic, partition: 2, offset: 1 }, { topic, partition: 0, offset: 0 }]);
    const stored = await readAll(topic);
    const b = stored.find((r) => r.key?.toString() === 'b')!;
    expect(b).toMatchObject({ partition: 2, offset: 1, timestamp: 1_700_000_000_000, timestampType: 'CreateTime' });
    expect(b.headers.map((h) => `${h.key}=${h.value}`)).toEqual(['h=x', 'h=y']);
    await producer.close();
    await expect(producer.send([record(topic, 'late', 'x')])).rejects.toThrow(/closed/);
  });

  it('coalesces concurrent sends into few produce requests and keeps each partition in send order', async () => {
    const topic = await createTopic(admin, topicName('coalesce'), 4);
    const producer = client.producer({ clientId: 'p2', role: 'connector' }) as KafkajsRecordProducer;
    const sends = Array.from({ length: 200 }, (_, i) => producer.send([record(topic, `k${i % 10}`, `v${i}`)]));
    const metadata = (await Promise.all(sends)).flat();
    expect(producer.requests).toBeLessThanOrEqual(3);
    const stored = await readAll(topic);
    expect(stored).toHaveLength(200);
    for (const m of metadata) expect(stored.some((r) => r.partition === m.partition && r.offset === m.offset)).toBe(true);
    for (let key = 0; key < 10; key++) {
      const values = stored.filter((r) => r.key!.toString() === `k${key}`).map((r) => Number(r.value!.toString().slice(1)));
      expect(values).toEqual([...values].sort((x, y) => x - y));
      expect(new Set(stored.filter((r) => r.key!.toString() === `k${key}`).map((r) => r.partition)).size).toBe(1);
    }
    await producer.close();
  });

  it('puts keyed records in the partition Java\'s default partitioner picks: murmur2(key) % partitions', async () => {
    const topic = await createTopic(admin, topicName('murmur'), 5);
    const producer = client.producer({ clientId: 'p3', role: 'internal' });
    const keys = ['21', 'foobar', 'a-little-bit-long-string', 'a-little-bit-longer-string', 'lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'];
    // Kafka's UtilsTest.testMurmur2 expected hashes for these keys.
    const javaHashes = [-973932308, -790332482, -985981536, 1486304829, -58897971];
    const sent = await producer.send(keys.map((k) => record(topic, k, 'v')));
    expect(sent.map((m) => m.partition)).toEqual(javaHashes.map((h) => (h & 0x7fffffff) % 5));
    await producer.close();
  });

  it('splits a large backlog into requests of at most max.request.size bytes', async () => {
    const topic = await createTopic(admin, topicName('split'), 1);
    const producer = client.producer({ clientId: 'p4', role: 'connector', overrides: { 'max.request.size': '20000' } }) as KafkajsRecordProducer;
    const value = 'x'.repeat(1000);
    await Promise.all(Array.from({ length: 100 }, (_, i) => producer.send([record(topic, String(i), value)])));
    expect(producer.requests).toBeGreaterThanOrEqual(5);
    const stored = await readAll(topic);
    expect(stored.map((r) => r.key!.toString())).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
    await producer.close();
  });

  it('compresses with zstd, and flush waits for everything sent before it', async () => {
    const topic = await createTopic(admin, topicName('zstd'), 1);
    const producer = client.producer({ clientId: 'p5', role: 'connector', overrides: { 'compression.type': 'zstd', 'linger.ms': '60000' } });
    const pending = producer.send([record(topic, 'k', 'compressed '.repeat(50))]);
    await producer.flush();
    await expect(pending).resolves.toEqual([{ topic, partition: 0, offset: 0 }]);
    expect((await readAll(topic))[0]!.value!.toString()).toBe('compressed '.repeat(50));
    await producer.close();
  });

  it('rejects the sends of a request the broker refuses', async () => {
    const topic = await createTopic(admin, topicName('refused'), 1, { 'cleanup.policy': 'compact' });
    const producer = client.producer({ clientId: 'p6', role: 'connector', overrides: { 'delivery.timeout.ms': '1000' } });
    await expect(producer.send([record(topic, null, 'no key on a compacted topic')])).rejects.toBeInstanceOf(kafkajs.KafkaJSError);
    await expect(producer.send([record(topic, 'k', 'keyed')])).resolves.toEqual([{ topic, partition: 0, offset: 0 }]);
    await producer.close();
  });
});
