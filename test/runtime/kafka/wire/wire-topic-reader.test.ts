import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumedRecord, KafkaClient, RecordProducer, TopicAdmin } from '../../../../runtime/kafka/kafka-client.js';
import { startTestBroker, type TestBroker } from '../../../helpers/test-broker.js';
import { tempDir } from '../../../helpers/temp-dir.js';
import { until } from '../../../helpers/until.js';
import { createTopic, summary, testClient, topicName } from '../kafka-test-kit.js';

let broker: TestBroker;
let client: KafkaClient;
let admin: TopicAdmin;
let producer: RecordProducer;

beforeAll(async () => {
  broker = await startTestBroker();
  client = testClient(broker.bootstrap);
  admin = client.admin({ clientId: 'reader-test-admin', role: 'internal' });
  producer = client.producer({ clientId: 'reader-test-producer', role: 'internal' });
});

afterAll(async () => {
  await client.close();
  await broker.close();
});

const send = (topic: string, partition: number, ...kvs: [string, string | null][]) =>
  producer.send(kvs.map(([k, v]) => ({ topic, partition, key: Buffer.from(k), value: v === null ? null : Buffer.from(v), headers: [] })));

function startedReader(topic: string) {
  const reader = client.topicReader({ topic, clientId: 'reader-test' });
  const seen: ConsumedRecord[] = [];
  reader.onRecord((r) => seen.push(r));
  return { reader, seen, started: reader.start() };
}

describe('WireTopicReader', () => {
  it('reads every partition of a topic from the beginning, each in offset order', async () => {
    const topic = await createTopic(admin, topicName('multi'), 3);
    await send(topic, 0, ['a', '1'], ['b', '2']);
    await send(topic, 1, ['c', '3']);
    await send(topic, 2, ['d', null], ['e', '5'], ['f', '6']);
    const { reader, seen, started } = startedReader(topic);
    await started;
    await reader.readToEnd();
    const byPartition = (p: number) => summary(seen.filter((r) => r.partition === p));
    expect(byPartition(0)).toEqual(['0:0:a=1', '0:1:b=2']);
    expect(byPartition(1)).toEqual(['1:0:c=3']);
    expect(byPartition(2)).toEqual(['2:0:d=null', '2:1:e=5', '2:2:f=6']);
    await reader.stop();
  });

  it('resolves readToEnd only once the records written before the call are delivered', async () => {
    const topic = await createTopic(admin, topicName('to-end'), 2);
    const { reader, seen, started } = startedReader(topic);
    await started;
    await reader.readToEnd();
    expect(seen).toEqual([]);
    for (let i = 0; i < 20; i++) await send(topic, i % 2, [`k${i}`, `v${i}`]);
    await reader.readToEnd();
    expect(seen).toHaveLength(20);
    await reader.stop();
  });

  it('keeps tailing: records written later reach the listeners without a readToEnd call', async () => {
    const topic = await createTopic(admin, topicName('tail'), 2);
    const { reader, seen, started } = startedReader(topic);
    await started;
    await send(topic, 1, ['late', 'x']);
    await until(() => seen.length === 1, { what: 'the late record' });
    expect(summary(seen)).toEqual(['1:0:late=x']);
    await reader.stop();
  });

  it('rejects the waiting readToEnd when a listener throws, and keeps delivering', async () => {
    const topic = await createTopic(admin, topicName('throws'), 1);
    const { reader, seen, started } = startedReader(topic);
    reader.onRecord((r) => {
      if (r.key?.toString() === 'bad') throw new Error('listener failed');
    });
    await started;
    await send(topic, 0, ['bad', '1']);
    await expect(reader.readToEnd()).rejects.toThrow('listener failed');
    await send(topic, 0, ['good', '2']);
    await reader.readToEnd();
    expect(summary(seen)).toEqual(['0:0:bad=1', '0:1:good=2']);
    await reader.stop();
  });

  it('skips records deleted below the log start, reading from the new log start', async () => {
    const topic = await createTopic(admin, topicName('deleted'), 1);
    await send(topic, 0, ['a', '1'], ['b', '2'], ['c', '3']);
    const kafkajs = (await import('kafkajs')).default;
    const raw = new kafkajs.Kafka({ brokers: [broker.bootstrap], logLevel: kafkajs.logLevel.NOTHING }).admin();
    await raw.connect();
    await raw.fetchTopicMetadata({ topics: [topic] });
    await raw.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '2' }] });
    await raw.disconnect();
    const { reader, seen, started } = startedReader(topic);
    await started;
    await reader.readToEnd();
    expect(summary(seen)).toEqual(['0:2:c=3']);
    await reader.stop();
  });

  it('starts over from the log start when a running reader\'s position is out of range (topic recreated)', async () => {
    const topic = await createTopic(admin, topicName('recreated'), 1);
    await send(topic, 0, ['a', '1'], ['b', '2'], ['c', '3']);
    const { reader, seen, started } = startedReader(topic);
    await started;
    await reader.readToEnd();
    const kafkajs = (await import('kafkajs')).default;
    const raw = new kafkajs.Kafka({ brokers: [broker.bootstrap], logLevel: kafkajs.logLevel.NOTHING }).admin();
    await raw.connect();
    await raw.deleteTopics({ topics: [topic] });
    await raw.disconnect();
    await createTopic(admin, topic, 1);
    await send(topic, 0, ['new', 'x']);
    await until(() => seen.length === 4, { what: 'the record of the recreated topic' });
    expect(summary(seen).slice(3)).toEqual(['0:0:new=x']);
    await reader.stop();
  });

  it('refuses readToEnd before start and after stop, and rejects a readToEnd pending at stop', async () => {
    const topic = await createTopic(admin, topicName('lifecycle'), 1);
    const reader = client.topicReader({ topic, clientId: 'reader-test' });
    await expect(reader.readToEnd()).rejects.toThrow(/not started/);
    await reader.start();
    await reader.stop();
    await expect(reader.readToEnd()).rejects.toThrow(/not started/);
    await expect(reader.start()).rejects.toThrow(/stopped/);
  });
});

describe('WireTopicReader across a broker restart', () => {
  it('reconnects and goes on from where it was once the broker is back', async () => {
    const dataDir = tempDir('ferry-reader-restart-');
    let restartable = await startTestBroker({ dataDir });
    const port = restartable.port;
    const own = testClient(restartable.bootstrap);
    try {
      const topic = await createTopic(own.admin({ clientId: 'restart-admin', role: 'internal' }), topicName('restart'), 2);
      const writer = own.producer({ clientId: 'restart-writer', role: 'internal' });
      await writer.send([{ topic, partition: 0, key: Buffer.from('before'), value: Buffer.from('1'), headers: [] }]);
      const reader = own.topicReader({ topic, clientId: 'restart-reader' });
      const seen: ConsumedRecord[] = [];
      reader.onRecord((r) => seen.push(r));
      await reader.start();
      await reader.readToEnd();
      await restartable.close();
      restartable = await startTestBroker({ dataDir, port });
      await writer.send([{ topic, partition: 1, key: Buffer.from('after'), value: Buffer.from('2'), headers: [] }]);
      await reader.readToEnd();
      expect(summary(seen)).toEqual(['0:0:before=1', '1:0:after=2']);
      await reader.stop();
    } finally {
      await own.close();
      await restartable.close();
    }
  });
});
