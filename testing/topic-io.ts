/**
 * Writing records to and reading them back from a topic of the worker's bundled broker, through
 * ferry's own Kafka client: what a sink is fed and what a source wrote. Values are UTF-8 strings.
 */
import { pino } from 'pino';
import { createKafkaClient } from '../runtime/kafka/create-kafka-client.js';
import type { KafkaClient } from '../runtime/kafka/kafka-client.js';

export interface TopicRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: string | null;
}

export class TopicIo {
  readonly #kafka: KafkaClient;

  constructor(bootstrap: string) {
    this.#kafka = createKafkaClient({ bootstrapServers: bootstrap, clientId: 'ferry-conformance-kit', logger: pino({ level: 'silent' }) });
  }

  /** Creates the topic (one partition unless told) if it does not exist. */
  async createTopic(topic: string, partitions = 1): Promise<void> {
    await this.#kafka.admin({ clientId: 'ferry-conformance-kit-admin', role: 'internal' })
      .ensureTopic({ name: topic, partitions, replicationFactor: -1 });
  }

  /** Writes the values, in order, to partition 0; resolves with their offsets once acknowledged. */
  async produce(topic: string, values: readonly string[]): Promise<number[]> {
    const producer = this.#kafka.producer({ clientId: 'ferry-conformance-kit-producer', role: 'internal' });
    try {
      const sent = await producer.send(values.map((value) => ({ topic, partition: 0, key: null, value: Buffer.from(value), headers: [] })));
      return sent.map((m) => m.offset);
    } finally {
      await producer.close();
    }
  }

  /** Every record of the topic up to its current end, in offset order per partition. */
  async readAll(topic: string): Promise<TopicRecord[]> {
    const reader = this.#kafka.topicReader({ topic, clientId: 'ferry-conformance-kit-reader' });
    const records: TopicRecord[] = [];
    reader.onRecord((r) => {
      records.push({ partition: r.partition, offset: r.offset, key: r.key?.toString('utf8') ?? null, value: r.value?.toString('utf8') ?? null });
    });
    try {
      await reader.start();
      await reader.readToEnd();
    } finally {
      await reader.stop();
    }
    return records;
  }

  close(): Promise<void> {
    return this.#kafka.close();
  }
}
