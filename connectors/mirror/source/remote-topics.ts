/**
 * Which source topics a MirrorSource connector replicates, and keeping their remote topics on
 * the target in step: created with the source's partition count, `replication.factor` and the
 * source topic's own (filtered) configs, grown when the source grows, configs synced.
 *
 * A topic is replicated when the topic filter selects it (or it is a heartbeats topic and
 * heartbeats replication is on), it is not internal to Kafka or MirrorMaker, and it does not
 * come from the target (cycle prevention: `B.orders` is never sent back to B).
 */
import type { ClusterAdmin, ClusterPartition } from '../../sdk/kafka-clusters.js';
import type { TaskLogger } from '../../sdk/task-logger.js';
import { createTopicNamingKey } from '../config/internal-topic.js';
import type { MirrorSourceSettings } from '../config/mirror-source-config.js';
import { isCycle } from '../policy/replication-policy.js';

export class RemoteTopics {
  readonly #settings: MirrorSourceSettings;
  readonly #source: ClusterAdmin;
  readonly #target: ClusterAdmin;
  readonly #logger: TaskLogger;

  constructor(settings: MirrorSourceSettings, admins: { source: ClusterAdmin; target: ClusterAdmin }, logger: TaskLogger) {
    this.#settings = settings;
    this.#source = admins.source;
    this.#target = admins.target;
    this.#logger = logger;
  }

  shouldReplicate(topic: string): boolean {
    const { topicFilter, policy, heartbeatsReplicationEnabled, targetClusterAlias } = this.#settings;
    const selected = topicFilter.shouldReplicateTopic(topic) || (heartbeatsReplicationEnabled && policy.isHeartbeatsTopic(topic));
    return selected && !policy.isInternalTopic(topic) && !isCycle(policy, topic, targetClusterAlias);
  }

  /** The source topics to replicate with their partition counts, in name order. */
  async sourcePartitionCounts(): Promise<Map<string, number>> {
    const topics = (await this.#source.listTopics()).filter((t) => this.shouldReplicate(t)).sort();
    return topics.length === 0 ? new Map() : this.#source.partitionCounts(topics);
  }

  /** Creates missing remote topics and grows those with fewer partitions than their source; returns every source partition now safe to replicate. */
  async ensureRemoteTopics(counts: ReadonlyMap<string, number>): Promise<ClusterPartition[]> {
    const { policy, sourceClusterAlias } = this.#settings;
    const remoteNames = [...counts.keys()].map((t) => policy.formatRemoteTopic(sourceClusterAlias, t));
    const existing = remoteNames.length === 0 ? new Map<string, number>() : await this.#target.partitionCounts(remoteNames);
    const ready: ClusterPartition[] = [];
    for (const [topic, partitions] of counts) {
      const remote = policy.formatRemoteTopic(sourceClusterAlias, topic);
      const have = existing.get(remote);
      if (have === undefined) {
        const configs = await this.#replicatedConfigs(topic);
        const created = await createTopicNamingKey(this.#target,
          { name: remote, partitions, replicationFactor: this.#settings.replicationFactor, configs },
          { cluster: 'target', replicationFactorKey: 'replication.factor' });
        if (created) this.#logger.info({ topic, remote, partitions }, `Created remote topic ${remote} with ${partitions} partitions`);
      } else if (have < partitions) {
        await this.#target.createPartitions(remote, partitions);
        this.#logger.info({ topic, remote, from: have, to: partitions }, `Increased partitions of ${remote} from ${have} to ${partitions}`);
      }
      for (let p = 0; p < partitions; p++) ready.push({ topic, partition: p });
    }
    return ready;
  }

  /** Copies each source topic's configs (those the property filter lets through) onto its remote topic where they differ. */
  async syncConfigs(topics: Iterable<string>): Promise<void> {
    const { policy, sourceClusterAlias } = this.#settings;
    for (const topic of topics) {
      const wanted = await this.#replicatedConfigs(topic);
      const remote = policy.formatRemoteTopic(sourceClusterAlias, topic);
      const current = await this.#target.topicConfigOverrides(remote);
      const changed = Object.fromEntries(Object.entries(wanted).filter(([name, value]) => current[name] !== value));
      if (Object.keys(changed).length === 0) continue;
      await this.#target.alterTopicConfigs(remote, changed);
      this.#logger.info({ topic: remote, configs: Object.keys(changed) }, `Synced topic configs of ${remote}`);
    }
  }

  async #replicatedConfigs(topic: string): Promise<Record<string, string>> {
    const filter = this.#settings.configPropertyFilter;
    const overrides = await this.#source.topicConfigOverrides(topic);
    return Object.fromEntries(Object.entries(overrides).filter(([name]) => filter.shouldReplicateConfigProperty(name)));
  }
}
