/**
 * `ferry groups reset-offsets`: where a consumer group resumes on the partitions of one topic,
 * moved to the log start, the log end, an offset, or the first record at or after a time, as
 * kafka-consumer-groups.sh --reset-offsets does. Without --execute only the plan is computed.
 *
 * Kafka accepts offsets committed outside a generation only from a group without members, so a
 * group with active members is refused (dry run included: the plan would be wrong by the time
 * it ran). An offset outside a partition's range is refused rather than silently clamped.
 */
import { UserError } from '../command-line/user-error.js';
import { describeGroups, offsetsForTime, topicMetadata, type GroupDescription, type TopicMetadata } from '../kafka-tools/cluster-requests.js';
import { refusedAs, type KafkaSession } from '../kafka-tools/kafka-session.js';

export type ResetTarget =
  | { readonly kind: 'earliest' }
  | { readonly kind: 'latest' }
  | { readonly kind: 'offset'; readonly offset: number }
  | { readonly kind: 'datetime'; readonly timestamp: number };

export interface ResetRequest {
  readonly group: string;
  readonly topic: string;
  /** undefined: every partition of the topic. */
  readonly partitions: readonly number[] | undefined;
  readonly target: ResetTarget;
  readonly execute: boolean;
}

export interface PlannedReset {
  readonly topic: string;
  readonly partition: number;
  /** null: nothing committed yet. */
  readonly currentOffset: number | null;
  readonly newOffset: number;
}

export interface ResetResult {
  readonly group: string;
  readonly executed: boolean;
  readonly offsets: readonly PlannedReset[];
}

const EARLIEST = -2;
const LATEST = -1;

export async function resetOffsets(session: KafkaSession, request: ResetRequest): Promise<ResetResult> {
  const { group, topic } = request;
  const [[description], [metadata]] = await Promise.all([
    describeGroups(session.cluster, [group]) as Promise<[GroupDescription]>,
    topicMetadata(session.cluster, [topic]) as Promise<[TopicMetadata]>,
  ]);
  if (description.members.length > 0) {
    throw new UserError(`group '${group}' has ${description.members.length} active member${description.members.length === 1 ? '' : 's'} (state ${description.state}): stop its consumers, then reset its offsets`);
  }
  const all = metadata.partitions.map((p) => p.partition);
  const partitions = request.partitions ?? all;
  const missing = partitions.find((p) => !all.includes(p));
  if (missing !== undefined) throw new UserError(`unknown partition ${missing} of topic '${topic}': it has partitions 0 to ${all.length - 1}`);
  const [earliest, latest, committed] = await Promise.all([
    offsetsForTime(session.cluster, topic, partitions, EARLIEST),
    offsetsForTime(session.cluster, topic, partitions, LATEST),
    session.admin.committedOffsets(group),
  ]);
  const atTime = request.target.kind === 'datetime' ? await offsetsForTime(session.cluster, topic, partitions, request.target.timestamp) : undefined;
  const offsets = partitions.map((partition) => {
    const first = earliest.get(partition)!;
    const end = latest.get(partition)!;
    let newOffset: number;
    switch (request.target.kind) {
      case 'earliest': newOffset = first; break;
      case 'latest': newOffset = end; break;
      case 'datetime': {
        const found = atTime!.get(partition) ?? -1;
        newOffset = found < 0 ? end : found;
        break;
      }
      case 'offset': {
        newOffset = request.target.offset;
        if (newOffset < first || newOffset > end) {
          throw new UserError(`bad offset ${newOffset} for partition ${partition} of topic '${topic}': it must be between its log start ${first} and end ${end}`);
        }
        break;
      }
    }
    const current = committed.find((c) => c.topic === topic && c.partition === partition)?.offset ?? null;
    return { topic, partition, currentOffset: current, newOffset };
  });
  if (request.execute) {
    await refusedAs(`cannot commit offsets of group '${group}'`,
      () => session.admin.alterGroupOffsets(group, offsets.map(({ partition, newOffset }) => ({ topic, partition, offset: newOffset }))));
  }
  return { group, executed: request.execute, offsets };
}
