/**
 * Reads what a partition holds on disk, independent of any client: its segment files and
 * the batches inside them. Used to check how records were stored (codec, producer id) and
 * to poll background work (compaction, retention) without a consumer.
 *
 * A segment may be replaced or deleted between listing and reading (the cleaner swaps
 * segments, retention deletes them): readers then throw ENOENT, and callers polling with
 * `until` simply try again.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CompressionCodec } from '../../broker/protocol/batch-header.js';
import { batchesIn, decodeBatch } from '../../broker/protocol/record-batch.js';

export interface StoredRecord {
  offset: number;
  timestamp: number;
  key: string | null;
  value: string | null;
  headers: [string, string | null][];
}

export interface StoredBatch {
  baseOffset: number;
  lastOffset: number;
  codec: CompressionCodec;
  producerId: number;
  records: StoredRecord[];
}

export function partitionDir(dataDir: string, topic: string, partition: number): string {
  return path.join(dataDir, `${topic}-${partition}`);
}

/** Base offsets of the segments (`<base>.log` files), oldest first. */
export function segmentBases(dir: string): number[] {
  return fs.readdirSync(dir)
    .filter((name) => /^\d{20}\.log$/.test(name))
    .map((name) => Number(name.slice(0, 20)))
    .sort((a, b) => a - b);
}

export function readStoredBatches(dir: string): StoredBatch[] {
  const out: StoredBatch[] = [];
  for (const base of segmentBases(dir)) {
    const buf = fs.readFileSync(path.join(dir, `${String(base).padStart(20, '0')}.log`));
    for (const { at } of batchesIn(buf)) {
      const { header, records } = decodeBatch(buf, at);
      out.push({
        baseOffset: header.baseOffset,
        lastOffset: header.lastOffset,
        codec: header.compression,
        producerId: header.producerId,
        records: records.map((r) => ({
          offset: r.offset,
          timestamp: r.timestamp,
          key: r.key === null ? null : r.key.toString(),
          value: r.value === null ? null : r.value.toString(),
          headers: r.headers.map((h): [string, string | null] => [h.key, h.value === null ? null : h.value.toString()]),
        })),
      });
    }
  }
  return out;
}

export function readStoredRecords(dir: string): StoredRecord[] {
  return readStoredBatches(dir).flatMap((b) => b.records);
}
