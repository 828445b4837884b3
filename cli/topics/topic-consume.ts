/**
 * `ferry topics consume`: prints a topic's records as they arrive.
 *
 * Without --group it reads the partitions directly (no group, nothing committed), from the
 * end (default), the log start (--from-beginning) or an offset (--offset N, of --partition P
 * or of the topic's only partition). With --group it is a member of that consumer group like
 * kafka-console-consumer: the group's committed offsets say where to start (a partition without
 * one starts at the end, or at the log start with --from-beginning), the group may share the
 * partitions among its members, and what was printed is committed after each batch.
 *
 * It stops after --max records, at the end offsets taken at start with --exit-at-end, or when
 * `signal` aborts (Ctrl-C); output goes through `write`, which waits while the reader of
 * standard output is slow.
 */
import type { ConsumedBatch, TopicPartition } from '../../runtime/kafka/kafka-client.js';
import { UserError, UsageError } from '../command-line/user-error.js';
import { topicMetadata, type TopicMetadata } from '../kafka-tools/cluster-requests.js';
import type { KafkaSession } from '../kafka-tools/kafka-session.js';
import { formatRecord, type PrintableRecord, type RecordFormat } from './record-format.js';

export type ConsumeStart = 'beginning' | 'end' | { readonly offset: number };

export interface ConsumeRequest {
  readonly topic: string;
  readonly start: ConsumeStart;
  readonly partition: number | undefined;
  readonly group: string | undefined;
  readonly format: RecordFormat;
  /** Stop after this many records. */
  readonly max: number | undefined;
  /** Stop once every partition was read up to its end offset at the time of starting. */
  readonly exitAtEnd: boolean;
  readonly signal: AbortSignal;
  readonly write: (text: string) => Promise<void>;
}

const POLL_WAIT_MS = 500;

/** Resolves with the number of records printed. */
export async function consumeTopic(session: KafkaSession, request: ConsumeRequest): Promise<number> {
  const [metadata] = await topicMetadata(session.cluster, [request.topic]) as [TopicMetadata];
  if (request.partition !== undefined && !metadata.partitions.some((p) => p.partition === request.partition)) {
    throw new UserError(`unknown partition ${request.partition} of topic '${request.topic}': it has partitions 0 to ${metadata.partitions.length - 1}`);
  }
  if (request.group !== undefined) {
    if (request.partition !== undefined || typeof request.start === 'object') {
      throw new UsageError('--group reads the partitions the group assigns from its committed offsets: it does not go with --partition or --offset');
    }
    return consumeAsGroupMember(session, request, request.group);
  }
  const partitions = request.partition === undefined ? metadata.partitions.map((p) => p.partition) : [request.partition];
  return consumeDirectly(session, request, partitions);
}

async function consumeDirectly(session: KafkaSession, request: ConsumeRequest, partitions: number[]): Promise<number> {
  const { topic } = request;
  const [earliest, latest] = await Promise.all([session.admin.beginningOffsets(topic), session.admin.endOffsets(topic)]);
  const starts = new Map<number, number>();
  for (const partition of partitions) {
    const first = earliest.get(partition) ?? 0;
    const end = latest.get(partition) ?? 0;
    if (request.start === 'beginning') starts.set(partition, first);
    else if (request.start === 'end') starts.set(partition, end);
    else {
      if (partitions.length > 1) {
        throw new UsageError(`--offset needs --partition: topic '${topic}' has ${partitions.length} partitions`);
      }
      const offset = request.start.offset;
      if (offset < first || offset > end) {
        const holds = first === end ? `it is empty, its next offset is ${end}` : `it holds offsets ${first} to ${end - 1}`;
        throw new UserError(`bad offset ${offset} for partition ${partition} of topic '${topic}': ${holds}`);
      }
      starts.set(partition, offset);
    }
  }
  const reader = session.clients.reader();
  let printed = 0;
  try {
    reader.assign([...starts].map(([partition, offset]) => ({ topic, partition, offset })));
    const reachedEnd = () => partitions.every((partition) => (reader.position({ topic, partition }) ?? starts.get(partition)!) >= latest.get(partition)!);
    while (!request.signal.aborted && (request.max === undefined || printed < request.max)) {
      if (request.exitAtEnd && reachedEnd()) break;
      const remaining = request.max === undefined ? undefined : request.max - printed;
      const records = await reader.poll({ maxWaitMs: POLL_WAIT_MS, signal: request.signal, ...(remaining === undefined ? {} : { maxRecords: remaining }) });
      const chosen = request.exitAtEnd ? records.filter((r) => r.offset < latest.get(r.partition)!) : records;
      if (chosen.length > 0) {
        await request.write(chosen.map((r) => formatRecord(r, request.format)).join(''));
        printed += chosen.length;
      }
    }
  } finally {
    await reader.close();
  }
  return printed;
}

async function consumeAsGroupMember(session: KafkaSession, request: ConsumeRequest, group: string): Promise<number> {
  const { topic } = request;
  const consumer = session.kafka.sinkConsumer({
    groupId: group,
    clientId: `ferry-topics-consume-${group}`,
    subscription: { topics: [topic] },
    overrides: { 'auto.offset.reset': request.start === 'beginning' ? 'earliest' : 'latest' },
  });
  let printed = 0;
  /** Per assigned partition: where the group reads next, and where the end was when it was assigned. */
  const progress = new Map<number, { position: number; end: number }>();
  let finish!: () => void;
  let fail!: (error: Error) => void;
  const finished = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const allDone = () => request.max !== undefined && printed >= request.max
    || request.exitAtEnd && [...progress.values()].every((p) => p.position >= p.end);
  const onAbort = () => finish();
  request.signal.addEventListener('abort', onAbort, { once: true });
  consumer.onFailure((error) => fail(error));
  consumer.onRebalance({
    onAssigned: async (assigned: readonly TopicPartition[]) => {
      progress.clear();
      if (!request.exitAtEnd) return;
      const [committed, earliest, latest] = await Promise.all([
        session.admin.groupOffsets(group), session.admin.beginningOffsets(topic), session.admin.endOffsets(topic),
      ]);
      for (const { partition } of assigned) {
        const end = latest.get(partition) ?? 0;
        const position = committed.find((c) => c.topic === topic && c.partition === partition)?.offset
          ?? (request.start === 'beginning' ? earliest.get(partition) ?? 0 : end);
        progress.set(partition, { position, end });
      }
      if (allDone()) finish();
    },
  });
  const handle = async (batch: ConsumedBatch) => {
    if (allDone()) return;
    const limit = request.max === undefined ? batch.records.length : request.max - printed;
    const chosen = batch.records.slice(0, limit);
    if (chosen.length === 0) return;
    await request.write(chosen.map((r: PrintableRecord) => formatRecord(r, request.format)).join(''));
    printed += chosen.length;
    const next = chosen[chosen.length - 1]!.offset + 1;
    await consumer.commit([{ topic, partition: batch.partition, offset: next }]);
    const tracked = progress.get(batch.partition);
    if (tracked) tracked.position = Math.max(tracked.position, next, batch.records.length === chosen.length ? batch.highWatermark : 0);
    if (allDone()) finish();
  };
  try {
    await Promise.race([consumer.start(handle), finished]);
    if (!request.signal.aborted && !allDone()) await finished;
  } finally {
    request.signal.removeEventListener('abort', onAbort);
    await consumer.stop();
  }
  return printed;
}
