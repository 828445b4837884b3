/**
 * Where the coordinator persists `__consumer_offsets` records (key/value bytes in Kafka's
 * formats, see group-records.ts). The broker backs it with the compacted offsets topic and
 * routes each record to partition `partitionFor(groupId, partitions)`.
 *
 * Contract: `append` resolves only once the records are durable, and appends become durable
 * in call order (a later append never lands before an earlier one). A rejected append wrote
 * none of its records.
 */
export interface GroupStoreRecord {
  key: Buffer;
  /** null = tombstone. */
  value: Buffer | null;
}

export interface GroupStoreWrite extends GroupStoreRecord {
  /** The group the record belongs to (it decides the offsets-topic partition). */
  groupId: string;
}

export interface GroupStore {
  append(records: GroupStoreWrite[]): Promise<void>;
}
