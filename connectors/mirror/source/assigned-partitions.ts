/**
 * The `task.assigned.partitions` task config of MirrorSource tasks: a comma list of
 * `topic-partition`. Topic names may contain '-', so each entry splits at its last '-'.
 */
import type { ClusterPartition } from '../../sdk/kafka-clusters.js';

export const ASSIGNED_PARTITIONS = 'task.assigned.partitions';

export function formatAssignedPartitions(partitions: readonly ClusterPartition[]): string {
  return partitions.map((p) => `${p.topic}-${p.partition}`).join(',');
}

export function parseAssignedPartitions(text: string | undefined): ClusterPartition[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((entry) => {
    const trimmed = entry.trim();
    const dash = trimmed.lastIndexOf('-');
    const partition = Number(trimmed.slice(dash + 1));
    if (dash <= 0 || !Number.isInteger(partition) || partition < 0) {
      throw new Error(`Invalid ${ASSIGNED_PARTITIONS} entry '${trimmed}': expected <topic>-<partition>`);
    }
    return { topic: trimmed.slice(0, dash), partition };
  });
}

/** Deals partitions round-robin over at most `maxTasks` groups, in topic then partition order, so each task gets a spread of topics. */
export function spreadPartitions(partitions: readonly ClusterPartition[], maxTasks: number): ClusterPartition[][] {
  const sorted = [...partitions].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  const count = Math.min(Math.max(1, maxTasks), sorted.length);
  const groups: ClusterPartition[][] = Array.from({ length: count }, () => []);
  sorted.forEach((p, i) => groups[i % count]!.push(p));
  return groups;
}
