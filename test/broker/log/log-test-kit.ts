/** Helpers shared by the log tests: batches, logs with small segments, reading everything back. */
import { CompressionCodec } from '../../../broker/protocol/batch-header.js';
import { decodeBatch, batchesIn, encodeBatch } from '../../../broker/protocol/record-batch.js';
import type { DecodedRecord } from '../../../broker/protocol/record.js';
import { DEFAULT_LOG_CONFIG, type LogConfig } from '../../../broker/log/log-config.js';
import { PartitionLog, type PartitionLogOptions } from '../../../broker/log/partition-log.js';

export interface Rec {
  key?: string | null;
  value: string | null;
  timestamp?: number;
}

export function batch(records: Rec[], opts: {
  compression?: CompressionCodec; producerId?: number; producerEpoch?: number; baseSequence?: number;
  transactional?: boolean; now?: number;
} = {}): Buffer {
  return encodeBatch({
    records: records.map((r) => ({
      key: r.key === undefined || r.key === null ? null : Buffer.from(r.key),
      value: r.value === null ? null : Buffer.from(r.value),
      timestamp: r.timestamp,
    })),
    compression: opts.compression ?? CompressionCodec.None,
    producerId: opts.producerId ?? -1,
    producerEpoch: opts.producerEpoch ?? -1,
    baseSequence: opts.baseSequence ?? -1,
    transactional: opts.transactional,
    now: opts.now ?? 1_000,
  });
}

export function values(n: number, prefix = 'v', from = 0): Rec[] {
  return Array.from({ length: n }, (_, i) => ({ key: `k${from + i}`, value: `${prefix}${from + i}` }));
}

export function config(overrides: Partial<LogConfig> = {}): LogConfig {
  return { ...DEFAULT_LOG_CONFIG, flushMs: Infinity, indexIntervalBytes: 128, ...overrides };
}

export function openLog(dir: string, overrides: Partial<LogConfig> = {}, opts: Partial<PartitionLogOptions> = {}): PartitionLog {
  return PartitionLog.open({ dir, topic: 't', partition: 0, config: config(overrides), cleanShutdown: false, ...opts });
}

export function append(log: PartitionLog, buf: Buffer, now = 1_000): { baseOffset: number; lastOffset: number } {
  const r = log.append(buf, { now, logAppendTime: false });
  if (!r.ok) throw new Error(`append failed: ${r.errorCode} ${r.message}`);
  return r;
}

export function decodeAll(buf: Buffer): DecodedRecord[] {
  const out: DecodedRecord[] = [];
  for (const { at } of batchesIn(buf)) out.push(...decodeBatch(buf, at).records);
  return out;
}

/** Every record from `from` to the log end, by repeated reads of `maxBytes`. */
export function readAll(log: PartitionLog, from = log.logStartOffset, maxBytes = 1 << 20): DecodedRecord[] {
  const out: DecodedRecord[] = [];
  let next = from;
  for (let guard = 0; next < log.logEndOffset && guard < 100000; guard++) {
    const r = log.read(next, maxBytes, { minOneBatch: true });
    if ('error' in r) throw new Error(`read at ${next}: ${r.error}`);
    if (r.records.length === 0) break;
    for (const rec of decodeAll(r.records)) {
      if (rec.offset >= next) out.push(rec);
    }
    let last = next;
    for (const { at } of batchesIn(r.records)) {
      const d = decodeBatch(r.records, at);
      last = d.header.lastOffset + 1;
    }
    next = last;
  }
  return out;
}

export function text(b: Buffer | null): string | null {
  return b === null ? null : b.toString();
}
