/**
 * io.confluent.connect.avro.AvroConverter: Connect data as Avro in Confluent's wire format
 * (magic byte 0, the 4-byte schema id, Avro binary), with schemas kept in a Schema Registry.
 *
 * The Connect schema becomes Avro with the SDK's mapping (connectors/sdk/data/avro), whose text is
 * what Confluent's converter registers; values are written with it, and read with the writer
 * schema the id names, the subject version becoming the Connect version unless the schema has
 * `connect.version`. A null value is a tombstone (null bytes) without a registry call; a null for a
 * required schema is a DataError. With `use.latest.version` or `use.schema.id` the value is written
 * in that registered schema, which must be able to read the derived one (writing needs that, so
 * `*.compatibility.strict=false` relaxes nothing).
 *
 * Registry handling, caches, sync-when-warm answers and errors: schema-registry/registry-converter.ts.
 */
import type { ConverterConfigs } from '../../../connectors/sdk/converter.js';
import { defineConfig } from '../../../connectors/sdk/config/config-spec.js';
import { AVRO_DATA_CONFIG_FIELDS } from '../../../connectors/sdk/data/avro/avro-data-config.js';
import { AvroData, type AvroWriter } from '../../../connectors/sdk/data/avro/avro-data.js';
import { fullName } from '../../../connectors/sdk/data/avro/avro-schema.js';
import { parseAvroSchema } from '../../../connectors/sdk/data/avro/avro-schema-parser.js';
import { avscTypeOf } from '../../../connectors/sdk/data/avro/avsc-type.js';
import type { Schema } from '../../../connectors/sdk/data/schema.js';
import { DataError } from '../../../connectors/sdk/errors.js';
import { RegistryConverter, type FormatReader, type FormatWriter } from './schema-registry/registry-converter.js';
import type { RegistrySchema } from './schema-registry/schema-registry-client.js';
import { SCHEMA_REGISTRY_SERDE_CONFIG_FIELDS, type ParsedSerdeConfig } from './schema-registry/schema-registry-config.js';

export const AVRO_CONVERTER_CONFIG = defineConfig({ ...SCHEMA_REGISTRY_SERDE_CONFIG_FIELDS, ...AVRO_DATA_CONFIG_FIELDS });

type ParsedAvroConverterConfig = ReturnType<typeof AVRO_CONVERTER_CONFIG.parse>;

/** A FormatWriter over the SDK's AvroWriter. */
interface AvroFormatWriter extends FormatWriter {
  readonly avro: AvroWriter;
}

export class AvroConverter extends RegistryConverter {
  static readonly className = 'io.confluent.connect.avro.AvroConverter';
  static readonly configSpec = AVRO_CONVERTER_CONFIG;

  protected readonly formatName = 'Avro';
  protected readonly schemaType = 'AVRO' as const;
  /** The Avro writer checks each value while converting it. */
  protected override readonly validatesValues = false;
  private data = new AvroData();
  private writers = new WeakMap<AvroWriter, AvroFormatWriter>();

  protected parseConfig(configs: ConverterConfigs): ParsedSerdeConfig & Record<string, unknown> {
    return AVRO_CONVERTER_CONFIG.parse(configs);
  }

  protected configureFormat(parsed: ParsedSerdeConfig & Record<string, unknown>): void {
    const p = parsed as ParsedAvroConverterConfig;
    this.data = new AvroData({
      connectMetaData: p.connectMetaData,
      enhancedAvroSchemaSupport: p.enhancedAvroSchemaSupport,
      scrubInvalidNames: p.scrubInvalidNames,
      allowOptionalMapKeys: p.allowOptionalMapKeys,
      flattenSingletonUnions: p.flattenSingletonUnions,
      ignoreDefaultForNullables: p.ignoreDefaultForNullables,
      schemasCacheConfig: p.schemasCacheConfig,
    });
    this.writers = new WeakMap();
  }

  protected nullValue(topic: string, schema: Schema | null): Buffer | null {
    if (schema !== null && !schema.optional) throw this.failure(topic, 'serialize', new DataError('Found null value for non-optional schema'));
    return null;
  }

  protected writerFor(schema: Schema): FormatWriter {
    const avro = this.data.writerFor(schema);
    let writer = this.writers.get(avro);
    if (writer === undefined) {
      writer = {
        avro,
        registrySchema: { schemaType: 'AVRO', schema: avro.text, references: [] },
        recordName: avro.avroSchema.type === 'record' ? fullName(avro.avroSchema) : null,
        encode: (value) => avro.encode(value),
      };
      this.writers.set(avro, writer);
    }
    return writer;
  }

  protected recordNameOf(registered: RegistrySchema): string | null {
    const avro = parseAvroSchema(registered.schema);
    return avro.type === 'record' ? fullName(avro) : null;
  }

  protected readerFor(registered: RegistrySchema, version: number): FormatReader {
    return this.data.readerFor(registered.schema, version);
  }

  /** Values re-encoded in `target`: written in the derived schema, read back by `target` (Avro schema resolution), written again. */
  protected override retarget(writer: FormatWriter, target: RegistrySchema, id: number): FormatWriter {
    const derived = (writer as AvroFormatWriter).avro;
    const type = avscTypeOf(parseAvroSchema(target.schema));
    let resolver: ReturnType<typeof type.createResolver>;
    try {
      resolver = type.createResolver(derived.type);
    } catch (err) {
      throw new DataError(`Schema ${id} from the registry cannot read values of the schema derived from the Connect schema: ${(err as Error).message}`, { cause: err });
    }
    return { ...writer, encode: (value) => type.toBuffer(type.fromBuffer(derived.encode(value), resolver)) };
  }
}
