/**
 * kcat (librdkafka 2.0.2), a client nobody here wrote, against the in-process broker:
 * produce and consume with every codec, metadata, and a consumer group that commits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompressionCodec } from '../../../broker/protocol/batch-header.js';
import { kafkaClient } from '../../helpers/kafkajs-clients.js';
import { jsonLines, runProcess } from '../../helpers/run-process.js';
import { partitionDir, readStoredBatches } from '../../helpers/stored-log.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';

const CODECS = [
  ['none', CompressionCodec.None],
  ['gzip', CompressionCodec.Gzip],
  ['snappy', CompressionCodec.Snappy],
  ['lz4', CompressionCodec.Lz4],
  ['zstd', CompressionCodec.Zstd],
] as const;

interface KcatRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  payload: string | null;
  headers?: string[];
}

let broker: TestBroker;

beforeAll(async () => {
  broker = await startTestBroker();
});

afterAll(async () => {
  await broker.close();
});

async function kcat(args: string[], input?: string) {
  const result = await runProcess('kcat', ['-b', broker.bootstrap, ...args], { input, timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(`kcat ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
  return result;
}

async function produceLines(topic: string, lines: string[], extra: string[] = []) {
  await kcat(['-P', '-t', topic, '-K', ':', ...extra], lines.map((l) => `${l}\n`).join(''));
}

async function consumeAll(topic: string): Promise<KcatRecord[]> {
  const { stdout } = await kcat(['-C', '-t', topic, '-o', 'beginning', '-e', '-J']);
  return jsonLines<KcatRecord>(stdout);
}

async function groupConsume(topic: string, group: string): Promise<KcatRecord[]> {
  const { stdout } = await kcat(['-G', group, '-X', 'auto.offset.reset=earliest', '-e', '-J', topic]);
  return jsonLines<KcatRecord>(stdout);
}

describe('kcat against the bundled broker', () => {
  it.each(CODECS)('round-trips keys, values and headers in order with %s compression', async (codec, id) => {
    const topic = `kcat-codec-${codec}`;
    const count = 40;
    const pad = 'compressible '.repeat(8);
    const lines = Array.from({ length: count }, (_, i) => `key-${i}:value-${i} ${pad}`);
    await produceLines(topic, lines, ['-z', codec, '-H', 'origin=kcat', '-H', `codec=${codec}`]);

    const records = await consumeAll(topic);
    expect(records.map((r) => r.offset)).toEqual(Array.from({ length: count }, (_, i) => i));
    records.forEach((r, i) => {
      expect(r.topic).toBe(topic);
      expect(r.partition).toBe(0);
      expect(r.key).toBe(`key-${i}`);
      expect(r.payload).toBe(`value-${i} ${pad}`);
      expect(r.headers).toEqual(['origin', 'kcat', 'codec', codec]);
    });

    const stored = readStoredBatches(partitionDir(broker.dataDir, topic, 0));
    expect(stored.length).toBeGreaterThan(0);
    expect(new Set(stored.map((b) => b.codec))).toEqual(new Set([id]));
  });

  it('shows the broker and the topic with its partitions in -L metadata', async () => {
    const admin = kafkaClient(broker.bootstrap, 'kcat-setup').admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'kcat-metadata', numPartitions: 3 }] });
    } finally {
      await admin.disconnect();
    }
    const { stdout } = await kcat(['-L', '-J', '-t', 'kcat-metadata']);
    const md = JSON.parse(stdout) as {
      brokers: { id: number; name: string }[];
      topics: { topic: string; error?: string; partitions: { partition: number; leader: number; replicas: { id: number }[]; isrs: { id: number }[] }[] }[];
    };
    expect(md.brokers).toEqual([{ id: 1, name: broker.bootstrap }]);
    expect(md.topics).toHaveLength(1);
    const [topic] = md.topics;
    expect(topic!.topic).toBe('kcat-metadata');
    expect(topic!.error).toBeUndefined();
    expect(topic!.partitions.map((p) => p.partition).sort()).toEqual([0, 1, 2]);
    for (const p of topic!.partitions) {
      expect(p.leader).toBe(1);
      expect(p.replicas).toEqual([{ id: 1 }]);
      expect(p.isrs).toEqual([{ id: 1 }]);
    }
  });

  it('consumes as a group member (-G), commits on exit, and the next member resumes after the commit', async () => {
    const topic = 'kcat-group';
    const group = 'kcat-group-1';
    const kafka = kafkaClient(broker.bootstrap, 'kcat-group-check');
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
      await produceLines(topic, Array.from({ length: 10 }, (_, i) => `k${i}:first-${i}`));

      const first = await groupConsume(topic, group);
      expect(first.map((r) => r.payload).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `first-${i}`).sort());
      for (const p of [0, 1]) {
        const offsets = first.filter((r) => r.partition === p).map((r) => r.offset);
        expect(offsets).toEqual(offsets.map((_, i) => i));
      }

      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      const committedBy = new Map(committed!.partitions.map((p) => [p.partition, p.offset]));
      for (const e of ends) expect(committedBy.get(e.partition)).toBe(e.high);

      await produceLines(topic, Array.from({ length: 4 }, (_, i) => `k${i}:second-${i}`));
      const second = await groupConsume(topic, group);
      expect(second.map((r) => r.payload).sort()).toEqual(['second-0', 'second-1', 'second-2', 'second-3']);
    } finally {
      await admin.disconnect();
    }
  });
});
