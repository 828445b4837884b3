/**
 * PrivilegedTopicWriter over a transactional producer: the config-topic writer of a Kafka
 * Connect leader with exactly.once.source.support=preparing or enabled (exactly-once.md §7.3,
 * §7.7), transactional.id `connect-cluster-{group.id}`, client id `{client.id}-leader`.
 *
 * One producer has one transaction at a time, while a leader's writes come from several places
 * at once (REST requests, its connectors' task configs, fencing rounds): writes queue, each its
 * own transaction, in call order.
 */
import type { PrivilegedTopicWriter, TopicAppend } from '../stores/compacted-topic.js';
import type { KafkaClient, TransactionalProducer } from './kafka-client.js';
import { FatalTransactionError } from './wire/kafka-error.js';

export class TransactionalTopicWriter implements PrivilegedTopicWriter {
  readonly #topic: string;
  readonly #producer: TransactionalProducer;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(topic: string, producer: TransactionalProducer) {
    this.#topic = topic;
    this.#producer = producer;
  }

  claim(): Promise<void> {
    return this.#producer.initTransactions();
  }

  write(records: readonly TopicAppend[]): Promise<void> {
    const run = this.#queue.then(() => this.#write(records));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #write(records: readonly TopicAppend[]): Promise<void> {
    this.#producer.beginTransaction();
    try {
      await this.#producer.send(records.map((r) => ({ topic: this.#topic, key: r.key, value: r.value, headers: [] })));
      await this.#producer.commitTransaction();
    } catch (error) {
      // A fenced (or otherwise broken) producer cannot abort; the coordinator already aborted its transaction.
      if (!(error instanceof FatalTransactionError)) await this.#producer.abortTransaction().catch(() => undefined);
      throw error;
    }
  }

  close(): Promise<void> {
    return this.#producer.close();
  }
}

/** The transactional id of a Connect cluster's leader: `connect-cluster-{group.id}`. */
export function leaderTransactionalId(groupId: string): string {
  return `connect-cluster-${groupId}`;
}

/** A new privileged writer for the config topic, with the worker's un-prefixed (internal) client settings. */
export function configTopicLeaderWriter(client: KafkaClient, options: { topic: string; clientId: string; groupId: string }): TransactionalTopicWriter {
  const producer = client.transactionalProducer({
    clientId: `${options.clientId}-leader`, role: 'internal', transactionalId: leaderTransactionalId(options.groupId),
  });
  return new TransactionalTopicWriter(options.topic, producer);
}
