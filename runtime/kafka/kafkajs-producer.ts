/**
 * RecordProducer over a kafkajs producer, with Kafka's accumulate-then-send batching.
 *
 * Concurrency and ordering: records from send() calls join one FIFO queue. At most one
 * kafkajs sendBatch is in flight per producer; it carries everything queued when it starts
 * (up to max.request.size bytes), grouped by topic-partition into one record batch per
 * partition and one produce request per leader. Records queued meanwhile ride the next
 * request, so concurrent sends coalesce and a partition's records are written in call
 * order. Several sendBatch calls in flight could reorder a partition when kafkajs retries one
 * of them (its retries run outside any per-partition queue, and its idempotent producer does
 * not re-sequence later requests), so this producer never issues them.
 *
 * Partition choice is made once per record and remembered, so a retried sendBatch puts
 * each record where its first attempt did: explicit partitions win, keyed records go to
 * murmur2(key) % partitions like Java's default partitioner (kafkajs's DefaultPartitioner),
 * unkeyed ones round-robin. Knowing each record's partition also gives its offset: the
 * partition's base offset plus its index among that request's records for the partition.
 *
 * kafkajs limits: header values cannot be null (sent as empty bytes); headers are passed to
 * kafkajs as an object, so repeated keys stay together and keys that look like array indexes
 * ("0", "1") come first.
 */
import kafkajs, { type Kafka, type Message, type PartitionerArgs, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { ProducerSettings } from './client-settings.js';
import type { OutgoingRecord, RecordHeader, RecordMetadata, RecordProducer } from './kafka-client.js';
import { kafkajsCompression } from './kafkajs-codecs.js';
import { producerConfig } from './kafkajs-config.js';

const { Partitioners } = kafkajs;

interface Job {
  readonly results: RecordMetadata[];
  remaining: number;
  settled: boolean;
  readonly resolve: (results: RecordMetadata[]) => void;
  readonly reject: (error: Error) => void;
}

interface Queued {
  readonly record: OutgoingRecord;
  readonly index: number;
  readonly job: Job;
  readonly bytes: number;
}

const RECORD_OVERHEAD = 70;
const EMPTY = Buffer.alloc(0);

export class KafkajsRecordProducer implements RecordProducer {
  readonly #producer: Producer;
  readonly #settings: ProducerSettings;
  readonly #logger: Logger;
  readonly #partitionOf = new WeakMap<Message, number>();
  #queue: Queued[] = [];
  #queuedBytes = 0;
  #inFlight = false;
  #timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  #flushing = 0;
  #idleWaiters: (() => void)[] = [];
  #connecting: Promise<void> | undefined;
  #closed = false;
  /** Number of kafkajs sendBatch calls made (each is one produce request per leader). */
  requests = 0;

  constructor(kafka: Kafka, settings: ProducerSettings, logger: Logger) {
    this.#settings = settings;
    this.#logger = logger;
    this.#producer = kafka.producer({
      ...producerConfig(settings),
      createPartitioner: () => {
        const choose = Partitioners.DefaultPartitioner();
        return (args: PartitionerArgs) => {
          const known = this.#partitionOf.get(args.message);
          if (known !== undefined) return known;
          const partition = choose(args);
          this.#partitionOf.set(args.message, partition);
          return partition;
        };
      },
    });
  }

  send(records: readonly OutgoingRecord[]): Promise<RecordMetadata[]> {
    if (this.#closed) return Promise.reject(new Error('producer is closed'));
    if (records.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const job: Job = { results: new Array<RecordMetadata>(records.length), remaining: records.length, settled: false, resolve, reject };
      records.forEach((record, index) => {
        const bytes = sizeOf(record);
        this.#queue.push({ record, index, job, bytes });
        this.#queuedBytes += bytes;
      });
      this.#schedule();
    });
  }

  async flush(): Promise<void> {
    if (!this.#inFlight && this.#queue.length === 0) return;
    this.#flushing++;
    try {
      this.#schedule();
      await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    } finally {
      this.#flushing--;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.flush();
    this.#closed = true;
    if (this.#connecting) await this.#connecting.then(() => this.#producer.disconnect(), () => {});
  }

  #schedule(): void {
    if (this.#inFlight) return;
    if (this.#queue.length === 0) {
      this.#clearTimer();
      for (const wake of this.#idleWaiters.splice(0)) wake();
      return;
    }
    if (this.#flushing > 0 || this.#queuedBytes >= this.#settings.maxRequestBytes) {
      this.#clearTimer();
      void this.#dispatch();
      return;
    }
    if (this.#timer) return;
    const fire = () => {
      this.#timer = undefined;
      if (!this.#inFlight && this.#queue.length > 0) void this.#dispatch();
    };
    this.#timer = this.#settings.lingerMs > 0 ? setTimeout(fire, this.#settings.lingerMs) : setImmediate(fire);
  }

  #clearTimer(): void {
    if (!this.#timer) return;
    clearTimeout(this.#timer as NodeJS.Timeout);
    clearImmediate(this.#timer as NodeJS.Immediate);
    this.#timer = undefined;
  }

  #take(): Queued[] {
    let bytes = 0;
    let n = 0;
    while (n < this.#queue.length && (n === 0 || bytes + this.#queue[n]!.bytes <= this.#settings.maxRequestBytes)) {
      bytes += this.#queue[n]!.bytes;
      n++;
    }
    const taken = this.#queue.slice(0, n);
    this.#queue = this.#queue.slice(n);
    this.#queuedBytes -= bytes;
    return taken;
  }

  async #dispatch(): Promise<void> {
    this.#inFlight = true;
    const items = this.#take();
    const byTopic = new Map<string, { messages: Message[]; items: Queued[] }>();
    for (const item of items) {
      let entry = byTopic.get(item.record.topic);
      if (!entry) byTopic.set(item.record.topic, entry = { messages: [], items: [] });
      entry.messages.push(toMessage(item.record));
      entry.items.push(item);
    }
    try {
      this.#connecting ??= this.#producer.connect();
      await this.#connecting;
      this.requests++;
      const response = await this.#producer.sendBatch({
        acks: this.#settings.acks,
        timeout: this.#settings.requestTimeoutMs,
        compression: kafkajsCompression(this.#settings.compression),
        topicMessages: [...byTopic].map(([topic, { messages }]) => ({ topic, messages })),
      });
      const base = new Map<string, number>();
      for (const r of response) base.set(`${r.topicName}\0${r.partition}`, Number(r.baseOffset ?? -1));
      for (const [topic, { messages, items: topicItems }] of byTopic) {
        const seen = new Map<number, number>();
        messages.forEach((message, i) => {
          const partition = this.#partitionOf.get(message) ?? message.partition ?? -1;
          const nth = seen.get(partition) ?? 0;
          seen.set(partition, nth + 1);
          const baseOffset = base.get(`${topic}\0${partition}`);
          const offset = baseOffset === undefined || baseOffset < 0 ? -1 : baseOffset + nth;
          complete(topicItems[i]!, { topic, partition, offset });
        });
      }
    } catch (error) {
      if (this.#connecting && !(await this.#connecting.then(() => true, () => false))) this.#connecting = undefined;
      this.#logger.debug({ err: error }, 'kafka produce request failed');
      for (const item of items) fail(item, error as Error);
    } finally {
      this.#inFlight = false;
      this.#schedule();
    }
  }
}

function complete(item: Queued, metadata: RecordMetadata): void {
  const job = item.job;
  if (job.settled) return;
  job.results[item.index] = metadata;
  if (--job.remaining === 0) {
    job.settled = true;
    job.resolve(job.results);
  }
}

function fail(item: Queued, error: Error): void {
  if (item.job.settled) return;
  item.job.settled = true;
  item.job.reject(error);
}

function toMessage(record: OutgoingRecord): Message {
  const message: Message = { key: record.key, value: record.value };
  if (record.partition !== undefined && record.partition !== null) message.partition = record.partition;
  if (record.timestamp !== undefined && record.timestamp !== null) message.timestamp = String(record.timestamp);
  if (record.headers.length > 0) message.headers = toHeaders(record.headers);
  return message;
}

function toHeaders(headers: readonly RecordHeader[]): Record<string, Buffer | Buffer[]> {
  const out: Record<string, Buffer | Buffer[]> = {};
  for (const h of headers) {
    const value = h.value ?? EMPTY;
    const existing = out[h.key];
    if (existing === undefined) out[h.key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[h.key] = [existing, value];
  }
  return out;
}

function sizeOf(record: OutgoingRecord): number {
  let n = RECORD_OVERHEAD + (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const h of record.headers) n += Buffer.byteLength(h.key) + (h.value?.length ?? 0) + 4;
  return n;
}
