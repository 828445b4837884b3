/**
 * kafkajs as the client: topic setup and end-offset checks through its admin, a bare
 * producer loop (fixed-size arrays of records, several sends in flight) and a consumer
 * reading with eachBatch until it has seen every record. Runs in this process, so a run is
 * charged this process's CPU time.
 */
import kafkajs from 'kafkajs';
import type { Admin, Kafka as KafkaClient, Message } from 'kafkajs';
import { payload } from './record-payloads.js';

const { Kafka, logLevel, Partitioners } = kafkajs;

export interface KafkajsProduceOptions {
  topic: string;
  recordBytes: number;
  records: number;
  acks: -1 | 1;
  recordsPerSend: number;
  inFlight: number;
}

export interface KafkajsOutcome {
  clientCpuSeconds: number;
  /** Consume only: seconds from run() to the first batch (group join and first fetch). */
  firstBatchSeconds?: number;
}

export function kafkaClient(bootstrap: string): KafkaClient {
  return new Kafka({ clientId: 'ferry-bench', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 2 } });
}

export async function createTopics(admin: Admin, topics: { topic: string; numPartitions: number }[]): Promise<void> {
  const created = await admin.createTopics({ topics: topics.map((t) => ({ ...t, replicationFactor: 1 })), waitForLeaders: true });
  if (!created) throw new Error(`topics already exist: ${topics.map((t) => t.topic).join(', ')}`);
}

/** Sum over partitions of the high watermark. */
export async function endOffset(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

export async function kafkajsProduce(kafka: KafkaClient, o: KafkajsProduceOptions): Promise<KafkajsOutcome> {
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    const messages: Message[] = Array.from({ length: o.recordsPerSend }, (_, i) => ({ value: payload(o.recordBytes, i), partition: 0 }));
    const cpu = process.cpuUsage();
    let claimed = 0;
    const sender = async () => {
      while (claimed < o.records) {
        const n = Math.min(o.recordsPerSend, o.records - claimed);
        claimed += n;
        await producer.send({ topic: o.topic, acks: o.acks, messages: n === messages.length ? messages : messages.slice(0, n) });
      }
    };
    await Promise.all(Array.from({ length: o.inFlight }, sender));
    return { clientCpuSeconds: cpuSecondsSince(cpu) };
  } finally {
    await producer.disconnect();
  }
}

/** Reads `topic` from the beginning with eachBatch until `expected` records have arrived. */
export async function kafkajsConsume(kafka: KafkaClient, topic: string, expected: number, groupId: string): Promise<KafkajsOutcome> {
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let seen = 0;
    let firstBatchAt = 0;
    const cpu = process.cpuUsage();
    const start = performance.now();
    const done = new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.CRASH, (e) => reject(e.payload.error));
      void consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          if (firstBatchAt === 0) firstBatchAt = performance.now();
          seen += batch.messages.length;
          if (seen >= expected) resolve();
        },
      }).catch(reject);
    });
    await done;
    if (seen !== expected) throw new Error(`kafkajs consumed ${seen} records from ${topic}, expected ${expected}`);
    return { clientCpuSeconds: cpuSecondsSince(cpu), firstBatchSeconds: (firstBatchAt - start) / 1000 };
  } finally {
    await consumer.disconnect();
  }
}

/** Sends `perPartition` records of `recordBytes` to each of partitions 0..partitions-1 in one request. */
export async function fillPartitions(kafka: KafkaClient, topic: string, partitions: number, perPartition: number, recordBytes: number): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const value = payload(recordBytes, 0);
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: partitions * perPartition }, (_, i) => ({ value, partition: i % partitions })),
    });
  } finally {
    await producer.disconnect();
  }
}
