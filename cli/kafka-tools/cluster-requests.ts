/**
 * Kafka requests the CLI tools need beyond WireTopicAdmin: topic metadata with replicas and
 * in-sync replicas, DeleteTopics, DescribeGroups with members and assignments, and ListOffsets
 * by timestamp. Each retries retriable errors as the admin does (until default.api.timeout.ms),
 * except that an unknown topic is answered at once (the user named something that is not there).
 */
import { DeleteTopics } from '../../broker/protocol/apis/delete-topics.js';
import { DescribeGroups } from '../../broker/protocol/apis/describe-groups.js';
import { ListOffsets } from '../../broker/protocol/apis/list-offsets.js';
import { Metadata } from '../../broker/protocol/apis/metadata.js';
import type { TopicPartition } from '../../runtime/kafka/kafka-client.js';
import { CONSUMER_PROTOCOL_TYPE, decodeAssignment } from '../../runtime/kafka/wire/consumer-protocol.js';
import { isRetriable, KafkaError } from '../../runtime/kafka/wire/kafka-error.js';
import { withRetries } from '../../runtime/kafka/wire/retry.js';
import type { WireCluster } from '../../runtime/kafka/wire/wire-cluster.js';
import { UserError } from '../command-line/user-error.js';

const UNKNOWN_TOPIC_OR_PARTITION = 3;
const NOT_CONTROLLER = 41;
const GROUP_ID_NOT_FOUND = 69;
const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

export class UnknownTopicError extends UserError {
  constructor(readonly topic: string) {
    super(`unknown topic '${topic}': it does not exist on this cluster (see ferry topics list)`);
  }
}

export interface PartitionMetadata {
  readonly partition: number;
  /** -1 while the partition has no leader. */
  readonly leader: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
}

export interface TopicMetadata {
  readonly name: string;
  readonly internal: boolean;
  /** Sorted by partition. */
  readonly partitions: readonly PartitionMetadata[];
}

function retrying<T>(cluster: WireCluster, attempt: () => Promise<T>, beforeRetry?: (error: unknown) => Promise<void>): Promise<T> {
  return withRetries(cluster.retry, attempt, {
    cancelled: () => cluster.closed,
    shouldRetry: (error) => isRetriable(error) && !(error instanceof UserError),
    beforeRetry: beforeRetry ?? (() => undefined),
  });
}

/** Metadata of the named topics (null: every topic); a named topic that does not exist throws UnknownTopicError. */
export function topicMetadata(cluster: WireCluster, names: readonly string[] | null): Promise<TopicMetadata[]> {
  return retrying(cluster, async () => {
    const response = await cluster.sendToAny(Metadata, {
      topics: names === null ? null : names.map((name) => ({ name })),
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    });
    const topics: TopicMetadata[] = [];
    for (const t of response.topics) {
      if (t.name === null) continue;
      if (t.errorCode === UNKNOWN_TOPIC_OR_PARTITION && names !== null) throw new UnknownTopicError(t.name);
      if (t.errorCode !== 0) throw new KafkaError(t.errorCode, `metadata of topic ${t.name}`);
      topics.push({
        name: t.name,
        internal: t.isInternal,
        partitions: t.partitions
          .map((p) => ({ partition: p.partitionIndex, leader: p.leaderId, replicas: p.replicaNodes, isr: p.isrNodes }))
          .sort((a, b) => a.partition - b.partition),
      });
    }
    return topics.sort((a, b) => compare(a.name, b.name));
  });
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Deletes a topic at the controller; UnknownTopicError when it does not exist. */
export async function deleteTopic(cluster: WireCluster, name: string): Promise<void> {
  await retrying(cluster, async () => {
    const controller = cluster.controllerId;
    const connection = controller >= 0 ? await cluster.nodeConnection(controller) : await cluster.anyConnection();
    const timeoutMs = 30_000;
    const response = await connection.send(DeleteTopics, {
      topics: [{ name, topicId: ZERO_UUID }],
      topicNames: [name],
      timeoutMs,
    }, { timeoutMs: timeoutMs + 5000 });
    const result = response.responses.find((r) => r.name === name) ?? response.responses[0];
    if (!result) throw new KafkaError(-1, `DeleteTopics ${name}`, 'no result for the topic');
    if (result.errorCode === UNKNOWN_TOPIC_OR_PARTITION) throw new UnknownTopicError(name);
    if (result.errorCode !== 0) throw new KafkaError(result.errorCode, `DeleteTopics ${name}`, result.errorMessage);
  }, async (error) => {
    if (error instanceof KafkaError && error.code === NOT_CONTROLLER) await cluster.refreshMetadata([]);
  });
}

export interface GroupMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly host: string;
  /** Decoded for consumer groups; empty for other protocol types (Connect's groups). */
  readonly assignment: readonly TopicPartition[];
}

export interface GroupDescription {
  readonly groupId: string;
  /** Kafka's spelling: Empty, Stable, PreparingRebalance, CompletingRebalance, Dead. */
  readonly state: string;
  /** consumer, connect, or '' for a group that only has committed offsets. */
  readonly protocolType: string;
  /** The assignor (range, roundrobin, ...) while the group has members. */
  readonly protocol: string;
  readonly members: readonly GroupMember[];
}

/** DescribeGroups at each group's coordinator; a group the cluster does not know comes back as state Dead with no members. */
export function describeGroups(cluster: WireCluster, groupIds: readonly string[]): Promise<GroupDescription[]> {
  const wanted = [...new Set(groupIds)];
  if (wanted.length === 0) return Promise.resolve([]);
  return retrying(cluster, async () => {
    const byCoordinator = new Map<number, string[]>();
    for (const groupId of wanted) {
      const node = await cluster.coordinatorFor(groupId);
      byCoordinator.set(node, [...(byCoordinator.get(node) ?? []), groupId]);
    }
    const found = new Map<string, GroupDescription>();
    await Promise.all([...byCoordinator].map(async ([node, groups]) => {
      try {
        const response = await cluster.sendToNode(node, DescribeGroups, { groups, includeAuthorizedOperations: false });
        for (const g of response.groups) {
          if (g.errorCode === GROUP_ID_NOT_FOUND) {
            found.set(g.groupId, { groupId: g.groupId, state: 'Dead', protocolType: '', protocol: '', members: [] });
            continue;
          }
          if (g.errorCode !== 0) throw new KafkaError(g.errorCode, `DescribeGroups ${g.groupId}`);
          found.set(g.groupId, {
            groupId: g.groupId,
            state: g.groupState,
            protocolType: g.protocolType,
            protocol: g.protocolData,
            members: g.members.map((m) => ({
              memberId: m.memberId,
              groupInstanceId: m.groupInstanceId,
              clientId: m.clientId,
              host: m.clientHost,
              assignment: g.protocolType === CONSUMER_PROTOCOL_TYPE ? assignedPartitions(m.memberAssignment) : [],
            })),
          });
        }
      } catch (error) {
        if (!(error instanceof KafkaError) || error.staleCoordinator) for (const g of groups) cluster.forgetCoordinator(g);
        throw error;
      }
    }));
    return wanted.map((groupId) => {
      const description = found.get(groupId);
      if (!description) throw new KafkaError(-1, `DescribeGroups ${groupId}`, 'no result for the group');
      return description;
    });
  });
}

function assignedPartitions(bytes: Buffer): TopicPartition[] {
  if (bytes.length === 0) return [];
  try {
    return decodeAssignment(bytes).partitions.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })))
      .sort((a, b) => compare(a.topic, b.topic) || a.partition - b.partition);
  } catch {
    return [];
  }
}

/**
 * For each partition of the topic, the offset of the first record with a timestamp at or after
 * `timestamp` (ms), or -1 when there is none (ListOffsets by timestamp, as offsetsForTimes).
 * Special timestamps -1 (latest) and -2 (earliest) give the end and start offsets.
 */
export function offsetsForTime(cluster: WireCluster, topic: string, partitions: readonly number[], timestamp: number): Promise<Map<number, number>> {
  return retrying(cluster, async () => {
    const info = await cluster.describeTopic(topic).catch((err: unknown) => {
      if (err instanceof KafkaError && err.code === UNKNOWN_TOPIC_OR_PARTITION) throw new UnknownTopicError(topic);
      throw err;
    });
    const byLeader = new Map<number, number[]>();
    for (const p of info.partitions) {
      if (!partitions.includes(p.partition)) continue;
      if (p.leader < 0) throw new KafkaError(5, `ListOffsets ${topic}-${p.partition}`);
      byLeader.set(p.leader, [...(byLeader.get(p.leader) ?? []), p.partition]);
    }
    const offsets = new Map<number, number>();
    await Promise.all([...byLeader].map(async ([leader, list]) => {
      const response = await cluster.sendToNode(leader, ListOffsets, {
        replicaId: -1,
        isolationLevel: 0,
        topics: [{ name: topic, partitions: list.map((partitionIndex) => ({ partitionIndex, timestamp })) }],
      });
      for (const t of response.topics) {
        for (const p of t.partitions) {
          if (p.errorCode !== 0) throw new KafkaError(p.errorCode, `ListOffsets ${topic}-${p.partitionIndex}`);
          offsets.set(p.partitionIndex, p.offset);
        }
      }
    }));
    return offsets;
  }, async (error) => {
    if (error instanceof KafkaError && error.staleMetadata) await cluster.refreshMetadata([topic]);
  });
}
