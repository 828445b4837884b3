/**
 * The S3 sink task: one TopicPartitionWriter per assigned Kafka partition, one S3Store, one
 * MemoryBudget for all of them.
 *
 * Calls from the runtime never overlap (put, flush, open, close, stop run one at a time), and
 * the task starts all S3 work inside them; uploads of full parts and of rotated files go on in
 * the background (see topic-partition-writer.ts). Its only timer does no S3 work: when
 * scheduled rotation (rotate.schedule.interval.ms) is due for some partition, it asks the
 * runtime for an offset commit, and the `flush` that follows starts completing the due files.
 * So idle partitions are rotated on time without a new record.
 *
 * Offsets: `flush` returns, per partition, the offset below which every record is in a
 * completed object (or was skipped); the runtime commits exactly that. `flush` does not wait
 * for uploads in flight; when a rotation completes in the background the task asks the
 * runtime for another commit, so its offsets are committed without waiting for the next
 * offset.flush.interval.ms. A record a format or
 * partitioner cannot handle goes to error tolerance and the dead-letter topic through
 * `reportErrantRecord`. S3 failures: transient ones are retried per request, and when they
 * persist `put` throws RetriableError (the runtime puts the same batch again later; writers
 * skip what they already handled); anything else fails the task with S3's message. A permanent
 * failure met by `flush` fails the task at once (`context.raiseError`).
 */
import type { SinkRecord, TopicPartition } from '../../sdk/connect-record.js';
import { topicPartitionKey } from '../../sdk/connect-record.js';
import type { RawConfig } from '../../sdk/connector.js';
import { ConnectError, DataError, RetriableError } from '../../sdk/errors.js';
import type { PartitionOffsets, SinkTask, SinkTaskContext } from '../../sdk/sink-task.js';
import { AvroData, DEFAULT_AVRO_DATA_SETTINGS } from '../../sdk/data/avro/index.js';
import { createFormat, type FormatSettings } from '../formats/format-factory.js';
import { createPartitioner } from '../partitioners/partitioner.js';
import { timestampExtractor } from '../partitioners/timestamp-extractor.js';
import { extractorKindOf, partitionerKindOf } from '../storage/class-names.js';
import { S3Store } from '../storage/s3-store.js';
import { layoutOf, storeSettingsOf } from '../storage/s3-store-settings.js';
import { MemoryBudget } from './memory-budget.js';
import { s3SinkSpec, type S3SinkConfig } from './s3-sink-config.js';
import { TopicPartitionWriter, type WriterSettings } from './topic-partition-writer.js';

export interface S3SinkTaskOptions {
  /** The wall clock (Wallclock extractor, scheduled rotation); Date.now by default. */
  readonly clock?: () => number;
}

export class S3SinkTask implements SinkTask {
  readonly #clock: () => number;
  readonly #writers = new Map<string, TopicPartitionWriter>();
  #context: SinkTaskContext | null = null;
  #store: S3Store | null = null;
  #settings: WriterSettings | null = null;
  #budget = new MemoryBudget(Number.MAX_SAFE_INTEGER);
  #timer: NodeJS.Timeout | undefined;
  #timerAt: number | null = null;
  #fatal: Error | null = null;

  constructor(options: S3SinkTaskOptions = {}) {
    this.#clock = options.clock ?? Date.now;
  }

  /** The most bytes the task held for open files at any moment (for tests and benchmarks). */
  get peakBufferedBytes(): number {
    return this.#budget.peak;
  }

  get bufferedBytes(): number {
    return this.#budget.used;
  }

  /** Encoded partitions with open files, over all assigned partitions. */
  get openFileSets(): number {
    let count = 0;
    for (const writer of this.#writers.values()) count += writer.openFileSets;
    return count;
  }

  async start(raw: RawConfig, context: SinkTaskContext): Promise<void> {
    const config = s3SinkSpec.parse(raw);
    this.#context = context;
    this.#budget = new MemoryBudget(config.s3BufferMaxBytes);
    this.#settings = writerSettings(config, this.#clock);
    this.#store = await S3Store.open(storeSettingsOf(config), context.logger, {
      serverSideEncryption: config.s3SseaName === '' ? undefined : config.s3SseaName,
      kmsKeyId: config.s3SseKmsKeyId === '' ? undefined : config.s3SseKmsKeyId,
      customerKey: config.s3SseCustomerKey?.reveal(),
      acl: config.s3AclCanned ?? undefined,
    });
    await this.#store.probe();
  }

  open(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.#writerFor(tp);
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    if (this.#fatal !== null) throw this.#fatal;
    const context = this.#requireContext();
    for (const record of records) {
      const writer = this.#writerFor({ topic: record.topic, partition: record.kafkaPartition });
      try {
        const writing = writer.write(record);
        if (writing !== undefined) await writing;
      } catch (err) {
        if (!(err instanceof DataError)) throw err;
        await context.reportErrantRecord(record, err);
      }
      if (this.#budget.exceeded) await this.#relieveMemory();
    }
    this.#armSchedule();
  }

  async flush(_currentOffsets: PartitionOffsets): Promise<PartitionOffsets> {
    const now = this.#clock();
    for (const writer of this.#writers.values()) {
      try {
        await writer.checkpoint(now);
      } catch (err) {
        if (!(err instanceof RetriableError)) {
          this.#fatal = err instanceof ConnectError ? err : new ConnectError((err as Error).message, { cause: err });
          // Fail the task now, not at the next put: an idle partition may never get one.
          this.#context?.raiseError(this.#fatal);
          throw this.#fatal;
        }
        this.#context?.logger.warn({ err: err.message, topic: writer.partition.topic, partition: writer.partition.partition },
          'Completing files failed for now; their offsets are committed once they are uploaded');
      }
    }
    this.#armSchedule();
    const offsets: PartitionOffsets = new Map();
    for (const [key, writer] of this.#writers) {
      const offset = writer.committableOffset;
      if (offset !== null) offsets.set(key, { partition: writer.partition, offset });
    }
    return offsets;
  }

  async close(partitions: readonly TopicPartition[]): Promise<void> {
    for (const tp of partitions) {
      const key = topicPartitionKey(tp);
      const writer = this.#writers.get(key);
      this.#writers.delete(key);
      await writer?.abort();
    }
    this.#armSchedule();
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const writers = [...this.#writers.values()];
    this.#writers.clear();
    for (const writer of writers) await writer.abort();
    this.#store?.destroy();
  }

  #writerFor(tp: TopicPartition): TopicPartitionWriter {
    const key = topicPartitionKey(tp);
    let writer = this.#writers.get(key);
    if (writer === undefined) {
      if (this.#settings === null || this.#store === null) throw new ConnectError('The S3 sink task is not started');
      const context = this.#requireContext();
      writer = new TopicPartitionWriter({ topic: tp.topic, partition: tp.partition }, this.#settings, this.#store, this.#budget, context.logger,
        () => context.requestCommit());
      this.#writers.set(key, writer);
    }
    return writer;
  }

  /** Completes the files of the partitions holding the most bytes until the task is under s3.buffer.max.bytes. */
  async #relieveMemory(): Promise<void> {
    while (this.#budget.exceeded) {
      let largest: TopicPartitionWriter | null = null;
      let largestBytes = 0;
      for (const writer of this.#writers.values()) {
        const bytes = writer.bufferedBytes;
        if (bytes > largestBytes) {
          largest = writer;
          largestBytes = bytes;
        }
      }
      if (largest === null) return;
      this.#context?.logger.debug({ topic: largest.partition.topic, partition: largest.partition.partition, bytes: largestBytes },
        'Memory cap reached: completing the files of the partition holding the most bytes');
      await largest.rotate();
    }
  }

  /** Keeps one timer at the earliest scheduled rotation; when it fires the runtime is asked to commit (and so to flush). */
  #armSchedule(): void {
    let earliest: number | null = null;
    for (const writer of this.#writers.values()) {
      const at = writer.scheduledRotationAt;
      if (at !== null && (earliest === null || at < earliest)) earliest = at;
    }
    if (earliest === this.#timerAt) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = earliest;
    if (earliest === null) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timerAt = null;
      this.#context?.requestCommit();
    }, Math.max(0, earliest - this.#clock()));
    this.#timer.unref();
  }

  #requireContext(): SinkTaskContext {
    if (this.#context === null) throw new ConnectError('The S3 sink task is not started');
    return this.#context;
  }
}

function writerSettings(config: S3SinkConfig, clock: () => number): WriterSettings {
  const formatSettings: FormatSettings = {
    byteArrayExtension: config.formatBytearrayExtension, byteArraySeparator: config.formatBytearraySeparator,
    avroData: new AvroData({
      ...DEFAULT_AVRO_DATA_SETTINGS, connectMetaData: config.connectMetaData, enhancedAvroSchemaSupport: config.enhancedAvroSchemaSupport,
      schemasCacheConfig: config.schemaCacheSize,
    }),
    avroCodec: config.avroCodec,
    parquetCodec: config.parquetCodec,
    parquetRowGroupBytes: config.s3PartSize,
  };
  const partitionerKind = partitionerKindOf(config.partitionerClass);
  return {
    layout: layoutOf(config),
    format: createFormat(config.formatClass, formatSettings),
    keysFormat: config.storeKafkaKeys ? createFormat(config.keysFormatClass, formatSettings) : null,
    storeHeaders: config.storeKafkaHeaders,
    storeMetadata: config.storeKafkaMetadata,
    partitioner: createPartitioner({
      kind: partitionerKind, directoryDelim: config.directoryDelim, fieldNames: config.partitionFieldName,
      pathFormat: config.pathFormat, durationMs: config.partitionDurationMs, timezone: config.timezone || 'UTC', locale: config.locale,
    }),
    defaultPartitioner: partitionerKind === 'default',
    extractTime: timestampExtractor(extractorKindOf(config.timestampExtractor), config.timestampField, clock),
    flushSize: config.flushSize,
    rotateIntervalMs: config.rotateIntervalMs,
    rotateScheduleIntervalMs: config.rotateScheduleIntervalMs,
    rotateOnPartitionChange: config.rotateFileOnPartitionChange,
    timezone: config.timezone || 'UTC',
    nullValues: config.behaviorOnNullValues,
    schemaCompatibility: config.schemaCompatibility,
    partSize: config.s3PartSize,
    gzipLevel: config.s3CompressionType === 'gzip' ? config.s3CompressionLevel : null,
    tagging: config.s3ObjectTagging ? {
      extra: new Map(config.s3ObjectTaggingKeyValuePairs.map((pair) => {
        const cut = pair.indexOf(':');
        return [pair.slice(0, cut).trim(), pair.slice(cut + 1).trim()] as const;
      })),
      failOnError: config.s3ObjectBehaviorOnTaggingError === 'fail',
    } : null,
    clock,
  };
}
