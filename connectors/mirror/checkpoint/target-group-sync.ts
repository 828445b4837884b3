/**
 * `sync.group.offsets.enabled` (reference §6.5 step 5): translated offsets are committed into the
 * target cluster's consumer groups, but only into groups nobody consumes with there (state Empty,
 * or Dead: not known yet), so a running consumer is never moved under its feet. For a group that
 * already has offsets, a partition only moves forward; partitions it has no offset for are
 * written as translated. Partitions of remote topics that do not exist (yet) are left out.
 */
import type { ClusterAdmin } from '../../sdk/kafka-clusters.js';
import type { TaskLogger } from '../../sdk/task-logger.js';
import type { Checkpoint } from '../records/checkpoint.js';

export interface GroupSyncResult {
  /** Offsets committed, per group. */
  readonly written: Map<string, number>;
  /** Groups left alone because they have members on the target. */
  readonly skippedActive: string[];
}

export async function syncTargetGroups(admin: ClusterAdmin, checkpoints: ReadonlyMap<string, readonly Checkpoint[]>, logger: TaskLogger): Promise<GroupSyncResult> {
  const result: GroupSyncResult = { written: new Map(), skippedActive: [] };
  const groups = [...checkpoints.keys()].filter((g) => checkpoints.get(g)!.length > 0);
  if (groups.length === 0) return result;
  const states = await admin.groupStates(groups);
  const topics = [...new Set(groups.flatMap((g) => checkpoints.get(g)!.map((c) => c.topic)))];
  const partitionCounts = await admin.partitionCounts(topics);
  for (const group of groups) {
    const state = states.get(group) ?? 'Dead';
    if (state !== 'Empty' && state !== 'Dead') {
      result.skippedActive.push(group);
      logger.debug({ group, state }, `Not syncing offsets of group ${group}: it has active members on the target`);
      continue;
    }
    const current = new Map((state === 'Dead' ? [] : await admin.groupOffsets(group)).map((o) => [`${o.partition}:${o.topic}`, o.offset]));
    const updates = checkpoints.get(group)!.filter((c) => {
      if (c.partition >= (partitionCounts.get(c.topic) ?? 0)) return false;
      const existing = current.get(`${c.partition}:${c.topic}`);
      return existing === undefined || c.downstreamOffset > existing;
    });
    if (updates.length === 0) continue;
    try {
      await admin.alterGroupOffsets(group, updates.map((c) => ({ topic: c.topic, partition: c.partition, offset: c.downstreamOffset, metadata: c.metadata })));
      result.written.set(group, updates.length);
    } catch (err) {
      // A consumer may have joined since the state was read; the next interval looks again.
      logger.warn({ err, group }, `Could not commit translated offsets of group ${group} on the target`);
    }
  }
  return result;
}
