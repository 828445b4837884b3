/**
 * One record inside a magic-2 batch (broker notes §3.3): a zigzag-varint length, then
 * attributes, timestampDelta, offsetDelta, key, value and headers.
 *
 * Decoded keys, values and header values are views (subarray) of the bytes they were read
 * from, never copies: a caller that keeps them beyond the life of that buffer copies them.
 * Integers are exact within ±2^53 (offsets and timestamps in practice).
 */
export interface Header {
  key: string;
  value: Buffer | null;
}

export interface RecordInput {
  key: Buffer | null;
  value: Buffer | null;
  headers?: Header[];
  /** Milliseconds since the epoch; defaults to the batch's `now`. */
  timestamp?: number;
}

export interface DecodedRecord {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Header[];
}

/** Record bytes that do not follow the layout. Kafka answers 87 INVALID_RECORD. */
export class InvalidRecordError extends Error {
  override readonly name = 'InvalidRecordError';
  readonly kafkaCode = 87;
}

const TWO_31 = 2147483648;
const NO_HEADERS: Header[] = [];

/** Bytes a zigzag varint/varlong of `v` takes. */
export function varintSize(v: number): number {
  let u = zigzag(v);
  let n = 1;
  while (u >= 128) {
    u = Math.floor(u / 128);
    n++;
  }
  return n;
}

function zigzag(v: number): number {
  if (v >= -1073741824 && v < 1073741824) return ((v << 1) ^ (v >> 31)) >>> 0;
  return v >= 0 ? v * 2 : -v * 2 - 1;
}

/** Writes `v` as a zigzag varint/varlong at `at`; returns the position after it. */
export function writeVarint(buf: Buffer, at: number, v: number): number {
  let u = zigzag(v);
  while (u >= TWO_31) {
    buf[at++] = (u % 128) | 0x80;
    u = Math.floor(u / 128);
  }
  while (u >= 128) {
    buf[at++] = (u & 0x7f) | 0x80;
    u >>>= 7;
  }
  buf[at++] = u;
  return at;
}

/** Size of a record's body (everything after its length prefix). */
export function recordBodySize(rec: RecordInput, timestampDelta: number, offsetDelta: number): number {
  let n = 1 + varintSize(timestampDelta) + varintSize(offsetDelta);
  n += rec.key === null ? 1 : varintSize(rec.key.length) + rec.key.length;
  n += rec.value === null ? 1 : varintSize(rec.value.length) + rec.value.length;
  const headers = rec.headers ?? NO_HEADERS;
  n += varintSize(headers.length);
  for (const h of headers) {
    const keyLen = Buffer.byteLength(h.key, 'utf8');
    n += varintSize(keyLen) + keyLen;
    n += h.value === null ? 1 : varintSize(h.value.length) + h.value.length;
  }
  return n;
}

/**
 * Writes the whole record (length prefix included) at `at`; `bodySize` is
 * `recordBodySize(rec, timestampDelta, offsetDelta)`. Returns the position after it.
 */
export function writeRecord(
  buf: Buffer, at: number, rec: RecordInput, timestampDelta: number, offsetDelta: number, bodySize: number,
): number {
  at = writeVarint(buf, at, bodySize);
  buf[at++] = 0;
  at = writeVarint(buf, at, timestampDelta);
  at = writeVarint(buf, at, offsetDelta);
  at = writeBytes(buf, at, rec.key);
  at = writeBytes(buf, at, rec.value);
  const headers = rec.headers ?? NO_HEADERS;
  at = writeVarint(buf, at, headers.length);
  for (const h of headers) {
    const keyLen = Buffer.byteLength(h.key, 'utf8');
    at = writeVarint(buf, at, keyLen);
    at += buf.write(h.key, at, keyLen, 'utf8');
    at = writeBytes(buf, at, h.value);
  }
  return at;
}

function writeBytes(buf: Buffer, at: number, bytes: Buffer | null): number {
  if (bytes === null) return writeVarint(buf, at, -1);
  at = writeVarint(buf, at, bytes.length);
  return at + bytes.copy(buf, at);
}

/** One record as standalone bytes (length prefix included). */
export function encodeRecord(rec: RecordInput, offsetDelta: number, timestampDelta: number): Buffer {
  const body = recordBodySize(rec, timestampDelta, offsetDelta);
  const buf = Buffer.allocUnsafe(varintSize(body) + body);
  writeRecord(buf, 0, rec, timestampDelta, offsetDelta, body);
  return buf;
}

/** Decodes the record at `at`; `next` is the position after it. */
export function decodeRecord(
  buf: Buffer, at: number, baseOffset: number, baseTimestamp: number,
): { record: DecodedRecord; next: number } {
  const r = new RecordReader(buf, at, buf.length);
  const record = r.record(baseOffset, baseTimestamp, -1);
  return { record, next: r.pos };
}

/**
 * Sequential reader over a records section. Every read is bounds-checked against `end` and
 * throws InvalidRecordError on overrun or on a record whose fields do not fill its length.
 */
export class RecordReader {
  /** Scalar fields of the record `skip` last passed over. */
  readonly scanned = { attributes: 0, timestampDelta: 0, offsetDelta: 0, hasKey: false };

  constructor(readonly buf: Buffer, public pos: number, readonly end: number) {}

  /**
   * Reads one record. `fixedTimestamp` ≥ 0 replaces every record timestamp (LogAppendTime
   * batches report maxTimestamp for all records).
   */
  record(baseOffset: number, baseTimestamp: number, fixedTimestamp: number): DecodedRecord {
    return this.recordInto({ offset: 0, timestamp: 0, key: null, value: null, headers: NO_HEADERS }, baseOffset, baseTimestamp, fixedTimestamp);
  }

  /**
   * Reads one record into `out` and returns it: a reader that copies the fields into objects of
   * its own can pass one scratch object for every record instead of allocating one per record.
   */
  recordInto(out: DecodedRecord, baseOffset: number, baseTimestamp: number, fixedTimestamp: number): DecodedRecord {
    const length = this.varint();
    const bodyStart = this.pos;
    const bodyEnd = bodyStart + length;
    if (length < 0 || bodyEnd > this.end) throw new InvalidRecordError(`record length ${length} overruns the batch`);
    this.take(1);
    const timestampDelta = this.varlong();
    const offsetDelta = this.varint();
    const key = this.bytes();
    const value = this.bytes();
    const headerCount = this.varint();
    if (headerCount < 0) throw new InvalidRecordError(`negative header count ${headerCount}`);
    let headers = NO_HEADERS;
    if (headerCount > 0) {
      if (headerCount > bodyEnd - this.pos) throw new InvalidRecordError(`header count ${headerCount} overruns the record`);
      headers = new Array<Header>(headerCount);
      for (let i = 0; i < headerCount; i++) {
        const keyLen = this.varint();
        if (keyLen < 0) throw new InvalidRecordError('null header key');
        const keyAt = this.take(keyLen);
        headers[i] = { key: this.buf.toString('utf8', keyAt, keyAt + keyLen), value: this.bytes() };
      }
    }
    if (this.pos !== bodyEnd) {
      throw new InvalidRecordError(`record length ${length} does not match its ${this.pos - bodyStart} bytes of fields`);
    }
    out.offset = baseOffset + offsetDelta;
    out.timestamp = fixedTimestamp >= 0 ? fixedTimestamp : baseTimestamp + timestampDelta;
    out.key = key;
    out.value = value;
    out.headers = headers;
    return out;
  }

  /**
   * Checks one record's structure without materialising it and leaves its scalar fields in
   * `scanned` (valid until the next call).
   */
  skip(): void {
    const length = this.varint();
    const bodyStart = this.pos;
    const bodyEnd = bodyStart + length;
    if (length < 0 || bodyEnd > this.end) throw new InvalidRecordError(`record length ${length} overruns the batch`);
    const s = this.scanned;
    s.attributes = this.buf[this.take(1)]!;
    s.timestampDelta = this.varlong();
    s.offsetDelta = this.varint();
    const keyLen = this.varint();
    s.hasKey = keyLen >= 0;
    if (keyLen > 0) this.take(keyLen);
    const valueLen = this.varint();
    if (valueLen > 0) this.take(valueLen);
    const headerCount = this.varint();
    if (headerCount < 0) throw new InvalidRecordError(`negative header count ${headerCount}`);
    for (let i = 0; i < headerCount; i++) {
      const hKeyLen = this.varint();
      if (hKeyLen < 0) throw new InvalidRecordError('null header key');
      this.take(hKeyLen);
      const hValueLen = this.varint();
      if (hValueLen > 0) this.take(hValueLen);
      if (this.pos > bodyEnd) break;
    }
    if (this.pos !== bodyEnd) {
      throw new InvalidRecordError(`record length ${length} does not match its ${this.pos - bodyStart} bytes of fields`);
    }
  }

  take(n: number): number {
    const at = this.pos;
    if (at + n > this.end) throw new InvalidRecordError(`record field of ${n} bytes overruns the batch`);
    this.pos = at + n;
    return at;
  }

  bytes(): Buffer | null {
    const len = this.varint();
    if (len < 0) return null;
    const at = this.take(len);
    return this.buf.subarray(at, at + len);
  }

  /** Zigzag varint, at most 5 bytes, 32-bit result. */
  varint(): number {
    const at = this.pos;
    if (at < this.end) {
      const b = this.buf[at]!;
      if (b < 0x80) {
        this.pos = at + 1;
        return (b >>> 1) ^ -(b & 1);
      }
    }
    return this.longVarint();
  }

  private longVarint(): number {
    const buf = this.buf;
    let at = this.pos;
    let raw = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (at >= this.end) throw new InvalidRecordError('varint runs past the end of the batch');
      const b = buf[at++]!;
      raw |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = at;
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw new InvalidRecordError('varint longer than 5 bytes');
  }

  /** Zigzag varlong, at most 10 bytes, exact within ±2^53. */
  varlong(): number {
    const at = this.pos;
    if (at < this.end) {
      const b = this.buf[at]!;
      if (b < 0x80) {
        this.pos = at + 1;
        return (b >>> 1) ^ -(b & 1);
      }
    }
    return this.longVarlong();
  }

  private longVarlong(): number {
    const buf = this.buf;
    let at = this.pos;
    let raw = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (at >= this.end) throw new InvalidRecordError('varlong runs past the end of the batch');
      const b = buf[at++]!;
      raw += (b & 0x7f) * scale;
      if (b < 0x80) {
        this.pos = at;
        return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
      }
      scale *= 128;
    }
    throw new InvalidRecordError('varlong longer than 10 bytes');
  }
}
