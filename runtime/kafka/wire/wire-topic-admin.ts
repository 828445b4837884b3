/**
 * TopicAdmin over the wire client. kafkajs's admin is not used because it cannot do what
 * Kafka Connect needs here: its CreateTopics stops at v3 (broker-default partitions and
 * replication factor, -1, need v4+), its fetchOffsets only reads named topics (Connect lists
 * every offset of a group), setOffsets works by joining the group as a consumer, and it has no
 * OffsetDelete. Beyond TopicAdmin it serves what connectors' own admin clients need
 * (connectors/sdk/kafka-clusters.ts): CreatePartitions, a topic's config overrides and
 * IncrementalAlterConfigs, ListGroups on every broker, DescribeGroups, committed offsets with
 * their metadata, and log start offsets.
 *
 * Every operation retries retriable errors (refreshing metadata or the group coordinator as
 * the error calls for) until default.api.timeout.ms.
 */
import { CreatePartitions } from '../../../broker/protocol/apis/create-partitions.js';
import { CreateTopics } from '../../../broker/protocol/apis/create-topics.js';
import { DeleteGroups } from '../../../broker/protocol/apis/delete-groups.js';
import { DescribeConfigs } from '../../../broker/protocol/apis/describe-configs.js';
import { DescribeGroups } from '../../../broker/protocol/apis/describe-groups.js';
import { IncrementalAlterConfigs } from '../../../broker/protocol/apis/incremental-alter-configs.js';
import { ListGroups } from '../../../broker/protocol/apis/list-groups.js';
import { ListOffsets } from '../../../broker/protocol/apis/list-offsets.js';
import { OffsetDelete } from '../../../broker/protocol/apis/offset-delete.js';
import type { NewTopic, TopicAdmin, TopicPartition, TopicPartitionOffset } from '../kafka-client.js';
import type { BrokerConnection } from './broker-connection.js';
import { fenceProducers } from './fence-producers.js';
import { isRetriable, KafkaError, UnsupportedApiError } from './kafka-error.js';
import {
  atCoordinator, byTopic, commitOffsetsAt, fetchOffsetsAt, type CommitIdentity, type CommittedOffset,
} from './group-offsets.js';
import { withRetries } from './retry.js';
import type { WireCluster } from './wire-cluster.js';

const RESOURCE_TOPIC = 2;
const LATEST = -1;
const EARLIEST = -2;
const TOPIC_ALREADY_EXISTS = 36;
const UNKNOWN_TOPIC_OR_PARTITION = 3;
const INVALID_PARTITIONS = 37;
const NOT_CONTROLLER = 41;
const GROUP_ID_NOT_FOUND = 69;
/** Offsets altered by an admin belong to no generation (the group must have no active members). */
const OUTSIDE_GENERATION: CommitIdentity = { generation: -1, memberId: '' };
/** DescribeConfigs config_source of a value set on the topic itself. */
const DYNAMIC_TOPIC_CONFIG = 1;
const CONFIG_SET = 0;

export type { CommittedOffset } from './group-offsets.js';

/** A group as ListGroups reports it. */
export interface ListedGroup {
  readonly groupId: string;
  readonly protocolType: string;
}

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
      const connection = await this.#controller();
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
    }, (error) => this.#refreshController(error));
    await this.#awaitLeaders(topic.name);
    return { created };
  }

  #awaitLeaders(name: string): Promise<void> {
    return this.#retry(async () => {
      const info = await this.#cluster.describeTopic(name);
      const leaderless = info.partitions.find((p) => p.leader < 0 || p.errorCode !== 0);
      if (info.partitions.length === 0 || leaderless) throw new KafkaError(5, `waiting for leaders of ${name}`);
    });
  }

  async describeTopicConfigs(name: string): Promise<Record<string, string | null>> {
    const configs: Record<string, string | null> = {};
    for (const c of await this.#describeTopicConfigs(name)) configs[c.name] = c.value;
    return configs;
  }

  /** Configs set on the topic itself (not broker defaults); sensitive ones left out. */
  async topicConfigOverrides(name: string): Promise<Record<string, string>> {
    const configs: Record<string, string> = {};
    for (const c of await this.#describeTopicConfigs(name)) {
      if (c.configSource === DYNAMIC_TOPIC_CONFIG && !c.isSensitive && c.value !== null) configs[c.name] = c.value;
    }
    return configs;
  }

  /** Sets these configs on the topic (IncrementalAlterConfigs SET); other configs keep their values. */
  async alterTopicConfigs(name: string, configs: Readonly<Record<string, string>>): Promise<void> {
    const entries = Object.entries(configs);
    if (entries.length === 0) return;
    await this.#retry(async () => {
      const response = await this.#cluster.sendToAny(IncrementalAlterConfigs, {
        resources: [{
          resourceType: RESOURCE_TOPIC,
          resourceName: name,
          configs: entries.map(([configName, value]) => ({ name: configName, configOperation: CONFIG_SET, value })),
        }],
        validateOnly: false,
      });
      const result = response.responses[0];
      if (!result) throw new KafkaError(-1, `IncrementalAlterConfigs ${name}`, 'no result for the topic');
      if (result.errorCode !== 0) throw new KafkaError(result.errorCode, `IncrementalAlterConfigs ${name}`, result.errorMessage);
    }, undefined, (error) => error instanceof KafkaError && error.code === UNKNOWN_TOPIC_OR_PARTITION);
  }

  #describeTopicConfigs(name: string) {
    return this.#retry(async () => {
      const response = await this.#cluster.sendToAny(DescribeConfigs, {
        resources: [{ resourceType: RESOURCE_TOPIC, resourceName: name, configurationKeys: null }],
        includeSynonyms: false,
        includeDocumentation: false,
      });
      const result = response.results[0];
      if (!result) throw new KafkaError(-1, `DescribeConfigs ${name}`, 'no result for the topic');
      if (result.errorCode !== 0) throw new KafkaError(result.errorCode, `DescribeConfigs ${name}`, result.errorMessage);
      return result.configs;
    }, undefined, (error) => error instanceof KafkaError && error.code === UNKNOWN_TOPIC_OR_PARTITION);
  }

  /** Grows the topic to `totalPartitions`; nothing happens when it has that many or more. */
  async createPartitions(name: string, totalPartitions: number): Promise<void> {
    const current = await this.partitionCount(name);
    if (current === undefined) throw new KafkaError(UNKNOWN_TOPIC_OR_PARTITION, `CreatePartitions ${name}`, 'the topic does not exist');
    if (current >= totalPartitions) return;
    await this.#retry(async () => {
      const timeoutMs = Math.min(this.#cluster.retry.timeoutMs, 30_000);
      const response = await (await this.#controller()).send(CreatePartitions, {
        topics: [{ name, count: totalPartitions, assignments: null }],
        timeoutMs,
        validateOnly: false,
      }, { timeoutMs: timeoutMs + 5000 });
      const result = response.results.find((r) => r.name === name);
      if (!result) throw new KafkaError(-1, `CreatePartitions ${name}`, 'no result for the topic');
      if (result.errorCode === INVALID_PARTITIONS && ((await this.partitionCount(name)) ?? 0) >= totalPartitions) return;
      if (result.errorCode !== 0) throw new KafkaError(result.errorCode, `CreatePartitions ${name}`, result.errorMessage);
    }, (error) => this.#refreshController(error));
    await this.#awaitLeaders(name);
  }

  /** Topic changes go to the controller (any broker until metadata named one). */
  async #controller(): Promise<BrokerConnection> {
    const controller = this.#cluster.controllerId;
    return controller >= 0 ? this.#cluster.nodeConnection(controller) : this.#cluster.anyConnection();
  }

  async #refreshController(error: unknown): Promise<void> {
    if (error instanceof KafkaError && error.code === NOT_CONTROLLER) await this.#cluster.refreshMetadata([]);
  }

  async partitionCount(name: string): Promise<number | undefined> {
    return (await this.partitionCounts([name])).get(name);
  }

  /** Partition counts of the named topics, from one metadata request; missing topics are absent. */
  partitionCounts(names: readonly string[]): Promise<Map<string, number>> {
    if (names.length === 0) return Promise.resolve(new Map());
    return this.#retry(async () => {
      const counts = new Map<string, number>();
      for (const info of await this.#cluster.refreshMetadata(names)) {
        if (info.errorCode === UNKNOWN_TOPIC_OR_PARTITION) continue;
        if (info.errorCode !== 0) throw new KafkaError(info.errorCode, `metadata for topic ${info.name}`);
        counts.set(info.name, info.partitions.length);
      }
      return counts;
    });
  }

  endOffsets(topic: string): Promise<Map<number, number>> {
    return this.#listOffsets(topic, LATEST);
  }

  /** Log start offset of every partition. */
  beginningOffsets(topic: string): Promise<Map<number, number>> {
    return this.#listOffsets(topic, EARLIEST);
  }

  #listOffsets(topic: string, timestamp: number): Promise<Map<number, number>> {
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
          topics: [{ name: topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp })) }],
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

  async groupOffsets(groupId: string): Promise<TopicPartitionOffset[]> {
    return (await this.committedOffsets(groupId)).map(({ topic, partition, offset }) => ({ topic, partition, offset }));
  }

  /** Every committed offset of the group with its metadata (none for an unknown group). */
  committedOffsets(groupId: string): Promise<CommittedOffset[]> {
    return atCoordinator(this.#cluster, groupId, (node) => fetchOffsetsAt(this.#cluster, node, groupId, null, { requireStable: false }));
  }

  async alterGroupOffsets(groupId: string, offsets: readonly (TopicPartitionOffset & { readonly metadata?: string })[]): Promise<void> {
    if (offsets.length === 0) return;
    await atCoordinator(this.#cluster, groupId, (node) => commitOffsetsAt(this.#cluster, node, groupId, offsets, OUTSIDE_GENERATION));
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

  /** Names of every topic, internal ones (`__consumer_offsets`, ...) only when asked for. */
  async listTopics(options: { readonly internal?: boolean } = {}): Promise<string[]> {
    const topics = await this.#retry(() => this.#cluster.refreshMetadata(null));
    return topics.filter((t) => t.errorCode === 0 && (options.internal === true || !t.internal)).map((t) => t.name).sort();
  }

  /** The groups every broker of the cluster knows (ListGroups on each), by group id. */
  async listGroups(): Promise<ListedGroup[]> {
    const brokers = await this.#retry(async () => {
      await this.#cluster.refreshMetadata([]);
      return this.#cluster.brokerIds();
    });
    const lists = await Promise.all(brokers.map((node) => this.#retry(async () => {
      const response = await this.#cluster.sendToNode(node, ListGroups, { statesFilter: [] });
      if (response.errorCode !== 0) throw new KafkaError(response.errorCode, `ListGroups on broker ${node}`);
      return response.groups;
    })));
    const groups = new Map<string, ListedGroup>();
    for (const list of lists) for (const g of list) groups.set(g.groupId, { groupId: g.groupId, protocolType: g.protocolType });
    return [...groups.values()].sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  }

  /** Each group's state as its coordinator describes it (Kafka's spelling; `Dead` for an unknown group). */
  describeGroupStates(groupIds: readonly string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(groupIds)];
    return this.#retry(async () => {
      const byCoordinator = new Map<number, string[]>();
      for (const groupId of wanted) {
        const node = await this.#cluster.coordinatorFor(groupId);
        byCoordinator.set(node, [...(byCoordinator.get(node) ?? []), groupId]);
      }
      const states = new Map<string, string>();
      await Promise.all([...byCoordinator].map(async ([node, groups]) => {
        try {
          const response = await this.#cluster.sendToNode(node, DescribeGroups, { groups, includeAuthorizedOperations: false });
          for (const g of response.groups) {
            if (g.errorCode === GROUP_ID_NOT_FOUND) states.set(g.groupId, 'Dead');
            else if (g.errorCode !== 0) throw new KafkaError(g.errorCode, `DescribeGroups ${g.groupId}`);
            else states.set(g.groupId, g.groupState);
          }
        } catch (error) {
          if (!(error instanceof KafkaError) || error.staleCoordinator) for (const g of groups) this.#cluster.forgetCoordinator(g);
          throw error;
        }
      }));
      for (const groupId of wanted) if (!states.has(groupId)) throw new KafkaError(-1, `DescribeGroups ${groupId}`, 'no result for the group');
      return states;
    });
  }

  async fenceProducers(transactionalIds: readonly string[]): Promise<void> {
    await fenceProducers(this.#cluster, transactionalIds, { transactionTimeoutMs: this.#cluster.requestTimeoutMs });
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
    return atCoordinator(this.#cluster, groupId, attempt);
  }
}
