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
 * read_committed: a Fetch with isolation level 1 ends at the last stable offset and lists the
 * aborted transactions in range (producer id, first offset). A transactional batch of a
 * producer whose aborted transaction started at or before the batch is skipped, until that
 * producer's abort marker (a control batch) ends the transaction, as Java's fetcher does.
 */
import { BatchHeader } from '../../../broker/protocol/batch-header.js';
import { batchesIn, decodeBatch } from '../../../broker/protocol/record-batch.js';
import type { ConsumedRecord } from '../kafka-client.js';

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

export function readFetchedRecords(
  topic: string, partition: number, data: Buffer | null, position: number, options: ReadFetchedOptions = {},
): FetchedRecords {
  const copy = options.views !== true;
  const records: ConsumedRecord[] = [];
  let next = position;
  if (data === null || data.length === 0) return { records, nextOffset: next };
  const pending = options.aborted && options.aborted.length > 0 ? [...options.aborted].sort((a, b) => a.firstOffset - b.firstOffset) : [];
  const abortedProducers = new Set<number>();
  for (const { at } of batchesIn(data)) {
    const header = new BatchHeader(data, at);
    if (header.nextOffset <= next) continue;
    if (header.magic !== 2) throw new Error(`${topic}-${partition}: record batch magic ${header.magic} at offset ${header.baseOffset} is not supported`);
    while (pending.length > 0 && pending[0]!.firstOffset <= header.lastOffset) abortedProducers.add(pending.shift()!.producerId);
    const abortedBatch = header.isTransactional && abortedProducers.has(header.producerId);
    if (header.isControl) {
      if (abortedBatch) abortedProducers.delete(header.producerId);
    } else if (!abortedBatch) {
      const timestampType = header.hasLogAppendTime ? 'LogAppendTime' : 'CreateTime';
      for (const r of decodeBatch(data, at).records) {
        if (r.offset < next) continue;
        records.push(copy
          ? {
            topic,
            partition,
            offset: r.offset,
            key: r.key && Buffer.from(r.key),
            value: r.value && Buffer.from(r.value),
            headers: r.headers.map((h) => ({ key: h.key, value: h.value && Buffer.from(h.value) })),
            timestamp: r.timestamp,
            timestampType,
          }
          : { topic, partition, offset: r.offset, key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp, timestampType });
      }
    }
    next = header.nextOffset;
  }
  return { records, nextOffset: next };
}
