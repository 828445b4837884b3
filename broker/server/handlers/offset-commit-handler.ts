/**
 * OffsetCommit (broker notes §5.6). Partitions the broker does not host are answered
 * UNKNOWN_TOPIC_OR_PARTITION without reaching the coordinator (as Kafka does); when none
 * remain the coordinator is not called at all. Answers keep the request's order.
 */
import { OffsetCommit } from '../../protocol/apis/offset-commit.js';
import { ERR } from '../../protocol/error-codes.js';
import type { OffsetCommitTopic } from '../../groups/group-types.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

const key = (topic: string, partition: number) => `${topic}\0${partition}`;

export function offsetCommitHandler(ctx: BrokerContext): ApiHandler {
  return handler(OffsetCommit, async (req) => {
    const errors = new Map<string, number>();
    const known: OffsetCommitTopic[] = [];
    for (const t of req.topics) {
      const partitions = t.partitions.filter((p) => {
        if (ctx.topics.partition(t.name, p.partitionIndex)) return true;
        errors.set(key(t.name, p.partitionIndex), ERR.UNKNOWN_TOPIC_OR_PARTITION);
        return false;
      });
      if (partitions.length > 0) {
        known.push({
          name: t.name,
          partitions: partitions.map((p) => ({
            partitionIndex: p.partitionIndex,
            committedOffset: p.committedOffset,
            committedLeaderEpoch: p.committedLeaderEpoch,
            committedMetadata: p.committedMetadata,
          })),
        });
      }
    }
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
