/**
 * Restores one backed-up Kafka partition: reads its objects in order and turns each line into
 * a SourceRecord for the same partition of the (possibly renamed) topic, with the key, headers
 * and timestamp of the side files.
 *
 * Order: with metadata files (store.kafka.metadata), objects whose offset ranges overlap (the
 * files of one rotation under several encoded partitions) are read together and their records
 * merged by Kafka offset, so the partition's order is restored under any partitioner. Without
 * them records come object by object in start-offset order, which is the partition's order
 * only under the DefaultPartitioner (one object at a time per partition).
 *
 * Position: each record's source offset is `{ object, start, record, offset }`: the value
 * object's key and start offset, the record's index in it, and its Kafka offset where the
 * metadata file gives it (else null). A restarted task skips every record at or before the
 * stored position (by Kafka offset when both sides know it, else by start offset and index),
 * and does not read objects that lie wholly before it.
 */
import { gunzipSync } from 'node:zlib';
import type { SourceOffset, SourcePartition, SourceRecord } from '../../sdk/connect-record.js';
import { Schema } from '../../sdk/data/schema.js';
import { DataError, RetriableError } from '../../sdk/errors.js';
import type { Schema as ConnectSchema } from '../../sdk/data/schema.js';
import type { FileContent } from '../formats/file-lines.js';
import { decodeFile, type DecodedFile, type FileFormat } from '../formats/record-format.js';
import type { S3Store } from '../storage/s3-store.js';
import type { BackupObject } from './backup-index.js';

export interface RestorePosition {
  readonly object: string;
  readonly start: number;
  readonly record: number;
  readonly offset: number | null;
}

interface LoadedRecord {
  readonly object: BackupObject;
  readonly index: number;
  readonly offset: number | null;
  readonly timestamp: number | null;
  readonly key: unknown;
  readonly keySchema: ConnectSchema | null;
  /** The file the value is in, which builds it when the record is handed out. */
  readonly values: DecodedFile;
  /** The schema of container files (Avro, Parquet); null for line formats. */
  readonly valueSchema: ConnectSchema | null;
  readonly headers: readonly { key: string; value: string | null }[];
}

export interface RestoreTarget {
  readonly topic: string;
  readonly sourcePartition: SourcePartition;
}

export class PartitionRestore {
  readonly partition: number;
  readonly #store: S3Store;
  readonly #formats: (extension: string) => FileFormat;
  readonly #target: RestoreTarget;
  readonly #queue: BackupObject[] = [];
  readonly #seen = new Set<string>();
  #ready: LoadedRecord[] = [];
  #position: RestorePosition | null;

  constructor(partition: number, store: S3Store, formats: (extension: string) => FileFormat, target: RestoreTarget, resume: RestorePosition | null) {
    this.partition = partition;
    this.#store = store;
    this.#formats = formats;
    this.#target = target;
    this.#position = resume;
  }

  /** Adds objects not seen before; returns how many were new. */
  add(objects: readonly BackupObject[]): number {
    let added = 0;
    for (const object of objects) {
      if (this.#seen.has(object.key)) continue;
      this.#seen.add(object.key);
      this.#queue.push(object);
      added++;
    }
    if (added > 0) this.#queue.sort((a, b) => a.startOffset - b.startOffset);
    return added;
  }

  get hasWork(): boolean {
    return this.#ready.length > 0 || this.#queue.length > 0;
  }

  /** Up to `max` next records (loading objects as needed); [] when nothing is left. */
  async next(max: number): Promise<SourceRecord[]> {
    while (this.#ready.length === 0 && this.#queue.length > 0) this.#ready = await this.#loadCluster();
    const taken = this.#ready.splice(0, max);
    return taken.map((r) => this.#sourceRecord(r));
  }

  #sourceRecord(r: LoadedRecord): SourceRecord {
    const offset: SourceOffset = { object: r.object.key, start: r.object.startOffset, record: r.index, offset: r.offset };
    this.#position = { object: r.object.key, start: r.object.startOffset, record: r.index, offset: r.offset };
    return {
      topic: this.#target.topic,
      kafkaPartition: this.partition,
      keySchema: r.keySchema,
      key: r.key,
      valueSchema: r.valueSchema,
      value: r.values.value(r.index),
      timestamp: r.timestamp,
      headers: r.headers.map((h) => ({ key: h.key, schema: Schema.OPTIONAL_STRING_SCHEMA, value: h.value })),
      sourcePartition: this.#target.sourcePartition,
      sourceOffset: offset,
    };
  }

  /**
   * The next object, and with metadata every queued object overlapping it, merged by Kafka
   * offset. The objects leave the queue once all of them were read. When a read fails with a
   * retriable error (S3 still failing after its retries) they stay queued, so the next poll
   * reads them again; an object that cannot be read at all (damaged) is dropped with the
   * objects before it, so error tolerance can skip it.
   */
  async #loadCluster(): Promise<LoadedRecord[]> {
    const queue = this.#queue;
    const first = queue[0]!;
    if (this.#skippable(first)) {
      queue.shift();
      return [];
    }
    let count = 0;
    try {
      const records = await this.#load(first);
      count = 1;
      if (first.metadataKey !== null) {
        let end = maxOffset(records);
        while (count < queue.length && queue[count]!.metadataKey !== null && end !== null && queue[count]!.startOffset <= end) {
          const more = await this.#load(queue[count]!);
          count++;
          records.push(...more);
          const moreEnd = maxOffset(more);
          if (moreEnd !== null && moreEnd > end) end = moreEnd;
        }
        records.sort((a, b) => (a.offset ?? 0) - (b.offset ?? 0));
      }
      queue.splice(0, count);
      return records.filter((r) => this.#isAfterPosition(r));
    } catch (err) {
      if (!(err instanceof RetriableError)) queue.splice(0, count + 1);
      throw err;
    }
  }

  /** Objects wholly before the resume position (plain mode) are not read at all. */
  #skippable(object: BackupObject): boolean {
    const p = this.#position;
    return p !== null && p.offset === null && object.metadataKey === null && object.startOffset < p.start;
  }

  #isAfterPosition(r: LoadedRecord): boolean {
    const p = this.#position;
    if (p === null) return true;
    if (p.offset !== null && r.offset !== null) return r.offset > p.offset;
    if (r.object.startOffset !== p.start) return r.object.startOffset > p.start;
    return r.index > p.record;
  }

  async #load(object: BackupObject): Promise<LoadedRecord[]> {
    const metadata = object.metadataKey === null ? null : (await this.#lines(object.metadataKey)).map(parseMetadata);
    const p = this.#position;
    if (metadata !== null && p !== null && p.offset !== null && metadata.every((m) => m.offset <= p.offset!)) return [];
    const values = await decodeFile(this.#formats(object.valueExtension), await this.#content(object.key), object.key);
    const keys = object.keysKey === null ? null : await decodeFile(this.#formats(object.keysExtension!), await this.#content(object.keysKey), object.keysKey);
    const headers = object.headersKey === null ? null : (await this.#lines(object.headersKey)).map(parseHeaders);
    for (const [what, side] of [['keys', keys], ['headers', headers], ['metadata', metadata]] as const) {
      if (side !== null && side.length !== values.length) {
        throw new DataError(`${object.key} holds ${values.length} records but its ${what} file ${side.length}; the backup is damaged`);
      }
    }
    return Array.from({ length: values.length }, (_, index) => ({
      object, index, values, valueSchema: values.schema(index),
      key: keys === null ? null : keys.value(index),
      keySchema: keys === null ? null : keys.schema(index),
      headers: headers === null ? [] : headers[index]!,
      offset: metadata === null ? null : metadata[index]!.offset,
      timestamp: metadata === null ? null : metadata[index]!.timestamp,
    }));
  }

  /** A file for decodeFile: the chunks it was downloaded in, or one Buffer when it must be decompressed. */
  async #content(key: string): Promise<FileContent> {
    return key.endsWith('.gz') ? this.#read(key) : this.#store.getObjectChunks(key);
  }

  async #read(key: string): Promise<Buffer> {
    const body = await this.#store.getObject(key);
    return key.endsWith('.gz') ? gunzipSync(body) : body;
  }

  async #lines(key: string): Promise<string[]> {
    return (await this.#read(key)).toString('utf8').split('\n').filter((line) => line !== '');
  }
}

function maxOffset(records: readonly LoadedRecord[]): number | null {
  let max: number | null = null;
  for (const r of records) if (r.offset !== null && (max === null || r.offset > max)) max = r.offset;
  return max;
}

function parseMetadata(line: string): { offset: number; timestamp: number | null } {
  const parsed = JSON.parse(line) as { offset?: unknown; timestamp?: unknown };
  if (typeof parsed.offset !== 'number') throw new DataError(`Metadata line without an offset: ${line}`);
  return { offset: parsed.offset, timestamp: typeof parsed.timestamp === 'number' ? parsed.timestamp : null };
}

function parseHeaders(line: string): { key: string; value: string | null }[] {
  const parsed = JSON.parse(line) as unknown;
  if (!Array.isArray(parsed)) throw new DataError(`Headers line is not a JSON array: ${line}`);
  return parsed.map((h: { key?: unknown; value?: unknown }) => ({
    key: String(h.key),
    value: h.value === null || h.value === undefined ? null : String(h.value),
  }));
}
