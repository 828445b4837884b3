import type { SinkRecord, SourceOffset, SourceRecord, TopicPartition } from '../../../connectors/sdk/connect-record.js';
import type { SinkTaskContext } from '../../../connectors/sdk/sink-task.js';
import type { SourceTask, SourceTaskContext } from '../../../connectors/sdk/source-task.js';
import type { TaskLogger } from '../../../connectors/sdk/task-logger.js';
import { noKafkaClusters } from '../../helpers/no-kafka-clusters.js';

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly msg: string;
}

export function recordingLogger(): TaskLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: LogEntry['level']) => (obj: object | string, msg?: string) => {
    entries.push({ level, msg: typeof obj === 'string' ? obj : msg ?? '' });
  };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A source context whose offset store holds `stored` for whatever partition is asked (or nothing). */
export function sourceContext(stored: SourceOffset | null = null): SourceTaskContext & { logger: ReturnType<typeof recordingLogger> } {
  return {
    logger: recordingLogger(),
    kafka: noKafkaClusters,
    offsets: {
      async offsets(partitions) {
        return new Map(stored === null ? [] : partitions.map((p) => [p, stored]));
      },
    },
  };
}

export function sinkContext(): SinkTaskContext {
  return {
    assignment: (): TopicPartition[] => [],
    pause: () => {},
    resume: () => {},
    seek: () => {},
    requestCommit: () => {},
    reportErrantRecord: async () => {},
    raiseError: (error) => { throw error; },
    logger: recordingLogger(),
    kafka: noKafkaClusters,
  };
}

/** Polls until `count` records arrived in total (or the deadline passes) and returns them all. */
export async function pollUntil(task: SourceTask, count: number, timeoutMs = 10_000): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  const deadline = Date.now() + timeoutMs;
  const signal = new AbortController().signal;
  while (out.length < count) {
    if (Date.now() > deadline) throw new Error(`timed out after ${out.length} of ${count} records`);
    out.push(...(await task.poll(signal)));
  }
  return out;
}

export const values = (records: readonly SourceRecord[]): unknown[] => records.map((r) => r.value);
export const positions = (records: readonly SourceRecord[]): unknown[] => records.map((r) => r.sourceOffset.position);

let offset = 0;

export function sinkRecord(value: unknown, schema: SinkRecord['valueSchema'] = null): SinkRecord {
  offset++;
  return {
    topic: 't', kafkaPartition: 0, kafkaOffset: offset, timestampType: 'CreateTime', timestamp: 0,
    keySchema: null, key: null, valueSchema: schema, value, headers: [],
    originalTopic: 't', originalKafkaPartition: 0, originalKafkaOffset: offset,
  };
}
