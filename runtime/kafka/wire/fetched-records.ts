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
 */
import { BatchHeader } from '../../../broker/protocol/batch-header.js';
import { batchesIn, decodeBatch } from '../../../broker/protocol/record-batch.js';
import type { ConsumedRecord } from '../kafka-client.js';

export interface FetchedRecords {
  readonly records: ConsumedRecord[];
  /** The offset to fetch next. */
  readonly nextOffset: number;
}

export interface ReadFetchedOptions {
  /** Hand out views of the fetched bytes instead of copies. */
  readonly views?: boolean;
}

export function readFetchedRecords(
  topic: string, partition: number, data: Buffer | null, position: number, options: ReadFetchedOptions = {},
): FetchedRecords {
  const copy = options.views !== true;
  const records: ConsumedRecord[] = [];
  let next = position;
  if (data === null || data.length === 0) return { records, nextOffset: next };
  for (const { at } of batchesIn(data)) {
    const header = new BatchHeader(data, at);
    if (header.nextOffset <= next) continue;
    if (header.magic !== 2) throw new Error(`${topic}-${partition}: record batch magic ${header.magic} at offset ${header.baseOffset} is not supported`);
    if (!header.isControl) {
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
