/**
 * Turns a source group's committed offsets into checkpoints (reference §6.5): only topics the
 * topic filter replicates and that did not come from the target (a cycle); each offset translated
 * by the offset-sync store, partitions without syncs or with offsets older than every sync left
 * out; the checkpoint names the topic as it is called on the target.
 */
import type { CommittedOffset } from '../../sdk/kafka-clusters.js';
import type { OffsetSyncStore } from '../offsets/offset-sync-store.js';
import { isCycle, type ReplicationPolicy } from '../policy/replication-policy.js';
import type { TopicFilter } from '../policy/topic-filter.js';
import type { Checkpoint } from '../records/checkpoint.js';

export interface CheckpointScope {
  readonly policy: ReplicationPolicy;
  readonly topicFilter: TopicFilter;
  readonly sourceClusterAlias: string;
  readonly targetClusterAlias: string;
}

/** Whether offsets of `topic` (a source topic) are checkpointed. */
export function shouldCheckpointTopic(scope: CheckpointScope, topic: string): boolean {
  return scope.topicFilter.shouldReplicateTopic(topic) && !isCycle(scope.policy, topic, scope.targetClusterAlias);
}

export function groupCheckpoints(group: string, offsets: readonly CommittedOffset[], store: OffsetSyncStore, scope: CheckpointScope): Checkpoint[] {
  const out: Checkpoint[] = [];
  for (const o of offsets) {
    if (o.offset < 0 || !shouldCheckpointTopic(scope, o.topic)) continue;
    const downstream = store.translateDownstream(o.topic, o.partition, o.offset);
    if (downstream === undefined || downstream < 0) continue;
    out.push({
      group,
      topic: scope.policy.formatRemoteTopic(scope.sourceClusterAlias, o.topic),
      partition: o.partition,
      upstreamOffset: o.offset,
      downstreamOffset: downstream,
      metadata: o.metadata,
    });
  }
  return out;
}
