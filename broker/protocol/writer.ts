/**
 * Growable big-endian writer with Kafka's primitive encodings.
 *
 * Large byte fields (record data in Fetch responses) are not copied: `attach` closes the
 * current scratch slice and appends the caller's Buffer as its own chunk, so a response is a
 * list of Buffers that the connection hands to the socket in one writev. Attached buffers
 * must not be mutated until the response is written.
 */
import { ProtocolError } from './protocol-error.js';

const TWO_32 = 4294967296;
const ATTACH_THRESHOLD = 1024;

export class Writer {
  private buf: Buffer;
  private pos = 0;
  private chunkStart = 0;
  private readonly chunks: Buffer[] = [];
  private chunkedLength = 0;

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** Total bytes written so far, attached chunks included. */
  get length(): number {
    return this.chunkedLength + (this.pos - this.chunkStart);
  }

  private ensure(n: number): number {
    const at = this.pos;
    if (at + n > this.buf.length) {
      const pending = this.buf.subarray(this.chunkStart, at);
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, pending.length + n + 256));
      pending.copy(next, 0);
      this.buf = next;
      this.chunkStart = 0;
      this.pos = pending.length;
      this.pos += n;
      return pending.length;
    }
    this.pos = at + n;
    return at;
  }

  int8(v: number): this {
    const at = this.ensure(1);
    this.buf.writeInt8(v, at);
    return this;
  }

  uint8(v: number): this {
    const at = this.ensure(1);
    this.buf[at] = v;
    return this;
  }

  bool(v: boolean): this {
    return this.uint8(v ? 1 : 0);
  }

  int16(v: number): this {
    const at = this.ensure(2);
    this.buf.writeInt16BE(v, at);
    return this;
  }

  uint16(v: number): this {
    const at = this.ensure(2);
    this.buf.writeUInt16BE(v, at);
    return this;
  }

  int32(v: number): this {
    const at = this.ensure(4);
    this.buf.writeInt32BE(v, at);
    return this;
  }

  uint32(v: number): this {
    const at = this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, at);
    return this;
  }

  int64(v: number | bigint): this {
    const at = this.ensure(8);
    if (typeof v === 'bigint' || !Number.isSafeInteger(v)) {
      const big = BigInt.asIntN(64, typeof v === 'bigint' ? v : clampToInt64(v));
      this.buf.writeBigInt64BE(big, at);
      return this;
    }
    const hi = Math.floor(v / TWO_32);
    this.buf.writeInt32BE(hi, at);
    this.buf.writeUInt32BE(v - hi * TWO_32, at + 4);
    return this;
  }

  float64(v: number): this {
    const at = this.ensure(8);
    this.buf.writeDoubleBE(v, at);
    return this;
  }

  uvarint(v: number): this {
    if (v < 0) throw new ProtocolError(`negative unsigned varint ${v}`);
    while (v >= 0x80) {
      this.uint8((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    return this.uint8(v);
  }

  /** Zigzag signed varint or varlong (record fields); exact within ±2^53. */
  varint(v: number): this {
    return this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  raw(bytes: Buffer): this {
    if (bytes.length >= ATTACH_THRESHOLD) return this.attach(bytes);
    const at = this.ensure(bytes.length);
    bytes.copy(this.buf, at);
    return this;
  }

  /** Appends `bytes` as its own chunk without copying. */
  attach(bytes: Buffer): this {
    const pending = this.buf.subarray(this.chunkStart, this.pos);
    if (pending.length > 0) {
      this.chunks.push(pending);
      this.chunkedLength += pending.length;
    }
    this.chunks.push(bytes);
    this.chunkedLength += bytes.length;
    this.chunkStart = this.pos;
    return this;
  }

  string(v: string): this {
    const len = Buffer.byteLength(v);
    if (len > 0x7fff) throw new ProtocolError('string longer than 32767 bytes');
    this.int16(len);
    const at = this.ensure(len);
    this.buf.write(v, at, len, 'utf8');
    return this;
  }

  nullableString(v: string | null | undefined): this {
    return v == null ? this.int16(-1) : this.string(v);
  }

  compactString(v: string): this {
    const len = Buffer.byteLength(v);
    this.uvarint(len + 1);
    const at = this.ensure(len);
    this.buf.write(v, at, len, 'utf8');
    return this;
  }

  compactNullableString(v: string | null | undefined): this {
    return v == null ? this.uvarint(0) : this.compactString(v);
  }

  bytes(v: Buffer): this {
    this.int32(v.length);
    return this.raw(v);
  }

  nullableBytes(v: Buffer | null | undefined): this {
    return v == null ? this.int32(-1) : this.bytes(v);
  }

  compactBytes(v: Buffer): this {
    this.uvarint(v.length + 1);
    return this.raw(v);
  }

  compactNullableBytes(v: Buffer | null | undefined): this {
    return v == null ? this.uvarint(0) : this.compactBytes(v);
  }

  uuid(v: string): this {
    const bytes = Buffer.from(v, 'base64url');
    if (bytes.length !== 16) throw new ProtocolError(`uuid must be 16 bytes, got ${bytes.length}`);
    return this.raw(bytes);
  }

  arrayLength(n: number | null, compact: boolean): this {
    if (compact) return this.uvarint(n === null ? 0 : n + 1);
    return this.int32(n === null ? -1 : n);
  }

  /** Overwrites an int32 at an absolute position of the scratch buffer (for size prefixes). */
  patchInt32(position: number, v: number): this {
    if (this.chunks.length > 0) throw new ProtocolError('cannot patch after attaching chunks');
    this.buf.writeInt32BE(v, position);
    return this;
  }

  /** The written bytes as a list of Buffers, in order. */
  toChunks(): Buffer[] {
    const tail = this.buf.subarray(this.chunkStart, this.pos);
    if (this.chunks.length === 0) return [tail];
    return tail.length > 0 ? [...this.chunks, tail] : [...this.chunks];
  }

  /** The written bytes as one Buffer (copies when chunks were attached). */
  toBuffer(): Buffer {
    const chunks = this.toChunks();
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }
}

function clampToInt64(v: number): bigint {
  if (v >= 2 ** 63) return 9223372036854775807n;
  if (v <= -(2 ** 63)) return -9223372036854775808n;
  return BigInt(Math.trunc(v));
}
