/**
 * A file format of the S3 connectors. Two shapes:
 *
 * - Line formats (JsonFormat, ByteArrayFormat): every record's bytes end with the format's
 *   terminator, so files are streamed record by record and concatenated (and gzip-compressed).
 * - Container formats (AvroFormat, ParquetFormat): a file holds records of one schema inside the
 *   format's own framing (a header, blocks or row groups, a footer) and its own codec. The sink
 *   prepares each record (throwing DataError for one it cannot write, before anything is
 *   buffered), opens a ContainerFile with the schema of a file's first record, adds the prepared
 *   records to it and ends it when the file is completed; a record with another schema first
 *   rotates the files (Confluent's schema.compatibility=NONE). Reading gives values with the
 *   Connect schema of the file's embedded writer schema.
 */
import type { Schema } from '../../sdk/data/schema.js';
import type { SchemaAndValue } from '../../sdk/data/schema-and-value.js';
import { joinedContent, type FileContent } from './file-lines.js';

/**
 * A record's bytes as they are, followed by the format's terminator: what a line format returns
 * when the record's text exists already (the bytes a value was read from, a byte array), so the
 * sink copies it once, into its part buffer. Neither is copied before that, nor changed after.
 */
export class TerminatedBytes {
  constructor(readonly bytes: Uint8Array, readonly terminator: Uint8Array) {}

  /** The bytes and the terminator in one Buffer. */
  joined(): Buffer {
    return Buffer.concat([this.bytes, this.terminator]);
  }
}

/** One record's bytes from a line format: a string stands for its UTF-8 bytes. */
export type EncodedLine = Buffer | string | TerminatedBytes;

export interface RecordFormat {
  /** The format's file extension with its dot, before any `.gz`. */
  readonly extension: string;
  /**
   * One record's bytes, terminator included; a string stands for its UTF-8 bytes (text formats
   * return strings, which the sink writes straight into its part buffer). Throws DataError when
   * the value cannot be written.
   */
  encode(value: unknown, schema: Schema | null): EncodedLine;
  /** The values of a whole (decompressed) file, in order: one Buffer, or the chunks it came in. */
  decode(content: FileContent): unknown[];
  /**
   * `decode`, with the same checks and errors up front, but each value built only when asked
   * for: a reader that hands values out a few at a time then holds a few, not the whole file's
   * (a ~10 MB file of values kept alive at once makes the garbage collector copy all of it).
   */
  decodeLazily?(content: FileContent): LazyValues;
}

/** One record made ready for a container file: what the file buffers, and about how many bytes it holds. */
export interface PreparedRecord {
  readonly schema: Schema;
  readonly bytes: number;
}

export interface ContainerFormat {
  readonly container: true;
  /** The file extension with its dot, codec included where the format names it (`.snappy.parquet`). */
  readonly extension: string;
  /** Checks and converts one record; throws DataError when it cannot be written (no schema, a value that does not fit). */
  prepare(value: unknown, schema: Schema | null): PreparedRecord;
  /** A new file for records of `schema`. */
  open(schema: Schema): ContainerFile;
  /** The records of a whole file with their Connect schema, in order; `what` names the file in errors. */
  decodeRecords(content: Buffer, what?: string): SchemaAndValue[] | Promise<SchemaAndValue[]>;
}

/**
 * One container file being written. `add` and `end` return the bytes ready to be uploaded, in
 * order; what the file still holds back (an unfinished block or row group) is `bufferedBytes`.
 */
export interface ContainerFile {
  add(record: PreparedRecord): Buffer | null;
  end(): Buffer;
  readonly bufferedBytes: number;
}

export type FileFormat = RecordFormat | ContainerFormat;

export function isContainerFormat(format: FileFormat): format is ContainerFormat {
  return 'container' in format && format.container;
}

/** A file's values, each built when asked for; `value(i)` is asked once per index. */
export interface LazyValues {
  readonly length: number;
  value(index: number): unknown;
}

/** The values of a file of any format, with their schemas where the file has them (built when asked for where the format can). */
export interface DecodedFile extends LazyValues {
  schema(index: number): Schema | null;
}

export async function decodeFile(format: FileFormat, content: FileContent, what: string): Promise<DecodedFile> {
  if (isContainerFormat(format)) {
    const records = await format.decodeRecords(joinedContent(content), what);
    return { length: records.length, value: (i) => records[i]!.value, schema: (i) => records[i]!.schema };
  }
  const values = format.decodeLazily?.(content) ?? eager(format.decode(content));
  return { length: values.length, value: (i) => values.value(i), schema: () => null };
}

function eager(values: unknown[]): LazyValues {
  return { length: values.length, value: (i) => values[i] };
}
