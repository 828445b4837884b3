/**
 * OffsetCommit (broker notes §5.6). Partitions the broker does not host are answered
 * UNKNOWN_TOPIC_OR_PARTITION without reaching the coordinator (as Kafka does); when none
 * remain the coordinator is not called at all. Answers keep the request's order.
 */
import { OffsetCommit } from '../../protocol/apis/offset-commit.js';
import { ERR } from '../../protocol/error-codes.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';
import { knownPartitions, partitionKey as key } from './known-partitions.js';

export function offsetCommitHandler(ctx: BrokerContext): ApiHandler {
  return handler(OffsetCommit, async (req) => {
    const errors = new Map<string, number>();
    const known = knownPartitions(ctx, req.topics, errors);
    if (known.length > 0) {
      const result = await ctx.groups.commitOffsets({
        groupId: req.groupId,
        generationId: req.generationIdOrMemberEpoch,
        memberId: req.memberId,
        groupInstanceId: req.groupInstanceId,
        topics: known,
      });
      for (const t of result.topics) {
        for (const p of t.partitions) errors.set(key(t.name, p.partitionIndex), p.errorCode);
      }
    }
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: errors.get(key(t.name, p.partitionIndex)) ?? ERR.NONE,
        })),
      })),
    };
  });
}
