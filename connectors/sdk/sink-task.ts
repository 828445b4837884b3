/**
 * A sink task (Kafka's SinkTask): it receives records consumed from Kafka and writes them out.
 *
 * Calling rules:
 * - `start` once; `open` when partitions are assigned and `close` when they are taken away.
 * - `put` with each batch, in partition order, never concurrently. Throw RetriableError to
 *   have the same batch retried after a back-off; DataError or BatchError for bad records
 *   (error tolerance and the dead-letter topic apply).
 * - `flush` before offsets are committed: write out everything `put` buffered and return the
 *   offsets that are now safe to commit (Kafka's flush and preCommit in one). Returning
 *   nothing commits the offsets passed in.
 * - `stop` once, after the last `put`/`flush`.
 */
import type { SinkRecord, TopicPartition } from './connect-record.js';
import type { RawConfig } from './connector.js';
import type { KafkaClusters } from './kafka-clusters.js';
import type { TaskLogger } from './task-logger.js';

/** Next offset to consume, keyed by `topicPartitionKey`. */
export type PartitionOffsets = Map<string, { partition: TopicPartition; offset: number }>;

export interface SinkTaskContext {
  assignment(): readonly TopicPartition[];
  pause(...partitions: TopicPartition[]): void;
  resume(...partitions: TopicPartition[]): void;
  /** Rewind or skip: the next records of `partition` start at `offset`. */
  seek(partition: TopicPartition, offset: number): void;
  /** Ask for an offset commit as soon as possible. */
  requestCommit(): void;
  /** Send one record to the dead-letter topic (or fail the task, per errors.tolerance) and go on. */
  reportErrantRecord(record: SinkRecord, error: Error): Promise<void>;
  /**
   * Fail the task now with `error` (its message becomes the task status trace): for failures a
   * task finds in the background — an external system that stays down after the retries, while
   * no `put` is coming to throw it.
   */
  raiseError(error: Error): void;
  readonly logger: TaskLogger;
  /** Clients for other Kafka clusters; the runtime closes what the task left open when it stops. */
  readonly kafka: KafkaClusters;
}

export interface SinkTask {
  start(config: RawConfig, context: SinkTaskContext): void | Promise<void>;
  open?(partitions: readonly TopicPartition[]): void | Promise<void>;
  put(records: readonly SinkRecord[]): Promise<void>;
  flush?(currentOffsets: PartitionOffsets): Promise<PartitionOffsets | void>;
  close?(partitions: readonly TopicPartition[]): void | Promise<void>;
  stop(): void | Promise<void>;
}
