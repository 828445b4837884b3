/**
 * MirrorMaker's own topics (heartbeats, checkpoints, offset syncs) are single-partition and
 * compacted, created with the replication factor of one key (remote topics use the same
 * creation with `replication.factor`). A replication factor the cluster
 * cannot satisfy (more than it has brokers; the bundled broker takes only 1 or -1) is a
 * configuration mistake, not an outage: it becomes a ConnectError naming that key, which the
 * caller should fail the connector with rather than retry.
 */
import { ConnectError } from '../../sdk/errors.js';
import type { ClusterAdmin, NewClusterTopic } from '../../sdk/kafka-clusters.js';

export interface InternalTopic {
  readonly name: string;
  readonly replicationFactor: number;
  /** The key `replicationFactor` came from, for the error message. */
  readonly replicationFactorKey: string;
  /** Which cluster it is created on, for messages: `source` / `target`. */
  readonly cluster: string;
}

/** Creates the topic unless it exists; true when this call created it. */
export function createInternalTopic(admin: ClusterAdmin, topic: InternalTopic): Promise<boolean> {
  return createTopicNamingKey(admin, { name: topic.name, partitions: 1, replicationFactor: topic.replicationFactor, configs: { 'cleanup.policy': 'compact' } }, topic);
}

/**
 * Creates the topic unless it exists (true when this call created it); a replication factor the
 * cluster refuses becomes a ConnectError naming the key it came from (see the header).
 */
export async function createTopicNamingKey(
  admin: ClusterAdmin, topic: NewClusterTopic, where: Pick<InternalTopic, 'replicationFactorKey' | 'cluster'>,
): Promise<boolean> {
  try {
    return await admin.createTopic(topic);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (!/INVALID_REPLICATION_FACTOR|replication factor/i.test(message)) throw err;
    throw new ConnectError(
      `Cannot create ${topic.name} on the ${where.cluster} cluster with replication factor ${topic.replicationFactor} `
        + `(${where.replicationFactorKey}): ${message}. Set ${where.replicationFactorKey} to at most the number of brokers there, or -1 for the broker default.`,
      { cause: err },
    );
  }
}
