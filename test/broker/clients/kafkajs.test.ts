/**
 * kafkajs 2.2.4 against the in-process broker: every codec (snappy, lz4 and zstd through
 * test/helpers/kafkajs-codecs.ts), keys, headers, acks -1/1/0, and the admin calls a
 * kafkajs user reaches for first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompressionCodec } from '../../../broker/protocol/batch-header.js';
import { CompressionTypes } from '../../helpers/kafkajs-codecs.js';
import { collect, kafkaClient } from '../../helpers/kafkajs-clients.js';
import { partitionDir, readStoredBatches } from '../../helpers/stored-log.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';

const CODECS = [
  ['none', CompressionTypes.None, CompressionCodec.None],
  ['gzip', CompressionTypes.GZIP, CompressionCodec.Gzip],
  ['snappy', CompressionTypes.Snappy, CompressionCodec.Snappy],
  ['lz4', CompressionTypes.LZ4, CompressionCodec.Lz4],
  ['zstd', CompressionTypes.ZSTD, CompressionCodec.Zstd],
] as const;

const ACKS = [-1, 1, 0] as const;
const PER_SEND = 10;

let broker: TestBroker;

beforeAll(async () => {
  broker = await startTestBroker();
});

afterAll(async () => {
  await broker.close();
});

function valueFor(codec: string, acks: number, i: number): string {
  return `${codec}/acks=${acks}/#${i} ${'payload '.repeat(6)}`;
}

describe('kafkajs against the bundled broker', () => {
  it('produces with every codec and acks -1, 1 and 0, and a consumer group reads every key, value and header in order', async () => {
    const kafka = kafkaClient(broker.bootstrap, 'kafkajs-codecs');
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    try {
      for (const [codec, type] of CODECS) {
        for (const acks of ACKS) {
          const result = await producer.send({
            topic: `kafkajs-${codec}`,
            acks,
            compression: type,
            messages: Array.from({ length: PER_SEND }, (_, i) => ({
              key: `${codec}-${acks}-${i}`,
              value: valueFor(codec, acks, i),
              headers: { codec, acks: String(acks), index: String(i) },
            })),
          });
          if (acks !== 0) {
            expect(result).toHaveLength(1);
            expect(result[0]!.errorCode).toBe(0);
          }
        }
      }
    } finally {
      await producer.disconnect();
    }

    const expectedPerTopic = ACKS.length * PER_SEND;
    const topics = CODECS.map(([codec]) => `kafkajs-${codec}`);
    const records = await collect(kafka, {
      topics,
      groupId: 'kafkajs-codecs-group',
      done: (rs) => rs.length >= topics.length * expectedPerTopic,
    });
    expect(records).toHaveLength(topics.length * expectedPerTopic);

    for (const [codec, , id] of CODECS) {
      const topic = `kafkajs-${codec}`;
      const got = records.filter((r) => r.topic === topic);
      expect(got.map((r) => r.offset)).toEqual(Array.from({ length: expectedPerTopic }, (_, i) => i));
      const expected = ACKS.flatMap((acks) => Array.from({ length: PER_SEND }, (_, i) => ({
        key: `${codec}-${acks}-${i}`,
        value: valueFor(codec, acks, i),
        headers: { codec, acks: String(acks), index: String(i) },
      })));
      expect(got.map(({ key, value, headers }) => ({ key, value, headers }))).toEqual(expected);

      const stored = readStoredBatches(partitionDir(broker.dataDir, topic, 0));
      expect(stored).toHaveLength(ACKS.length);
      expect(stored.map((b) => b.codec)).toEqual(ACKS.map(() => id));
    }
  });

  it('admin creates topics, reads metadata and offsets, finds offsets by timestamp, and deleteTopicRecords moves the earliest offset', async () => {
    const topic = 'kafkajs-admin';
    const kafka = kafkaClient(broker.bootstrap, 'kafkajs-admin');
    const admin = kafka.admin();
    const producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    try {
      expect(await admin.createTopics({
        topics: [{ topic, numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '86400000' }] }],
      })).toBe(true);
      expect(await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] })).toBe(false);

      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(topics).toHaveLength(1);
      expect(topics[0]!.name).toBe(topic);
      expect(topics[0]!.partitions.map((p) => ({ id: p.partitionId, leader: p.leader, replicas: p.replicas, isr: p.isr }))
        .sort((a, b) => a.id - b.id)).toEqual([
        { id: 0, leader: 1, replicas: [1], isr: [1] },
        { id: 1, leader: 1, replicas: [1], isr: [1] },
      ]);

      const t0 = Date.now() - 60_000;
      await producer.send({
        topic,
        messages: [
          ...Array.from({ length: 20 }, (_, i) => ({ partition: 0, key: `p0-${i}`, value: `v${i}`, timestamp: String(t0 + i * 1000) })),
          ...Array.from({ length: 5 }, (_, i) => ({ partition: 1, key: `p1-${i}`, value: `v${i}`, timestamp: String(t0 + i * 1000) })),
        ],
      });

      const byPartition = async () => (await admin.fetchTopicOffsets(topic))
        .map(({ partition, low, high }) => ({ partition, low, high }))
        .sort((a, b) => a.partition - b.partition);
      expect(await byPartition()).toEqual([
        { partition: 0, low: '0', high: '20' },
        { partition: 1, low: '0', high: '5' },
      ]);

      const atTimestamp = async (ts: number) => (await admin.fetchTopicOffsetsByTimestamp(topic, ts))
        .sort((a, b) => a.partition - b.partition)
        .map((p) => p.offset);
      expect(await atTimestamp(t0 + 10_500)).toEqual(['11', '5']);
      expect(await atTimestamp(t0 + 3_000)).toEqual(['3', '3']);
      expect(await atTimestamp(t0 - 1)).toEqual(['0', '0']);

      await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '8' }, { partition: 1, offset: '-1' }] });
      expect(await byPartition()).toEqual([
        { partition: 0, low: '8', high: '20' },
        { partition: 1, low: '5', high: '5' },
      ]);

      const records = await collect(kafka, { topics: [topic], groupId: 'kafkajs-admin-group', done: (rs) => rs.length >= 12 });
      expect(records.map((r) => [r.partition, r.offset, r.key])).toEqual(
        Array.from({ length: 12 }, (_, i) => [0, 8 + i, `p0-${8 + i}`]),
      );
    } finally {
      await Promise.all([admin.disconnect(), producer.disconnect()]);
    }
  });
});
