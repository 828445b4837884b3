/**
 * The S3 source task (backup-and-restore mode): restores the topic folders the connector gave
 * it, every Kafka partition of the backup to the same partition of the (renamed) topic.
 *
 * `start` lists the bucket and reads the stored position of every partition found (positions
 * can only be read there); `poll` hands out up to batch.size records, taking partitions in
 * turn so one large partition does not hold the others back, and when everything found was
 * restored it lists the bucket again at most every s3.poll.interval.ms. Partitions first seen
 * after start have no stored position: they are new, and restored from their first object.
 * Objects under a topic folder that are not in the sink's layout are skipped with a warning
 * (once per object).
 *
 * Source partition: `{ bucket, topic, partition }` (the backed-up topic and partition); source
 * offset: see partition-restore.ts.
 */
import type { OffsetValue, SourceOffset, SourcePartition, SourceRecord } from '../../sdk/connect-record.js';
import { BufferPool } from '../../sdk/buffer-pool.js';
import type { RawConfig } from '../../sdk/connector.js';
import { ConnectError } from '../../sdk/errors.js';
import type { SourceTask, SourceTaskContext } from '../../sdk/source-task.js';
import type { TaskLogger } from '../../sdk/task-logger.js';
import { ByteArrayFormat, byteArraySeparator } from '../formats/bytearray-format.js';
import { JsonFormat } from '../formats/json-format.js';
import { AvroData, DEFAULT_AVRO_DATA_SETTINGS } from '../../sdk/data/avro/index.js';
import { AvroFormat } from '../formats/avro-format.js';
import { avroCodec } from '../formats/avro-codec.js';
import { PARQUET_CODEC_NAMES, ParquetFormat } from '../formats/parquet-format.js';
import type { FileFormat } from '../formats/record-format.js';
import type { ObjectLayout } from '../storage/object-naming.js';
import { S3Store } from '../storage/s3-store.js';
import { layoutOf, storeSettingsOf } from '../storage/s3-store-settings.js';
import { indexTopic, type BackupObject } from './backup-index.js';
import { PartitionRestore, type RestorePosition } from './partition-restore.js';
import { ReadAhead } from './read-ahead.js';
import { s3SourceSpec, TOPIC_PLACEHOLDER, type S3SourceConfig } from './s3-source-config.js';

/**
 * Objects downloaded ahead per task: two let a second partition's next object arrive while the
 * first's is handed out, at twice an object's bytes of memory.
 */
const READ_AHEAD_OBJECTS = 2;
/**
 * Free buffers of value files the task keeps for the next objects (partition-restore.ts,
 * Memory): about three objects of the sink's usual size, the ones read ahead and the one handed
 * out while the last one's records are acknowledged.
 */
const POOLED_OBJECT_BYTES = 24 * 1024 * 1024;

export class S3SourceTask implements SourceTask {
  #config: S3SourceConfig | null = null;
  #store: S3Store | null = null;
  #layout: ObjectLayout | null = null;
  #logger: TaskLogger | null = null;
  #formats = new Map<string, FileFormat>();
  readonly #restores = new Map<string, PartitionRestore>();
  readonly #warned = new Set<string>();
  /** Objects the task's partitions may hold downloaded ahead of the ones they hand out (see README, Memory). */
  readonly #readAhead = new ReadAhead(READ_AHEAD_OBJECTS);
  readonly #buffers = new BufferPool({ minCapacity: 1024 * 1024, maxFreeBytes: POOLED_OBJECT_BYTES });
  #turn = 0;
  #lastListing = 0;
  /** A failure met after records were taken in the same poll, thrown by the next poll. */
  #deferred: unknown = undefined;

  async start(raw: RawConfig, context: SourceTaskContext): Promise<void> {
    const config = s3SourceSpec.parse(raw);
    this.#config = config;
    this.#logger = context.logger;
    this.#layout = layoutOf(config);
    this.#store = await S3Store.open(storeSettingsOf(config), context.logger);
    const json = new JsonFormat();
    const bytes = new ByteArrayFormat(config.formatBytearrayExtension, byteArraySeparator(config.formatBytearraySeparator));
    // Container files name their codec inside (Avro) or in the extension (Parquet); the codec given here only writes.
    const avroData = new AvroData({ ...DEFAULT_AVRO_DATA_SETTINGS, enhancedAvroSchemaSupport: true });
    const readable: FileFormat[] = [json, bytes, new AvroFormat(avroData, avroCodec('null')),
      ...PARQUET_CODEC_NAMES.map((codec) => new ParquetFormat(avroData, codec, Number.MAX_SAFE_INTEGER))];
    this.#formats = new Map(readable.map((format) => [format.extension, format]));
    await this.#store.probe();
    const found = await this.#list();
    const partitions = found.map(([topic, partition]) => this.#sourcePartition(topic, partition));
    const stored = partitions.length === 0 ? new Map() : await context.offsets.offsets(partitions);
    for (const [i, [topic, partition, objects]] of found.entries()) {
      const position = positionOf(stored.get(partitions[i]!));
      this.#openRestore(topic, partition, position).add(objects);
    }
    this.#lastListing = Date.now();
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[]> {
    const config = this.#requireConfig();
    if (this.#deferred !== undefined) {
      const failure = this.#deferred;
      this.#deferred = undefined;
      throw failure;
    }
    if (!this.#hasWork()) {
      const wait = this.#lastListing + config.s3PollIntervalMs - Date.now();
      if (wait > 0) await abortableSleep(Math.min(wait, 1000), signal);
      if (signal.aborted || Date.now() < this.#lastListing + config.s3PollIntervalMs) return [];
      await this.#refresh();
      if (!this.#hasWork()) return [];
    }
    const restores = [...this.#restores.values()].filter((r) => r.hasWork);
    const out: SourceRecord[] = [];
    for (let i = 0; i < restores.length && out.length < config.batchSize && !signal.aborted; i++) {
      const restore = restores[(this.#turn + i) % restores.length]!;
      try {
        out.push(...await restore.next(config.batchSize - out.length));
      } catch (err) {
        // Records taken from other partitions moved their positions: they go out now, and the
        // next poll throws the failure (for the worker's back-off or error tolerance).
        if (out.length === 0) throw err;
        this.#deferred = err;
        break;
      }
    }
    this.#turn++;
    return out;
  }

  /** The runtime reads none of the partition's records through `offset` again: their objects' buffers can be reused. */
  recordsAcknowledged(partition: SourcePartition, offset: SourceOffset): void {
    const position = positionOf(offset);
    if (position === null) return;
    this.#restores.get(restoreKey(String(partition.topic), Number(partition.partition)))?.acknowledged(position);
  }

  stop(): void {
    this.#store?.destroy();
    this.#store = null;
  }

  #hasWork(): boolean {
    for (const restore of this.#restores.values()) if (restore.hasWork) return true;
    return false;
  }

  async #refresh(): Promise<void> {
    for (const [topic, partition, objects] of await this.#list()) {
      (this.#restores.get(restoreKey(topic, partition)) ?? this.#openRestore(topic, partition, null)).add(objects);
    }
    this.#lastListing = Date.now();
  }

  async #list(): Promise<[string, number, BackupObject[]][]> {
    const config = this.#requireConfig();
    const out: [string, number, BackupObject[]][] = [];
    for (const topic of config.taskTopics) {
      const backup = await indexTopic(this.#store!, this.#layout!, topic, [...this.#formats.keys()]);
      for (const key of backup.notInLayout) {
        if (this.#warned.has(key)) continue;
        this.#warned.add(key);
        this.#logger?.warn({ bucket: config.s3BucketName, key }, 'Skipping an object that is not in the S3 sink\'s layout');
      }
      for (const [partition, objects] of backup.partitions) out.push([topic, partition, objects]);
    }
    return out;
  }

  #format(extension: string): FileFormat {
    const format = this.#formats.get(extension);
    if (format === undefined) throw new ConnectError(`No format reads ${extension} files`);
    return format;
  }

  /** The restore of a backed-up partition, from `position` (null: from its first object), registered under restoreKey. */
  #openRestore(topic: string, partition: number, position: RestorePosition | null): PartitionRestore {
    const config = this.#requireConfig();
    const restore = new PartitionRestore(partition, this.#store!, this.#readAhead, this.#buffers, (ext) => this.#format(ext), {
      topic: config.topicRenameFormat.split(TOPIC_PLACEHOLDER).join(topic), sourcePartition: this.#sourcePartition(topic, partition),
    }, position);
    this.#restores.set(restoreKey(topic, partition), restore);
    return restore;
  }

  #sourcePartition(topic: string, partition: number): SourcePartition {
    return { bucket: this.#requireConfig().s3BucketName, topic, partition };
  }

  #requireConfig(): S3SourceConfig {
    if (this.#config === null) throw new ConnectError('The S3 source task is not started');
    return this.#config;
  }
}

/** The key of a backed-up partition's restore in #restores. */
function restoreKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

function positionOf(stored: Readonly<Record<string, OffsetValue>> | undefined): RestorePosition | null {
  if (stored === undefined || typeof stored.object !== 'string' || typeof stored.start !== 'number' || typeof stored.record !== 'number') return null;
  return { object: stored.object, start: stored.start, record: stored.record, offset: typeof stored.offset === 'number' ? stored.offset : null };
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
