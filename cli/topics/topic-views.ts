/** `ferry topics list|describe|create` output: tables for people, JSON (one document) for scripts. */
import { formatFields, formatTable } from '../connectors/text-table.js';
import type { DescribedTopic, ListedTopic } from './topic-operations.js';

export function topicListTable(topics: readonly ListedTopic[]): string {
  if (topics.length === 0) return 'No topics.\n';
  return formatTable(['TOPIC', 'PARTITIONS', 'REPLICATION'],
    topics.map((t) => [t.name, String(t.partitions), String(t.replicationFactor)]));
}

export function topicListJson(topics: readonly ListedTopic[]): string {
  return `${JSON.stringify(topics)}\n`;
}

const nodes = (ids: readonly number[]): string => ids.join(',');

export function topicTable(topic: DescribedTopic): string {
  const configs = Object.entries(topic.configs);
  const head = formatFields([
    ['Topic', topic.name],
    ['Partitions', String(topic.partitions.length)],
    ['Replication', String(topic.replicationFactor)],
    ...(topic.internal ? [['Internal', 'yes'] as const] : []),
  ]);
  const partitions = formatTable(['PARTITION', 'LEADER', 'REPLICAS', 'ISR', 'EARLIEST', 'LATEST'],
    topic.partitions.map((p) => [
      String(p.partition), p.leader < 0 ? 'none' : String(p.leader), nodes(p.replicas), nodes(p.isr), String(p.earliestOffset), String(p.latestOffset),
    ]));
  const configTable = configs.length === 0
    ? 'Configs: none set on the topic (broker defaults apply; --all-configs lists them)\n'
    : `Configs:\n${formatTable(['NAME', 'VALUE'], configs.map(([name, value]) => [name, value ?? '(sensitive)']))}`;
  return `${head}\n${partitions}\n${configTable}`;
}

export function topicJson(topic: DescribedTopic): string {
  return `${JSON.stringify(topic)}\n`;
}
