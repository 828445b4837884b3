/**
 * AddOffsetsToTxn (exactly-once reference §2.6): adds the group's `__consumer_offsets`
 * partition (partitionFor(group)) to the transaction, so its TxnOffsetCommit is accepted and
 * the marker reaches the offsets partition. It does not contact the group coordinator.
 */
import { AddOffsetsToTxn } from '../../protocol/apis/add-offsets-to-txn.js';
import { ERR } from '../../protocol/error-codes.js';
import { partitionFor } from '../../groups/partition-for.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';
import { CONSUMER_OFFSETS_TOPIC } from '../consumer-offsets-store.js';
import { forVersion } from './txn-errors.js';

const FENCED_SINCE = 2;

export function addOffsetsToTxnHandler(ctx: BrokerContext): ApiHandler {
  return handler(AddOffsetsToTxn, async (req, { header }) => {
    if (!req.transactionalId) return { throttleTimeMs: 0, errorCode: ERR.INVALID_REQUEST };
    const partition = partitionFor(req.groupId, ctx.topics.partitionCount(CONSUMER_OFFSETS_TOPIC)!);
    const code = await ctx.transactions.addPartitions(req.transactionalId, req.producerId, req.producerEpoch,
      [{ topic: CONSUMER_OFFSETS_TOPIC, partitions: [partition] }]);
    return { throttleTimeMs: 0, errorCode: forVersion(code, header.apiVersion, FENCED_SINCE) };
  });
}
