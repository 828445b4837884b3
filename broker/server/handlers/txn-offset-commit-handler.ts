/**
 * TxnOffsetCommit (exactly-once reference §5.2). Unknown partitions get
 * UNKNOWN_TOPIC_OR_PARTITION; the rest are accepted only if the group's offsets partition is in
 * the producer's Ongoing transaction (verification, §2.8: otherwise INVALID_TXN_STATE, a stale
 * epoch INVALID_PRODUCER_EPOCH, a transaction being completed COORDINATOR_LOAD_IN_PROGRESS, or
 * COORDINATOR_NOT_AVAILABLE for v0-1, so clients retry), then the group coordinator stages them
 * until the transaction's marker.
 */
import { TxnOffsetCommit } from '../../protocol/apis/txn-offset-commit.js';
import { ERR } from '../../protocol/error-codes.js';
import { partitionFor } from '../../groups/partition-for.js';
import { TRANSACTION_ABORTABLE } from '../../transactions/transaction-coordinator.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';
import { CONSUMER_OFFSETS_TOPIC } from '../consumer-offsets-store.js';
import { knownPartitions, partitionKey as key } from './known-partitions.js';

function verificationError(code: number, version: number): number {
  switch (code) {
    case TRANSACTION_ABORTABLE: return ERR.INVALID_TXN_STATE;
    case ERR.PRODUCER_FENCED: return ERR.INVALID_PRODUCER_EPOCH;
    // Retriable for every client; v0-1 predate COORDINATOR_LOAD_IN_PROGRESS here (reference §5.2).
    case ERR.CONCURRENT_TRANSACTIONS: return version < 2 ? ERR.COORDINATOR_NOT_AVAILABLE : ERR.COORDINATOR_LOAD_IN_PROGRESS;
    default: return code;
  }
}

export function txnOffsetCommitHandler(ctx: BrokerContext): ApiHandler {
  return handler(TxnOffsetCommit, async (req, { header }) => {
    const errors = new Map<string, number>();
    const answer = (all?: number) => ({
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: all ?? errors.get(key(t.name, p.partitionIndex)) ?? ERR.NONE,
        })),
      })),
    });
    if (!req.groupId) return answer(ERR.INVALID_GROUP_ID);
    const offsetsPartition = partitionFor(req.groupId, ctx.topics.partitionCount(CONSUMER_OFFSETS_TOPIC)!);
    const verified = ctx.transactions.verify(req.transactionalId, req.producerId, req.producerEpoch, CONSUMER_OFFSETS_TOPIC, offsetsPartition);
    if (verified !== ERR.NONE) return answer(verificationError(verified, header.apiVersion));
    const known = knownPartitions(ctx, req.topics, errors);
    if (known.length > 0) {
      const result = await ctx.groups.commitTxnOffsets({
        transactionalId: req.transactionalId,
        groupId: req.groupId,
        producerId: req.producerId,
        producerEpoch: req.producerEpoch,
        generationId: req.generationId,
        memberId: req.memberId,
        groupInstanceId: req.groupInstanceId,
        topics: known,
      });
      for (const t of result.topics) for (const p of t.partitions) errors.set(key(t.name, p.partitionIndex), p.errorCode);
    }
    return answer();
  });
}
