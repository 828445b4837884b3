/**
 * What `ferry groups list|describe` ask of the cluster: every group with its type, state and
 * member count; one group's members and, per partition it committed or is assigned, the
 * committed offset, the log end offset and the lag between them (as kafka-consumer-groups.sh
 * --describe shows them).
 */
import { UserError } from '../command-line/user-error.js';
import { compare, describeGroups, topicMetadata, type GroupDescription } from '../kafka-tools/cluster-requests.js';
import type { KafkaSession } from '../kafka-tools/kafka-session.js';

export interface ListedGroup {
  readonly group: string;
  /** consumer, connect, or '' for a group that only has committed offsets. */
  readonly type: string;
  readonly state: string;
  readonly members: number;
}

export async function listGroups(session: KafkaSession): Promise<ListedGroup[]> {
  const listed = await session.admin.listGroups();
  const described = await describeGroups(session.cluster, listed.map((g) => g.groupId));
  return listed.map((g, i) => ({
    group: g.groupId,
    type: g.protocolType || described[i]!.protocolType,
    state: described[i]!.state,
    members: described[i]!.members.length,
  }));
}

export interface GroupPartition {
  readonly topic: string;
  readonly partition: number;
  /** null: nothing committed for the partition yet. */
  readonly committedOffset: number | null;
  /** null: the topic no longer exists. */
  readonly endOffset: number | null;
  /** endOffset - committedOffset; null when either is unknown. */
  readonly lag: number | null;
  /** The member the partition is assigned to, null when none is. */
  readonly memberId: string | null;
  readonly clientId: string | null;
  readonly host: string | null;
}

export interface GroupMemberView {
  readonly memberId: string;
  readonly clientId: string;
  readonly host: string;
  readonly partitions: number;
}

export interface DescribedGroup {
  readonly group: string;
  readonly state: string;
  readonly type: string;
  /** The partition assignor while the group has members. */
  readonly assignor: string;
  readonly members: readonly GroupMemberView[];
  /** Sorted by topic, then partition. */
  readonly partitions: readonly GroupPartition[];
  /** Sum of the known lags. */
  readonly totalLag: number;
}

export class GroupNotFoundError extends UserError {
  constructor(group: string) {
    super(`group '${group}' not found: it has no members and no committed offsets (see ferry groups list)`);
  }
}

/** The group's description; GroupNotFoundError for a group with neither members nor committed offsets. */
export async function describeGroup(session: KafkaSession, groupId: string): Promise<DescribedGroup> {
  const [[description], committed] = await Promise.all([
    describeGroups(session.cluster, [groupId]) as Promise<[GroupDescription]>,
    session.admin.committedOffsets(groupId),
  ]);
  if (description.members.length === 0 && committed.length === 0 && (description.state === 'Dead' || description.state === 'Empty')) {
    throw new GroupNotFoundError(groupId);
  }
  const owners = new Map<string, (typeof description.members)[number]>();
  for (const member of description.members) for (const tp of member.assignment) owners.set(`${tp.topic}\0${tp.partition}`, member);
  const keys = new Map<string, { topic: string; partition: number }>();
  for (const c of committed) keys.set(`${c.topic}\0${c.partition}`, { topic: c.topic, partition: c.partition });
  for (const member of description.members) for (const tp of member.assignment) keys.set(`${tp.topic}\0${tp.partition}`, tp);
  const ends = await endOffsetsOfExistingTopics(session, [...new Set([...keys.values()].map((k) => k.topic))]);
  const partitions = [...keys].map(([key, { topic, partition }]) => {
    const committedOffset = committed.find((c) => c.topic === topic && c.partition === partition)?.offset ?? null;
    const endOffset = ends.get(topic)?.get(partition) ?? null;
    const owner = owners.get(key);
    return {
      topic,
      partition,
      committedOffset,
      endOffset,
      lag: committedOffset === null || endOffset === null ? null : Math.max(0, endOffset - committedOffset),
      memberId: owner?.memberId ?? null,
      clientId: owner?.clientId ?? null,
      host: owner?.host ?? null,
    };
  }).sort((a, b) => compare(a.topic, b.topic) || a.partition - b.partition);
  return {
    group: groupId,
    state: description.state,
    type: description.protocolType,
    assignor: description.protocol,
    members: description.members.map((m) => ({ memberId: m.memberId, clientId: m.clientId, host: m.host, partitions: m.assignment.length })),
    partitions,
    totalLag: partitions.reduce((sum, p) => sum + (p.lag ?? 0), 0),
  };
}

/** End offsets of each topic that still exists (a group may have offsets of a deleted topic). */
export async function endOffsetsOfExistingTopics(session: KafkaSession, topics: readonly string[]): Promise<Map<string, Map<number, number>>> {
  if (topics.length === 0) return new Map();
  const existing = new Set((await topicMetadata(session.cluster, null)).map((t) => t.name));
  const present = topics.filter((t) => existing.has(t));
  const offsets = await Promise.all(present.map((t) => session.admin.endOffsets(t)));
  return new Map(present.map((t, i) => [t, offsets[i]!]));
}
