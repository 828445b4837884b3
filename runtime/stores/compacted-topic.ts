/**
 * The seam between the stores and Kafka: one client's view of a compacted internal topic
 * (Kafka's KafkaBasedLog). Keys and values are raw bytes; the stores own the formats.
 *
 * Contract for implementations:
 * - Listeners are called one at a time, synchronously, in log order per partition, from the
 *   implementation's own delivery loop (never from inside `append`).
 * - Records appended through this view are delivered back to its listeners like any other
 *   record: writers learn about their own writes by reading them back.
 * - Appends made without awaiting the previous one still land in call order on a partition;
 *   `appendBatch` writes its records in order, as one produce request where possible.
 * - `readToEnd()` resolves once every record up to the log end offsets taken at the time of
 *   the call has been delivered to the listeners.
 */

export interface TopicRecord {
  readonly key: Buffer | null;
  /** `null` is a tombstone. */
  readonly value: Buffer | null;
  readonly partition: number;
  readonly offset: number;
}

export interface TopicAppend {
  readonly key: Buffer;
  readonly value: Buffer | null;
}

export type TopicRecordListener = (record: TopicRecord) => void;

export interface CompactedTopic {
  /** Starts reading from the beginning; resolves once the records present at start are delivered. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when the record is acknowledged by the log, not when it has been read back. */
  append(key: Buffer, value: Buffer | null): Promise<void>;
  appendBatch(records: readonly TopicAppend[]): Promise<void>;
  readToEnd(): Promise<void>;
  /** Returns a function that removes the listener. Register before `start()` to see every record. */
  onRecord(listener: TopicRecordListener): () => void;
}

/**
 * Writes to a compacted topic that only the holder of its write privileges can make (Kafka
 * Connect's "fencable" config-topic producer with exactly-once source support): each batch is
 * one transaction, and claiming the privileges fences the previous holder, whose later writes
 * fail without any of their records becoming visible to read_committed readers.
 */
export interface PrivilegedTopicWriter {
  /** Takes the privileges (fencing any earlier holder). */
  claim(): Promise<void>;
  /** Writes the records in order, all or none; rejects if the privileges were lost. */
  write(records: readonly TopicAppend[]): Promise<void>;
  close(): Promise<void>;
}
