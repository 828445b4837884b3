/**
 * A file format of the S3 connectors: how one record's value (or key) becomes bytes in a file,
 * and how a whole file is split back into values for the S3 source. Formats are line-like:
 * every record's bytes end with the format's terminator, so files can be streamed and
 * concatenated. Avro and Parquet (container formats with a header) will need a `begin` and
 * `end` hook added here.
 */
import type { Schema } from '../../sdk/data/schema.js';

export interface RecordFormat {
  /** The format's file extension with its dot, before any `.gz`. */
  readonly extension: string;
  /**
   * One record's bytes, terminator included; a string stands for its UTF-8 bytes (text formats
   * return strings, which the sink writes straight into its part buffer). Throws DataError when
   * the value cannot be written.
   */
  encode(value: unknown, schema: Schema | null): Buffer | string;
  /** The values of a whole (decompressed) file, in order. */
  decode(content: Buffer): unknown[];
}
