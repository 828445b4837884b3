/**
 * CompactedTopic over Kafka (Kafka Connect's KafkaBasedLog): appends go through a producer,
 * reads come from a group-less TopicReader of every partition. Keys are partitioned by the
 * producer's default partitioner, murmur2(key) % partitions like the Java client, so records
 * land in the partitions Kafka Connect would use for them.
 *
 * Semantics match InMemoryCompactedTopic: listeners run one at a time in log order per
 * partition from the reader's delivery loop; appends resolve when the broker acknowledges
 * them (not when read back) and land in call order on a partition; readToEnd() waits for the
 * end offsets taken at the call; a listener exception rejects the waiting readToEnd().
 * The instance owns its producer and reader: stop() stops both.
 */
import type { CompactedTopic, TopicAppend, TopicRecordListener } from '../stores/compacted-topic.js';
import type { KafkaClient, RecordProducer, TopicReader } from './kafka-client.js';

export class KafkaCompactedTopic implements CompactedTopic {
  readonly #producer: RecordProducer;
  readonly #reader: TopicReader;
  #state: 'new' | 'started' | 'stopped' = 'new';

  constructor(readonly topic: string, producer: RecordProducer, reader: TopicReader) {
    this.#producer = producer;
    this.#reader = reader;
  }

  async start(): Promise<void> {
    if (this.#state === 'stopped') throw new Error('topic reader was stopped');
    if (this.#state === 'new') {
      await this.#reader.start();
      this.#state = 'started';
    }
    await this.readToEnd();
  }

  async stop(): Promise<void> {
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    await Promise.all([this.#reader.stop(), this.#producer.close()]);
  }

  async append(key: Buffer, value: Buffer | null): Promise<void> {
    this.#assertStarted();
    await this.#producer.send([{ topic: this.topic, key, value, headers: [] }]);
  }

  async appendBatch(records: readonly TopicAppend[]): Promise<void> {
    this.#assertStarted();
    await this.#producer.send(records.map((r) => ({ topic: this.topic, key: r.key, value: r.value, headers: [] })));
  }

  readToEnd(): Promise<void> {
    if (this.#state !== 'started') return Promise.reject(new Error('topic reader is not started'));
    return this.#reader.readToEnd();
  }

  onRecord(listener: TopicRecordListener): () => void {
    return this.#reader.onRecord((r) => listener({ key: r.key, value: r.value, partition: r.partition, offset: r.offset }));
  }

  #assertStarted(): void {
    if (this.#state !== 'started') throw new Error('topic reader is not started');
  }
}

/**
 * A KafkaCompactedTopic with the client's internal-topic producer (idempotence off, acks=all) and
 * reader; `readCommitted` reads only committed transactions (an exactly-once worker's offsets topic).
 */
export function kafkaCompactedTopic(client: KafkaClient, options: { topic: string; clientId: string; readCommitted?: boolean }): KafkaCompactedTopic {
  return new KafkaCompactedTopic(
    options.topic,
    client.producer({ clientId: options.clientId, role: 'internal' }),
    client.topicReader({ topic: options.topic, clientId: options.clientId, readCommitted: options.readCommitted ?? false }),
  );
}
