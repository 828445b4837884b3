/**
 * kafkajs clients for tests: quiet, quick to give up, and a consumer that collects records
 * until a condition holds (with a deadline) and then leaves its group. Every codec is registered
 * (kafkajs-codecs.ts), so they read topics written with any compression.type.
 */
import kafkajs, { type Consumer, type IHeaders, type Kafka as KafkaClient, type KafkaConfig } from 'kafkajs';
import './kafkajs-codecs.js';

const { Kafka, logLevel } = kafkajs;

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

export function kafkaClient(bootstrap: string, clientId: string, extra: Partial<KafkaConfig> = {}): KafkaClient {
  return new Kafka({
    brokers: [bootstrap],
    clientId,
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 100, retries: 8 },
    ...extra,
  });
}

export function headersOf(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.map(String).join(',') : v.toString();
  }
  return out;
}

export interface CollectOptions {
  topics: string[];
  groupId: string;
  fromBeginning?: boolean;
  /** Stop once this returns true for everything collected so far. */
  done: (records: ConsumedRecord[]) => boolean;
  timeoutMs?: number;
  /** Receives the consumer before it runs (to listen for events). */
  onConsumer?: (consumer: Consumer) => void;
  /** Read records of open and aborted transactions too (kafkajs reads committed ones by default). */
  readUncommitted?: boolean;
}

/** Runs a group consumer until `done` holds, then disconnects it (committing what it consumed). */
export async function collect(kafka: KafkaClient, opts: CollectOptions): Promise<ConsumedRecord[]> {
  const consumer = kafka.consumer({
    groupId: opts.groupId, maxWaitTimeInMs: 100, retry: { retries: 8, initialRetryTime: 100 }, readUncommitted: opts.readUncommitted ?? false,
  });
  opts.onConsumer?.(consumer);
  const records: ConsumedRecord[] = [];
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => { finish = resolve; });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: opts.topics, fromBeginning: opts.fromBeginning ?? true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        records.push({
          topic,
          partition,
          offset: Number(message.offset),
          timestamp: Number(message.timestamp),
          key: message.key === null ? null : message.key.toString(),
          value: message.value === null ? null : message.value.toString(),
          headers: headersOf(message.headers),
        });
        if (opts.done(records)) finish();
      },
    });
    const timeoutMs = opts.timeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`consumer got ${records.length} records in ${timeoutMs} ms, condition not met`)), timeoutMs);
    });
    try {
      await Promise.race([finished, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await consumer.disconnect();
  }
  return records;
}
