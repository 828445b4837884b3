/**
 * Topic operations the MirrorMaker tests share, on kafkajs (a client nobody here wrote):
 * create, produce numbered records, read a topic to its current end without a group, and
 * look at end offsets, partition counts and configs.
 */
import type { Kafka } from 'kafkajs';

export interface NumberedRecord {
  readonly partition: number;
  readonly key: string;
  readonly value: string;
  readonly header: string;
  readonly timestamp: number;
}

export interface ReadRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
  readonly timestamp: number;
}

/** `count` records numbered from `from`, spread over `partitions` by number, each with a header and a distinct timestamp. */
export function numberedRecords(prefix: string, from: number, count: number, partitions: number): NumberedRecord[] {
  return Array.from({ length: count }, (_, j) => {
    const i = from + j;
    return { partition: i % partitions, key: `${prefix}-k${i}`, value: `${prefix}-v${i}-${'x'.repeat(i % 50)}`, header: `${prefix}-h${i}`, timestamp: 1_700_000_000_000 + i };
  });
}

async function withAdmin<T>(kafka: Kafka, use: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

export function createTopic(kafka: Kafka, topic: string, partitions: number, configs: Record<string, string> = {}): Promise<void> {
  return withAdmin(kafka, async (admin) => {
    await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })) }],
      waitForLeaders: true,
    });
  });
}

export async function produce(kafka: Kafka, topic: string, records: readonly NumberedRecord[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (let i = 0; i < records.length; i += 500) {
      await producer.send({
        topic,
        messages: records.slice(i, i + 500).map((r) => ({
          partition: r.partition, key: r.key, value: r.value, headers: { h: r.header }, timestamp: String(r.timestamp),
        })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/** High watermarks by partition; empty when the topic does not exist. */
export function endOffsets(kafka: Kafka, topic: string): Promise<Map<number, number>> {
  return withAdmin(kafka, async (admin) => {
    // Checked first: asking for a missing topic's metadata could create it on a broker that auto-creates topics.
    if (!(await admin.listTopics()).includes(topic)) return new Map<number, number>();
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
  });
}

export async function endOffsetTotal(kafka: Kafka, topic: string): Promise<number> {
  let total = 0;
  for (const high of (await endOffsets(kafka, topic)).values()) total += high;
  return total;
}

/** Every record of every partition from the beginning up to the end offsets taken now, without a group. */
export async function readAll(kafka: Kafka, topic: string): Promise<ReadRecord[]> {
  const wanted = await endOffsets(kafka, topic);
  const total = [...wanted.values()].reduce((a, b) => a + b, 0);
  const out: ReadRecord[] = [];
  if (total === 0) return out;
  const consumer = kafka.consumer({ groupId: `read-${topic}-${process.hrtime.bigint()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let done!: () => void;
    const finished = new Promise<void>((resolve) => { done = resolve; });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const offset = Number(message.offset);
        if (offset >= (wanted.get(partition) ?? 0)) return;
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        out.push({ partition, offset, key: message.key, value: message.value, headers, timestamp: Number(message.timestamp) });
        if (out.length === total) done();
      },
    });
    await finished;
  } finally {
    await consumer.disconnect();
  }
  return out;
}

export function topicConfig(kafka: Kafka, topic: string, name: string): Promise<string | undefined> {
  return withAdmin(kafka, async (admin) => {
    const described = await admin.describeConfigs({ resources: [{ type: 2, name: topic, configNames: [name] }], includeSynonyms: false });
    return described.resources[0]?.configEntries.find((e) => e.configName === name)?.configValue;
  });
}

/** 0 when the topic does not exist. */
export function partitionCount(kafka: Kafka, topic: string): Promise<number> {
  return withAdmin(kafka, async (admin) => {
    if (!(await admin.listTopics()).includes(topic)) return 0;
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    return metadata.topics[0]?.partitions.length ?? 0;
  });
}

export function listTopics(kafka: Kafka): Promise<string[]> {
  return withAdmin(kafka, (admin) => admin.listTopics());
}
