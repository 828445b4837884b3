/**
 * Creates the worker's three internal topics when missing, compacted, and refuses to start
 * on one that is not compacted (or a config topic with more than one partition), as Kafka
 * Connect does: a non-compacted config topic eventually loses connector configurations.
 */
import type { TopicAdmin } from '../kafka/kafka-client.js';

export interface InternalTopicSpec {
  /** The worker property that names the topic, for error messages. */
  property: 'config.storage.topic' | 'offset.storage.topic' | 'status.storage.topic';
  name: string;
  partitions: number;
  replicationFactor: number;
  /** Extra topic configs from `<prefix>.*` worker properties. */
  configs: Record<string, string>;
}

const PURPOSE: Record<InternalTopicSpec['property'], string> = {
  'config.storage.topic': 'connector configurations',
  'offset.storage.topic': 'source connector offsets',
  'status.storage.topic': 'connector and task statuses',
};

export class InternalTopicError extends Error {
  override readonly name = 'InternalTopicError';
}

export async function ensureInternalTopic(admin: TopicAdmin, spec: InternalTopicSpec): Promise<void> {
  await admin.ensureTopic({
    name: spec.name,
    partitions: spec.partitions,
    replicationFactor: spec.replicationFactor,
    configs: { ...spec.configs, 'cleanup.policy': 'compact' },
  });
  const configs = await admin.describeTopicConfigs(spec.name);
  const policy = configs['cleanup.policy'];
  if (policy !== 'compact') {
    throw new InternalTopicError(
      `Topic '${spec.name}' supplied via the '${spec.property}' property is required to have 'cleanup.policy=compact' to guarantee consistency and durability of ${PURPOSE[spec.property]}, but found the topic currently has 'cleanup.policy=${policy}'. Change the 'cleanup.policy' property of the topic to 'compact' and restart the worker.`,
    );
  }
  if (spec.property === 'config.storage.topic') {
    const partitions = await admin.partitionCount(spec.name);
    if (partitions !== 1) {
      throw new InternalTopicError(
        `Topic '${spec.name}' supplied via the 'config.storage.topic' property is required to have a single partition in order to guarantee consistency of connector configurations, but it has ${partitions} partitions.`,
      );
    }
  }
}
