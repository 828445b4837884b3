/**
 * Which source consumer groups the checkpoint connector works on: those the group filter passes
 * that have committed offsets for at least one topic that is checkpointed (the topic filter,
 * minus topics that came from the target). Sorted, so assignments are stable.
 */
import type { ClusterAdmin } from '../../sdk/kafka-clusters.js';
import type { GroupFilter } from '../policy/group-filter.js';
import { shouldCheckpointTopic, type CheckpointScope } from './group-checkpoints.js';

const CONCURRENCY = 16;

export async function findCheckpointGroups(admin: ClusterAdmin, scope: CheckpointScope & { readonly groupFilter: GroupFilter }): Promise<string[]> {
  const candidates = (await admin.listGroups()).filter((g) => scope.groupFilter.shouldReplicateGroup(g));
  const found: string[] = [];
  for (let i = 0; i < candidates.length; i += CONCURRENCY) {
    const batch = candidates.slice(i, i + CONCURRENCY);
    const offsets = await Promise.all(batch.map((g) => admin.groupOffsets(g)));
    batch.forEach((group, j) => {
      if (offsets[j]!.some((o) => shouldCheckpointTopic(scope, o.topic))) found.push(group);
    });
  }
  return found.sort();
}
