/**
 * Magic-2 record batches (broker notes §3.1–3.4): building, decoding, walking, validating
 * and patching them in place.
 *
 * The produce path never decodes records into objects: `batchesIn` and `validateBatch` work
 * on the bytes the client sent, `assignOffsets` patches bytes outside the CRC range, and
 * `setLogAppendTime` rewrites the CRC after touching attributes and maxTimestamp. Decoded
 * records hold views of the batch (or of its decompressed records section), not copies.
 */
import {
  ATTR_CONTROL, ATTR_DELETE_HORIZON, ATTR_TIMESTAMP_LOG_APPEND, ATTR_TRANSACTIONAL, BATCH, BATCH_HEADER_SIZE,
  BATCH_LOG_OVERHEAD, BatchHeader, CompressionCodec, writeInt64At,
} from './batch-header.js';
import { compress, decompress, UnsupportedCompressionError } from './compression.js';
import { crc32c } from './crc32c.js';
import { clientRecordsWellFormed } from './client-records-walk.js';
import {
  type DecodedRecord, InvalidRecordError, type RecordInput, RecordReader, recordBodySize, varintSize, writeRecord,
} from './record.js';

export const CURRENT_MAGIC = 2;
const MIN_RECORD_SIZE = 7;

const CORRUPT_MESSAGE = 2;
const INVALID_TIMESTAMP = 32;
const UNSUPPORTED_COMPRESSION_TYPE = 76;
const INVALID_RECORD = 87;

export interface EncodeBatchOptions {
  baseOffset?: number;
  records: RecordInput[];
  compression?: CompressionCodec;
  timestampType?: 'create' | 'log-append';
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
  control?: boolean;
  partitionLeaderEpoch?: number;
  /** Default record timestamp, and maxTimestamp for log-append batches. */
  now?: number;
  /** Per-record offset deltas (strictly increasing), e.g. to keep offsets after compaction. */
  offsetDeltas?: number[];
  /** Overrides lastOffsetDelta (≥ the last record's delta), e.g. for a batch compaction emptied. */
  lastOffsetDelta?: number;
  /** Sets the delete-horizon attribute and stores this time as baseTimestamp. */
  deleteHorizonMs?: number;
  /** Where the batch's bytes go (default: a new Buffer of the batch's size), e.g. a pooled buffer. */
  allocate?: (size: number) => Buffer;
}

/** Builds a complete batch with its CRC. */
export function encodeBatch(opts: EncodeBatchOptions): Buffer {
  const { records } = opts;
  const n = records.length;
  const now = opts.now ?? Date.now();
  const deltas = opts.offsetDeltas;
  if (deltas !== undefined && deltas.length !== n) {
    throw new RangeError(`offsetDeltas has ${deltas.length} entries for ${n} records`);
  }

  let baseTimestamp = -1;
  let maxTimestamp = -1;
  if (n > 0) {
    baseTimestamp = records[0]!.timestamp ?? now;
    for (const rec of records) maxTimestamp = Math.max(maxTimestamp, rec.timestamp ?? now);
  }
  if (opts.deleteHorizonMs !== undefined) baseTimestamp = opts.deleteHorizonMs;

  const bodySizes = new Array<number>(n);
  let recordsSize = 0;
  for (let i = 0; i < n; i++) {
    const rec = records[i]!;
    const body = recordBodySize(rec, (rec.timestamp ?? now) - baseTimestamp, deltas ? deltas[i]! : i);
    bodySizes[i] = body;
    recordsSize += varintSize(body) + body;
  }

  const codec = opts.compression ?? CompressionCodec.None;
  const allocate = opts.allocate ?? Buffer.allocUnsafe;
  let buf: Buffer;
  const writeAll = (into: Buffer, at: number): void => {
    for (let i = 0; i < n; i++) {
      const rec = records[i]!;
      at = writeRecord(into, at, rec, (rec.timestamp ?? now) - baseTimestamp, deltas ? deltas[i]! : i, bodySizes[i]!);
    }
  };
  if (codec === CompressionCodec.None) {
    buf = allocate(BATCH_HEADER_SIZE + recordsSize);
    writeAll(buf, BATCH_HEADER_SIZE);
  } else {
    const plain = Buffer.allocUnsafe(recordsSize);
    writeAll(plain, 0);
    const packed = compress(codec, plain);
    buf = allocate(BATCH_HEADER_SIZE + packed.length);
    packed.copy(buf, BATCH_HEADER_SIZE);
  }

  let attributes = codec;
  if (opts.timestampType === 'log-append') {
    attributes |= ATTR_TIMESTAMP_LOG_APPEND;
    maxTimestamp = now;
  }
  if (opts.transactional) attributes |= ATTR_TRANSACTIONAL;
  if (opts.control) attributes |= ATTR_CONTROL;
  if (opts.deleteHorizonMs !== undefined) attributes |= ATTR_DELETE_HORIZON;
  const lastOffsetDelta = opts.lastOffsetDelta ?? (n === 0 ? -1 : deltas ? deltas[n - 1]! : n - 1);

  writeInt64At(buf, BATCH.BASE_OFFSET, opts.baseOffset ?? 0);
  buf.writeInt32BE(buf.length - BATCH_LOG_OVERHEAD, BATCH.LENGTH);
  buf.writeInt32BE(opts.partitionLeaderEpoch ?? -1, BATCH.PARTITION_LEADER_EPOCH);
  buf.writeInt8(CURRENT_MAGIC, BATCH.MAGIC);
  buf.writeInt16BE(attributes, BATCH.ATTRIBUTES);
  buf.writeInt32BE(lastOffsetDelta, BATCH.LAST_OFFSET_DELTA);
  writeInt64At(buf, BATCH.BASE_TIMESTAMP, baseTimestamp);
  writeInt64At(buf, BATCH.MAX_TIMESTAMP, maxTimestamp);
  writeInt64At(buf, BATCH.PRODUCER_ID, opts.producerId ?? -1);
  buf.writeInt16BE(opts.producerEpoch ?? -1, BATCH.PRODUCER_EPOCH);
  buf.writeInt32BE(opts.baseSequence ?? -1, BATCH.BASE_SEQUENCE);
  buf.writeInt32BE(n, BATCH.RECORDS_COUNT);
  writeBatchCrc(buf, 0);
  return buf;
}

/** A batch opened for reading its records one at a time (see openBatch). */
export interface OpenedBatch {
  readonly header: BatchHeader;
  /** Positioned at the first record (of the decompressed records for a compressed batch). */
  readonly reader: RecordReader;
  readonly count: number;
  /** Pass to reader.record: the batch's maxTimestamp for LogAppendTime batches, else -1. */
  readonly fixedTimestamp: number;
}

/**
 * Checks the batch at `at` and opens its records for reading (decompressing as needed), so a
 * caller can decode them one at a time. Does not check the CRC (`validateBatch` does).
 * Throws InvalidRecordError, DecompressionError or UnsupportedCompressionError on bytes it
 * cannot open.
 */
export function openBatch(batch: Buffer, at = 0): OpenedBatch {
  if (at + BATCH_HEADER_SIZE > batch.length) {
    throw new InvalidRecordError(`${batch.length - at} bytes cannot hold a ${BATCH_HEADER_SIZE}-byte batch header`);
  }
  const header = new BatchHeader(batch, at);
  const size = header.size;
  if (size < BATCH_HEADER_SIZE || at + size > batch.length) {
    throw new InvalidRecordError(`batch of ${size} bytes does not fit in the ${batch.length - at} bytes present`);
  }
  if (header.magic !== CURRENT_MAGIC) throw new InvalidRecordError(`unsupported batch magic ${header.magic}`);

  let data = batch;
  let start = at + BATCH_HEADER_SIZE;
  let end = at + size;
  if (header.compression !== CompressionCodec.None) {
    data = decompress(header.compression, batch.subarray(start, end));
    start = 0;
    end = data.length;
  }
  const count = header.recordsCount;
  if (count < 0 || count > (end - start) / MIN_RECORD_SIZE) {
    throw new InvalidRecordError(`records count ${count} does not fit in ${end - start} bytes of records`);
  }
  return { header, reader: new RecordReader(data, start, end), count, fixedTimestamp: header.hasLogAppendTime ? header.maxTimestamp : -1 };
}

/**
 * Decodes the batch at `at` (decompressing as needed) with absolute offsets and timestamps;
 * records of a LogAppendTime batch all carry its maxTimestamp. Does not check the CRC
 * (`validateBatch` does). Throws InvalidRecordError, DecompressionError or
 * UnsupportedCompressionError on bytes it cannot decode.
 */
export function decodeBatch(batch: Buffer, at = 0): { header: BatchHeader; records: DecodedRecord[] } {
  const { header, reader, count, fixedTimestamp } = openBatch(batch, at);
  const baseOffset = header.baseOffset;
  const baseTimestamp = header.baseTimestamp;
  const records = new Array<DecodedRecord>(count);
  for (let i = 0; i < count; i++) records[i] = reader.record(baseOffset, baseTimestamp, fixedTimestamp);
  return { header, records };
}

/**
 * Walks batches laid back to back from `from`, by their length fields only. Stops without
 * throwing at a batch that does not fit in what remains of `buf` (a partial tail) or whose
 * batchLength is negative.
 */
export function* batchesIn(buf: Buffer, from = 0): Generator<{ at: number; size: number }> {
  let at = from;
  while (at + BATCH_LOG_OVERHEAD <= buf.length) {
    const batchLength = buf.readInt32BE(at + BATCH.LENGTH);
    if (batchLength < 0) return;
    const size = batchLength + BATCH_LOG_OVERHEAD;
    if (at + size > buf.length) return;
    yield { at, size };
    at += size;
  }
}

export interface BatchProblem {
  /** Kafka error code: 2 CORRUPT_MESSAGE, 32 INVALID_TIMESTAMP, 76 UNSUPPORTED_COMPRESSION_TYPE, 87 INVALID_RECORD. */
  code: number;
  message: string;
  /** Index of the offending record, for Produce v8+ record_errors. */
  recordIndex?: number;
}

export interface ValidateBatchOptions {
  /** Also walk every record (decompressing if needed); otherwise only header rules apply. */
  checkRecords: boolean;
  /** Every record must have a non-null key (compacted topics). Needs checkRecords. */
  requireKeys?: boolean;
  /**
   * 'client' (default) applies Produce rules: no control batches, offset deltas 0…n-1.
   * 'log' accepts what a log legitimately holds: control batches and offset gaps left by
   * compaction (deltas strictly increasing, up to lastOffsetDelta), empty batches.
   */
  origin?: 'client' | 'log';
  /** CreateTime records must have timestamps within [min, max]. Needs checkRecords. */
  timestampRange?: { min: number; max: number };
}

/** The first rule the batch at `buf[at, at + size)` breaks, or null when it is valid. */
export function validateBatch(buf: Buffer, at: number, size: number, opts: ValidateBatchOptions): BatchProblem | null {
  if (at < 0 || size < BATCH_LOG_OVERHEAD || at + size > buf.length) {
    return problem(CORRUPT_MESSAGE, `batch of ${size} bytes at ${at} does not fit in the ${buf.length - at} bytes present`);
  }
  const batchLength = buf.readInt32BE(at + BATCH.LENGTH);
  if (batchLength + BATCH_LOG_OVERHEAD !== size) {
    return problem(CORRUPT_MESSAGE, `batchLength ${batchLength} does not match the ${size - BATCH_LOG_OVERHEAD} bytes that follow it`);
  }
  if (size <= BATCH.MAGIC) return problem(CORRUPT_MESSAGE, `batch of ${size} bytes is too short to hold a magic byte`);
  const magic = buf.readInt8(at + BATCH.MAGIC);
  if (magic !== CURRENT_MAGIC) return problem(INVALID_RECORD, `record batch magic ${magic} is not supported, only ${CURRENT_MAGIC}`);
  if (size < BATCH_HEADER_SIZE) {
    return problem(CORRUPT_MESSAGE, `batch of ${size} bytes is shorter than the ${BATCH_HEADER_SIZE}-byte header`);
  }
  const storedCrc = buf.readUInt32BE(at + BATCH.CRC);
  const actualCrc = crc32c(buf, at + BATCH.ATTRIBUTES, at + size);
  if (storedCrc !== actualCrc) {
    return problem(CORRUPT_MESSAGE, `CRC-32C mismatch: batch says ${hex(storedCrc)}, its bytes give ${hex(actualCrc)}`);
  }

  const header = new BatchHeader(buf, at);
  const codec = header.compression;
  if (codec > CompressionCodec.Zstd) return problem(UNSUPPORTED_COMPRESSION_TYPE, `unknown compression codec ${codec}`);
  const count = header.recordsCount;
  const lastOffsetDelta = header.lastOffsetDelta;
  const fromClient = (opts.origin ?? 'client') === 'client';
  if (fromClient) {
    if (count <= 0) return problem(INVALID_RECORD, `records count ${count} must be positive`);
    if (lastOffsetDelta + 1 !== count) {
      return problem(INVALID_RECORD, `lastOffsetDelta ${lastOffsetDelta} does not match records count ${count}`);
    }
    if (header.isControl) return problem(INVALID_RECORD, 'clients may not produce control batches');
  } else if (count < 0 || lastOffsetDelta < count - 1) {
    return problem(INVALID_RECORD, `lastOffsetDelta ${lastOffsetDelta} cannot cover records count ${count}`);
  }
  if (!header.isControl && header.producerId >= 0 && header.baseSequence < 0) {
    return problem(INVALID_RECORD, `producerId ${header.producerId} with negative baseSequence ${header.baseSequence}`);
  }
  if (!opts.checkRecords) return null;

  let data = buf;
  let start = at + BATCH_HEADER_SIZE;
  let end = at + size;
  if (codec !== CompressionCodec.None) {
    try {
      data = decompress(codec, buf.subarray(start, end));
    } catch (err) {
      if (err instanceof UnsupportedCompressionError) return problem(UNSUPPORTED_COMPRESSION_TYPE, err.message);
      return problem(CORRUPT_MESSAGE, (err as Error).message);
    }
    start = 0;
    end = data.length;
  }
  return checkRecords(data, start, end, header, fromClient, opts);
}

function checkRecords(
  data: Buffer, start: number, end: number, header: BatchHeader, fromClient: boolean, opts: ValidateBatchOptions,
): BatchProblem | null {
  const count = header.recordsCount;
  const lastOffsetDelta = header.lastOffsetDelta;
  const requireKeys = opts.requireKeys === true;
  const range = header.hasLogAppendTime ? undefined : opts.timestampRange;
  if (fromClient && range === undefined && clientRecordsWellFormed(data, start, end, count, requireKeys)) return null;
  const baseTimestamp = header.baseTimestamp;
  const reader = new RecordReader(data, start, end);
  const s = reader.scanned;
  let previousDelta = -1;
  for (let i = 0; i < count; i++) {
    if (reader.pos >= end) return problem(INVALID_RECORD, `batch declares ${count} records but holds ${i}`, i);
    try {
      reader.skip();
    } catch (err) {
      if (err instanceof InvalidRecordError) return problem(INVALID_RECORD, `record ${i}: ${err.message}`, i);
      throw err;
    }
    if ((s.attributes & 0x07) !== 0) {
      return problem(INVALID_RECORD, `record ${i} carries compression bits (nested compression is not allowed)`, i);
    }
    if (fromClient ? s.offsetDelta !== i : s.offsetDelta <= previousDelta || s.offsetDelta > lastOffsetDelta) {
      return problem(INVALID_RECORD, `record ${i} has offsetDelta ${s.offsetDelta} after ${previousDelta}; offsets must be ${fromClient ? 'contiguous from 0' : 'increasing'}`, i);
    }
    previousDelta = s.offsetDelta;
    if (requireKeys && !s.hasKey) {
      return problem(INVALID_RECORD, `record ${i} has a null key; a compacted topic accepts only keyed records`, i);
    }
    if (range !== undefined) {
      const ts = baseTimestamp + s.timestampDelta;
      if (ts < range.min || ts > range.max) {
        return problem(INVALID_TIMESTAMP, `record ${i} timestamp ${ts} is outside the accepted range [${range.min}, ${range.max}]`, i);
      }
    }
  }
  if (reader.pos !== end) return problem(INVALID_RECORD, `${end - reader.pos} bytes follow the batch's ${count} records`);
  return null;
}

function problem(code: number, message: string, recordIndex?: number): BatchProblem {
  return recordIndex === undefined ? { code, message } : { code, message, recordIndex };
}

function hex(v: number): string {
  return '0x' + v.toString(16).padStart(8, '0');
}

/** Patches baseOffset and partitionLeaderEpoch in place; both lie outside the CRC range. */
export function assignOffsets(buf: Buffer, at: number, baseOffset: number, partitionLeaderEpoch: number): void {
  writeInt64At(buf, at + BATCH.BASE_OFFSET, baseOffset);
  buf.writeInt32BE(partitionLeaderEpoch, at + BATCH.PARTITION_LEADER_EPOCH);
}

/** Marks the batch LogAppendTime with maxTimestamp := now, and rewrites its CRC. */
export function setLogAppendTime(buf: Buffer, at: number, now: number): void {
  buf.writeInt16BE(buf.readInt16BE(at + BATCH.ATTRIBUTES) | ATTR_TIMESTAMP_LOG_APPEND, at + BATCH.ATTRIBUTES);
  writeInt64At(buf, at + BATCH.MAX_TIMESTAMP, now);
  writeBatchCrc(buf, at);
}

/** Recomputes the CRC of the batch at `at` after bytes in its CRC range changed. */
export function writeBatchCrc(buf: Buffer, at: number): void {
  const end = at + buf.readInt32BE(at + BATCH.LENGTH) + BATCH_LOG_OVERHEAD;
  buf.writeUInt32BE(crc32c(buf, at + BATCH.ATTRIBUTES, end), at + BATCH.CRC);
}

/** Transaction marker types carried in a control record's key (§3.4). */
export enum ControlRecordType {
  Abort = 0,
  Commit = 1,
}

/** The type in a control record's key (0 abort, 1 commit, …), or null for a key too short to be one. */
export function controlRecordType(record: { key: Buffer | null }): number | null {
  const key = record.key;
  if (key === null || key.length < 4) return null;
  return key.readInt16BE(2);
}

/** A transaction marker: a control + transactional batch holding one control record. */
export function encodeControlBatch(opts: {
  type: ControlRecordType;
  producerId: number;
  producerEpoch: number;
  coordinatorEpoch: number;
  baseOffset?: number;
  partitionLeaderEpoch?: number;
  now?: number;
}): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(opts.type, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(0, 0);
  value.writeInt32BE(opts.coordinatorEpoch, 2);
  return encodeBatch({
    baseOffset: opts.baseOffset,
    partitionLeaderEpoch: opts.partitionLeaderEpoch,
    now: opts.now,
    records: [{ key, value }],
    producerId: opts.producerId,
    producerEpoch: opts.producerEpoch,
    baseSequence: -1,
    transactional: true,
    control: true,
  });
}
