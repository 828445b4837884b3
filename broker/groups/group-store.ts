/**
 * Where the coordinator persists `__consumer_offsets` records (key/value bytes in Kafka's
 * formats, see group-records.ts). The broker backs it with the compacted offsets topic and
 * routes each record to partition `partitionFor(groupId, partitions)`.
 *
 * Contract: `append` resolves only once the records are durable, and appends become durable
 * in call order (a later append never lands before an earlier one). A rejected append wrote
 * none of its records; when the log refused it, the error has a numeric `errorCode`.
 *
 * Transactional offset commits (TxnOffsetCommit) are appended with the producer's id and
 * epoch; they stay pending until the producer's transaction marker reaches the offsets
 * partition. Replay reports such records with their producer id and partition, and the
 * markers it meets, so a restarted coordinator knows which commits are still pending.
 */
export interface GroupStoreRecord {
  key: Buffer;
  /** null = tombstone. */
  value: Buffer | null;
  /** Set on replay for records written in a transaction: the producer and offsets partition. */
  txn?: { producerId: number; partition: number };
}

/** A transaction marker met on replay: the producer's commits in that partition end here. */
export interface GroupStoreMarker {
  marker: { producerId: number; partition: number; commit: boolean };
}

export type GroupStoreEntry = GroupStoreRecord | GroupStoreMarker;

export interface GroupStoreWrite {
  key: Buffer;
  value: Buffer | null;
  /** The group the record belongs to (it decides the offsets-topic partition). */
  groupId: string;
}

/** The producer whose transaction holds the records of a TxnOffsetCommit. */
export interface GroupStoreProducer {
  producerId: number;
  producerEpoch: number;
}

export interface GroupStore {
  append(records: GroupStoreWrite[], producer?: GroupStoreProducer): Promise<void>;
}
