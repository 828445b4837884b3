/**
 * What `ferry topics list|describe|create|delete` ask of the cluster, as plain data for the
 * views (topic-views.ts) to print as tables or JSON.
 */
import { UserError } from '../command-line/user-error.js';
import { deleteTopic, topicMetadata, type TopicMetadata } from '../kafka-tools/cluster-requests.js';
import { refusedAs, type KafkaSession } from '../kafka-tools/kafka-session.js';

export interface ListedTopic {
  readonly name: string;
  readonly partitions: number;
  /** Replicas of partition 0 (the topic's replication factor). */
  readonly replicationFactor: number;
  readonly internal: boolean;
}

export async function listTopics(session: KafkaSession, options: { readonly internal: boolean }): Promise<ListedTopic[]> {
  const topics = await topicMetadata(session.cluster, null);
  return topics
    .filter((t) => options.internal || !t.internal)
    .map((t) => ({ name: t.name, partitions: t.partitions.length, replicationFactor: t.partitions[0]?.replicas.length ?? 0, internal: t.internal }));
}

export interface DescribedPartition {
  readonly partition: number;
  readonly leader: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  /** Log start offset. */
  readonly earliestOffset: number;
  /** High watermark: the offset the next record gets. */
  readonly latestOffset: number;
}

export interface DescribedTopic {
  readonly name: string;
  readonly internal: boolean;
  readonly replicationFactor: number;
  readonly partitions: readonly DescribedPartition[];
  /** Configs set on the topic itself, or with `allConfigs` every config (broker defaults included; sensitive ones null). */
  readonly configs: Readonly<Record<string, string | null>>;
}

export async function describeTopic(session: KafkaSession, name: string, options: { readonly allConfigs: boolean }): Promise<DescribedTopic> {
  const [metadata] = await topicMetadata(session.cluster, [name]) as [TopicMetadata];
  const [earliest, latest, configs] = await Promise.all([
    session.admin.beginningOffsets(name),
    session.admin.endOffsets(name),
    options.allConfigs ? session.admin.describeTopicConfigs(name) : session.admin.topicConfigOverrides(name),
  ]);
  return {
    name,
    internal: metadata.internal,
    replicationFactor: metadata.partitions[0]?.replicas.length ?? 0,
    partitions: metadata.partitions.map((p) => ({
      partition: p.partition,
      leader: p.leader,
      replicas: p.replicas,
      isr: p.isr,
      earliestOffset: earliest.get(p.partition) ?? -1,
      latestOffset: latest.get(p.partition) ?? -1,
    })),
    configs: Object.fromEntries(Object.entries(configs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

export interface TopicToCreate {
  readonly name: string;
  /** undefined: the broker's num.partitions. */
  readonly partitions: number | undefined;
  /** undefined: the broker's default.replication.factor. */
  readonly replicationFactor: number | undefined;
  readonly configs: Readonly<Record<string, string>>;
}

export async function createTopic(session: KafkaSession, topic: TopicToCreate): Promise<DescribedTopic> {
  const { created } = await refusedAs(`cannot create topic '${topic.name}'`, () => session.admin.ensureTopic({
    name: topic.name,
    partitions: topic.partitions ?? -1,
    replicationFactor: topic.replicationFactor ?? -1,
    configs: topic.configs,
  }));
  if (!created) throw new UserError(`topic '${topic.name}' already exists`);
  return describeTopic(session, topic.name, { allConfigs: false });
}

export async function removeTopic(session: KafkaSession, name: string): Promise<void> {
  await refusedAs(`cannot delete topic '${name}'`, () => deleteTopic(session.cluster, name));
}
