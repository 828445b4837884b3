/**
 * A consumer group's committed offsets at its coordinator: one OffsetFetch or OffsetCommit
 * attempt each, and atCoordinator to run attempts with retries. WireTopicAdmin reads and
 * alters offsets outside any generation; WireSinkConsumer reads its partitions' offsets and
 * commits as a member of its generation. Offsets are next-offsets; -1 (none) is left out.
 */
import { OffsetCommit } from '../../../broker/protocol/apis/offset-commit.js';
import { OffsetFetch } from '../../../broker/protocol/apis/offset-fetch.js';
import type { TopicPartition, TopicPartitionOffset } from '../kafka-client.js';
import { KafkaError } from './kafka-error.js';
import { withRetries } from './retry.js';
import type { CoordinatorKind, WireCluster } from './wire-cluster.js';

const GROUP_ID_NOT_FOUND = 69;

export interface CommittedOffset extends TopicPartitionOffset {
  readonly metadata: string;
}

/** Who commits: a member of a generation, or -1 and '' for a commit outside any generation. */
export interface CommitIdentity {
  readonly generation: number;
  readonly memberId: string;
}

/**
 * Runs `attempt` at the coordinator of a group (or of a transactional id), retrying retriable
 * errors (or those `shouldRetry` accepts) with back-off until default.api.timeout.ms (or the
 * cluster client closes); a moved coordinator or a broken connection makes the next attempt
 * look the coordinator up again.
 */
export function atCoordinator<T>(
  cluster: WireCluster, key: string, attempt: (node: number) => Promise<T>,
  options: { readonly kind?: CoordinatorKind; readonly shouldRetry?: (error: unknown) => boolean } = {},
): Promise<T> {
  const kind = options.kind ?? 'group';
  return withRetries(cluster.retry, async () => {
    const node = await cluster.coordinatorFor(key, kind);
    try {
      return await attempt(node);
    } catch (error) {
      if (!(error instanceof KafkaError) || error.staleCoordinator) cluster.forgetCoordinator(key, kind);
      throw error;
    }
  }, { cancelled: () => cluster.closed, ...(options.shouldRetry ? { shouldRetry: options.shouldRetry } : {}) });
}

/** The committed offsets of `partitions` (null: every partition of the group), sorted; none for an unknown group. */
export async function fetchOffsetsAt(
  cluster: WireCluster, node: number, groupId: string, partitions: readonly TopicPartition[] | null, options: { readonly requireStable: boolean },
): Promise<CommittedOffset[]> {
  const topics = partitions === null ? null : byTopic(partitions).map(([name, list]) => ({ name, partitionIndexes: list.map((p) => p.partition) }));
  const response = await cluster.sendToNode(node, OffsetFetch, { groupId, topics, groups: [{ groupId, topics }], requireStable: options.requireStable });
  const group = response.groups.find((g) => g.groupId === groupId);
  const errorCode = group ? group.errorCode : response.errorCode;
  if (errorCode === GROUP_ID_NOT_FOUND) return [];
  if (errorCode !== 0) throw new KafkaError(errorCode, `OffsetFetch for group ${groupId}`);
  const offsets: CommittedOffset[] = [];
  for (const t of group ? group.topics : response.topics) {
    for (const p of t.partitions) {
      if (p.errorCode !== 0) throw new KafkaError(p.errorCode, `OffsetFetch ${t.name}-${p.partitionIndex} for group ${groupId}`);
      if (p.committedOffset >= 0) offsets.push({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, metadata: p.metadata ?? '' });
    }
  }
  return offsets.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
}

/** Commits `offsets` (metadata '' unless given); throws the first partition's error. */
export async function commitOffsetsAt(
  cluster: WireCluster, node: number, groupId: string, offsets: readonly (TopicPartitionOffset & { readonly metadata?: string })[], who: CommitIdentity,
): Promise<void> {
  const response = await cluster.sendToNode(node, OffsetCommit, {
    groupId,
    generationIdOrMemberEpoch: who.generation,
    memberId: who.memberId,
    groupInstanceId: null,
    topics: byTopic(offsets).map(([name, list]) => ({
      name,
      partitions: list.map((o) => ({ partitionIndex: o.partition, committedOffset: o.offset, committedMetadata: o.metadata ?? '' })),
    })),
  });
  for (const t of response.topics) {
    for (const p of t.partitions) {
      if (p.errorCode !== 0) throw new KafkaError(p.errorCode, `OffsetCommit ${t.name}-${p.partitionIndex} for group ${groupId}`);
    }
  }
}

/** Entries grouped by topic, topics in first-seen order. */
export function byTopic<T extends TopicPartition>(entries: readonly T[]): [string, T[]][] {
  const map = new Map<string, T[]>();
  for (const e of entries) {
    let list = map.get(e.topic);
    if (!list) map.set(e.topic, list = []);
    list.push(e);
  }
  return [...map];
}
