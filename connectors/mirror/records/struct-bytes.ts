/**
 * The primitives of Kafka's protocol `Struct` serialization that MirrorMaker's records use:
 * INT16/INT32/INT64 big-endian two's complement and non-nullable STRING (INT16 byte length, then
 * UTF-8). Heartbeats, checkpoints and offset syncs are sequences of these, so a writer sizes its
 * buffer once and a reader checks every read against the bytes left.
 *
 * Rules: INT64 values must be safe integers (offsets and timestamps are, up to 2^53); a reader
 * throws a RecordFormatError naming the record and field on a short read, a negative string
 * length or an INT64 beyond 2^53. Bytes after the last field are ignored, as Kafka's readers do.
 */

/** Raised when bytes do not decode as the record they were read as. */
export class RecordFormatError extends Error {
  override readonly name = 'RecordFormatError';
}

export type FieldValue = { readonly type: 'int16' | 'int32' | 'int64'; readonly value: number } | { readonly type: 'string'; readonly value: string };

const WIDTH = { int16: 2, int32: 4, int64: 8 } as const;
const MAX_STRING_BYTES = 0x7fff;

/** Serializes fields in order into one buffer. */
export function writeStruct(record: string, fields: readonly (readonly [name: string, field: FieldValue])[]): Buffer {
  const strings = fields.map(([name, f]) => (f.type === 'string' ? encodedString(record, name, f.value) : null));
  const size = fields.reduce((n, [, f], i) => n + (f.type === 'string' ? 2 + strings[i]!.length : WIDTH[f.type]), 0);
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  fields.forEach(([name, f], i) => {
    switch (f.type) {
      case 'int16': at = out.writeInt16BE(checkedInt(record, name, f.value, 2 ** 15), at); break;
      case 'int32': at = out.writeInt32BE(checkedInt(record, name, f.value, 2 ** 31), at); break;
      case 'int64': at = out.writeBigInt64BE(BigInt(checkedInt(record, name, f.value, Number.MAX_SAFE_INTEGER + 1)), at); break;
      case 'string': {
        const bytes = strings[i]!;
        at = out.writeInt16BE(bytes.length, at);
        at += bytes.copy(out, at);
        break;
      }
    }
  });
  return out;
}

function encodedString(record: string, name: string, value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > MAX_STRING_BYTES) throw new RecordFormatError(`${record} ${name} is ${bytes.length} bytes of UTF-8; at most ${MAX_STRING_BYTES} fit`);
  return bytes;
}

function checkedInt(record: string, name: string, value: number, limit: number): number {
  if (!Number.isInteger(value) || value < -limit || value >= limit) throw new RecordFormatError(`${record} ${name} ${value} is not an integer in [${-limit}, ${limit})`);
  return value;
}

/** Reads fields in order from `bytes`, naming the record and field in every error. */
export class StructReader {
  readonly #bytes: Buffer;
  readonly #record: string;
  #at = 0;

  constructor(record: string, bytes: Buffer) {
    this.#record = record;
    this.#bytes = bytes;
  }

  int16(name: string): number {
    this.#need(name, 2);
    const v = this.#bytes.readInt16BE(this.#at);
    this.#at += 2;
    return v;
  }

  int32(name: string): number {
    this.#need(name, 4);
    const v = this.#bytes.readInt32BE(this.#at);
    this.#at += 4;
    return v;
  }

  int64(name: string): number {
    this.#need(name, 8);
    const v = this.#bytes.readBigInt64BE(this.#at);
    this.#at += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new RecordFormatError(`${this.#record} ${name} ${v} is beyond 2^53 and cannot be held exactly`);
    }
    return Number(v);
  }

  string(name: string): string {
    const length = this.int16(`${name} length`);
    if (length < 0) throw new RecordFormatError(`${this.#record} ${name} has length ${length}; the field is not nullable`);
    this.#need(name, length);
    const v = this.#bytes.toString('utf8', this.#at, this.#at + length);
    this.#at += length;
    return v;
  }

  #need(name: string, width: number): void {
    const left = this.#bytes.length - this.#at;
    if (left < width) {
      throw new RecordFormatError(`${this.#record} is truncated: ${name} needs ${width} bytes at offset ${this.#at}, ${left} left of ${this.#bytes.length}`);
    }
  }
}

export const int16 = (value: number): FieldValue => ({ type: 'int16', value });
export const int32 = (value: number): FieldValue => ({ type: 'int32', value });
export const int64 = (value: number): FieldValue => ({ type: 'int64', value });
export const str = (value: string): FieldValue => ({ type: 'string', value });

/** Reads the INT16 version header of a versioned value and refuses versions other than 0. */
export function readVersion0(record: string, value: Buffer): StructReader {
  const reader = new StructReader(`${record} value`, value);
  const version = reader.int16('version');
  if (version !== 0) throw new RecordFormatError(`${record} value has version ${version}; only version 0 is known`);
  return reader;
}
