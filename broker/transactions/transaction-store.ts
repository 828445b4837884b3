/**
 * Where the transaction coordinator persists its metadata: one compacted record per
 * transactional id (key and value in Kafka's formats, transaction-log.ts) in
 * `__transaction_state`, on partition abs(javaStringHashCode(id)) % partitions as Kafka places
 * it. Same durability contract as the group store (internal-topic-log.ts): bytes are in the log
 * when `append` returns, the promise resolves once the flush policy is met, and a rejected
 * append wrote nothing.
 */
import { partitionFor } from '../groups/partition-for.js';
import { InternalTopicLog } from '../server/internal-topic-log.js';
import type { TopicRegistry } from '../topics/topic-registry.js';
import { encodeTxnKey, encodeTxnValue } from './transaction-log.js';
import type { TxnSnapshot } from './transaction-state.js';

export const TRANSACTION_STATE_TOPIC = '__transaction_state';

export interface TransactionStore {
  /** Writes the id's new metadata (null = tombstone: the id expired). */
  append(transactionalId: string, value: TxnSnapshot | null): Promise<void>;
}

export interface StoredTxnRecord {
  key: Buffer;
  value: Buffer | null;
}

export class TransactionStateStore implements TransactionStore {
  private readonly log: InternalTopicLog;

  constructor(topics: TopicRegistry, partitions: number, now: () => number) {
    this.log = new InternalTopicLog(topics, TRANSACTION_STATE_TOPIC, partitions, now);
  }

  append(transactionalId: string, value: TxnSnapshot | null): Promise<void> {
    return this.log.append(partitionFor(transactionalId, this.log.partitions), [
      { key: encodeTxnKey(transactionalId), value: value === null ? null : encodeTxnValue(value) },
    ]);
  }

  *readAll(): Generator<StoredTxnRecord> {
    for (const e of this.log.replay()) if (e.kind === 'record') yield { key: e.key, value: e.value };
  }
}
