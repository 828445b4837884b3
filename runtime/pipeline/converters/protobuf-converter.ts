/**
 * io.confluent.connect.protobuf.ProtobufConverter: Connect data as Protobuf in Confluent's wire
 * format (magic byte 0, the 4-byte schema id, the message indexes, the Protobuf binary), with a
 * proto3 schema generated from the Connect schema and kept in a Schema Registry.
 *
 * Writing: the Connect STRUCT becomes the .proto text Confluent's converter registers
 * (protobuf/connect-to-proto.ts); the record is its root message, index path [0], written as the
 * single byte 0x00. A primitive becomes its google.protobuf wrapper message (wrappers.proto is
 * registered, as Confluent does). A null value is a tombstone. Reading: the registered schema (any proto3/proto2
 * file whose imports are the well-known ones), the message the indexes name, and the Connect schema
 * Confluent's converter derives from it (protobuf/proto-to-connect.ts), with the subject version.
 *
 * With use.latest.version / use.schema.id the value is written as the registered schema's message of
 * the same full name (else its first), field by field name.
 *
 * A registered schema's references (other .proto files it imports) are fetched and loaded with it.
 *
 * Not yet: logical types at the root, flatten.unions, recursive messages.
 *
 * Registry handling, caches, sync-when-warm answers and errors: schema-registry/registry-converter.ts.
 */
import type { ConverterConfigs } from '../../../connectors/sdk/converter.js';
import { defineConfig } from '../../../connectors/sdk/config/config-spec.js';
import type { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaAndValue } from '../../../connectors/sdk/data/schema-and-value.js';
import type { Struct } from '../../../connectors/sdk/data/struct.js';
import { normalizeInt64 } from '../../../connectors/sdk/data/validate-value.js';
import { DataError } from '../../../connectors/sdk/errors.js';
import { LruCache } from './lru-cache.js';
import { connectToProto } from './protobuf/connect-to-proto.js';
import { LoadedProto, messageNameAt } from './protobuf/loaded-proto.js';
import { DEFAULT_PROTOBUF_DATA_SETTINGS, PROTOBUF_DATA_CONFIG_FIELDS, type ProtobufDataSettings } from './protobuf/protobuf-data-config.js';
import { protoToConnect } from './protobuf/proto-to-connect.js';
import { protoToStruct, structToProto } from './protobuf/protobuf-values.js';
import { decodeMessageIndexes, encodeMessageIndexes } from './schema-registry/message-indexes.js';
import { RegistryConverter, type FormatReader, type FormatWriter } from './schema-registry/registry-converter.js';
import type { RegistrySchema } from './schema-registry/schema-registry-client.js';
import { SCHEMA_REGISTRY_SERDE_CONFIG_FIELDS, type ParsedSerdeConfig } from './schema-registry/schema-registry-config.js';

export const PROTOBUF_CONVERTER_CONFIG = defineConfig({ ...SCHEMA_REGISTRY_SERDE_CONFIG_FIELDS, ...PROTOBUF_DATA_CONFIG_FIELDS });

type ParsedProtobufConverterConfig = ReturnType<typeof PROTOBUF_CONVERTER_CONFIG.parse>;

/** A writer that remembers its Connect schema, to re-target it at another registered schema. */
interface ProtobufFormatWriter extends FormatWriter {
  readonly connectSchema: Schema;
}

export class ProtobufConverter extends RegistryConverter {
  static readonly className = 'io.confluent.connect.protobuf.ProtobufConverter';
  static readonly configSpec = PROTOBUF_CONVERTER_CONFIG;

  protected readonly formatName = 'Protobuf';
  protected readonly schemaType = 'PROTOBUF' as const;
  private settings: ProtobufDataSettings = DEFAULT_PROTOBUF_DATA_SETTINGS;
  private writers = new LruCache<Schema, FormatWriter>(1000);

  protected parseConfig(configs: ConverterConfigs): ParsedSerdeConfig & Record<string, unknown> {
    return PROTOBUF_CONVERTER_CONFIG.parse(configs);
  }

  protected configureFormat(parsed: ParsedSerdeConfig & Record<string, unknown>): void {
    const p = parsed as ParsedProtobufConverterConfig;
    this.settings = {
      scrubInvalidNames: p.scrubInvalidNames,
      intForEnums: p.intForEnums,
      wrapperForNullables: p.wrapperForNullables,
      optionalForNullables: p.optionalForNullables,
      generateIndexForUnions: p.generateIndexForUnions,
      ignoreDefaultForNullables: p.ignoreDefaultForNullables,
    };
    this.writers = new LruCache(p.schemasCacheConfig);
  }

  protected nullValue(): null {
    return null;
  }

  protected writerFor(schema: Schema): FormatWriter {
    const cached = this.writers.get(schema);
    if (cached !== undefined) return cached;
    const generated = connectToProto(schema, this.settings);
    const writer: ProtobufFormatWriter = {
      connectSchema: schema,
      registrySchema: { schemaType: 'PROTOBUF', schema: generated.text, references: [] },
      recordName: generated.fullName,
      encode: this.encoder(schema, LoadedProto.load(generated.text), generated.indexes),
    };
    this.writers.set(schema, writer);
    return writer;
  }

  /**
   * use.latest.version / use.schema.id: values are written as the message of the registered schema
   * that has the derived message's full name (else its first message), field by field name; a Connect
   * field the message lacks is a DataError.
   */
  protected override retarget(writer: FormatWriter, target: RegistrySchema, id: number): FormatWriter {
    const schema = (writer as ProtobufFormatWriter).connectSchema;
    const proto = LoadedProto.load(target.schema);
    const indexes = (writer.recordName === null ? undefined : proto.indexesOf(writer.recordName)) ?? [0];
    try {
      return { ...writer, encode: this.encoder(schema, proto, indexes) };
    } catch (err) {
      throw new DataError(`Schema ${id} from the registry cannot hold values of the Connect schema: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Encodes values of `schema` as the message at `indexes` of `proto`, indexes first. */
  private encoder(schema: Schema, proto: LoadedProto, indexes: readonly number[]): (value: unknown) => Buffer {
    const { type } = proto.messageAt(indexes);
    const prefix = encodeMessageIndexes(indexes);
    const ignoreDefault = this.settings.ignoreDefaultForNullables;
    return (value) => {
      const plain = schema.type === 'STRUCT' ? structToProto(value as Struct, type, ignoreDefault) : { value: schema.type === 'INT64' ? String(value) : value };
      return Buffer.concat([prefix, type.encode(type.fromObject(plain)).finish()]);
    };
  }

  /** The full name of the message the record's indexes name, as Confluent's deserializer names the schema. */
  protected recordNameOf(registered: RegistrySchema, payload: Buffer): string | null {
    return messageNameAt(registered.schema, decodeMessageIndexes(payload).indexes);
  }

  protected readerFor(registered: RegistrySchema, version: number, references: ReadonlyMap<string, RegistrySchema>): FormatReader {
    const proto = LoadedProto.load(registered.schema, new Map([...references].map(([name, r]) => [name, r.schema])));
    const schemas = new Map<string, Schema>();
    const settings = this.settings;
    return {
      decode(payload: Buffer): SchemaAndValue {
        const { indexes, offset } = decodeMessageIndexes(payload);
        const { type, name } = proto.messageAt(indexes);
        let schema = schemas.get(name);
        if (schema === undefined) {
          schema = protoToConnect(type, version, settings);
          schemas.set(name, schema);
        }
        let message;
        try {
          message = type.decode(payload.subarray(offset));
        } catch (err) {
          throw new DataError(`Invalid Protobuf bytes for message ${name}: ${(err as Error).message}`, { cause: err });
        }
        if (schema.type !== 'STRUCT') {
          const wrapped = type.toObject(message, { longs: String, defaults: true }) as { value: unknown };
          return new SchemaAndValue(schema, schema.type === 'INT64' ? normalizeInt64(BigInt(String(wrapped.value))) : wrapped.value);
        }
        return new SchemaAndValue(schema, protoToStruct(schema, message, type));
      },
    };
  }
}
