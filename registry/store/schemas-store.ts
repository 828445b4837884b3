/**
 * The registry's storage: the compacted one-partition `_schemas` topic, read and written as a
 * normal Kafka client (runtime/kafka's KafkaCompactedTopic: an internal producer with acks=all
 * and a group-less reader from the log start), so a Confluent registry pointed at the same
 * cluster shares the state (reference schema-registry.md §2, §8).
 *
 * - start(): creates the topic if missing (1 partition, cleanup.policy=compact), refuses one
 *   with other partitions or another cleanup policy, then replays it to the end into `state`.
 * - write(): appends the records, waits for the broker's acknowledgement, then until the local
 *   reader has applied them (read-your-writes); over `timeoutMs` answers 50002, a failed
 *   produce 50001. Callers serialize writes (one queue in the service) and call catchUp()
 *   first, so decisions are made on the whole log.
 * - Overwrites and tombstones reuse the exact key bytes read for the logical key.
 */
import type { Logger } from 'pino';
import type { KafkaClient, TopicAdmin } from '../../runtime/kafka/kafka-client.js';
import { kafkaCompactedTopic, type KafkaCompactedTopic } from '../../runtime/kafka/topic-compacted-topic.js';
import { ERR } from '../../broker/protocol/error-codes.js';
import { KafkaError } from '../../runtime/kafka/wire/kafka-error.js';
import { RegistryError, storeError, storeTimeout } from '../service/registry-errors.js';
import { RegistryState } from './registry-state.js';
import { encodeKey, logicalKey, type SchemasKey } from './schemas-topic-codec.js';

export const DEFAULT_SCHEMAS_TOPIC = '_schemas';

export interface SchemasStoreOptions {
  readonly client: KafkaClient;
  /** kafkastore.topic; `_schemas` by default. */
  readonly topic?: string;
  /** Replication factor when creating the topic; -1 (the broker's default) when absent. */
  readonly replicationFactor?: number;
  /** How long a write may take to be acknowledged and read back (kafkastore.timeout.ms); 10 s by default. */
  readonly timeoutMs?: number;
  readonly clientId: string;
  readonly logger: Logger;
}

export interface StoreRecord {
  readonly key: SchemasKey;
  readonly value: Buffer | null;
}

export class SchemasStore {
  readonly state = new RegistryState();
  readonly topic: string;
  readonly #options: SchemasStoreOptions;
  readonly #log: KafkaCompactedTopic;
  readonly #admin: TopicAdmin;

  constructor(options: SchemasStoreOptions) {
    this.#options = options;
    this.topic = options.topic ?? DEFAULT_SCHEMAS_TOPIC;
    this.#admin = options.client.admin({ clientId: `${options.clientId}-admin`, role: 'internal' });
    this.#log = kafkaCompactedTopic(options.client, { topic: this.topic, clientId: options.clientId });
    this.#log.onRecord((record) => {
      const problem = this.state.apply(record.key, record.value);
      if (problem) options.logger.warn({ topic: this.topic, offset: record.offset }, `skipped a ${this.topic} record: ${problem}`);
    });
  }

  async start(): Promise<void> {
    await this.#ensureTopic();
    await this.#log.start();
  }

  async #ensureTopic(): Promise<void> {
    const { created } = await this.#admin.ensureTopic({
      name: this.topic, partitions: 1, replicationFactor: this.#options.replicationFactor ?? -1, configs: { 'cleanup.policy': 'compact' },
    });
    if (created) {
      this.#options.logger.info({ topic: this.topic }, 'created the schemas topic');
      return;
    }
    const partitions = await this.#admin.partitionCount(this.topic);
    if (partitions !== 1) {
      throw new Error(`The schema registry's topic ${this.topic} must have exactly 1 partition, but has ${partitions}`);
    }
    const policy = (await this.#admin.describeTopicConfigs(this.topic))['cleanup.policy'];
    if (policy !== 'compact') {
      throw new Error(`The retention policy of the schema topic ${this.topic} is incorrect: expected cleanup.policy=compact, found ${policy}`);
    }
  }

  /** Waits until every record in the topic now has been applied. */
  async catchUp(): Promise<void> {
    try {
      await this.#withinTimeout(this.#log.readToEnd(), 'reading the schemas topic to its end');
    } catch (err) {
      if (err instanceof RegistryError) throw err;
      throw storeError(`Error while reading the Kafka store: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async write(records: readonly StoreRecord[]): Promise<void> {
    const appends = records.map((r) => ({ key: this.state.keyBytes(logicalKey(r.key)) ?? encodeKey(r.key), value: r.value }));
    try {
      await this.#withinTimeout(this.#log.appendBatch(appends), 'writing to the schemas topic');
    } catch (err) {
      if (err instanceof RegistryError) throw err;
      if (err instanceof KafkaError && err.code === ERR.MESSAGE_TOO_LARGE) {
        throw new RegistryError(422, 42209, `Register schema operation failed because the schema is too large: ${err.message}`);
      }
      throw storeError(`Error while writing to the Kafka store: ${err instanceof Error ? err.message : String(err)}`);
    }
    await this.catchUp();
  }

  async #withinTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
    const ms = this.#options.timeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(storeTimeout(`Operation timed out after ${ms} ms ${what}`)), ms);
    });
    try {
      return await Promise.race([promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.#log.stop(), this.#admin.close()]);
  }
}
