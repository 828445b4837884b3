/**
 * A cursor over a binlog event's bytes. Every read checks the remaining length and throws a
 * `BinlogFormatError` naming what was being read, so a truncated or misparsed event reports
 * where it went wrong instead of yielding garbage.
 */

export class BinlogFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BinlogFormatError';
  }
}

export class ByteReader {
  pos: number;
  readonly end: number;

  constructor(readonly buf: Buffer, start = 0, end = buf.length) {
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, what: string): number {
    if (n < 0 || this.pos + n > this.end) {
      throw new BinlogFormatError(`truncated binlog data reading ${what}: need ${n} bytes at offset ${this.pos}, ${this.end - this.pos} left`);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(what = 'u8'): number { return this.buf[this.need(1, what)]!; }
  u16(what = 'u16'): number { return this.buf.readUInt16LE(this.need(2, what)); }
  u24(what = 'u24'): number { return this.buf.readUIntLE(this.need(3, what), 3); }
  u32(what = 'u32'): number { return this.buf.readUInt32LE(this.need(4, what)); }
  /** Unsigned little-endian integer of 1..6 bytes as a number. */
  uintLE(n: number, what = 'int'): number { return n === 0 ? 0 : this.buf.readUIntLE(this.need(n, what), n); }
  u48(what = 'u48'): bigint { return BigInt(this.buf.readUIntLE(this.need(6, what), 6)); }
  u64(what = 'u64'): bigint { return this.buf.readBigUInt64LE(this.need(8, what)); }
  skip(n: number, what = 'bytes'): void { this.need(n, what); }
  bytes(n: number, what = 'bytes'): Buffer { const at = this.need(n, what); return this.buf.subarray(at, at + n); }
  rest(): Buffer { return this.bytes(this.remaining); }

  /** MySQL length-encoded integer (0xfb is NULL in result sets; not valid here). */
  lenenc(what = 'length-encoded integer'): number {
    const first = this.u8(what);
    if (first < 0xfb) return first;
    if (first === 0xfc) return this.u16(what);
    if (first === 0xfd) return this.u24(what);
    if (first === 0xfe) {
      const v = this.u64(what);
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new BinlogFormatError(`${what} too large: ${v}`);
      return Number(v);
    }
    throw new BinlogFormatError(`invalid length-encoded integer prefix 0x${first.toString(16)} reading ${what}`);
  }

  lenencBig(what = 'length-encoded integer'): bigint {
    const first = this.buf[this.pos];
    if (first === 0xfe) { this.pos += 1; return this.u64(what); }
    return BigInt(this.lenenc(what));
  }

  /** A NUL-terminated string (the NUL is consumed). */
  cstring(what = 'string'): string {
    const zero = this.buf.indexOf(0, this.pos);
    if (zero < 0 || zero >= this.end) throw new BinlogFormatError(`unterminated ${what} at offset ${this.pos}`);
    const s = this.buf.toString('utf8', this.pos, zero);
    this.pos = zero + 1;
    return s;
  }

  utf8(n: number, what = 'string'): string {
    const at = this.need(n, what);
    return this.buf.toString('utf8', at, at + n);
  }
}
