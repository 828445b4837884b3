import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaClient, TopicAdmin } from '../../../runtime/kafka/kafka-client.js';
import { type KafkaCompactedTopic, kafkaCompactedTopic } from '../../../runtime/kafka/topic-compacted-topic.js';
import type { TopicRecord } from '../../../runtime/stores/compacted-topic.js';
import { OffsetStore } from '../../../runtime/stores/offset-store.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { createTopic, testClient, topicName } from './kafka-test-kit.js';

let broker: TestBroker;
let client: KafkaClient;
let admin: TopicAdmin;

beforeAll(async () => {
  broker = await startTestBroker();
  client = testClient(broker.bootstrap);
  admin = client.admin({ clientId: 'compacted-test-admin', role: 'internal' });
});

afterAll(async () => {
  await client.close();
  await broker.close();
});

const b = (s: string) => Buffer.from(s);
const summary = (records: TopicRecord[]) => records.map((r) => `${r.offset}:${r.key}=${r.value ?? 'null'}`);

async function compactedTopic(partitions = 1): Promise<string> {
  return createTopic(admin, topicName('compacted'), partitions, { 'cleanup.policy': 'compact' });
}

async function startedReader(topic: string): Promise<{ topic: KafkaCompactedTopic; seen: TopicRecord[] }> {
  const compacted = kafkaCompactedTopic(client, { topic, clientId: 'compacted-test' });
  const seen: TopicRecord[] = [];
  compacted.onRecord((r) => seen.push(r));
  await compacted.start();
  return { topic: compacted, seen };
}

describe('KafkaCompactedTopic', () => {
  it('delivers records already in the topic before start resolves', async () => {
    const name = await compactedTopic();
    const writer = await startedReader(name);
    await writer.topic.appendBatch([{ key: b('a'), value: b('1') }, { key: b('b'), value: null }]);
    await writer.topic.stop();
    const { topic, seen } = await startedReader(name);
    expect(summary(seen)).toEqual(['0:a=1', '1:b=null']);
    await topic.stop();
  });

  it('delivers appended records later, in append order, and readToEnd waits for them', async () => {
    const { topic, seen } = await startedReader(await compactedTopic());
    const appends = [topic.append(b('k1'), b('v1')), topic.appendBatch([{ key: b('k2'), value: b('v2') }, { key: b('k1'), value: null }])];
    await Promise.all(appends);
    await topic.readToEnd();
    expect(summary(seen)).toEqual(['0:k1=v1', '1:k2=v2', '2:k1=null']);
    await topic.stop();
  });

  it('lets every reader of a shared topic see every record, including the other readers\' writes', async () => {
    const name = await compactedTopic();
    const one = await startedReader(name);
    const two = await startedReader(name);
    await one.topic.append(b('from-one'), b('x'));
    await two.topic.append(b('from-two'), b('y'));
    await Promise.all([one.topic.readToEnd(), two.topic.readToEnd()]);
    expect(summary(one.seen)).toEqual(['0:from-one=x', '1:from-two=y']);
    expect(summary(two.seen)).toEqual(summary(one.seen));
    await Promise.all([one.topic.stop(), two.topic.stop()]);
  });

  it('spreads keys over partitions by key, keeping each key\'s records in order on one partition', async () => {
    const { topic, seen } = await startedReader(await compactedTopic(5));
    await Promise.all(Array.from({ length: 50 }, (_, i) => topic.append(b(`key-${i % 7}`), b(String(i)))));
    await topic.readToEnd();
    expect(seen).toHaveLength(50);
    expect(new Set(seen.map((r) => r.partition)).size).toBeGreaterThan(1);
    for (let k = 0; k < 7; k++) {
      const mine = seen.filter((r) => r.key!.toString() === `key-${k}`);
      expect(new Set(mine.map((r) => r.partition)).size).toBe(1);
      expect(mine.map((r) => Number(r.value!.toString()))).toEqual(Array.from({ length: mine.length }, (_, j) => k + 7 * j));
    }
    await topic.stop();
  });

  it('backs the offset store: a second worker reads the offsets the first one wrote, tombstones included', async () => {
    const name = await compactedTopic(3);
    const first = new OffsetStore(kafkaCompactedTopic(client, { topic: name, clientId: 'worker-1-offsets' }));
    await first.start();
    await first.set('src', [{ partition: { file: 'a' }, offset: { position: 1 } }, { partition: { file: 'b' }, offset: { position: 2 } }]);
    await first.set('src', [{ partition: { file: 'a' }, offset: null }]);
    const second = new OffsetStore(kafkaCompactedTopic(client, { topic: name, clientId: 'worker-2-offsets' }));
    await second.start();
    expect(await second.allFor('src')).toEqual([{ partition: { file: 'b' }, offset: { position: 2 } }]);
    await Promise.all([first.stop(), second.stop()]);
  });

  it('rejects the pending readToEnd when a listener throws, and keeps delivering', async () => {
    const { topic, seen } = await startedReader(await compactedTopic());
    topic.onRecord((r) => {
      if (r.key?.toString() === 'bad') throw new Error('listener failed');
    });
    await topic.append(b('bad'), b('1'));
    await expect(topic.readToEnd()).rejects.toThrow('listener failed');
    await topic.append(b('good'), b('2'));
    await topic.readToEnd();
    expect(summary(seen)).toEqual(['0:bad=1', '1:good=2']);
    await topic.stop();
  });

  it('refuses appends before start and after stop, and stops delivering', async () => {
    const topic = kafkaCompactedTopic(client, { topic: await compactedTopic(), clientId: 'compacted-test' });
    await expect(topic.append(b('a'), null)).rejects.toThrow(/not started/);
    await topic.start();
    await topic.stop();
    await expect(topic.append(b('a'), null)).rejects.toThrow(/not started/);
    await expect(topic.readToEnd()).rejects.toThrow(/not started/);
  });
});
