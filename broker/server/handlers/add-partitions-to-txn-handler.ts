/**
 * AddPartitionsToTxn v0-3 (exactly-once reference §2.6): one transactional id per request.
 * Unknown topics or partitions get UNKNOWN_TOPIC_OR_PARTITION and every other partition
 * OPERATION_NOT_ATTEMPTED, with nothing added; otherwise every partition gets the coordinator's
 * answer (PRODUCER_FENCED as INVALID_PRODUCER_EPOCH below v2). The v4+ broker-to-broker form
 * is not served: verification runs in-process (produce-handler.ts).
 */
import { AddPartitionsToTxn } from '../../protocol/apis/add-partitions-to-txn.js';
import { ERR } from '../../protocol/error-codes.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';
import { forVersion } from './txn-errors.js';

const FENCED_SINCE = 2;

export function addPartitionsToTxnHandler(ctx: BrokerContext): ApiHandler {
  return handler(AddPartitionsToTxn, async (req, { header }) => {
    const topics = req.v3AndBelowTopics;
    const answer = (code: (topic: string, partition: number) => number) => ({
      throttleTimeMs: 0,
      resultsByTopicV3AndBelow: topics.map((t) => ({
        name: t.name,
        resultsByPartition: t.partitions.map((p) => ({ partitionIndex: p, partitionErrorCode: code(t.name, p) })),
      })),
    });
    const id = req.v3AndBelowTransactionalId;
    if (!id) return answer(() => ERR.INVALID_REQUEST);
    const unknown = (topic: string, partition: number) => ctx.topics.partition(topic, partition) === undefined;
    if (topics.some((t) => t.partitions.some((p) => unknown(t.name, p)))) {
      return answer((t, p) => (unknown(t, p) ? ERR.UNKNOWN_TOPIC_OR_PARTITION : ERR.OPERATION_NOT_ATTEMPTED));
    }
    const code = await ctx.transactions.addPartitions(id, req.v3AndBelowProducerId, req.v3AndBelowProducerEpoch,
      topics.map((t) => ({ topic: t.name, partitions: t.partitions })));
    const answered = forVersion(code, header.apiVersion, FENCED_SINCE);
    return answer(() => answered);
  });
}
