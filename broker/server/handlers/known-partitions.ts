/**
 * The partitions of an offset commit (OffsetCommit, TxnOffsetCommit) that this broker hosts,
 * in the group coordinator's shape; the others are recorded in `errors` as
 * UNKNOWN_TOPIC_OR_PARTITION under "topic\0partition" (Kafka answers them without the coordinator).
 */
import { ERR } from '../../protocol/error-codes.js';
import type { OffsetCommitTopic } from '../../groups/group-types.js';
import type { BrokerContext } from '../broker-context.js';

interface RequestPartition {
  partitionIndex: number;
  committedOffset: number;
  committedLeaderEpoch: number;
  committedMetadata: string | null;
}

export const partitionKey = (topic: string, partition: number): string => `${topic}\0${partition}`;

export function knownPartitions(
  ctx: BrokerContext, topics: { name: string; partitions: RequestPartition[] }[], errors: Map<string, number>,
): OffsetCommitTopic[] {
  const known: OffsetCommitTopic[] = [];
  for (const t of topics) {
    const partitions = t.partitions.filter((p) => {
      if (ctx.topics.partition(t.name, p.partitionIndex)) return true;
      errors.set(partitionKey(t.name, p.partitionIndex), ERR.UNKNOWN_TOPIC_OR_PARTITION);
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
  return known;
}
