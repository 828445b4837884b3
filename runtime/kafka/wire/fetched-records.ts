/**
 * Turns the RECORDS bytes of one partition in a Fetch response into records to deliver.
 *
 * The broker starts at the batch containing the fetch offset, so records below it are
 * skipped. The position moves to the end of each complete batch (its lastOffset + 1), which
 * steps over offsets compaction removed and over control batches (transaction markers),
 * whose records are never delivered. A partial batch at the end (Kafka cuts responses at
 * byte limits) is left for the next fetch. By default keys, values and headers are copied so
 * records do not pin the response frame in memory; `views: true` hands out subarrays of the
 * fetched bytes (or of a batch's decompressed records) instead, for readers that pass records
 * on at once and want no copy.
 *
 * FetchedRecordCursor decodes records only as they are taken: a reader that fetches ahead
 * keeps the response bytes (outside the JS heap) instead of a record object per record, and
 * the objects it hands out die young instead of outliving a few garbage collections in the
 * look-ahead buffer (which had them promoted to the old generation and made it grow). The
 * batch headers are walked up front, so `nextOffset` and errors in batch framing are known at
 * once; a record that does not decode throws from take().
 *
 * read_committed: a Fetch with isolation level 1 ends at the last stable offset and lists the
 * aborted transactions in range (producer id, first offset). A transactional batch of a
 * producer whose aborted transaction started at or before the batch is skipped, until that
 * producer's abort marker (a control batch) ends the transaction, as Java's fetcher does.
 */
import { BatchHeader } from '../../../broker/protocol/batch-header.js';
import type { DecodedRecord, RecordReader } from '../../../broker/protocol/record.js';
import { batchesIn, openBatch } from '../../../broker/protocol/record-batch.js';
import type { ConsumedRecord, TimestampType } from '../kafka-client.js';

export interface FetchedRecords {
  readonly records: ConsumedRecord[];
  /** The offset to fetch next. */
  readonly nextOffset: number;
}

export interface AbortedTransaction {
  readonly producerId: number;
  readonly firstOffset: number;
}

export interface ReadFetchedOptions {
  /** Hand out views of the fetched bytes instead of copies. */
  readonly views?: boolean;
  /** read_committed: the response's aborted transactions (null or absent: read_uncommitted). */
  readonly aborted?: readonly AbortedTransaction[] | null;
}

/** Every record at once (see FetchedRecordCursor for reading them as they are needed). */
export function readFetchedRecords(
  topic: string, partition: number, data: Buffer | null, position: number, options: ReadFetchedOptions = {},
): FetchedRecords {
  const cursor = new FetchedRecordCursor(topic, partition, data, position, options);
  const records: ConsumedRecord[] = [];
  cursor.take(Number.POSITIVE_INFINITY, records);
  return { records, nextOffset: cursor.nextOffset };
}

/** Batch bytes with records to deliver: where they start and how many bytes they take. */
interface PendingBatch {
  readonly at: number;
  readonly size: number;
}

export class FetchedRecordCursor {
  /** The offset to fetch next. */
  readonly nextOffset: number;
  readonly #topic: string;
  readonly #partition: number;
  readonly #data: Buffer;
  readonly #copy: boolean;
  readonly #batches: PendingBatch[] = [];
  #batchIndex = 0;
  /** Records below it are skipped (the fetch position). */
  readonly #from: number;
  #reader: RecordReader | undefined;
  #left = 0;
  #baseOffset = 0;
  #baseTimestamp = 0;
  #fixedTimestamp = -1;
  #timestampType: TimestampType = 'CreateTime';
  #remainingBytes = 0;
  /** Each record's fields land here before they are copied into the record handed out. */
  readonly #scratch: DecodedRecord = { offset: 0, timestamp: 0, key: null, value: null, headers: [] };

  constructor(topic: string, partition: number, data: Buffer | null, position: number, options: ReadFetchedOptions = {}) {
    this.#topic = topic;
    this.#partition = partition;
    this.#data = data ?? Buffer.alloc(0);
    this.#copy = options.views !== true;
    this.#from = position;
    let next = position;
    if (data !== null && data.length > 0) {
      const pending = options.aborted && options.aborted.length > 0 ? [...options.aborted].sort((a, b) => a.firstOffset - b.firstOffset) : [];
      const abortedProducers = new Set<number>();
      for (const { at, size } of batchesIn(data)) {
        const header = new BatchHeader(data, at);
        if (header.nextOffset <= next) continue;
        if (header.magic !== 2) throw new Error(`${topic}-${partition}: record batch magic ${header.magic} at offset ${header.baseOffset} is not supported`);
        while (pending.length > 0 && pending[0]!.firstOffset <= header.lastOffset) abortedProducers.add(pending.shift()!.producerId);
        const abortedBatch = header.isTransactional && abortedProducers.has(header.producerId);
        if (header.isControl) {
          if (abortedBatch) abortedProducers.delete(header.producerId);
        } else if (!abortedBatch) {
          this.#batches.push({ at, size });
          this.#remainingBytes += size;
        }
        next = header.nextOffset;
      }
    }
    this.nextOffset = next;
  }

  /** Bytes of the batches not read to their end yet. */
  get remainingBytes(): number {
    return this.#remainingBytes;
  }

  /** Whether records may remain (a batch left may still hold none at or above the position). */
  hasMore(): boolean {
    return this.#left > 0 || this.#batchIndex < this.#batches.length;
  }

  /** Appends up to `limit` records to `out`, in offset order; returns how many. */
  take(limit: number, out: ConsumedRecord[]): number {
    let taken = 0;
    while (taken < limit) {
      if (this.#left === 0 && !this.#openNext()) break;
      const r = this.#reader!.recordInto(this.#scratch, this.#baseOffset, this.#baseTimestamp, this.#fixedTimestamp);
      this.#left--;
      if (this.#left === 0) this.#closeBatch();
      if (r.offset < this.#from) continue;
      out.push(this.#copy
        ? {
          topic: this.#topic,
          partition: this.#partition,
          offset: r.offset,
          key: r.key && Buffer.from(r.key),
          value: r.value && Buffer.from(r.value),
          headers: r.headers.map((h) => ({ key: h.key, value: h.value && Buffer.from(h.value) })),
          timestamp: r.timestamp,
          timestampType: this.#timestampType,
        }
        : {
          topic: this.#topic,
          partition: this.#partition,
          offset: r.offset,
          key: r.key,
          value: r.value,
          headers: r.headers,
          timestamp: r.timestamp,
          timestampType: this.#timestampType,
        });
      taken++;
    }
    return taken;
  }

  /** Opens the next batch with records; false when none is left. */
  #openNext(): boolean {
    while (this.#batchIndex < this.#batches.length) {
      const { at } = this.#batches[this.#batchIndex]!;
      const { header, reader, count, fixedTimestamp } = openBatch(this.#data, at);
      if (count === 0) {
        this.#closeBatch();
        continue;
      }
      this.#reader = reader;
      this.#left = count;
      this.#baseOffset = header.baseOffset;
      this.#baseTimestamp = header.baseTimestamp;
      this.#fixedTimestamp = fixedTimestamp;
      this.#timestampType = header.hasLogAppendTime ? 'LogAppendTime' : 'CreateTime';
      return true;
    }
    return false;
  }

  #closeBatch(): void {
    this.#remainingBytes -= this.#batches[this.#batchIndex]!.size;
    this.#batchIndex++;
    this.#reader = undefined;
  }
}
