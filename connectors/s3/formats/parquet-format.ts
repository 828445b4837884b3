/**
 * Confluent's ParquetFormat: one Parquet file per S3 object, written by hyparquet-writer from
 * the records' Connect schema mapped to Avro by AvroData and from Avro to Parquet as
 * parquet-avro maps it (parquet-avro-mapping.ts); the Avro schema text is kept in the footer
 * under `parquet.avro.schema`, as parquet-avro does. Extension `<codec>.parquet`
 * (`.snappy.parquet`, `.gz.parquet`, `.br.parquet`, `.parquet` uncompressed), as Confluent names it.
 *
 * Memory: Parquet writes a file as row groups, each a column-by-column copy of its rows, so the
 * rows of one row group stay in memory (counted in the task's budget as `bufferedBytes`, an
 * estimate of their data) until it holds `rowGroupBytes`; then the row group is encoded and its
 * bytes go to the S3 part buffer. Only the footer waits for the end of the file.
 *
 * Only records whose schema is a Struct can be rows; anything else (and a record without a
 * schema) is a DataError. Reading uses hyparquet with leaf annotations other than UTF8 stripped, so
 * values come back physical (decimals exact) and are mapped through the footer's Avro schema.
 */
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { parquetMetadata, parquetReadObjects, type FileMetaData, type SchemaElement } from 'hyparquet';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { AvroData} from '../../sdk/data/avro/index.js';
import { parseAvroSchema, type AvroSchema } from '../../sdk/data/avro/index.js';
import type { AvroRecord } from '../../sdk/data/avro/avro-schema.js';
import type { Schema } from '../../sdk/data/schema.js';
import { SchemaAndValue } from '../../sdk/data/schema-and-value.js';
import { ConnectError, DataError } from '../../sdk/errors.js';
import { requireSchema } from './avro-format.js';
import { avroDatumOf, parquetRowOf, parquetSchemaOf } from './parquet-avro-mapping.js';
import type { ContainerFile, ContainerFormat, PreparedRecord } from './record-format.js';

export const PARQUET_AVRO_SCHEMA_KEY = 'parquet.avro.schema';

/** `parquet.codec` values ferry writes → the Parquet codec and Confluent's file extension. */
export const PARQUET_CODECS = {
  none: { codec: 'UNCOMPRESSED', extension: '.parquet' },
  snappy: { codec: 'SNAPPY', extension: '.snappy.parquet' },
  gzip: { codec: 'GZIP', extension: '.gz.parquet' },
  brotli: { codec: 'BROTLI', extension: '.br.parquet' },
} as const;
export type ParquetCodecName = keyof typeof PARQUET_CODECS;
export const PARQUET_CODEC_NAMES = ['none', 'snappy', 'gzip', 'brotli'] as const satisfies readonly ParquetCodecName[];

const COMPRESSORS = {
  GZIP: (input: Uint8Array) => gzipSync(input),
  BROTLI: (input: Uint8Array) => brotliCompressSync(input),
};
const DECOMPRESSORS = {
  GZIP: (input: Uint8Array) => gunzipSync(input),
  BROTLI: (input: Uint8Array) => brotliDecompressSync(input),
};

interface PreparedRow extends PreparedRecord {
  readonly row: Record<string, unknown>;
}

export class ParquetFormat implements ContainerFormat {
  readonly container = true;
  readonly extension: string;
  readonly #data: AvroData;
  readonly #codec: ParquetCodecName;
  readonly #rowGroupBytes: number;
  /** The Parquet schema of each Avro schema, made when its first record is prepared (so a schema without one fails that record). */
  readonly #parquetSchemas = new WeakMap<AvroSchema, SchemaElement[]>();

  constructor(data: AvroData, codec: ParquetCodecName, rowGroupBytes: number) {
    this.#data = data;
    this.#codec = codec;
    this.#rowGroupBytes = rowGroupBytes;
    this.extension = PARQUET_CODECS[codec].extension;
  }

  prepare(value: unknown, schema: Schema | null): PreparedRow {
    const writer = this.#data.writerFor(requireSchema(schema, 'ParquetFormat'));
    const record = rowRecord(writer.avroSchema);
    if (!this.#parquetSchemas.has(record)) this.#parquetSchemas.set(record, parquetSchemaOf(record));
    const datum = writer.datumOf(value) as Record<string, unknown> | null;
    if (datum === null) throw new DataError('ParquetFormat cannot write a null value as a row');
    const unwrapped = writer.avroSchema.type === 'union' ? Object.values(datum)[0] as Record<string, unknown> : datum;
    const { row, bytes } = parquetRowOf(record, unwrapped);
    return { schema: writer.connectSchema, bytes, row };
  }

  open(schema: Schema): ContainerFile {
    const avro = this.#data.writerFor(schema);
    const record = rowRecord(avro.avroSchema);
    const parquetSchema = this.#parquetSchemas.get(record) ?? parquetSchemaOf(record);
    return new ParquetFile(record, parquetSchema, avro.text, PARQUET_CODECS[this.#codec].codec, this.#rowGroupBytes);
  }

  async decodeRecords(content: Buffer, what = 'The Parquet file'): Promise<SchemaAndValue[]> {
    const bytes = content.buffer.slice(content.byteOffset, content.byteOffset + content.length) as ArrayBuffer;
    let metadata: FileMetaData;
    try {
      metadata = parquetMetadata(bytes);
    } catch (err) {
      throw new DataError(`${what} is not a Parquet file: ${(err as Error).message}`, { cause: err });
    }
    const text = metadata.key_value_metadata?.find((kv) => kv.key === PARQUET_AVRO_SCHEMA_KEY)?.value;
    if (text === undefined) throw new DataError(`${what} has no ${PARQUET_AVRO_SCHEMA_KEY} in its footer; ferry restores Parquet files written with an Avro schema`);
    const reader = this.#data.readerFor(text);
    const record = rowRecord(parseAvroSchema(text));
    // Physical values for dates, times, timestamps and decimals (hyparquet would make Dates and lossy numbers); strings stay strings.
    const schema = metadata.schema.map((e) => (e.type === undefined || e.converted_type === 'UTF8' ? e : { ...e, converted_type: undefined, logical_type: undefined }));
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file: bytes, metadata: { ...metadata, schema }, utf8: false, compressors: DECOMPRESSORS });
    } catch (err) {
      throw new DataError(`${what} cannot be read: ${(err as Error).message}`, { cause: err });
    }
    return rows.map((row) => {
      const datum = avroDatumOf(record, row);
      return new SchemaAndValue(reader.connectSchema, reader.valueOf(reader.avroSchema.type === 'union' ? { [record.namespace ? `${record.namespace}.${record.name}` : record.name]: datum } : datum));
    });
  }
}

/** The record a Parquet row is: the Avro schema itself, or the record of an optional one. */
function rowRecord(schema: AvroSchema): AvroRecord {
  const record = schema.type === 'union' ? schema.branches.find((b) => b.type !== 'null') : schema;
  if (record?.type !== 'record' || (schema.type === 'union' && schema.branches.length !== 2)) {
    throw new DataError('ParquetFormat writes Struct values only (a Parquet row is a record of columns)');
  }
  return record;
}

function holdsBoolean(schema: AvroSchema, seen = new Set<AvroSchema>()): boolean {
  if (seen.has(schema)) return false;
  seen.add(schema);
  switch (schema.type) {
    case 'boolean': return true;
    case 'union': return schema.branches.some((b) => holdsBoolean(b, seen));
    case 'array': return holdsBoolean(schema.items, seen);
    case 'map': return holdsBoolean(schema.values, seen);
    case 'record': return schema.fields.some((f) => holdsBoolean(f.type, seen));
    default: return false;
  }
}

/**
 * Hands out what hyparquet-writer wrote since the last drain (file offsets stay absolute) and
 * lets go of its grown buffer, so an idle open file keeps no encoded row group in memory.
 */
class DrainingWriter extends ByteWriter {
  drain(): Buffer {
    const out = Buffer.from(this.getBytes());
    this.buffer = new ArrayBuffer(1024);
    this.view = new DataView(this.buffer);
    this.index = 0;
    return out;
  }
}

class ParquetFile implements ContainerFile {
  readonly #record: AvroRecord;
  readonly #writer = new DrainingWriter();
  readonly #parquet: ParquetWriter;
  readonly #rowGroupBytes: number;
  #rows: Record<string, unknown>[] = [];
  #bytes = 0;

  constructor(record: AvroRecord, schema: SchemaElement[], avroText: string, codec: 'UNCOMPRESSED' | 'SNAPPY' | 'GZIP' | 'BROTLI', rowGroupBytes: number) {
    this.#record = record;
    this.#rowGroupBytes = rowGroupBytes;
    this.#parquet = new ParquetWriter({
      writer: this.#writer, schema, codec, compressors: COMPRESSORS, createdBy: 'ferry',
      kvMetadata: [{ key: PARQUET_AVRO_SCHEMA_KEY, value: avroText }, { key: 'writer.model.name', value: 'avro' }],
    });
  }

  get bufferedBytes(): number {
    return this.#bytes + this.#writer.index;
  }

  add(record: PreparedRecord): Buffer | null {
    this.#rows.push((record as PreparedRow).row);
    this.#bytes += record.bytes;
    if (this.#bytes < this.#rowGroupBytes) return null;
    this.#writeRowGroup();
    return this.#writer.drain();
  }

  end(): Buffer {
    this.#writeRowGroup();
    void this.#parquet.finish();
    return this.#writer.drain();
  }

  #writeRowGroup(): void {
    if (this.#rows.length === 0) return;
    const rows = this.#rows;
    this.#rows = [];
    this.#bytes = 0;
    try {
      void this.#parquet.write({
        columnData: this.#record.fields.map((f) => ({
          name: f.name, data: rows.map((r) => r[f.name]),
          // PLAIN booleans, as parquet-mr writes them: hyparquet-writer's RLE booleans are valid but not every reader
          // takes them. The encoding applies to every leaf of a column, so a struct holding a boolean is all PLAIN.
          ...(holdsBoolean(f.type) ? { encoding: 'PLAIN' as const } : {}),
        })),
        rowGroupSize: rows.length,
      });
    } catch (err) {
      throw new ConnectError(`Cannot write a Parquet row group: ${(err as Error).message}`, { cause: err });
    }
  }
}
