import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaClientConfigError } from '../../../runtime/kafka/client-settings.js';
import type { ConsumedRecord, KafkaClient, OutgoingRecord, RecordMetadata, TopicAdmin } from '../../../runtime/kafka/kafka-client.js';
import { KafkaError } from '../../../runtime/kafka/wire/kafka-error.js';
import { keyedPartition, murmur2 } from '../../../runtime/kafka/wire/partitioner.js';
import { ProducerTimeoutError, type WireRecordProducer } from '../../../runtime/kafka/wire/wire-record-producer.js';
import { javaPartition, murmur2 as javaMurmur2 } from '../../helpers/java-partition.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { createTopic, testClient, topicName } from './kafka-test-kit.js';
import { startDelayProxy } from '../../helpers/delay-proxy.js';

setFlagsFromString('--expose-gc');
/** A full garbage collection, from a context created after --expose-gc was set. */
const collectGarbage = runInNewContext('gc') as () => void;

let broker: TestBroker;
let client: KafkaClient;
let admin: TopicAdmin;

beforeAll(async () => {
  broker = await startTestBroker();
  client = testClient(broker.bootstrap);
  admin = client.admin({ clientId: 'wire-producer-test-admin', role: 'internal' });
});

afterAll(async () => {
  await client.close();
  await broker.close();
});

async function readAll(topic: string, from: KafkaClient = client): Promise<ConsumedRecord[]> {
  const reader = from.topicReader({ topic, clientId: 'wire-producer-test-reader' });
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

/** Values of one key in log order, with retried duplicates dropped (first occurrence kept). */
function firstOccurrences(records: readonly ConsumedRecord[], key: string): number[] {
  const seen = new Set<number>();
  const out: number[] = [];
  for (const r of records) {
    if (r.key?.toString() !== key) continue;
    const v = Number(r.value!.toString());
    if (!seen.has(v)) out.push(v);
    seen.add(v);
  }
  return out;
}

/** String values of one key in log order, with retried duplicates dropped (first occurrence kept). */
function firstOccurrencesOf(records: readonly ConsumedRecord[], key: string): string[] {
  const values = records.filter((r) => r.key?.toString() === key).map((r) => r.value!.toString());
  return values.filter((v, i) => values.indexOf(v) === i);
}

const KAFKA_MURMUR2_CASES: [string, number][] = [
  // Kafka's UtilsTest.testMurmur2
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  ['abc', 479470107],
];

describe('murmur2 partitioner', () => {
  it('hashes keys exactly as Kafka\'s Utils.murmur2 does', () => {
    for (const [key, hash] of KAFKA_MURMUR2_CASES) expect(murmur2(Buffer.from(key))).toBe(hash);
  });

  it('picks the partition the Java client picks for any key bytes, high bytes and odd lengths included', () => {
    for (let i = 0; i < 500; i++) {
      const key = randomBytes(i % 23);
      expect(murmur2(key)).toBe(javaMurmur2(key));
      expect(keyedPartition(key, 7)).toBe(javaPartition(key, 7));
    }
  });
});

describe('WireRecordProducer', () => {
  it('stores keys, values, headers and timestamps where the returned metadata says', async () => {
    const topic = await createTopic(admin, topicName('produce'), 3);
    const producer = client.producer({ clientId: 'p1', role: 'connector' });
    const before = Date.now();
    const sent = await producer.send([
      record(topic, 'a', '1', { partition: 2 }),
      record(topic, 'b', '2', {
        partition: 2, timestamp: 1_700_000_000_000,
        headers: [{ key: 'h', value: Buffer.from('x') }, { key: 'h', value: Buffer.from('y') }, { key: 'gone', value: null }],
      }),
      record(topic, null, null, { partition: 0 }),
    ]);
    const after = Date.now();
    expect(sent).toEqual([{ topic, partition: 2, offset: 0 }, { topic, partition: 2, offset: 1 }, { topic, partition: 0, offset: 0 }]);
    const stored = await readAll(topic);
    const a = stored.find((r) => r.key?.toString() === 'a')!;
    expect(a).toMatchObject({ partition: 2, offset: 0, timestampType: 'CreateTime' });
    expect(a.timestamp).toBeGreaterThanOrEqual(before);
    expect(a.timestamp).toBeLessThanOrEqual(after);
    const b = stored.find((r) => r.key?.toString() === 'b')!;
    expect(b).toMatchObject({ partition: 2, offset: 1, timestamp: 1_700_000_000_000 });
    expect(b.headers.map((h) => `${h.key}=${h.value === null ? 'null' : h.value.toString()}`)).toEqual(['h=x', 'h=y', 'gone=null']);
    expect(stored.find((r) => r.partition === 0)).toMatchObject({ key: null, value: null, offset: 0 });
    await producer.close();
    await expect(producer.send([record(topic, 'late', 'x')])).rejects.toThrow(/closed/);
  });

  it('puts keyed records in the partition Java\'s default partitioner picks: murmur2(key) % partitions', async () => {
    const topic = await createTopic(admin, topicName('murmur'), 7);
    const producer = client.producer({ clientId: 'p2', role: 'internal' });
    const sent = await producer.send(KAFKA_MURMUR2_CASES.map(([key]) => record(topic, key, 'v')));
    expect(sent.map((m) => m.partition)).toEqual(KAFKA_MURMUR2_CASES.map(([, hash]) => (hash & 0x7fffffff) % 7));
    const stored = await readAll(topic);
    for (const [key, hash] of KAFKA_MURMUR2_CASES) {
      expect(stored.find((r) => r.key?.toString() === key)!.partition).toBe((hash & 0x7fffffff) % 7);
    }
    await producer.close();
  });

  it('spreads unkeyed records over the partitions', async () => {
    const topic = await createTopic(admin, topicName('sticky'), 3);
    const producer = client.producer({ clientId: 'p3', role: 'connector', overrides: { 'batch.size': '500' } });
    const sends = Array.from({ length: 60 }, (_, i) => producer.send([record(topic, null, `value-${i}`)]));
    const partitions = new Set((await Promise.all(sends)).flat().map((m) => m.partition));
    expect(partitions.size).toBe(3);
    await producer.close();
  });

  it('coalesces concurrent sends into few produce requests and keeps each partition in send order', async () => {
    const topic = await createTopic(admin, topicName('coalesce'), 4);
    const producer = client.producer({ clientId: 'p4', role: 'connector' }) as WireRecordProducer;
    const sends: Promise<RecordMetadata[]>[] = [];
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 400; i++) {
        const n = round * 400 + i;
        sends.push(producer.send([record(topic, `k${n % 10}`, String(n))]));
      }
      await sends[sends.length - 1];
    }
    const metadata = (await Promise.all(sends)).flat();
    expect(producer.requests).toBeLessThanOrEqual(12);
    const stored = await readAll(topic);
    expect(stored).toHaveLength(2000);
    const at = new Map(stored.map((r) => [`${r.partition}:${r.offset}`, r.value!.toString()]));
    metadata.forEach((m, n) => expect(at.get(`${m.partition}:${m.offset}`)).toBe(String(n)));
    for (let key = 0; key < 10; key++) {
      const values = stored.filter((r) => r.key!.toString() === `k${key}`).map((r) => Number(r.value!.toString()));
      expect(values).toEqual(Array.from({ length: 200 }, (_, i) => i * 10 + key));
    }
    await producer.close();
  });

  it('resolves sends with offset -1 under acks=0, and the records still arrive', async () => {
    const topic = await createTopic(admin, topicName('acks0'), 1);
    const producer = client.producer({ clientId: 'p5', role: 'connector', overrides: { acks: '0' } });
    const sent = await Promise.all([producer.send([record(topic, 'a', '1')]), producer.send([record(topic, 'b', '2')])]);
    expect(sent.flat()).toEqual([{ topic, partition: 0, offset: -1 }, { topic, partition: 0, offset: -1 }]);
    await producer.close();
    expect((await readAll(topic)).map((r) => r.value!.toString())).toEqual(['1', '2']);
  });

  it.each(['gzip', 'snappy', 'lz4', 'zstd'])('writes %s-compressed batches that read back intact', async (codec) => {
    const topic = await createTopic(admin, topicName(`codec-${codec}`), 1);
    const producer = client.producer({ clientId: `p-${codec}`, role: 'connector', overrides: { 'compression.type': codec } });
    const values = Array.from({ length: 50 }, (_, i) => `${codec} record ${i} `.repeat(20));
    const sent = await producer.send(values.map((v, i) => record(topic, `k${i}`, v, { partition: 0 })));
    expect(sent.map((m) => m.offset)).toEqual(values.map((_, i) => i));
    expect((await readAll(topic)).map((r) => r.value!.toString())).toEqual(values);
    await producer.close();
  });

  it('creates a topic that does not exist yet on a broker with auto-create, as the Java producer does', async () => {
    const topic = topicName('auto-created');
    const producer = client.producer({ clientId: 'p6', role: 'connector' });
    const sent = await producer.send([record(topic, 'k', 'first'), record(topic, 'k', 'second')]);
    expect(sent.map((m) => m.offset)).toEqual([0, 1]);
    expect(await admin.partitionCount(topic)).toBeGreaterThan(0);
    expect((await readAll(topic)).map((r) => r.value!.toString())).toEqual(['first', 'second']);
    await producer.close();
  });

  it('splits a large backlog into requests of at most max.request.size bytes, in order', async () => {
    const topic = await createTopic(admin, topicName('split'), 1);
    const producer = client.producer({ clientId: 'p7', role: 'connector', overrides: { 'max.request.size': '20000' } }) as WireRecordProducer;
    const value = 'x'.repeat(1000);
    await Promise.all(Array.from({ length: 100 }, (_, i) => producer.send([record(topic, String(i), value)])));
    expect(producer.requests).toBeGreaterThanOrEqual(5);
    const stored = await readAll(topic);
    expect(stored.map((r) => r.key!.toString())).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
    await producer.close();
  });

  it('rejects a record above max.request.size without sending anything of that send', async () => {
    const topic = await createTopic(admin, topicName('too-big-for-request'), 1);
    const producer = client.producer({ clientId: 'p8', role: 'connector', overrides: { 'max.request.size': '10000' } });
    const refused = producer.send([record(topic, 'small', 'x'), record(topic, 'big', 'y'.repeat(20_000))]);
    await expect(refused).rejects.toMatchObject({ code: 10, retriable: false });
    await expect(producer.send([record(topic, 'after', 'z')])).resolves.toEqual([{ topic, partition: 0, offset: 0 }]);
    await producer.close();
  });

  it('rejects only the send whose record exceeds the topic\'s max.message.bytes; the sends around it are stored', async () => {
    const topic = await createTopic(admin, topicName('too-big-for-topic'), 1, { 'max.message.bytes': '2000' });
    const producer = client.producer({ clientId: 'p9', role: 'connector' });
    const before = Array.from({ length: 10 }, (_, i) => producer.send([record(topic, `before-${i}`, 'small')]));
    const big = producer.send([record(topic, 'big', 'b'.repeat(5000))]);
    const after = producer.send([record(topic, 'after', 'small')]);
    const error = await big.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(KafkaError);
    expect(error).toMatchObject({ code: 10, retriable: false });
    await Promise.all([...before, after]);
    expect((await readAll(topic)).map((r) => r.key!.toString())).toEqual([...Array.from({ length: 10 }, (_, i) => `before-${i}`), 'after']);
    await producer.close();
  });

  it('holds the records queued behind a batch in flight as encoded batches, not as the objects it was given, and sends them in order, split when the topic takes less', async () => {
    const proxy = await startDelayProxy();
    const slowBroker = await startTestBroker({ advertisedPort: proxy.port });
    proxy.target = { host: '127.0.0.1', port: slowBroker.port };
    const slowClient = testClient(proxy.address);
    try {
      // Batches of 1 MiB are too large for this topic: the sealed ones are split (decoded again from their bytes) when refused.
      const topic = await createTopic(slowClient.admin({ clientId: 'sealed-admin', role: 'internal' }), topicName('sealed'), 1, { 'max.message.bytes': '300000' });
      const producer = slowClient.producer({ clientId: 'p-sealed', role: 'connector' });
      await producer.send([record(topic, 'first', 'x')]);
      // Every request now spends a while on the wire, so the next batch is in flight while 4 MB more are sent.
      proxy.delayMs = 300;
      const value = 'v'.repeat(1000);
      const alive: WeakRef<OutgoingRecord>[] = [];
      const sendRecords = (from: number, count: number) => {
        const records = Array.from({ length: count }, (_, i) => record(topic, String(from + i), value));
        for (const r of records) alive.push(new WeakRef(r));
        return producer.send(records);
      };
      const sends = [sendRecords(0, 100)];
      await new Promise((resolve) => setImmediate(resolve));
      for (let i = 0; i < 4; i++) sends.push(sendRecords(100 + 1000 * i, 1000));
      // A WeakRef keeps its record alive until the job that made it ends: collect in a later one.
      await new Promise((resolve) => setTimeout(resolve, 20));
      collectGarbage();
      const behind = alive.slice(100).filter((ref) => ref.deref() !== undefined).length;
      // 4,000 records of ~1 KB are four batches of 1 MiB: three are sealed, the rest (under a batch) waits as records.
      expect(behind).toBeLessThan(1000);
      proxy.delayMs = 0;
      await Promise.all(sends);
      const stored = await readAll(topic, slowClient);
      expect(stored.map((r) => r.key!.toString())).toEqual(['first', ...Array.from({ length: 4100 }, (_, i) => String(i))]);
      await producer.close();
    } finally {
      await slowClient.close();
      await slowBroker.close();
      await proxy.close();
    }
  });

  it('reuses the buffers of acknowledged batches instead of allocating one per batch, and every record arrives as sent', async () => {
    const topic = await createTopic(admin, topicName('pooled'), 4);
    const batchSize = 64 * 1024;
    const producer = client.producer({ clientId: 'p-pooled', role: 'connector', overrides: { 'batch.size': String(batchSize) } }) as WireRecordProducer;
    const sent: string[] = [];
    const round = (n: number) => {
      const records = Array.from({ length: 64 }, (_, i) => {
        const value = `${n}-${i}-${randomBytes(500).toString('hex')}`;
        sent.push(value);
        return record(topic, null, value, { partition: i % 4 });
      });
      return producer.send(records);
    };
    // One round at a time: each round's batches are acknowledged before the next is built.
    for (let n = 0; n < 48; n++) await round(n);
    // 48 rounds of 4 batches; a buffer per batch would be 192 of them.
    expect(producer.batchBufferBytes).toBeLessThanOrEqual(8 * (batchSize + 61));
    // Rounds sent together: buffers come back while others are in flight and sealed behind them.
    await Promise.all(Array.from({ length: 48 }, (_, n) => round(48 + n)));
    await producer.close();
    const stored = await readAll(topic);
    expect(stored.map((r) => r.value!.toString()).sort()).toEqual([...sent].sort());
    for (let p = 0; p < 4; p++) {
      const values = stored.filter((r) => r.partition === p).map((r) => r.value!.toString());
      expect(values).toEqual(sent.filter((_, i) => (i % 64) % 4 === p));
    }
  });

  it('resends the bytes of a batch whose connection broke, not those of batches built while it was out', async () => {
    const proxy = await startDelayProxy();
    const slowBroker = await startTestBroker({ advertisedPort: proxy.port });
    proxy.target = { host: '127.0.0.1', port: slowBroker.port };
    const slowClient = testClient(proxy.address, { producer: { 'retry.backoff.ms': '20', 'retry.backoff.max.ms': '50' } });
    try {
      const topic = await createTopic(slowClient.admin({ clientId: 'cut-admin', role: 'internal' }), topicName('cut'), 1);
      const producer = slowClient.producer({ clientId: 'p-cut', role: 'connector', overrides: { 'batch.size': String(64 * 1024) } });
      await producer.send([record(topic, 'first', 'x')]);
      proxy.delayMs = 200;
      const sent: string[] = [];
      const sendRound = (n: number) => producer.send(Array.from({ length: 64 }, (_, i) => {
        const value = `${n}-${i}-${randomBytes(500).toString('hex')}`;
        sent.push(value);
        return record(topic, 'k', value);
      }));
      // The first round's batch goes out and waits in the link; the rounds after it are sealed behind it.
      const sends = [sendRound(0)];
      await new Promise((resolve) => setImmediate(resolve));
      for (let n = 1; n < 8; n++) sends.push(sendRound(n));
      await new Promise((resolve) => setTimeout(resolve, 50));
      proxy.cut();
      proxy.delayMs = 0;
      await Promise.all(sends);
      await producer.close();
      expect(firstOccurrencesOf(await readAll(topic, slowClient), 'k')).toEqual(sent);
    } finally {
      await slowClient.close();
      await slowBroker.close();
      await proxy.close();
    }
  });

  it('rejects the sends of a batch the broker refuses for good', async () => {
    const topic = await createTopic(admin, topicName('refused'), 1, { 'cleanup.policy': 'compact' });
    const producer = client.producer({ clientId: 'p10', role: 'connector' });
    await expect(producer.send([record(topic, null, 'no key on a compacted topic')])).rejects.toMatchObject({ name: 'KafkaError', retriable: false });
    await expect(producer.send([record(topic, 'k', 'keyed')])).resolves.toEqual([{ topic, partition: 0, offset: 0 }]);
    await producer.close();
  });

  it('rejects a record for a partition the topic does not have', async () => {
    const topic = await createTopic(admin, topicName('no-such-partition'), 2);
    const producer = client.producer({ clientId: 'p11', role: 'connector' });
    await expect(producer.send([record(topic, 'k', 'v', { partition: 5 })])).rejects.toThrow(/partition 5/);
    await expect(producer.send([record(topic, 'k', 'v', { partition: -1 })])).rejects.toThrow(/partition -1/);
    await expect(producer.send([record(topic, 'k', 'v', { partition: 1 })])).resolves.toEqual([{ topic, partition: 1, offset: 0 }]);
    await producer.close();
  });

  it('sends at once on flush even with a long linger.ms, and flush waits for everything sent before it', async () => {
    const topic = await createTopic(admin, topicName('flush'), 1);
    const producer = client.producer({ clientId: 'p12', role: 'connector', overrides: { 'linger.ms': '60000' } });
    let settled = false;
    const pending = producer.send([record(topic, 'k', 'v')]).finally(() => { settled = true; });
    await producer.flush();
    expect(settled).toBe(true);
    await expect(pending).resolves.toEqual([{ topic, partition: 0, offset: 0 }]);
    await producer.close();
  });

  it('refuses enable.idempotence=true instead of silently producing without it', () => {
    expect(() => client.producer({ clientId: 'p13', role: 'connector', overrides: { 'enable.idempotence': 'true' } }))
      .toThrow(KafkaClientConfigError);
  });

  it('keeps retrying through a broker restart and delivers every record, each key in order', async () => {
    const dataDir = tempDir('ferry-producer-restart-');
    let restartable = await startTestBroker({ dataDir });
    const port = restartable.port;
    const own = testClient(restartable.bootstrap, { producer: { 'retry.backoff.ms': '20', 'retry.backoff.max.ms': '100' } });
    try {
      const topic = await createTopic(own.admin({ clientId: 'restart-admin', role: 'internal' }), topicName('restart'), 2);
      const producer = own.producer({ clientId: 'restart-producer', role: 'connector' });
      const sends: Promise<RecordMetadata[]>[] = [];
      let n = 0;
      const sendSome = (count: number) => {
        for (let i = 0; i < count; i++, n++) sends.push(producer.send([record(topic, `k${n % 4}`, String(n))]));
      };
      sendSome(200);
      await sends[sends.length - 1];
      sendSome(200);
      await restartable.close();
      sendSome(200);
      restartable = await startTestBroker({ dataDir, port });
      sendSome(200);
      await Promise.all(sends);
      const stored = await readAll(topic, own);
      for (let key = 0; key < 4; key++) {
        expect(firstOccurrences(stored, `k${key}`)).toEqual(Array.from({ length: 200 }, (_, i) => i * 4 + key));
      }
      await producer.close();
    } finally {
      await own.close();
      await restartable.close();
    }
  });

  it('waits for a topic a broker without auto-create does not have, and gives up after delivery.timeout.ms', async () => {
    const strict = await startTestBroker({ autoCreateTopics: false });
    const own = testClient(strict.bootstrap, { producer: { 'retry.backoff.ms': '20', 'retry.backoff.max.ms': '50' } });
    try {
      const impatient = own.producer({ clientId: 'impatient', role: 'connector', overrides: { 'delivery.timeout.ms': '300' } });
      await expect(impatient.send([record(topicName('never'), 'k', 'v')])).rejects.toBeInstanceOf(ProducerTimeoutError);
      const topic = topicName('later');
      const patient = own.producer({ clientId: 'patient', role: 'connector' });
      const pending = patient.send([record(topic, 'k', 'v')]);
      await createTopic(own.admin({ clientId: 'later-admin', role: 'internal' }), topic, 1);
      await expect(pending).resolves.toEqual([{ topic, partition: 0, offset: 0 }]);
    } finally {
      await own.close();
      await strict.close();
    }
  });

  it('moves 100-byte records through send() with acks=all at a high rate', async () => {
    const topic = await createTopic(admin, topicName('rate'), 1);
    const producer = client.producer({ clientId: 'rate', role: 'connector' });
    const value = Buffer.alloc(100, 0x61);
    const total = 200_000;
    const perSend = 100;
    const batch = Array.from({ length: perSend }, (): OutgoingRecord => ({ topic, key: null, value, headers: [] }));
    const started = performance.now();
    const window: Promise<RecordMetadata[]>[] = [];
    for (let i = 0; i < total / perSend; i++) {
      window.push(producer.send(batch));
      if (window.length >= 100) await window.shift();
    }
    await Promise.all(window);
    const perSecond = Math.round(total / ((performance.now() - started) / 1000));
    console.log(`WireRecordProducer: ${perSecond} records/s (100-byte values, acks=all, in-process broker)`);
    expect(perSecond).toBeGreaterThan(30_000);
    expect(await admin.endOffsets(topic)).toEqual(new Map([[0, total]]));
    await producer.close();
  });
});
