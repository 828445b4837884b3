/**
 * Field positions of a record batch (magic 2) header and accessors over raw bytes
 * (broker notes §3.1). A batch is `baseOffset int64, batchLength int32` followed by
 * `batchLength` bytes; the CRC-32C covers bytes from ATTRIBUTES to the end.
 *
 * These helpers read and patch batches in place, so the log can store and serve the bytes a
 * producer sent without decoding records.
 */
const TWO_32 = 4294967296;

export const BATCH = {
  BASE_OFFSET: 0,
  LENGTH: 8,
  PARTITION_LEADER_EPOCH: 12,
  MAGIC: 16,
  CRC: 17,
  ATTRIBUTES: 21,
  LAST_OFFSET_DELTA: 23,
  BASE_TIMESTAMP: 27,
  MAX_TIMESTAMP: 35,
  PRODUCER_ID: 43,
  PRODUCER_EPOCH: 51,
  BASE_SEQUENCE: 53,
  RECORDS_COUNT: 57,
  RECORDS: 61,
} as const;

/** Bytes before batchLength's payload: baseOffset + batchLength. */
export const BATCH_LOG_OVERHEAD = 12;
export const BATCH_HEADER_SIZE = BATCH.RECORDS;

export const ATTR_COMPRESSION_MASK = 0x07;
export const ATTR_TIMESTAMP_LOG_APPEND = 0x08;
export const ATTR_TRANSACTIONAL = 0x10;
export const ATTR_CONTROL = 0x20;
export const ATTR_DELETE_HORIZON = 0x40;

export enum CompressionCodec {
  None = 0,
  Gzip = 1,
  Snappy = 2,
  Lz4 = 3,
  Zstd = 4,
}

export function readInt64At(buf: Buffer, at: number): number {
  return buf.readInt32BE(at) * TWO_32 + buf.readUInt32BE(at + 4);
}

export function writeInt64At(buf: Buffer, at: number, v: number): void {
  const hi = Math.floor(v / TWO_32);
  buf.writeInt32BE(hi, at);
  buf.writeUInt32BE(v - hi * TWO_32, at + 4);
}

/** A read-only view of one batch's header fields. `at` is the batch's first byte in `buf`. */
export class BatchHeader {
  constructor(readonly buf: Buffer, readonly at = 0) {}

  get baseOffset(): number { return readInt64At(this.buf, this.at + BATCH.BASE_OFFSET); }
  get batchLength(): number { return this.buf.readInt32BE(this.at + BATCH.LENGTH); }
  /** Whole batch size in bytes, including baseOffset and batchLength. */
  get size(): number { return this.batchLength + BATCH_LOG_OVERHEAD; }
  get partitionLeaderEpoch(): number { return this.buf.readInt32BE(this.at + BATCH.PARTITION_LEADER_EPOCH); }
  get magic(): number { return this.buf.readInt8(this.at + BATCH.MAGIC); }
  get crc(): number { return this.buf.readUInt32BE(this.at + BATCH.CRC); }
  get attributes(): number { return this.buf.readInt16BE(this.at + BATCH.ATTRIBUTES); }
  get compression(): CompressionCodec { return this.attributes & ATTR_COMPRESSION_MASK; }
  get isTransactional(): boolean { return (this.attributes & ATTR_TRANSACTIONAL) !== 0; }
  get isControl(): boolean { return (this.attributes & ATTR_CONTROL) !== 0; }
  get hasLogAppendTime(): boolean { return (this.attributes & ATTR_TIMESTAMP_LOG_APPEND) !== 0; }
  get lastOffsetDelta(): number { return this.buf.readInt32BE(this.at + BATCH.LAST_OFFSET_DELTA); }
  get lastOffset(): number { return this.baseOffset + this.lastOffsetDelta; }
  get nextOffset(): number { return this.lastOffset + 1; }
  get baseTimestamp(): number { return readInt64At(this.buf, this.at + BATCH.BASE_TIMESTAMP); }
  get maxTimestamp(): number { return readInt64At(this.buf, this.at + BATCH.MAX_TIMESTAMP); }
  get producerId(): number { return readInt64At(this.buf, this.at + BATCH.PRODUCER_ID); }
  get producerEpoch(): number { return this.buf.readInt16BE(this.at + BATCH.PRODUCER_EPOCH); }
  get baseSequence(): number { return this.buf.readInt32BE(this.at + BATCH.BASE_SEQUENCE); }
  get lastSequence(): number {
    const base = this.baseSequence;
    return base < 0 ? -1 : (base + this.lastOffsetDelta) % 2147483648;
  }
  get recordsCount(): number { return this.buf.readInt32BE(this.at + BATCH.RECORDS_COUNT); }
}
