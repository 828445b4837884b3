/**
 * kafka-python 2.0.2 (Debian's python3-kafka) against the in-process broker: produce with
 * every codec it supports (all five), consume through a consumer group, commit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompressionCodec } from '../../../broker/protocol/batch-header.js';
import { kafkaClient } from '../../helpers/kafkajs-clients.js';
import { partitionDir, readStoredBatches } from '../../helpers/stored-log.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { runPythonClient, type PyConsumed, type PyProduced } from './python-clients.js';

const CODECS = [
  ['none', CompressionCodec.None],
  ['gzip', CompressionCodec.Gzip],
  ['snappy', CompressionCodec.Snappy],
  ['lz4', CompressionCodec.Lz4],
  ['zstd', CompressionCodec.Zstd],
] as const;

const COUNT = 30;
const PARTITIONS = 2;

let broker: TestBroker;

beforeAll(async () => {
  broker = await startTestBroker({ numPartitions: PARTITIONS });
});

afterAll(async () => {
  await broker.close();
});

describe('kafka-python against the bundled broker', () => {
  it.concurrent.each(CODECS)('produces with %s compression and a consumer group reads back every key, value and header', async (codec, id) => {
    const topic = `kafka-python-${codec}`;
    const group = `kafka-python-group-${codec}`;
    const produced = await runPythonClient<PyProduced>('kafka_python_client.py', ['produce', broker.bootstrap, topic, COUNT, codec]);
    expect(produced).toHaveLength(COUNT);

    const consumed = await runPythonClient<PyConsumed>('kafka_python_client.py', ['consume', broker.bootstrap, topic, COUNT, group]);
    expect(consumed).toHaveLength(COUNT);
    const byKey = new Map(consumed.map((r) => [r.key, r]));
    produced.forEach((at, i) => {
      const r = byKey.get(`key-${i}`);
      expect(r, `key-${i}`).toBeDefined();
      expect(r!.value).toBe(`value-${i}`);
      expect(r!.headers).toEqual([['source', 'kafka-python'], ['index', String(i)]]);
      expect([r!.partition, r!.offset]).toEqual([at.partition, at.offset]);
    });
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

    const codecs = new Set<CompressionCodec>();
    for (let p = 0; p < PARTITIONS; p++) {
      for (const b of readStoredBatches(partitionDir(broker.dataDir, topic, p))) codecs.add(b.codec);
    }
    expect(codecs).toEqual(new Set([id]));
  });
});
