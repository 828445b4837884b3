/**
 * How a source task runner writes converted records to Kafka and makes their source offsets
 * durable: at least once (AtLeastOnceDelivery: records go out as they come, offsets follow on a
 * timer) or exactly once (TransactionalDelivery: records and their offsets commit in one Kafka
 * transaction). The runner owns the task's lifecycle, the poll loop and conversion; a delivery
 * owns the producer and everything about offsets.
 *
 * Calling rules: the runner calls `open` once before the task starts; then, from its poll loop
 * only (never concurrently), `send` with each poll's records, and `afterPoll` after every poll,
 * empty ones included; `finish` once at the end, after the loop has ended, then `close`.
 */
import type { SourceOffset, SourcePartition, SourceRecord } from '../../connectors/sdk/connect-record.js';
import type { RecordMetadata as TaskRecordMetadata, TransactionContext } from '../../connectors/sdk/source-task.js';
import type { OutgoingRecord } from '../kafka/kafka-client.js';
import type { SourcePosition } from './offset-tracker.js';

export interface SourceDelivery {
  /** Before the task starts (a transactional delivery claims its transactional id here). */
  open(): Promise<void>;
  /** A position the task skipped past (a tolerated poll failure that says where it continues): its offset is done. */
  skip(position: SourcePosition, record: SourceRecord | null): void;
  /**
   * Writes one poll's records: `converted[i]` is `sources[i]` as produced, or null when a
   * transform dropped it or error tolerance skipped it (its offset is done, in poll order).
   * `converted` may be shorter than `sources` when conversion failed part-way. Resolves once
   * the loop may poll again.
   */
  send(sources: readonly SourceRecord[], converted: readonly (OutgoingRecord | null)[]): Promise<void>;
  /** After every poll, empty ones included: where a transaction boundary may fall. */
  afterPoll(): Promise<void>;
  /** Records handed to `add` and not yet acknowledged (source-record-active-count). */
  readonly activeRecords: number;
  /**
   * After the loop ended: waits for what is in flight and commits what may be committed. `failed`:
   * the task failed (an exactly-once delivery then leaves its open transaction to abort).
   */
  finish(failed: boolean): Promise<void>;
  /** Closes the producer. */
  close(): Promise<void>;
  /** For the task's context: how it ends transactions itself (exactly-once, transaction.boundary=connector). */
  readonly transactionContext?: TransactionContext;
}

/** How a task's records are written exactly once (worker exactly.once.source.support=enabled). */
export interface ExactlyOnceSettings {
  /** `{group.id}-{connector}-{task}`. */
  readonly transactionalId: string;
  /** The offsets topic the task's offsets are written to, inside its transactions. */
  readonly offsetsTopic: string;
  readonly boundary: 'poll' | 'interval' | 'connector';
  readonly boundaryIntervalMs: number;
  /** Before the task claims its transactional id: zombie fencing of the connector's earlier tasks, through the leader. */
  readonly fenceZombies?: () => Promise<void>;
  /** After it claimed it, before it reads offsets: throws when the task's configs are no longer current. */
  readonly checkCurrent?: () => Promise<void>;
}

/** What a delivery needs from its runner. */
export interface DeliveryHost {
  /** SourceTask.commitRecord, guarded: a throw is logged. */
  commitRecord(record: SourceRecord, metadata: TaskRecordMetadata | null): void;
  /** SourceTask.commit after offsets were committed, guarded. */
  taskCommit(): Promise<void>;
  /** SourceTask.recordsAcknowledged, guarded: a throw is logged. */
  recordsAcknowledged(partition: SourcePartition, offset: SourceOffset): void;
  /** Fails the task (reports FAILED, shuts it down). */
  fail(error: unknown): void;
}

/** Sends a delivery may have outstanding before it waits. */
export const MAX_SENDS_IN_FLIGHT = 64;
/** Key, value and header bytes sent and not yet acknowledged before a delivery waits (Java's producer blocks at buffer.memory, 32 MiB). */
export const MAX_UNACKED_BYTES = 16 * 1024 * 1024;

/** Key, value and header bytes of a record: what the unacknowledged-bytes bound counts. */
export function byteSize(record: OutgoingRecord): number {
  let n = (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const h of record.headers) n += h.value?.length ?? 0;
  return n;
}
