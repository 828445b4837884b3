/**
 * Avro object container files (Avro specification, "Object Container Files"), written block by
 * block so a file streams into S3 parts with bounded memory:
 *
 *   "Obj" 0x01 | metadata map<bytes> {avro.schema, avro.codec} | 16-byte sync marker
 *   then blocks: record count (long) | byte length (long) | records, compressed by the codec | sync marker
 *
 * Records are gathered into a block until it holds SYNC_INTERVAL bytes (Java's DataFileWriter
 * default), then the block is compressed and handed out; only the unfinished block stays in
 * memory. Longs are Avro's zig-zag varints. The reader checks the magic and every sync marker.
 */
import { randomBytes } from 'node:crypto';
import { DataError } from '../../sdk/errors.js';
import { avroCodec, type AvroCodec } from './avro-codec.js';

const MAGIC = Buffer.from([0x4f, 0x62, 0x6a, 0x01]);
const SYNC_SIZE = 16;
/** Bytes of records after which a block is written (Java's DataFileWriter default sync interval). */
export const SYNC_INTERVAL = 64_000;

export class AvroContainerWriter {
  readonly #codec: AvroCodec;
  readonly #sync = randomBytes(SYNC_SIZE);
  #header: Buffer | null;
  #records: Buffer[] = [];
  #recordBytes = 0;

  constructor(schemaText: string, codec: AvroCodec) {
    this.#codec = codec;
    this.#header = Buffer.concat([
      MAGIC,
      encodeLong(2),
      avroString('avro.schema'), avroBytes(Buffer.from(schemaText)),
      avroString('avro.codec'), avroBytes(Buffer.from(codec.name)),
      encodeLong(0),
      this.#sync,
    ]);
  }

  get bufferedBytes(): number {
    return this.#recordBytes;
  }

  /** Adds one record's Avro binary; returns the bytes to write when a block is complete (with the header first). */
  add(record: Buffer): Buffer | null {
    this.#records.push(record);
    this.#recordBytes += record.length;
    return this.#recordBytes >= SYNC_INTERVAL ? this.#flush() : null;
  }

  /** The rest of the file: the header if nothing was handed out yet, and the last block. */
  end(): Buffer {
    return this.#flush() ?? Buffer.alloc(0);
  }

  #flush(): Buffer | null {
    const out: Buffer[] = [];
    if (this.#header !== null) out.push(this.#header);
    this.#header = null;
    if (this.#records.length > 0) {
      const block = this.#codec.compress(Buffer.concat(this.#records, this.#recordBytes));
      out.push(encodeLong(this.#records.length), encodeLong(block.length), block, this.#sync);
      this.#records = [];
      this.#recordBytes = 0;
    }
    return out.length === 0 ? null : Buffer.concat(out);
  }
}

export interface AvroContainer {
  readonly schemaText: string;
  readonly codec: string;
  /** Every block's (decompressed) records, with how many each holds. */
  readonly blocks: { readonly count: number; readonly data: Buffer }[];
}

/** Splits a whole container file into its writer schema and decompressed blocks; DataError when it is not one. */
export function readAvroContainer(content: Buffer, what: string): AvroContainer {
  if (content.length < MAGIC.length + SYNC_SIZE || !content.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new DataError(`${what} is not an Avro object container file (no "Obj\\x01" magic)`);
  }
  const cursor = { pos: MAGIC.length };
  const metadata = new Map<string, Buffer>();
  for (;;) {
    let count = readLong(content, cursor, what);
    if (count === 0) break;
    if (count < 0) {
      count = -count;
      readLong(content, cursor, what);
    }
    for (let i = 0; i < count; i++) {
      const key = readBytes(content, cursor, what).toString('utf8');
      metadata.set(key, readBytes(content, cursor, what));
    }
  }
  const sync = take(content, cursor, SYNC_SIZE, what);
  const schema = metadata.get('avro.schema');
  if (schema === undefined) throw new DataError(`${what} has no avro.schema in its header`);
  const codecName = metadata.get('avro.codec')?.toString('utf8') ?? 'null';
  const codec = avroCodec(codecName);
  const blocks: { count: number; data: Buffer }[] = [];
  while (cursor.pos < content.length) {
    const count = readLong(content, cursor, what);
    const size = readLong(content, cursor, what);
    const data = codec.decompress(take(content, cursor, size, what));
    if (!take(content, cursor, SYNC_SIZE, what).equals(sync)) throw new DataError(`${what}: a block does not end with the file's sync marker; the file is damaged`);
    blocks.push({ count, data });
  }
  return { schemaText: schema.toString('utf8'), codec: codecName, blocks };
}

function encodeLong(value: number): Buffer {
  let n = BigInt(value);
  n = n >= 0n ? n << 1n : ((-n) << 1n) - 1n;
  const bytes: number[] = [];
  do {
    let byte = Number(n & 0x7fn);
    n >>= 7n;
    if (n > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0n);
  return Buffer.from(bytes);
}

const avroBytes = (bytes: Buffer) => Buffer.concat([encodeLong(bytes.length), bytes]);
const avroString = (text: string) => avroBytes(Buffer.from(text));

function readLong(content: Buffer, cursor: { pos: number }, what: string): number {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (cursor.pos >= content.length || shift > 63n) throw new DataError(`${what} ends inside an Avro long; the file is truncated or damaged`);
    const byte = content[cursor.pos++]!;
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) break;
    shift += 7n;
  }
  const value = (result & 1n) === 0n ? result >> 1n : -((result + 1n) >> 1n);
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) throw new DataError(`${what} holds an Avro length out of range`);
  return Number(value);
}

function readBytes(content: Buffer, cursor: { pos: number }, what: string): Buffer {
  return take(content, cursor, readLong(content, cursor, what), what);
}

function take(content: Buffer, cursor: { pos: number }, size: number, what: string): Buffer {
  if (size < 0 || cursor.pos + size > content.length) throw new DataError(`${what} is truncated or damaged (a length points past its end)`);
  const out = content.subarray(cursor.pos, cursor.pos + size);
  cursor.pos += size;
  return out;
}
