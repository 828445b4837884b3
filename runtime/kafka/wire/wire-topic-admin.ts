/**
 * TopicAdmin over the wire client. kafkajs's admin is not used because it cannot do what
 * Kafka Connect needs here: its CreateTopics stops at v3 (broker-default partitions and
 * replication factor, -1, need v4+), its fetchOffsets only reads named topics (Connect lists
 * every offset of a group), setOffsets works by joining the group as a consumer, and it has no
 * OffsetDelete.
 *
 * Every operation retries retriable errors (refreshing metadata or the group coordinator as
 * the error calls for) until default.api.timeout.ms.
 */
import { CreateTopics } from '../../../broker/protocol/apis/create-topics.js';
import { DeleteGroups } from '../../../broker/protocol/apis/delete-groups.js';
import { DescribeConfigs } from '../../../broker/protocol/apis/describe-configs.js';
import { ListOffsets } from '../../../broker/protocol/apis/list-offsets.js';
import { OffsetCommit } from '../../../broker/protocol/apis/offset-commit.js';
import { OffsetDelete } from '../../../broker/protocol/apis/offset-delete.js';
import { OffsetFetch } from '../../../broker/protocol/apis/offset-fetch.js';
import type { NewTopic, TopicAdmin, TopicPartition, TopicPartitionOffset } from '../kafka-client.js';
import { isRetriable, KafkaError, UnsupportedApiError } from './kafka-error.js';
import { withRetries } from './retry.js';
import type { WireCluster } from './wire-cluster.js';

const RESOURCE_TOPIC = 2;
const LATEST = -1;
const TOPIC_ALREADY_EXISTS = 36;
const UNKNOWN_TOPIC_OR_PARTITION = 3;
const NOT_CONTROLLER = 41;
const GROUP_ID_NOT_FOUND = 69;

export class WireTopicAdmin implements TopicAdmin {
  readonly #cluster: WireCluster;
  readonly #ownsCluster: boolean;

  /** With `ownsCluster`, close() closes the cluster client too. */
  constructor(cluster: WireCluster, options: { ownsCluster?: boolean } = {}) {
    this.#cluster = cluster;
    this.#ownsCluster = options.ownsCluster ?? false;
  }

  async ensureTopic(topic: NewTopic): Promise<{ created: boolean }> {
    const created = await this.#retry(async () => {
      const controller = this.#cluster.controllerId >= 0 ? this.#cluster.controllerId : undefined;
      const connection = controller === undefined ? await this.#cluster.anyConnection() : await this.#cluster.nodeConnection(controller);
      const version = connection.versionFor(CreateTopics);
      if (version < 4 && (topic.partitions < 0 || topic.replicationFactor < 0)) {
        throw new UnsupportedApiError(`creating ${topic.name} with the broker's default partitions or replication factor needs CreateTopics v4 (Kafka 2.4+); set them explicitly`);
      }
      const timeoutMs = Math.min(this.#cluster.retry.timeoutMs, 30_000);
      const response = await connection.send(CreateTopics, {
        topics: [{
          name: topic.name,
          numPartitions: topic.partitions,
          replicationFactor: topic.replicationFactor,
          assignments: [],
          configs: Object.entries(topic.configs ?? {}).map(([name, value]) => ({ name, value })),
        }],
        timeoutMs,
        validateOnly: false,
      }, { version, timeoutMs: timeoutMs + 5000 });
      const result = response.topics.find((t) => t.name === topic.name);
      if (!result) throw new KafkaError(-1, `CreateTopics ${topic.name}`, 'no result for the topic');
      if (result.errorCode === TOPIC_ALREADY_EXISTS) return false;
      if (result.errorCode !== 0) throw new KafkaError(result.errorCode, `CreateTopics ${topic.name}`, result.errorMessage);
      return true;
    }, async (error) => {
      if (error instanceof KafkaError && error.code === NOT_CONTROLLER) await this.#cluster.refreshMetadata([]);
    });
    await this.#retry(async () => {
      const info = await this.#cluster.describeTopic(topic.name);
      const leaderless = info.partitions.find((p) => p.leader < 0 || p.errorCode !== 0);
      if (info.partitions.length === 0 || leaderless) throw new KafkaError(5, `waiting for leaders of ${topic.name}`);
    });
    return { created };
  }

  describeTopicConfigs(name: string): Promise<Record<string, string | null>> {
    return this.#retry(async () => {
      const response = await this.#cluster.sendToAny(DescribeConfigs, {
        resources: [{ resourceType: RESOURCE_TOPIC, resourceName: name, configurationKeys: null }],
        includeSynonyms: false,
        includeDocumentation: false,
      });
      const result = response.results[0];
      if (!result) throw new KafkaError(-1, `DescribeConfigs ${name}`, 'no result for the topic');
      if (result.errorCode !== 0) throw new KafkaError(result.errorCode, `DescribeConfigs ${name}`, result.errorMessage);
      const configs: Record<string, string | null> = {};
      for (const c of result.configs) configs[c.name] = c.value;
      return configs;
    }, undefined, (error) => error instanceof KafkaError && error.code === UNKNOWN_TOPIC_OR_PARTITION);
  }

  async partitionCount(name: string): Promise<number | undefined> {
    return this.#retry(async () => {
      const [info] = await this.#cluster.refreshMetadata([name]);
      if (!info || info.errorCode === UNKNOWN_TOPIC_OR_PARTITION) return undefined;
      if (info.errorCode !== 0) throw new KafkaError(info.errorCode, `metadata for topic ${name}`);
      return info.partitions.length;
    });
  }

  endOffsets(topic: string): Promise<Map<number, number>> {
    return this.#retry(async () => {
      const info = await this.#cluster.describeTopic(topic);
      const byLeader = new Map<number, number[]>();
      for (const p of info.partitions) {
        if (p.leader < 0) throw new KafkaError(5, `ListOffsets ${topic}-${p.partition}`);
        byLeader.set(p.leader, [...(byLeader.get(p.leader) ?? []), p.partition]);
      }
      const offsets = new Map<number, number>();
      await Promise.all([...byLeader].map(async ([leader, partitions]) => {
        const response = await this.#cluster.sendToNode(leader, ListOffsets, {
          replicaId: -1,
          isolationLevel: 0,
          topics: [{ name: topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp: LATEST })) }],
        });
        for (const t of response.topics) {
          for (const p of t.partitions) {
            if (p.errorCode !== 0) throw new KafkaError(p.errorCode, `ListOffsets ${topic}-${p.partitionIndex}`);
            offsets.set(p.partitionIndex, p.offset);
          }
        }
      }));
      return new Map([...offsets].sort((a, b) => a[0] - b[0]));
    });
  }

  groupOffsets(groupId: string): Promise<TopicPartitionOffset[]> {
    return this.#toCoordinator(groupId, async (node) => {
      const response = await this.#cluster.sendToNode(node, OffsetFetch, {
        groupId,
        topics: null,
        groups: [{ groupId, topics: null }],
        requireStable: false,
      });
      const group = response.groups.find((g) => g.groupId === groupId);
      const errorCode = group ? group.errorCode : response.errorCode;
      if (errorCode === GROUP_ID_NOT_FOUND) return [];
      if (errorCode !== 0) throw new KafkaError(errorCode, `OffsetFetch for group ${groupId}`);
      const offsets: TopicPartitionOffset[] = [];
      for (const t of group ? group.topics : response.topics) {
        for (const p of t.partitions) {
          if (p.errorCode !== 0) throw new KafkaError(p.errorCode, `OffsetFetch ${t.name}-${p.partitionIndex} for group ${groupId}`);
          if (p.committedOffset >= 0) offsets.push({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset });
        }
      }
      return offsets.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
    });
  }

  async alterGroupOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    await this.#toCoordinator(groupId, async (node) => {
      const response = await this.#cluster.sendToNode(node, OffsetCommit, {
        groupId,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        topics: byTopic(offsets).map(([name, list]) => ({
          name,
          partitions: list.map((o) => ({ partitionIndex: o.partition, committedOffset: o.offset, committedMetadata: '' })),
        })),
      });
      for (const t of response.topics) {
        for (const p of t.partitions) {
          if (p.errorCode !== 0) throw new KafkaError(p.errorCode, `OffsetCommit ${t.name}-${p.partitionIndex} for group ${groupId}`);
        }
      }
    });
  }

  async deleteGroupOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<void> {
    if (partitions.length === 0) return;
    await this.#toCoordinator(groupId, async (node) => {
      const response = await this.#cluster.sendToNode(node, OffsetDelete, {
        groupId,
        topics: byTopic(partitions).map(([name, list]) => ({ name, partitions: list.map((p) => ({ partitionIndex: p.partition })) })),
      });
      if (response.errorCode === GROUP_ID_NOT_FOUND) return;
      if (response.errorCode !== 0) throw new KafkaError(response.errorCode, `OffsetDelete for group ${groupId}`);
      for (const t of response.topics) {
        for (const p of t.partitions) {
          if (p.errorCode !== 0) throw new KafkaError(p.errorCode, `OffsetDelete ${t.name}-${p.partitionIndex} for group ${groupId}`);
        }
      }
    });
  }

  async resetGroupOffsets(groupId: string): Promise<void> {
    await this.#toCoordinator(groupId, async (node) => {
      const response = await this.#cluster.sendToNode(node, DeleteGroups, { groupsNames: [groupId] });
      const result = response.results.find((r) => r.groupId === groupId);
      if (result && result.errorCode !== 0 && result.errorCode !== GROUP_ID_NOT_FOUND) {
        throw new KafkaError(result.errorCode, `DeleteGroups ${groupId}`);
      }
    });
  }

  async listTopics(): Promise<string[]> {
    const topics = await this.#retry(() => this.#cluster.refreshMetadata(null));
    return topics.filter((t) => t.errorCode === 0 && !t.internal).map((t) => t.name).sort();
  }

  async clusterId(): Promise<string> {
    if (this.#cluster.clusterId === null) await this.#retry(() => this.#cluster.refreshMetadata([]));
    const id = this.#cluster.clusterId;
    if (id === null) throw new UnsupportedApiError('the broker does not report a cluster id (Metadata v2+)');
    return id;
  }

  async close(): Promise<void> {
    if (this.#ownsCluster) await this.#cluster.close();
  }

  #retry<T>(attempt: () => Promise<T>, beforeRetry?: (error: unknown) => Promise<void>, giveUp?: (error: unknown) => boolean): Promise<T> {
    return withRetries(this.#cluster.retry, attempt, {
      beforeRetry: beforeRetry ?? (() => undefined),
      cancelled: () => this.#cluster.closed,
      shouldRetry: (error) => isRetriable(error) && !giveUp?.(error),
    });
  }

  #toCoordinator<T>(groupId: string, attempt: (node: number) => Promise<T>): Promise<T> {
    return this.#retry(async () => {
      const node = await this.#cluster.coordinatorFor(groupId);
      try {
        return await attempt(node);
      } catch (error) {
        if (!(error instanceof KafkaError) || error.staleCoordinator) this.#cluster.forgetCoordinator(groupId);
        throw error;
      }
    });
  }
}

function byTopic<T extends TopicPartition>(entries: readonly T[]): [string, T[]][] {
  const map = new Map<string, T[]>();
  for (const e of entries) map.set(e.topic, [...(map.get(e.topic) ?? []), e]);
  return [...map];
}
