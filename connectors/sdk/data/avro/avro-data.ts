/**
 * Connect data ↔ Avro (Confluent's AvroData): the entry point for converters and file formats.
 *
 *   const data = new AvroData(settings);
 *   const writer = data.writerFor(connectSchema);   // writer.text: the schema text to register
 *   const bytes = writer.encode(value);             // Avro binary, no framing
 *   const reader = data.readerFor(text, version);   // writer schema text from the registry
 *   const { schema, value } = reader.decode(bytes);
 *
 * Writers are cached per Connect schema object (and found again by schema text for an equal
 * Schema object), readers per schema text and version, up to `schemas.cache.config` each (the
 * oldest dropped first). A top-level Avro `bytes` schema is
 * written and read as the raw bytes, without Avro's length prefix, as Confluent's serializer does.
 * Each writer and reader exposes its avsc `type` for callers that write Avro container files.
 */
import { DataError } from '../../errors.js';
import type { Schema } from '../schema.js';
import { SchemaAndValue } from '../schema-and-value.js';
import { DEFAULT_AVRO_DATA_SETTINGS, type AvroDataSettings } from './avro-data-config.js';
import { parseAvroSchema } from './avro-schema-parser.js';
import { printAvroSchema } from './avro-schema-printer.js';
import type { AvroSchema } from './avro-schema.js';
import { avroToConnectSchema } from './avro-to-connect-schema.js';
import { avroToConnectValue } from './avro-to-connect-value.js';
import { avscTypeOf, type AvscType } from './avsc-type.js';
import { connectToAvroSchema } from './connect-to-avro-schema.js';
import { connectToAvroValue } from './connect-to-avro-value.js';

export interface AvroWriter {
  readonly connectSchema: Schema;
  readonly avroSchema: AvroSchema;
  /** Java's Schema.toString of `avroSchema`: what Confluent's converter registers. */
  readonly text: string;
  readonly type: AvscType;
  /** The avsc datum of a Connect value (what `type` writes). */
  datumOf(value: unknown): unknown;
  /** Avro binary of a Connect value; throws DataError when the value does not fit. */
  encode(value: unknown): Buffer;
}

export interface AvroReader {
  readonly avroSchema: AvroSchema;
  readonly connectSchema: Schema;
  readonly type: AvscType;
  /** The Connect value of an avsc datum. */
  valueOf(datum: unknown): unknown;
  /** Reads Avro binary written with this schema; throws DataError on bytes that do not fit it. */
  decode(bytes: Buffer): SchemaAndValue;
}

export class AvroData {
  private readonly writers: BoundedCache<Schema, AvroWriter>;
  private readonly writersByText: BoundedCache<string, AvroWriter>;
  private readonly readers: BoundedCache<string, AvroReader>;

  constructor(readonly settings: AvroDataSettings = DEFAULT_AVRO_DATA_SETTINGS) {
    this.writers = new BoundedCache(settings.schemasCacheConfig);
    this.writersByText = new BoundedCache(settings.schemasCacheConfig);
    this.readers = new BoundedCache(settings.schemasCacheConfig);
  }

  fromConnectSchema(schema: Schema): AvroSchema {
    return connectToAvroSchema(schema, this.settings);
  }

  toConnectSchema(schema: AvroSchema, version: number | null = null): Schema {
    return avroToConnectSchema(schema, this.settings, version);
  }

  writerFor(schema: Schema): AvroWriter {
    const cached = this.writers.get(schema);
    if (cached !== undefined) return cached;
    const avroSchema = this.fromConnectSchema(schema);
    const text = printAvroSchema(avroSchema);
    // A connector that builds an equal Schema per record finds the avsc type made for the first.
    const sameText = this.writersByText.get(text);
    const writer = sameText !== undefined && sameText.connectSchema.equals(schema) ? sameText : newWriter(schema, avroSchema, text, this.settings);
    this.writers.set(schema, writer);
    this.writersByText.set(text, writer);
    return writer;
  }

  /** A reader for writer schema text (or a parsed schema); `version` becomes the Connect version when the schema has no `connect.version`. */
  readerFor(schema: string | AvroSchema, version: number | null = null): AvroReader {
    const text = typeof schema === 'string' ? schema : printAvroSchema(schema);
    const key = `${version ?? ''}:${text}`;
    const cached = this.readers.get(key);
    if (cached !== undefined) return cached;
    const avroSchema = typeof schema === 'string' ? parseAvroSchema(schema) : schema;
    const reader = newReader(avroSchema, this.toConnectSchema(avroSchema, version), this.settings);
    this.readers.set(key, reader);
    return reader;
  }
}

function newWriter(connectSchema: Schema, avroSchema: AvroSchema, text: string, settings: AvroDataSettings): AvroWriter {
  const type = avscTypeOf(avroSchema);
  const raw = avroSchema.type === 'bytes';
  const datumOf = (value: unknown) => connectToAvroValue(connectSchema, avroSchema, value, settings);
  return {
    connectSchema, avroSchema, type, datumOf, text,
    encode(value: unknown): Buffer {
      const datum = datumOf(value);
      if (raw) return datum as Buffer;
      try {
        return type.toBuffer(datum);
      } catch (err) {
        throw new DataError(`Cannot write the value as Avro: ${(err as Error).message}`, { cause: err });
      }
    },
  };
}

function newReader(avroSchema: AvroSchema, connectSchema: Schema, settings: AvroDataSettings): AvroReader {
  const type = avscTypeOf(avroSchema);
  const raw = avroSchema.type === 'bytes';
  const valueOf = (datum: unknown) => avroToConnectValue(connectSchema, avroSchema, datum, settings);
  return {
    avroSchema, connectSchema, type, valueOf,
    decode(bytes: Buffer): SchemaAndValue {
      let datum: unknown;
      if (raw) {
        datum = bytes;
      } else {
        try {
          datum = type.fromBuffer(bytes);
        } catch (err) {
          throw new DataError(`Cannot read the bytes as Avro of the writer's schema: ${(err as Error).message}`, { cause: err });
        }
      }
      return new SchemaAndValue(connectSchema, valueOf(datum));
    },
  };
}

/** A Map that forgets its oldest entry past `maxSize`. */
class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly maxSize: number) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): void {
    if (this.maxSize <= 0) return;
    this.entries.set(key, value);
    if (this.entries.size > this.maxSize) this.entries.delete(this.entries.keys().next().value as K);
  }
}
