/**
 * A source task (Kafka's SourceTask): it polls an external system and returns records, each
 * carrying the source partition and offset it reached.
 *
 * Calling rules:
 * - `start` once; stored offsets can be read only there, through `context.offsets`, so a task
 *   never acts on offsets older than its own progress.
 * - `poll` repeatedly, never concurrently. It returns an empty array when idle (after waiting
 *   briefly for data) and must return promptly once `signal` aborts.
 * - `stop` once, after the last `poll` returned; it must be idempotent.
 * - `commitRecord` is called after a record was acknowledged by Kafka, in acknowledgement order.
 * - `commit` is called after each successful source offset commit (also when there was nothing
 *   new to write); what it throws is logged and does not fail the task.
 * - `recordsAcknowledged` (ferry's own, no Java counterpart) is called once every record of a
 *   source partition up to a position is acknowledged by Kafka (with exactly-once support: once
 *   its transaction committed), or was dropped by a transform or by error tolerance. From then
 *   on the runtime reads nothing of those records (keys, values, headers) again, unless the task
 *   itself keeps them or gets them in `commitRecord`, so it may reuse the memory they were read
 *   into. Calls come in position order per partition, not for every record, and not at all for
 *   records that were never acknowledged (the task failed or stopped first).
 */
import type { SourceOffset, SourcePartition, SourceRecord } from './connect-record.js';
import type { RawConfig } from './connector.js';
import type { KafkaClusters } from './kafka-clusters.js';
import type { TaskLogger } from './task-logger.js';

export interface OffsetReader {
  /** The stored offsets of the given source partitions; partitions never committed are absent. */
  offsets(partitions: readonly SourcePartition[]): Promise<Map<SourcePartition, SourceOffset>>;
}

/**
 * How a task ends transactions itself (Kafka's TransactionContext), with the worker's
 * exactly-once source support enabled and `transaction.boundary=connector`. Requests take
 * effect after the batch being polled (or after the given record) has been handed to the
 * producer; a record-level request wins over a batch-level one. An abort still commits the
 * source offsets of the aborted records, so they are not read again.
 */
export interface TransactionContext {
  /** Commit the open transaction after the records of the current batch. */
  commitTransaction(): void;
  /** Commit the open transaction right after `record` (one of the records returned by poll). */
  commitTransaction(record: SourceRecord): void;
  /** Abort the open transaction after the records of the current batch. */
  abortTransaction(): void;
  /** Abort the open transaction right after `record`. */
  abortTransaction(record: SourceRecord): void;
}

export interface SourceTaskContext {
  readonly offsets: OffsetReader;
  readonly logger: TaskLogger;
  /** Clients for other Kafka clusters; the runtime closes what the task left open when it stops. */
  readonly kafka: KafkaClusters;
  /**
   * Present only when the worker has exactly-once source support enabled and the connector
   * is configured with `transaction.boundary=connector` (Kafka returns null otherwise).
   */
  readonly transactionContext?: TransactionContext;
}

export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export interface SourceTask {
  start(config: RawConfig, context: SourceTaskContext): void | Promise<void>;
  poll(signal: AbortSignal): Promise<SourceRecord[]>;
  stop(): void | Promise<void>;
  commitRecord?(record: SourceRecord, metadata: RecordMetadata | null): void;
  commit?(): void | Promise<void>;
  /** Every record of `partition` up to and including the one with `offset` is done with (see the header). */
  recordsAcknowledged?(partition: SourcePartition, offset: SourceOffset): void;
}
