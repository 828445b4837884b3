/**
 * Confluent's AvroFormat: one Avro object container file per S3 object (`.avro`), its schema the
 * Avro schema Confluent's AvroData derives from the records' Connect schema (the same text the
 * AvroConverter registers), its blocks compressed by `avro.codec`. Records without a Connect
 * schema cannot be written (DataError, so error tolerance and the dead-letter topic apply), as
 * with Confluent's format. Reading decodes every block with the file's embedded writer schema
 * into Connect values with that schema.
 */
import type { AvroData } from '../../sdk/data/avro/index.js';
import type { Schema } from '../../sdk/data/schema.js';
import { SchemaAndValue } from '../../sdk/data/schema-and-value.js';
import { DataError } from '../../sdk/errors.js';
import type { AvroCodec } from './avro-codec.js';
import { AvroContainerWriter, readAvroContainer } from './avro-container.js';
import type { ContainerFile, ContainerFormat, PreparedRecord } from './record-format.js';

interface PreparedAvro extends PreparedRecord {
  readonly binary: Buffer;
}

export class AvroFormat implements ContainerFormat {
  readonly container = true;
  readonly extension = '.avro';
  readonly #data: AvroData;
  readonly #codec: AvroCodec;

  constructor(data: AvroData, codec: AvroCodec) {
    this.#data = data;
    this.#codec = codec;
  }

  prepare(value: unknown, schema: Schema | null): PreparedAvro {
    const writer = this.#data.writerFor(requireSchema(schema, 'AvroFormat'));
    let binary: Buffer;
    try {
      binary = writer.type.toBuffer(writer.datumOf(value));
    } catch (err) {
      if (err instanceof DataError) throw err;
      throw new DataError(`Cannot write the value as Avro: ${(err as Error).message}`, { cause: err });
    }
    return { schema: writer.connectSchema, bytes: binary.length, binary };
  }

  open(schema: Schema): ContainerFile {
    const container = new AvroContainerWriter(this.#data.writerFor(schema).text, this.#codec);
    return {
      add: (record) => container.add((record as PreparedAvro).binary),
      end: () => container.end(),
      get bufferedBytes() {
        return container.bufferedBytes;
      },
    };
  }

  decodeRecords(content: Buffer, what = 'The Avro file'): SchemaAndValue[] {
    const file = readAvroContainer(content, what);
    const reader = this.#data.readerFor(file.schemaText);
    const out: SchemaAndValue[] = [];
    for (const block of file.blocks) {
      let pos = 0;
      for (let i = 0; i < block.count; i++) {
        const decoded = reader.type.decode(block.data, pos);
        if (decoded.offset < 0) throw new DataError(`${what}: a block holds fewer records than it says; the file is damaged`);
        out.push(new SchemaAndValue(reader.connectSchema, reader.valueOf(decoded.value)));
        pos = decoded.offset;
      }
    }
    return out;
  }
}

/** The record's Connect schema; DataError naming the format when it has none. */
export function requireSchema(schema: Schema | null, format: string): Schema {
  if (schema === null) {
    throw new DataError(`${format} writes records with a schema, and this one has none; use a converter that gives schemas `
      + '(e.g. AvroConverter, or JsonConverter with schemas.enable=true)');
  }
  return schema;
}
