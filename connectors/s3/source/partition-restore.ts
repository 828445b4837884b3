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
 *
 * Memory: without metadata files, an uncompressed value file is read into a buffer of the
 * task's BufferPool, and its records' values are views of it. The buffer goes back to the pool
 * once the runtime says (recordsAcknowledged) that the partition's records are done with through
 * the object's last one; objects are read in start-offset order, so positions say which. At most
 * MAX_LEASES buffers wait for that; beyond, the oldest is left to the garbage collector instead
 * (a runtime that acknowledges late, such as a long transaction, only loses the reuse).
 */
import { gunzipSync } from 'node:zlib';
import type { BufferPool } from '../../sdk/buffer-pool.js';
import type { SourceOffset, SourcePartition, SourceRecord } from '../../sdk/connect-record.js';
import { Schema } from '../../sdk/data/schema.js';
import { DataError, RetriableError } from '../../sdk/errors.js';
import type { FileContent } from '../formats/file-lines.js';
import { decodeFile, type DecodedFile, type FileFormat } from '../formats/record-format.js';
import type { S3Store } from '../storage/s3-store.js';
import type { BackupObject } from './backup-index.js';
import type { ReadAhead } from './read-ahead.js';

export interface RestorePosition {
  readonly object: string;
  readonly start: number;
  readonly record: number;
  readonly offset: number | null;
}

interface StoredHeader {
  readonly key: string;
  readonly value: string | null;
}

interface StoredMetadata {
  readonly offset: number;
  readonly timestamp: number | null;
}

/** One object's files, read: a record is built from them when it is handed out. */
interface LoadedObject {
  readonly object: BackupObject;
  readonly values: DecodedFile;
  readonly keys: DecodedFile | null;
  readonly headers: readonly (readonly StoredHeader[])[] | null;
  readonly metadata: readonly StoredMetadata[] | null;
  /** The pooled buffer the value file was read into, or null. */
  readonly buffer: Buffer | null;
}

/** A pooled value file whose records may still be read: until the partition is acknowledged through `last` of the object at `start`. */
interface BufferLease {
  readonly start: number;
  readonly last: number;
  readonly buffer: Buffer;
}

const MAX_LEASES = 3;

/**
 * The records ready to be handed out, in order, from `at`: the i-th is record `indexes[i]` of
 * `objects[i]`. Parallel arrays rather than an object per record: an object's ~10,000 records
 * wait across several young-generation collections, which would copy and promote an object
 * made for each of them.
 */
interface ReadyRecords {
  readonly objects: LoadedObject[];
  readonly indexes: number[];
  at: number;
}

const NOTHING_READY: ReadyRecords = { objects: [], indexes: [], at: 0 };

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
  readonly #readAhead: ReadAhead;
  readonly #buffers: BufferPool;
  readonly #leases: BufferLease[] = [];
  #ready: ReadyRecords = NOTHING_READY;
  #position: RestorePosition | null;
  /**
   * Value files of the next queued objects, in queue order, downloading while the current
   * object's records are handed out; as many as the task's cap lets this partition hold.
   */
  readonly #ahead = new Map<string, Promise<FileContent>>();

  constructor(partition: number, store: S3Store, readAhead: ReadAhead, buffers: BufferPool, formats: (extension: string) => FileFormat, target: RestoreTarget, resume: RestorePosition | null) {
    this.partition = partition;
    this.#store = store;
    this.#readAhead = readAhead;
    this.#buffers = buffers;
    readAhead.join();
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

  /** Every record up to `position` is done with: the buffers of the objects it covers go back to the pool. */
  acknowledged(position: RestorePosition): void {
    const leases = this.#leases;
    while (leases.length > 0 && (leases[0]!.start < position.start || (leases[0]!.start === position.start && leases[0]!.last <= position.record))) {
      this.#buffers.give(leases.shift()!.buffer);
    }
  }

  get hasWork(): boolean {
    return this.#readyCount > 0 || this.#queue.length > 0;
  }

  get #readyCount(): number {
    return this.#ready.indexes.length - this.#ready.at;
  }

  /** Up to `max` next records (loading objects as needed); [] when nothing is left. */
  async next(max: number): Promise<SourceRecord[]> {
    while (this.#readyCount === 0 && this.#queue.length > 0) this.#ready = await this.#loadCluster();
    this.#startReadingAhead();
    const ready = this.#ready;
    const taken: SourceRecord[] = new Array<SourceRecord>(Math.min(max, this.#readyCount));
    for (let i = 0; i < taken.length; i++) taken[i] = this.#sourceRecord(ready.objects[ready.at + i]!, ready.indexes[ready.at + i]!);
    ready.at += taken.length;
    if (this.#readyCount === 0) this.#ready = NOTHING_READY;
    return taken;
  }

  #sourceRecord(loaded: LoadedObject, index: number): SourceRecord {
    const { object, keys, headers, metadata } = loaded;
    // The record's source offset is also the partition's position once it is handed out.
    const position: RestorePosition & SourceOffset = {
      object: object.key, start: object.startOffset, record: index, offset: metadata === null ? null : metadata[index]!.offset,
    };
    this.#position = position;
    return {
      topic: this.#target.topic,
      kafkaPartition: this.partition,
      keySchema: keys === null ? null : keys.schema(index),
      key: keys === null ? null : keys.value(index),
      valueSchema: loaded.values.schema(index),
      value: loaded.values.value(index),
      timestamp: metadata === null ? null : metadata[index]!.timestamp,
      headers: headers === null ? [] : headers[index]!.map((h) => ({ key: h.key, schema: Schema.OPTIONAL_STRING_SCHEMA, value: h.value })),
      sourcePartition: this.#target.sourcePartition,
      sourceOffset: position,
    };
  }

  /**
   * The next object, and with metadata every queued object overlapping it, merged by Kafka
   * offset. The objects leave the queue once all of them were read. When a read fails with a
   * retriable error (S3 still failing after its retries) they stay queued, so the next poll
   * reads them again; an object that cannot be read at all (damaged) is dropped with the
   * objects before it, so error tolerance can skip it.
   */
  async #loadCluster(): Promise<ReadyRecords> {
    const queue = this.#queue;
    const first = queue[0]!;
    if (this.#skippable(first)) {
      queue.shift();
      return NOTHING_READY;
    }
    let count = 0;
    try {
      const loaded = [await this.#load(first)];
      count = 1;
      if (first.metadataKey !== null) {
        let end = maxOffset(loaded[0]!);
        while (count < queue.length && queue[count]!.metadataKey !== null && end !== null && queue[count]!.startOffset <= end) {
          const more = await this.#load(queue[count]!);
          count++;
          loaded.push(more);
          const moreEnd = maxOffset(more);
          if (moreEnd !== null && moreEnd > end) end = moreEnd;
        }
      }
      queue.splice(0, count);
      // A pooled value file is one of an object read alone (no metadata file).
      const lone = loaded[0];
      if (lone?.buffer) this.#lease(lone, lone.buffer);
      return this.#readyRecords(loaded, first.metadataKey !== null);
    } catch (err) {
      if (!(err instanceof RetriableError)) queue.splice(0, count + 1);
      throw err;
    }
  }

  #lease(loaded: LoadedObject, buffer: Buffer): void {
    const leases = this.#leases;
    leases.push({ start: loaded.object.startOffset, last: loaded.values.length - 1, buffer });
    if (leases.length > MAX_LEASES) leases.shift();
  }

  /** Objects wholly before the resume position (plain mode) are not read at all. */
  #skippable(object: BackupObject): boolean {
    const p = this.#position;
    return p !== null && p.offset === null && object.metadataKey === null && object.startOffset < p.start;
  }

  /** The records of `loaded` after the position; `byOffset`: merged by Kafka offset (objects with metadata). */
  #readyRecords(loaded: readonly (LoadedObject | null)[], byOffset: boolean): ReadyRecords {
    const ready: ReadyRecords = { objects: [], indexes: [], at: 0 };
    for (const o of loaded) {
      if (o === null) continue;
      for (let index = 0; index < o.values.length; index++) {
        if (!this.#isAfterPosition(o, index)) continue;
        ready.objects.push(o);
        ready.indexes.push(index);
      }
    }
    if (!byOffset) return ready;
    const offsetOf = (i: number) => ready.objects[i]!.metadata?.[ready.indexes[i]!]!.offset ?? 0;
    const order = ready.indexes.map((_, i) => i).sort((a, b) => offsetOf(a) - offsetOf(b));
    return { objects: order.map((i) => ready.objects[i]!), indexes: order.map((i) => ready.indexes[i]!), at: 0 };
  }

  #isAfterPosition(loaded: LoadedObject, index: number): boolean {
    const p = this.#position;
    if (p === null) return true;
    const offset = loaded.metadata === null ? null : loaded.metadata[index]!.offset;
    if (p.offset !== null && offset !== null) return offset > p.offset;
    if (loaded.object.startOffset !== p.start) return loaded.object.startOffset > p.start;
    return index > p.record;
  }

  /** The object's files, or null when the metadata shows every record at or before the position. */
  async #load(object: BackupObject): Promise<LoadedObject | null> {
    const metadata = object.metadataKey === null ? null : (await this.#lines(object.metadataKey)).map(parseMetadata);
    const p = this.#position;
    if (metadata !== null && p !== null && p.offset !== null && metadata.every((m) => m.offset <= p.offset!)) return null;
    const intoPool = pooled(object);
    const content = await this.#content(object.key, intoPool);
    const values = await decodeFile(this.#formats(object.valueExtension), content, object.key);
    const keys = object.keysKey === null ? null : await decodeFile(this.#formats(object.keysExtension!), await this.#content(object.keysKey), object.keysKey);
    const headers = object.headersKey === null ? null : (await this.#lines(object.headersKey)).map(parseHeaders);
    for (const [what, side] of [['keys', keys], ['headers', headers], ['metadata', metadata]] as const) {
      if (side !== null && side.length !== values.length) {
        throw new DataError(`${object.key} holds ${values.length} records but its ${what} file ${side.length}; the backup is damaged`);
      }
    }
    return { object, values, keys, headers, metadata, buffer: intoPool && Buffer.isBuffer(content) ? content : null };
  }

  /**
   * Starts downloading the value files of the next queued objects, in queue order, up to the
   * partition's share of the task's cap: with one partition, the next objects download side by
   * side, as parallel GETs are how S3 gives more than one stream's throughput. A read ahead whose
   * object is no longer among the next ones (it left the queue without being read) gives its
   * place back first.
   */
  #startReadingAhead(): void {
    const queue = this.#queue;
    // Kept while among the next `limit` objects: a share that shrank (a partition joined) only stops new read aheads.
    const kept = queue.slice(0, this.#readAhead.limit);
    for (const key of this.#ahead.keys()) {
      if (!kept.some((object) => object.key === key)) this.#takeAhead(key);
    }
    const depth = this.#readAhead.share;
    for (let i = 0; i < Math.min(depth, queue.length) && this.#ahead.size < depth; i++) {
      const next = queue[i]!;
      if (this.#ahead.has(next.key) || this.#skippable(next)) continue;
      if (!this.#readAhead.take()) return;
      const content = this.#download(next.key, pooled(next));
      // Handled where it is awaited (#content); until then a failure must not count as unhandled.
      content.catch(() => undefined);
      this.#ahead.set(next.key, content);
    }
  }

  /** A file for decodeFile: the one read ahead when it is this one, else downloaded now. */
  #content(key: string, intoPool = false): Promise<FileContent> {
    return this.#takeAhead(key) ?? this.#download(key, intoPool);
  }

  /** The read ahead of `key`, if any, no longer held: its place in the task's cap is free again. */
  #takeAhead(key: string): Promise<FileContent> | undefined {
    const content = this.#ahead.get(key);
    if (content !== undefined) {
      this.#ahead.delete(key);
      this.#readAhead.give();
    }
    return content;
  }

  /** The chunks a file was downloaded in, or one Buffer when it must be decompressed or goes into a pooled buffer. */
  async #download(key: string, intoPool: boolean): Promise<FileContent> {
    if (key.endsWith('.gz')) return this.#read(key);
    return intoPool ? this.#store.getObjectInto(key, this.#takeBuffer) : this.#store.getObjectChunks(key);
  }

  readonly #takeBuffer = (size: number): Buffer => this.#buffers.take(size);

  async #read(key: string): Promise<Buffer> {
    const body = await this.#store.getObject(key);
    return key.endsWith('.gz') ? gunzipSync(body) : body;
  }

  async #lines(key: string): Promise<string[]> {
    return (await this.#read(key)).toString('utf8').split('\n').filter((line) => line !== '');
  }
}

/** Value files read into pooled buffers: uncompressed, of objects read one at a time (no metadata file). */
function pooled(object: BackupObject): boolean {
  return object.metadataKey === null && !object.key.endsWith('.gz');
}

function maxOffset(loaded: LoadedObject | null): number | null {
  let max: number | null = null;
  for (const m of loaded?.metadata ?? []) if (max === null || m.offset > max) max = m.offset;
  return max;
}

function parseMetadata(line: string): StoredMetadata {
  const parsed = JSON.parse(line) as { offset?: unknown; timestamp?: unknown };
  if (typeof parsed.offset !== 'number') throw new DataError(`Metadata line without an offset: ${line}`);
  return { offset: parsed.offset, timestamp: typeof parsed.timestamp === 'number' ? parsed.timestamp : null };
}

function parseHeaders(line: string): StoredHeader[] {
  const parsed = JSON.parse(line) as unknown;
  if (!Array.isArray(parsed)) throw new DataError(`Headers line is not a JSON array: ${line}`);
  return parsed.map((h: { key?: unknown; value?: unknown }) => ({
    key: String(h.key),
    value: h.value === null || h.value === undefined ? null : String(h.value),
  }));
}
