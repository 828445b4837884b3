/**
 * Everything the S3 sink does for one Kafka partition (Confluent's TopicPartitionWriter): it
 * routes records to one open file set per encoded partition, rotates, and knows which offset
 * is safe to commit.
 *
 * Rotation: all open files of the partition are completed together ("a rotation") when
 * flush.size records were written since the last one, when rotate.interval.ms of record time
 * passed (or the encoded partition changed, with rotate.file.on.partition.change), at the
 * scheduled wall-clock time (rotate.schedule.interval.ms), or early when the task's memory cap
 * asks. So every offset below the last rotation point is in completed objects and none above
 * it is: that point is the only offset ever committed.
 *
 * Pipelining: the writer does not wait for S3 between records. A full part is sent in the
 * background while the next one fills (at most one part in flight per file, see
 * object-upload.ts), and a rotation triggered by a record (flush.size, record time) completes
 * its files in the background while the records after it go to new files. At most one rotation
 * is in the background per partition: the next one first waits for it. Its offset becomes
 * committable when every file of it is complete, and `onCompleted` is called so the task can ask
 * for a commit (also when it failed: the next flush reports the failure without waiting for a
 * record). `checkpoint` (called by the task's flush) never waits for uploads in flight: it
 * surfaces their failures, finishes interrupted work and starts a due scheduled rotation, so
 * periodic offset commits do not stall the records behind them (waiting there idled the sink
 * for a third of its time). `rotate` completes the open files and waits (memory relief).
 *
 * Schemas: with a container format (Avro, Parquet) for values or keys, a file holds one schema.
 * A record whose value schema differs from that of its encoded partition's open file either
 * starts a rotation first, so it opens new files, or is projected onto the file's schema, as
 * schema.compatibility decides (schema-compatibility.ts; Confluent decides against the last
 * schema of the encoded partition, ferry against its open file's). A key schema that differs
 * always starts a rotation.
 *
 * Idempotent progress: `nextOffset` is the offset after the last record handled (written,
 * skipped or reported as errant). A record below it is ignored, so a batch the runtime hands
 * again after a RetriableError, or records re-read after a failed commit, never write twice.
 * Work that failed half-way (a part upload, a rotation, in the background or not) is remembered,
 * its error thrown once by the next call, and finished by the call after it, with the bytes it
 * needs still buffered.
 *
 * Recovery: before the first record after the partition was assigned, objects of this
 * partition whose start offset is at or above that record's offset are deleted. They were
 * uploaded by an earlier run after its last commit, so the replay writes their records again:
 * under the same names when the setup is deterministic, and without leaving a differently
 * split duplicate when it is not (wall clock, memory-cap rotations).
 *
 * Calls must not overlap; the task serializes them.
 */
import type { SinkRecord, TopicPartition } from '../../sdk/connect-record.js';
import { ConnectError, DataError } from '../../sdk/errors.js';
import type { TaskLogger } from '../../sdk/task-logger.js';
import { isContainerFormat, TerminatedBytes, type EncodedLine, type FileFormat, type PreparedRecord } from '../formats/record-format.js';
import type { Schema } from '../../sdk/data/schema.js';
import { jsonOf } from '../formats/json-format.js';
import type { Partitioner } from '../partitioners/partitioner.js';
import { bucketStart } from '../partitioners/time-zone.js';
import type { TimestampExtractor } from '../partitioners/timestamp-extractor.js';
import { fileStem, objectKey, parseObjectName, topicPrefix, type ObjectLayout } from '../storage/object-naming.js';
import { GZIP_SUFFIX, HEADERS_SUFFIX, KEYS_INFIX, METADATA_SUFFIX, type ViewKind } from '../storage/record-views.js';
import type { S3Store } from '../storage/s3-store.js';
import { Values } from '../../sdk/data/values.js';
import type { MemoryBudget } from './memory-budget.js';
import { decideSchema, type SchemaCompatibility } from './schema-compatibility.js';
import { OutputFile } from './output-file.js';

export interface WriterSettings {
  readonly layout: ObjectLayout;
  readonly format: FileFormat;
  /** Null when store.kafka.keys is off. */
  readonly keysFormat: FileFormat | null;
  readonly storeHeaders: boolean;
  readonly storeMetadata: boolean;
  readonly partitioner: Partitioner;
  /** True when encoded partitions are `partition=<n>`, so recovery lists only that directory. */
  readonly defaultPartitioner: boolean;
  readonly extractTime: TimestampExtractor;
  readonly flushSize: number;
  readonly rotateIntervalMs: number;
  readonly rotateScheduleIntervalMs: number;
  readonly rotateOnPartitionChange: boolean;
  readonly timezone: string;
  readonly nullValues: 'fail' | 'ignore' | 'write';
  readonly schemaCompatibility: SchemaCompatibility;
  readonly partSize: number;
  readonly gzipLevel: number | null;
  readonly tagging: { readonly extra: ReadonlyMap<string, string>; readonly failOnError: boolean } | null;
  readonly clock: () => number;
}

/** One line of every view of one record, encoded before anything is appended. */
interface EncodedRecord {
  readonly value: EncodedLine | PreparedRecord;
  readonly key: EncodedLine | PreparedRecord | null;
  readonly headers: string | null;
  readonly metadata: string | null;
}

const VIEW_FIELD = { value: 'value', keys: 'key', headers: 'headers', metadata: 'metadata' } as const satisfies Record<ViewKind, keyof EncodedRecord>;

interface OpenFileSet {
  readonly startOffset: number;
  lastOffset: number;
  records: number;
  /** Side files first, the value file last: a value file implies complete side files. */
  readonly files: readonly { readonly view: ViewKind; readonly file: OutputFile }[];
  readonly valueFile: OutputFile;
  /** The schemas of its container files (value, key), which every record of the set has. */
  readonly valueSchema: Schema | null;
  readonly keySchema: Schema | null;
}

/** A rotation whose files are completed in the background; `sets` holds those not complete yet. */
interface Closing {
  readonly sets: OpenFileSet[];
  /** Committable once every set is complete. */
  readonly offset: number | null;
  done: Promise<void> | null;
  failure: unknown;
}

export class TopicPartitionWriter {
  readonly partition: TopicPartition;
  readonly #settings: WriterSettings;
  readonly #store: S3Store;
  readonly #budget: MemoryBudget;
  readonly #logger: TaskLogger;
  readonly #onCompleted: () => void;
  readonly #open = new Map<string, OpenFileSet>();
  #nextOffset: number | null = null;
  #committable: number | null = null;
  #recordCount = 0;
  #baseRecordTime = 0;
  #currentEncoded: string | null = null;
  #closing: Closing | null = null;
  #scheduledAt: number | null = null;
  #recovered = false;

  /** `onCompleted` runs when a rotation in the background ended: more offsets are committable, or it failed. */
  constructor(partition: TopicPartition, settings: WriterSettings, store: S3Store, budget: MemoryBudget, logger: TaskLogger,
    onCompleted: () => void = () => {}) {
    this.partition = partition;
    this.#onCompleted = onCompleted;
    this.#settings = settings;
    this.#store = store;
    this.#budget = budget;
    this.#logger = logger;
  }

  /** Bytes this partition's open files hold in memory. */
  get bufferedBytes(): number {
    let total = 0;
    for (const set of this.#open.values()) for (const { file } of set.files) total += file.bufferedBytes;
    for (const set of this.#closing?.sets ?? []) for (const { file } of set.files) total += file.bufferedBytes;
    return total;
  }

  get openFileSets(): number {
    return this.#open.size;
  }

  /** The offset to commit: every record below it is in a completed object. Null: nothing yet. */
  get committableOffset(): number | null {
    if (this.#open.size === 0 && this.#closing === null && this.#nextOffset !== null) return this.#nextOffset;
    return this.#committable;
  }

  /** When scheduled rotation wants this partition's open files completed (epoch ms), or null. */
  get scheduledRotationAt(): number | null {
    return this.#open.size === 0 ? null : this.#scheduledAt;
  }

  /**
   * Writes one record. A record this writer cannot write throws DataError after it counts as
   * handled; S3 failures throw RetriableError or ConnectError and leave the record unhandled
   * only if nothing of it was buffered. Returns a promise only when the record has to wait (for
   * earlier work to be caught up, a rotation, a full part to start): the common record, appended
   * to open files, is written at once, without a microtask of its own.
   */
  write(record: SinkRecord): Promise<void> | undefined {
    const offset = record.kafkaOffset;
    if (this.#nextOffset !== null && offset < this.#nextOffset) return undefined;
    if (!this.#recovered || this.#mustCatchUp()) return this.#writeAfterCatchUp(record);
    return this.#writeNow(record);
  }

  async #writeAfterCatchUp(record: SinkRecord): Promise<void> {
    await this.#catchUp();
    if (!this.#recovered) await this.#recover(record.kafkaOffset);
    await this.#writeNow(record);
  }

  /** `write` once nothing is left to catch up: encodes, rotates when due, appends. */
  #writeNow(record: SinkRecord): Promise<void> | undefined {
    const offset = record.kafkaOffset;
    let encodedPartition: string;
    let recordTime: number;
    let encoded: EncodedRecord | null;
    try {
      recordTime = this.#settings.extractTime(record);
      encodedPartition = this.#settings.partitioner.encodePartition(record, recordTime);
      encoded = this.#encode(record, this.#compatibleValue(record, encodedPartition));
    } catch (err) {
      this.#nextOffset = offset + 1;
      throw err;
    }
    if (encoded === null) {
      this.#nextOffset = offset + 1;
      return undefined;
    }
    const set = this.#open.get(encodedPartition);
    if ((this.#recordCount > 0 && this.#rotateOnTime(encodedPartition, recordTime)) || (set !== undefined && schemaChanged(set, encoded))) {
      return this.#rotateThenAppend(offset, encodedPartition, recordTime, encoded);
    }
    return this.#append(offset, encodedPartition, recordTime, encoded, set);
  }

  async #rotateThenAppend(offset: number, encodedPartition: string, recordTime: number, encoded: EncodedRecord): Promise<void> {
    await this.#startRotation();
    await this.#append(offset, encodedPartition, recordTime, encoded, undefined);
  }

  /** Appends an encoded record to its open files (opening them when `set` is undefined); a promise when a part or the files are full. */
  #append(offset: number, encodedPartition: string, recordTime: number, encoded: EncodedRecord, open: OpenFileSet | undefined): Promise<void> | undefined {
    const set = open ?? this.#openSet(encodedPartition, offset, encoded);
    let full = false;
    for (const { view, file } of set.files) {
      if (file.append(encoded[VIEW_FIELD[view]]!)) full = true;
    }
    set.lastOffset = offset;
    set.records++;
    if (this.#recordCount === 0) {
      this.#baseRecordTime = recordTime;
      if (this.#settings.rotateScheduleIntervalMs > 0) {
        const now = this.#settings.clock();
        this.#scheduledAt = bucketStart(this.#settings.timezone, now, this.#settings.rotateScheduleIntervalMs) + this.#settings.rotateScheduleIntervalMs;
      }
    }
    this.#recordCount++;
    this.#currentEncoded = encodedPartition;
    this.#nextOffset = offset + 1;
    return full || this.#rotationDue() ? this.#afterAppend(set, full) : undefined;
  }

  async #afterAppend(set: OpenFileSet, full: boolean): Promise<void> {
    if (full) for (const { file } of set.files) if (file.partFull) await file.startPart();
    if (this.#rotationDue()) await this.#startRotation();
  }

  /**
   * What a flush needs, without waiting for uploads in flight: throws a background failure once
   * or finishes the work it interrupted, and starts the scheduled rotation when it is due.
   */
  async checkpoint(now: number): Promise<void> {
    await this.#catchUp();
    if (this.rotationDue(now)) await this.#startRotation();
  }

  /** True when scheduled rotation is due at `now`. */
  rotationDue(now: number): boolean {
    const at = this.scheduledRotationAt;
    return at !== null && now >= at;
  }

  /** Completes every open file of the partition and waits; afterwards everything handled is committable. */
  async rotate(): Promise<void> {
    await this.#startRotation();
    await this.#settleClosing();
  }

  /** Drops everything not completed (the partition was revoked or the task stops): aborts open uploads. */
  async abort(): Promise<void> {
    const closing = this.#closing;
    this.#closing = null;
    if (closing?.done) await closing.done;
    const sets = [...closing?.sets ?? [], ...this.#open.values()];
    this.#open.clear();
    for (const set of sets) for (const { file } of set.files) await file.abort();
  }

  /** True when `#catchUp` has something to do (checked before each record, without awaiting). */
  #mustCatchUp(): boolean {
    if (this.#closingToSettle() || this.#rotationDue()) return true;
    for (const set of this.#open.values()) {
      for (const { file } of set.files) if (file.unsettled || file.partFull) return true;
    }
    return false;
  }

  /** A background rotation failed, or finished with its completion still to do. */
  #closingToSettle(): boolean {
    const closing = this.#closing;
    return closing !== null && (closing.failure !== null || closing.done === null);
  }

  /** The open files hold flush.size records. */
  #rotationDue(): boolean {
    return this.#recordCount > 0 && this.#recordCount >= this.#settings.flushSize;
  }

  /**
   * What `write` does before a record: nothing, unless background work failed or a failure
   * interrupted earlier work; then it throws that failure once, or finishes the work.
   */
  async #catchUp(): Promise<void> {
    if (this.#closingToSettle()) await this.#settleClosing();
    for (const set of this.#open.values()) {
      for (const { file } of set.files) {
        if (file.unsettled) await file.settle();
        if (file.partFull) await file.startPart();
      }
    }
    if (this.#rotationDue()) await this.#startRotation();
  }

  /** Moves every open file into a background rotation, once the rotation before it is complete. */
  async #startRotation(): Promise<void> {
    await this.#settleClosing();
    const closing: Closing = { sets: [...this.#open.values()], offset: this.#nextOffset, done: null, failure: null };
    this.#open.clear();
    this.#recordCount = 0;
    this.#scheduledAt = null;
    this.#currentEncoded = null;
    this.#closing = closing;
    // Either way the task hears of it: offsets to commit, or a failure its next flush reports.
    closing.done = this.#complete(closing).catch((err: unknown) => {
      closing.failure = err;
    }).finally(() => {
      queueMicrotask(this.#onCompleted);
      closing.done = null;
    });
  }

  /** Waits for the background rotation; throws its failure once; completes it when it failed before. */
  async #settleClosing(): Promise<void> {
    const closing = this.#closing;
    if (closing === null) return;
    if (closing.done !== null) await closing.done;
    if (closing.failure !== null) {
      const failure = closing.failure;
      closing.failure = null;
      throw failure;
    }
    if (this.#closing === closing) await this.#complete(closing);
  }

  /** Completes the sets of a rotation in order (value file last in each); then its offset is committable. */
  async #complete(closing: Closing): Promise<void> {
    while (closing.sets.length > 0) {
      const set = closing.sets[0]!;
      for (const { file } of set.files) await file.complete();
      await this.#tag(set);
      closing.sets.shift();
    }
    if (this.#closing === closing) {
      this.#committable = closing.offset;
      this.#closing = null;
    }
  }

  #rotateOnTime(encodedPartition: string, recordTime: number): boolean {
    const s = this.#settings;
    if (this.#scheduledAt !== null && s.clock() >= this.#scheduledAt) return true;
    if (s.rotateIntervalMs <= 0) return false;
    if (s.rotateOnPartitionChange && this.#currentEncoded !== null && encodedPartition !== this.#currentEncoded) return true;
    return recordTime - this.#baseRecordTime >= s.rotateIntervalMs;
  }

  /** The record's value and schema as its open file takes them: projected when schema.compatibility says so. */
  #compatibleValue(record: SinkRecord, encodedPartition: string): { value: unknown; schema: Schema | null } {
    const set = this.#open.get(encodedPartition);
    const s = this.#settings;
    if (set === undefined || s.schemaCompatibility === 'NONE' || !isContainerFormat(s.format) || record.value === null || record.value === undefined) {
      return { value: record.value, schema: record.valueSchema };
    }
    const decision = decideSchema(s.schemaCompatibility, record.valueSchema, record.value, set.valueSchema);
    return decision.kind === 'project' ? { value: decision.value, schema: decision.schema } : { value: record.value, schema: record.valueSchema };
  }

  #encode(record: SinkRecord, { value, schema }: { value: unknown; schema: Schema | null }): EncodedRecord | null {
    const s = this.#settings;
    if (record.value === null || record.value === undefined) {
      if (s.nullValues === 'ignore') return null;
      if (s.nullValues === 'fail') {
        throw new DataError(`Record ${record.topic}-${record.kafkaPartition}@${record.kafkaOffset} has a null value, which behavior.on.null.values=fail does not write`);
      }
    }
    return {
      value: encodeWith(s.format, value, schema),
      key: s.keysFormat === null ? null : encodeWith(s.keysFormat, record.key, record.keySchema),
      headers: s.storeHeaders ? `${headersJson(record)}\n` : null,
      metadata: s.storeMetadata ? `{"offset":${record.kafkaOffset},"timestamp":${record.timestamp ?? 'null'}}\n` : null,
    };
  }

  /** Opens the files of an encoded partition; container files take the schema of its first record. */
  #openSet(encodedPartition: string, startOffset: number, first: EncodedRecord): OpenFileSet {
    const s = this.#settings;
    const files: { view: ViewKind; file: OutputFile }[] = [];
    const add = (view: ViewKind, suffix: string, format: FileFormat | null, prepared: unknown) => {
      const container = format !== null && isContainerFormat(format) ? format.open((prepared as PreparedRecord).schema) : null;
      const gz = s.gzipLevel === null || container !== null ? '' : GZIP_SUFFIX;
      const key = objectKey(s.layout, this.partition.topic, encodedPartition, this.partition.partition, startOffset, `${suffix}${gz}`);
      const file = new OutputFile(this.#store, key, s.partSize, this.#budget, s.gzipLevel, container);
      files.push({ view, file });
      return file;
    };
    if (s.keysFormat !== null) add('keys', `${KEYS_INFIX}${s.keysFormat.extension}`, s.keysFormat, first.key);
    if (s.storeHeaders) add('headers', HEADERS_SUFFIX, null, null);
    if (s.storeMetadata) add('metadata', METADATA_SUFFIX, null, null);
    const valueFile = add('value', s.format.extension, s.format, first.value);
    const set: OpenFileSet = {
      startOffset, lastOffset: startOffset, records: 0, files, valueFile,
      valueSchema: preparedSchema(first.value), keySchema: preparedSchema(first.key),
    };
    this.#open.set(encodedPartition, set);
    return set;
  }

  async #tag(set: OpenFileSet): Promise<void> {
    const tagging = this.#settings.tagging;
    if (tagging === null) return;
    const tags = new Map([
      ['startOffset', String(set.startOffset)], ['endOffset', String(set.lastOffset)], ['recordCount', String(set.records)], ...tagging.extra,
    ]);
    try {
      await this.#store.putTags(set.valueFile.key, tags);
    } catch (err) {
      if (tagging.failOnError) throw new ConnectError(`Tagging ${set.valueFile.key} failed: ${(err as Error).message}`, { cause: err });
      this.#logger.warn({ key: set.valueFile.key, err: (err as Error).message }, 'Could not tag an object; s3.object.behavior.on.tagging.error=ignore');
    }
  }

  /** Deletes objects of this partition starting at or after `fromOffset` (see the header). */
  async #recover(fromOffset: number): Promise<void> {
    const s = this.#settings;
    const { topic, partition } = this.partition;
    const prefix = topicPrefix(s.layout, topic);
    const scan = s.defaultPartitioner
      ? this.#store.list(`${prefix}partition=${partition}${s.layout.directoryDelim}`,
        `${prefix}partition=${partition}${s.layout.directoryDelim}${fileStem(s.layout, topic, partition, fromOffset)}`)
      : this.#store.list(prefix);
    const leftovers: string[] = [];
    for await (const page of scan) {
      for (const object of page) {
        const name = parseObjectName(s.layout, topic, object.key);
        if (name !== null && name.kafkaPartition === partition && name.startOffset >= fromOffset) leftovers.push(object.key);
      }
    }
    if (leftovers.length > 0) {
      this.#logger.info({ topic, partition, fromOffset, objects: leftovers.length },
        'Deleting objects written after the last committed offset; the records they hold are written again');
      await this.#store.deleteObjects(leftovers);
    }
    this.#recovered = true;
  }
}

function encodeWith(format: FileFormat, value: unknown, schema: Schema | null): EncodedLine | PreparedRecord {
  return isContainerFormat(format) ? format.prepare(value, schema) : format.encode(value, schema);
}

function preparedSchema(encoded: EncodedLine | PreparedRecord | null): Schema | null {
  if (encoded === null || typeof encoded === 'string' || Buffer.isBuffer(encoded) || encoded instanceof TerminatedBytes) return null;
  return (encoded as PreparedRecord).schema;
}

/** True when a record's container schemas differ from those of the open set (schema.compatibility=NONE). */
function schemaChanged(set: OpenFileSet, encoded: EncodedRecord): boolean {
  const differs = (current: Schema | null, next: Schema | null) => current !== next && (current === null || next === null || !current.equals(next));
  return differs(set.valueSchema, preparedSchema(encoded.value)) || differs(set.keySchema, preparedSchema(encoded.key));
}

/** Confluent's header view: `[{"key":k,"value":v}, ...]`, values in Connect's string form. */
function headersJson(record: SinkRecord): string {
  return `[${record.headers.map((h) => `{"key":${JSON.stringify(h.key)},"value":${jsonOf(Values.convertToString(h.schema, h.value), null)}}`).join(',')}]`;
}
