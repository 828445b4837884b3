/**
 * A source task for runner tests: emits records n = 0, 1, 2, ... (key `k<n>`, a Count struct
 * value, a header) with source offset {n} in one source partition, and resumes after the offset
 * stored for it.
 */
import type { SourceOffset, SourcePartition, SourceRecord } from '../../../connectors/sdk/connect-record.js';
import type { RawConfig } from '../../../connectors/sdk/connector.js';
import { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../connectors/sdk/data/struct.js';
import type { RecordMetadata, SourceTask, SourceTaskContext } from '../../../connectors/sdk/source-task.js';

export const PARTITION = Object.freeze({ source: 'counter' });
const VALUE_SCHEMA = SchemaBuilder.struct().name('Count').field('n', Schema.INT64_SCHEMA).build();

export interface CountingOptions {
  readonly topic: string;
  /** Records are numbered from the stored offset on and stop at `limit`. */
  readonly limit?: number;
  readonly perPoll?: number;
  /** Called before each poll; may throw. */
  readonly beforePoll?: (polls: number) => void;
}

/** Emits records n = 0, 1, 2, ... with source offset {n}; resumes after the stored offset. */
export class CountingSourceTask implements SourceTask {
  next = 0;
  polls = 0;
  stopped = false;
  startedFrom: number | null = null;
  readonly committed: number[] = [];

  constructor(private readonly options: CountingOptions) {}

  async start(_config: RawConfig, context: SourceTaskContext): Promise<void> {
    const stored = await context.offsets.offsets([PARTITION]);
    const n = stored.get(PARTITION)?.n;
    this.startedFrom = typeof n === 'number' ? n : null;
    this.next = typeof n === 'number' ? n + 1 : 0;
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[]> {
    this.polls++;
    this.options.beforePoll?.(this.polls);
    const limit = this.options.limit ?? Infinity;
    if (this.next >= limit) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 20);
        signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
      });
      return [];
    }
    const out: SourceRecord[] = [];
    for (let i = 0; i < (this.options.perPoll ?? 1) && this.next < limit; i++) out.push(this.record(this.next++));
    return out;
  }

  record(n: number): SourceRecord {
    return {
      topic: this.options.topic,
      kafkaPartition: null,
      keySchema: Schema.STRING_SCHEMA,
      key: `k${n}`,
      valueSchema: VALUE_SCHEMA,
      value: new Struct(VALUE_SCHEMA).put('n', n),
      timestamp: 1_700_000_000_000 + n,
      headers: [{ key: 'origin', schema: Schema.STRING_SCHEMA, value: `counter-${n}` }],
      sourcePartition: PARTITION,
      sourceOffset: { n },
    };
  }

  stop(): void {
    this.stopped = true;
  }

  commitRecord(record: SourceRecord, _metadata: RecordMetadata | null): void {
    this.committed.push(record.sourceOffset['n'] as number);
  }
}


/** A CountingSourceTask that implements recordsAcknowledged: each call's n, and how many records commitRecord had seen by then. */
export class AcknowledgedCountingTask extends CountingSourceTask {
  readonly acknowledged: { n: number; committedBefore: number }[] = [];

  recordsAcknowledged(_partition: SourcePartition, offset: SourceOffset): void {
    this.acknowledged.push({ n: offset['n'] as number, committedBefore: this.committed.length });
  }
}
