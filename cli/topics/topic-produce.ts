/**
 * `ferry topics produce`: one record per line of standard input. With a key separator the line
 * is split at its first occurrence into key and value (a line without it is an error naming the
 * line, as kafka-console-producer's parse.key); without one the line is the value and the key
 * is null. Every record gets the --header pairs given.
 *
 * Lines are sent as they are read (the producer batches what arrives together), at most
 * MAX_IN_FLIGHT records awaiting acknowledgement; the first failed send ends the command.
 */
import type { RecordHeader } from '../../runtime/kafka/kafka-client.js';
import { UserError } from '../command-line/user-error.js';
import { topicMetadata, type TopicMetadata } from '../kafka-tools/cluster-requests.js';
import type { KafkaSession } from '../kafka-tools/kafka-session.js';

const MAX_IN_FLIGHT = 1000;

export interface ProduceRequest {
  readonly topic: string;
  readonly keySeparator: string | undefined;
  readonly headers: readonly RecordHeader[];
  readonly partition: number | undefined;
  readonly lines: AsyncIterable<string>;
}

export interface PartitionWrites {
  readonly partition: number;
  readonly records: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
}

export interface ProduceResult {
  readonly topic: string;
  readonly records: number;
  /** By partition, in partition order. */
  readonly partitions: readonly PartitionWrites[];
}

export async function produceLines(session: KafkaSession, request: ProduceRequest): Promise<ProduceResult> {
  const { topic } = request;
  const [metadata] = await topicMetadata(session.cluster, [topic]) as [TopicMetadata];
  if (request.partition !== undefined && !metadata.partitions.some((p) => p.partition === request.partition)) {
    throw new UserError(`unknown partition ${request.partition} of topic '${topic}': it has partitions 0 to ${metadata.partitions.length - 1}`);
  }
  const producer = session.clients.producer();
  const written = new Map<number, { records: number; firstOffset: number; lastOffset: number }>();
  let failure: unknown;
  let inFlight: Promise<void>[] = [];
  let lineNumber = 0;
  try {
    for await (const line of request.lines) {
      lineNumber++;
      if (failure !== undefined) break;
      let key: Buffer | null = null;
      let value = line;
      if (request.keySeparator !== undefined) {
        const at = line.indexOf(request.keySeparator);
        if (at < 0) throw new UserError(`line ${lineNumber} has no key separator '${request.keySeparator}'; nothing after line ${lineNumber - 1} was sent`);
        key = Buffer.from(line.slice(0, at));
        value = line.slice(at + request.keySeparator.length);
      }
      const sent = producer.send([{ topic, key, value: Buffer.from(value), headers: request.headers, ...(request.partition === undefined ? {} : { partition: request.partition }) }]);
      inFlight.push(sent.then(([meta]) => {
        const entry = written.get(meta!.partition);
        if (!entry) written.set(meta!.partition, { records: 1, firstOffset: meta!.offset, lastOffset: meta!.offset });
        else {
          entry.records++;
          entry.firstOffset = Math.min(entry.firstOffset, meta!.offset);
          entry.lastOffset = Math.max(entry.lastOffset, meta!.offset);
        }
      }, (err: unknown) => {
        failure ??= err;
      }));
      if (inFlight.length >= MAX_IN_FLIGHT) {
        await Promise.all(inFlight);
        inFlight = [];
      }
    }
  } finally {
    await Promise.all(inFlight);
    await producer.close().catch((err: unknown) => {
      failure ??= err;
    });
  }
  if (failure !== undefined) throw failure;
  const partitions = [...written].sort((a, b) => a[0] - b[0]).map(([partition, w]) => ({ partition, ...w }));
  return { topic, records: partitions.reduce((sum, p) => sum + p.records, 0), partitions };
}
