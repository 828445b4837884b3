/**
 * confluent-kafka-python 1.7.0 (on librdkafka 2.0.2) against the in-process broker: an
 * idempotent producer with every codec, a consumer group, and the admin client's topic
 * lifecycle (create with config, describe configs, create partitions, delete).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompressionCodec } from '../../../broker/protocol/batch-header.js';
import { kafkaClient } from '../../helpers/kafkajs-clients.js';
import { partitionDir, readStoredBatches, type StoredBatch } from '../../helpers/stored-log.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { runPythonClient, type PyConsumed, type PyProduced } from './python-clients.js';

const CODECS = [
  ['none', CompressionCodec.None],
  ['gzip', CompressionCodec.Gzip],
  ['snappy', CompressionCodec.Snappy],
  ['lz4', CompressionCodec.Lz4],
  ['zstd', CompressionCodec.Zstd],
] as const;

const COUNT = 40;
const PARTITIONS = 2;
const DYNAMIC_TOPIC_CONFIG = 1;
const DEFAULT_CONFIG = 5;

let broker: TestBroker;

beforeAll(async () => {
  broker = await startTestBroker({ numPartitions: PARTITIONS });
});

afterAll(async () => {
  await broker.close();
});

describe('confluent-kafka against the bundled broker', () => {
  it.concurrent.each(CODECS)('an idempotent producer with %s compression is read back in full by a consumer group', async (codec, id) => {
    const topic = `confluent-${codec}`;
    const group = `confluent-group-${codec}`;
    const produced = await runPythonClient<PyProduced>('confluent_kafka_client.py', ['produce', broker.bootstrap, topic, COUNT, codec, 'idempotent']);
    expect(produced).toHaveLength(COUNT);

    const consumed = await runPythonClient<PyConsumed>('confluent_kafka_client.py', ['consume', broker.bootstrap, topic, COUNT, group]);
    expect(consumed).toHaveLength(COUNT);
    const keys = consumed.map((r) => r.key);
    expect(new Set(keys).size).toBe(COUNT);
    for (const r of consumed) {
      const i = Number(r.key!.slice('key-'.length));
      expect(r.value).toBe(`value-${i}`);
      expect(r.headers).toEqual([['source', 'confluent-kafka'], ['index', String(i)]]);
    }
    const producedAt = new Set(produced.map((p) => `${p.partition}:${p.offset}`));
    expect(new Set(consumed.map((r) => `${r.partition}:${r.offset}`))).toEqual(producedAt);
    for (let p = 0; p < PARTITIONS; p++) {
      const inPartition = consumed.filter((r) => r.partition === p);
      expect(inPartition.map((r) => r.offset)).toEqual(inPartition.map((_, i) => i));
      const indexes = inPartition.map((r) => Number(r.key!.slice('key-'.length)));
      expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    }

    const admin = kafkaClient(broker.bootstrap, `check-${codec}`).admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      const committedBy = new Map(committed!.partitions.map((p) => [p.partition, p.offset]));
      for (const e of ends) expect(committedBy.get(e.partition)).toBe(e.high);
    } finally {
      await admin.disconnect();
    }

    const batches: StoredBatch[] = [];
    for (let p = 0; p < PARTITIONS; p++) batches.push(...readStoredBatches(partitionDir(broker.dataDir, topic, p)));
    expect(new Set(batches.map((b) => b.codec))).toEqual(new Set([id]));
    const producerIds = new Set(batches.map((b) => b.producerId));
    expect(producerIds.size).toBe(1);
    expect([...producerIds][0]).toBeGreaterThanOrEqual(0);
  });

  it('the admin client creates a topic with config, describes its configs, adds partitions and deletes it', async () => {
    const topic = 'confluent-admin';
    const steps = await runPythonClient<Record<string, unknown> & { step: string }>('confluent_kafka_client.py', ['admin', broker.bootstrap, topic]);
    const step = (name: string) => {
      const found = steps.find((s) => s.step === name);
      expect(found, `step ${name} in ${JSON.stringify(steps)}`).toBeDefined();
      return found!;
    };
    expect(step('created').topic).toBe(topic);
    expect(step('listed').partitions).toBe(2);
    expect(step('recreated').code).toBe('TOPIC_ALREADY_EXISTS');
    expect(step('described').configs).toEqual({
      'cleanup.policy': { value: 'compact', source: DYNAMIC_TOPIC_CONFIG, is_default: false },
      'retention.ms': { value: '3600000', source: DYNAMIC_TOPIC_CONFIG, is_default: false },
      'segment.bytes': { value: '1073741824', source: DEFAULT_CONFIG, is_default: true },
    });
    expect(step('partitions-created').partitions).toBe(3);
    expect(step('deleted').topic).toBe(topic);
    expect(step('listed-after-delete').present).toBe(false);
    expect(broker.topics.has(topic)).toBe(false);
  });
});
