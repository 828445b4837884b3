/**
 * Java's RangeAssignor (assignment strategy "range"), without rack awareness, computed by the
 * group leader from the members' subscriptions.
 *
 * Per topic: the members subscribed to it, sorted by member id; with n partitions and c such
 * members each member gets floor(n / c) partitions and the first n % c members one more, as
 * contiguous ranges in member order (member 0 gets the lowest partitions).
 *
 * Invariants:
 * - The result holds every member id given, with an empty list when it got nothing.
 * - Each member's list is sorted by topic name and holds only topics where it got at least one
 *   partition; each topic's partitions are ascending.
 * - Topics absent from partitionCounts (no metadata) are skipped; a topic listed twice in one
 *   subscription counts once.
 * - Ordering of ids and names is by UTF-16 code units, as Java's String.compareTo.
 * - Duplicate member ids or a partition count that is not a non-negative integer throw.
 */
import type { TopicPartitions } from './consumer-protocol.js';

export const RANGE_ASSIGNOR = 'range';

export interface RangeMember {
  readonly memberId: string;
  readonly topics: readonly string[];
}

export function rangeAssign(
  members: readonly RangeMember[],
  partitionCounts: ReadonlyMap<string, number>,
): Map<string, TopicPartitions[]> {
  const subscribers = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const m of members) {
    if (seen.has(m.memberId)) throw new Error(`range assignor: member id ${JSON.stringify(m.memberId)} appears twice`);
    seen.add(m.memberId);
    for (const topic of new Set(m.topics)) {
      let list = subscribers.get(topic);
      if (list === undefined) subscribers.set(topic, (list = []));
      list.push(m.memberId);
    }
  }

  const perMember = new Map<string, TopicPartitions[]>();
  for (const m of members) perMember.set(m.memberId, []);

  for (const topic of [...subscribers.keys()].sort(byCodeUnits)) {
    const n = partitionCounts.get(topic);
    if (n === undefined) continue;
    if (!Number.isInteger(n) || n < 0) throw new Error(`range assignor: topic ${topic} has partition count ${n}`);
    const consumers = subscribers.get(topic)!.sort(byCodeUnits);
    const base = Math.floor(n / consumers.length);
    const extra = n % consumers.length;
    let next = 0;
    consumers.forEach((memberId, i) => {
      const size = base + (i < extra ? 1 : 0);
      if (size === 0) return;
      const partitions: number[] = [];
      for (let p = next; p < next + size; p++) partitions.push(p);
      next += size;
      perMember.get(memberId)!.push({ topic, partitions });
    });
  }
  return perMember;
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
