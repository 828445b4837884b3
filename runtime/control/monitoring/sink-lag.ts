/**
 * Consumer lag of a sink connector (GET /connectors/{c}/lag, a ferry extension the web console
 * uses): for every partition of the topics the connector subscribes to (`topics`, or the topics
 * `topics.regex` matches now), the offset its consumer group committed, the partition's log end
 * offset (high watermark) and the difference.
 *
 * Read from Kafka with the worker's admin client, so any worker of a cluster answers the same,
 * whichever worker runs the tasks. The committed offset is what the tasks last committed (every
 * `offset.flush.interval.ms`), so the lag shown can trail what the tasks have already delivered
 * by that much. A partition without a committed offset counts from its log start offset, where
 * a sink consumer starts by default (`auto.offset.reset=earliest`).
 */
import type { TopicAdmin } from '../../kafka/kafka-client.js';
import { javaPattern } from '../../kafka/java-pattern.js';
import type { ConnectorConfigMap, ConnectorType } from '../cluster-control.js';
import { sinkGroupId } from '../connector-offsets.js';

export interface PartitionLag {
  topic: string;
  partition: number;
  /** The group's committed offset (the next record to read); null when it has committed none. */
  committed_offset: number | null;
  /** The partition's log end offset (high watermark). */
  end_offset: number;
  /** Records not consumed yet: end_offset minus committed_offset (or the log start offset). */
  lag: number;
}

export interface ConnectorLag {
  name: string;
  type: ConnectorType;
  /** The sink's consumer group; null for other connectors. */
  group: string | null;
  /** Sum of the partitions' lag; null for connectors that are not sinks. */
  total_lag: number | null;
  /** Sorted by topic, then partition; empty for connectors that are not sinks. */
  partitions: PartitionLag[];
}

export type LagAdmin = Pick<TopicAdmin, 'groupOffsets' | 'endOffsets' | 'beginningOffsets' | 'partitionCount' | 'listTopics'>;

/** The lag of a connector that is not a sink: its type and nothing else. */
export function notASinkLag(name: string, type: ConnectorType): ConnectorLag {
  return { name, type, group: null, total_lag: null, partitions: [] };
}

export async function sinkLag(admin: LagAdmin, name: string, config: ConnectorConfigMap): Promise<ConnectorLag> {
  const group = sinkGroupId(name, config);
  const [topics, committed] = await Promise.all([subscribedTopics(admin, config), admin.groupOffsets(group)]);
  const committedOf = new Map(committed.map((c) => [`${c.partition}:${c.topic}`, c.offset]));
  const partitions: PartitionLag[] = [];
  await Promise.all(topics.map(async (topic) => {
    if ((await admin.partitionCount(topic)) === undefined) return;
    const [ends, starts] = await Promise.all([admin.endOffsets(topic), admin.beginningOffsets(topic)]);
    for (const [partition, end] of ends) {
      const offset = committedOf.get(`${partition}:${topic}`) ?? null;
      const from = offset ?? starts.get(partition) ?? 0;
      partitions.push({ topic, partition, committed_offset: offset, end_offset: end, lag: Math.max(0, end - from) });
    }
  }));
  partitions.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  return { name, type: 'sink', group, total_lag: partitions.reduce((sum, p) => sum + p.lag, 0), partitions };
}

/** `topics` when set, else the existing topics `topics.regex` matches (none when neither is set). */
async function subscribedTopics(admin: LagAdmin, config: ConnectorConfigMap): Promise<string[]> {
  const listed = (config['topics'] ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (listed.length > 0) return [...new Set(listed)];
  const pattern = (config['topics.regex'] ?? '').trim();
  if (pattern === '') return [];
  const matcher = javaPattern(pattern);
  return (await admin.listTopics()).filter((topic) => matcher.test(topic));
}
