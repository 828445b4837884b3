/**
 * A consumer group's offsets on the target cluster, translated from the source by MirrorMaker's
 * checkpoints: what Java's RemoteClusterUtils.translateOffsets answers. The checkpoints topic
 * (`<source>.checkpoints.internal` under the default policy) is read from its beginning to the
 * end offsets taken when reading starts, and for each (group, topic, partition) the last
 * checkpoint read wins. Topics are the target-side (renamed) topics.
 */
import { decodeCheckpoint, type Checkpoint } from '../../connectors/mirror/records/checkpoint.js';
import type { KafkaClient, TopicPartitionOffset } from '../../runtime/kafka/kafka-client.js';
import { KafkaError } from '../../runtime/kafka/wire/kafka-error.js';

export interface TranslatedOffsets {
  /** One per partition, by topic then partition. */
  readonly checkpoints: readonly Checkpoint[];
  /** Records of the topic that are not checkpoints (no key or value, or bytes that do not decode). */
  readonly skipped: number;
}

/** Thrown when the checkpoints topic is missing: nothing has been checkpointed into this cluster yet. */
export class NoCheckpointsTopicError extends Error {
  override readonly name = 'NoCheckpointsTopicError';
}

/** Thrown by applyTranslatedOffsets when the group has members on the target cluster. */
export class ActiveGroupError extends Error {
  override readonly name = 'ActiveGroupError';
}

export async function readTranslatedOffsets(kafka: KafkaClient, checkpointsTopic: string, group: string): Promise<TranslatedOffsets> {
  const admin = kafka.admin({ clientId: 'ferry-mirror-admin', role: 'internal' });
  try {
    if (await admin.partitionCount(checkpointsTopic) === undefined) {
      throw new NoCheckpointsTopicError(`topic ${checkpointsTopic} does not exist`);
    }
  } finally {
    await admin.close();
  }
  const latest = new Map<string, Checkpoint>();
  let skipped = 0;
  const reader = kafka.topicReader({ topic: checkpointsTopic, clientId: 'ferry-mirror-checkpoints' });
  reader.onRecord((record) => {
    if (!record.key || !record.value) {
      skipped++;
      return;
    }
    let checkpoint: Checkpoint;
    try {
      checkpoint = decodeCheckpoint(record.key, record.value);
    } catch {
      skipped++;
      return;
    }
    if (checkpoint.group === group) latest.set(`${checkpoint.topic}\u0000${checkpoint.partition}`, checkpoint);
  });
  try {
    await reader.start();
    await reader.readToEnd();
  } finally {
    await reader.stop();
  }
  const checkpoints = [...latest.values()].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  return { checkpoints, skipped };
}

/** Errors an offset commit outside any generation gets while the group has live members. */
const ACTIVE_GROUP_ERRORS = new Set(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS', 'NON_EMPTY_GROUP']);

/** Commits the translated offsets to the group; ActiveGroupError if it has members. */
export async function applyTranslatedOffsets(kafka: KafkaClient, group: string, checkpoints: readonly Checkpoint[]): Promise<void> {
  const admin = kafka.admin({ clientId: 'ferry-mirror-admin', role: 'internal' });
  const offsets: TopicPartitionOffset[] = checkpoints.map((c) => ({ topic: c.topic, partition: c.partition, offset: c.downstreamOffset }));
  try {
    await admin.alterGroupOffsets(group, offsets);
  } catch (err) {
    if (err instanceof KafkaError && ACTIVE_GROUP_ERRORS.has(err.type)) {
      throw new ActiveGroupError(`group '${group}' has active members`, { cause: err });
    }
    throw err;
  } finally {
    await admin.close();
  }
}
