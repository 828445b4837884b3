/**
 * io.confluent.connect.avro.AvroConverter: Connect data as Avro in Confluent's wire format
 * (magic byte 0, the 4-byte schema id, Avro binary), with schemas kept in a Schema Registry.
 *
 * Writing (fromConnectData): the Connect schema becomes Avro (connectors/sdk/data/avro, the text
 * Confluent's converter registers), the subject comes from the subject name strategy, and the id
 * from the registry: registered (`auto.register.schemas`, the default), the schema `use.schema.id`
 * names, the subject's latest version (`use.latest.version`; the value is then written in that
 * schema, which must be able to read the derived one: writing needs that, so `*.compatibility.strict=false`
 * relaxes nothing), or looked up. A null value is a tombstone
 * (null bytes) without a registry call; a null value for a required schema is a DataError.
 *
 * Reading (toConnectData): null bytes → SchemaAndValue.NULL; otherwise the magic byte and id, the
 * writer schema by id, the subject version of that schema (`POST /subjects/{s}`, as Confluent's
 * converter does; it becomes the Connect schema version unless the schema has `connect.version`),
 * and the Avro binary read with the writer schema.
 *
 * Both directions answer synchronously once the schema and id are cached, and with a Promise
 * while the registry is asked. Bad bytes and registry refusals (e.g. 409 for an incompatible
 * schema) are DataErrors naming the topic and carrying the registry's message and error code;
 * a registry that cannot be reached or answers 5xx is a RetriableError.
 */
import type { Converter, ConverterConfigs, RecordHeaders } from '../../../connectors/sdk/converter.js';
import { defineConfig } from '../../../connectors/sdk/config/config-spec.js';
import { AVRO_DATA_CONFIG_FIELDS } from '../../../connectors/sdk/data/avro/avro-data-config.js';
import { AvroData, type AvroReader, type AvroWriter } from '../../../connectors/sdk/data/avro/avro-data.js';
import { fullName, type AvroSchema } from '../../../connectors/sdk/data/avro/avro-schema.js';
import { avscTypeOf } from '../../../connectors/sdk/data/avro/avsc-type.js';
import { parseAvroSchema } from '../../../connectors/sdk/data/avro/avro-schema-parser.js';
import type { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaAndValue } from '../../../connectors/sdk/data/schema-and-value.js';
import { DataError, RetriableError } from '../../../connectors/sdk/errors.js';
import { SchemaRegistryClient, type RegistrySchema } from './schema-registry/schema-registry-client.js';
import { SCHEMA_REGISTRY_SERDE_CONFIG_FIELDS, serdeSettings, type SerdeSettings } from './schema-registry/schema-registry-config.js';
import { SchemaRegistryError } from './schema-registry/schema-registry-error.js';
import { frame, framingProblem, unframe } from './schema-registry/wire-format.js';

export const AVRO_CONVERTER_CONFIG = defineConfig({ ...SCHEMA_REGISTRY_SERDE_CONFIG_FIELDS, ...AVRO_DATA_CONFIG_FIELDS });

/** How the value is written once the id is known: the derived schema's binary, or re-written in another schema. */
interface Target {
  readonly id: number;
  readonly encode: (value: unknown) => Buffer;
}

export class AvroConverter implements Converter {
  static readonly className = 'io.confluent.connect.avro.AvroConverter';
  static readonly configSpec = AVRO_CONVERTER_CONFIG;

  private isKey = false;
  private serde!: SerdeSettings;
  private client!: SchemaRegistryClient;
  private data = new AvroData();
  /** Readers by schema id (with the subject version applied). */
  private readonly readers = new Map<number, AvroReader>();
  /** Where each writer's values go, per subject, once the registry answered: the fast path. */
  private readonly targets = new WeakMap<AvroWriter, Map<string, Target>>();

  /** Throws ConfigError for invalid settings (schema.registry.url is required). */
  configure(configs: ConverterConfigs, isKey: boolean): void {
    const parsed = AVRO_CONVERTER_CONFIG.parse(configs);
    this.isKey = isKey;
    this.serde = serdeSettings(parsed, isKey);
    this.client = new SchemaRegistryClient(this.serde.client);
    this.data = new AvroData({
      connectMetaData: parsed.connectMetaData,
      enhancedAvroSchemaSupport: parsed.enhancedAvroSchemaSupport,
      scrubInvalidNames: parsed.scrubInvalidNames,
      allowOptionalMapKeys: parsed.allowOptionalMapKeys,
      flattenSingletonUnions: parsed.flattenSingletonUnions,
      ignoreDefaultForNullables: parsed.ignoreDefaultForNullables,
      schemasCacheConfig: parsed.schemasCacheConfig,
    });
    this.readers.clear();
  }

  fromConnectData(topic: string, _headers: RecordHeaders, schema: Schema | null, value: unknown): Buffer | null | Promise<Buffer | null> {
    if (value === null || value === undefined) {
      if (schema !== null && !schema.optional) throw new DataError(`Failed to serialize Avro data from topic ${topic}: Found null value for non-optional schema`);
      return null;
    }
    if (schema === null) {
      throw new DataError(`Failed to serialize Avro data from topic ${topic}: AvroConverter needs a Connect schema, and this ${this.isKey ? 'key' : 'value'} has none`);
    }
    const writer = this.wrapped(topic, 'serialize', () => this.data.writerFor(schema));
    const subject = this.wrapped(topic, 'serialize', () => this.serde.subjectNameStrategy(topic, this.isKey, recordNameOf(writer.avroSchema)));
    const known = this.targets.get(writer)?.get(subject);
    if (known !== undefined) return frame(known.id, this.wrapped(topic, 'serialize', () => known.encode(value)));
    return this.target(subject, writer)
      .then((target) => {
        if (this.targetsStay()) {
          let bySubject = this.targets.get(writer);
          if (bySubject === undefined) this.targets.set(writer, bySubject = new Map());
          bySubject.set(subject, target);
        }
        return frame(target.id, target.encode(value));
      })
      .catch((err: unknown) => {
        throw this.failure(topic, 'serialize', err);
      });
  }

  /** Whether a target, once known, holds for good (not with a latest version that expires). */
  private targetsStay(): boolean {
    return !this.serde.useLatestVersion || this.serde.useSchemaId >= 0 || this.serde.client.latestCacheTtlMs < 0;
  }

  toConnectData(topic: string, _headers: RecordHeaders, bytes: Buffer | null): SchemaAndValue | Promise<SchemaAndValue> {
    if (bytes === null || bytes === undefined) return SchemaAndValue.NULL;
    const problem = framingProblem(bytes);
    if (problem !== null) throw new DataError(`Failed to deserialize data for topic ${topic} to Avro: ${problem}`);
    const { schemaId, payload } = unframe(bytes);
    const reader = this.readers.get(schemaId);
    if (reader !== undefined) return this.wrapped(topic, 'deserialize', () => reader.decode(payload));
    return this.readerFor(topic, schemaId)
      .then((loaded) => loaded.decode(payload))
      .catch((err: unknown) => {
        throw this.failure(topic, 'deserialize', err);
      });
  }

  close(): void {
    this.readers.clear();
  }

  /** The id to write under and how, asking the registry as the settings say. */
  private async target(subject: string, writer: AvroWriter): Promise<Target> {
    const registrySchema: RegistrySchema = { schemaType: 'AVRO', schema: writer.text, references: [] };
    const derived = (id: number): Target => ({ id, encode: (value) => writer.encode(value) });
    if (this.serde.autoRegisterSchemas && this.serde.useSchemaId < 0 && !this.serde.useLatestVersion) {
      return derived(await this.client.register(subject, registrySchema, this.serde.normalizeSchemas));
    }
    if (this.serde.useSchemaId >= 0) {
      const byId = await this.client.schemaById(this.serde.useSchemaId);
      return this.rewritten(this.serde.useSchemaId, byId.schema, writer);
    }
    if (this.serde.useLatestVersion) {
      const latest = await this.client.latest(subject);
      return latest.schema === writer.text ? derived(latest.id) : this.rewritten(latest.id, latest.schema, writer);
    }
    return derived((await this.client.lookup(subject, registrySchema, this.serde.normalizeSchemas)).id);
  }

  /** Values written in the schema `text` (id `id`), which must be able to read what `writer` writes. */
  private rewritten(id: number, text: string, writer: AvroWriter): Target {
    const type = avscTypeOf(parseAvroSchema(text));
    let resolver: ReturnType<typeof type.createResolver>;
    try {
      resolver = type.createResolver(writer.type);
    } catch (err) {
      throw new DataError(`Schema ${id} from the registry cannot read values of the schema derived from the Connect schema: ${(err as Error).message}`, { cause: err });
    }
    return { id, encode: (value) => type.toBuffer(type.fromBuffer(writer.encode(value), resolver)) };
  }

  private async readerFor(topic: string, schemaId: number): Promise<AvroReader> {
    let registrySchema: RegistrySchema;
    try {
      registrySchema = await this.client.schemaById(schemaId);
    } catch (err) {
      if (err instanceof SchemaRegistryError && !err.retriable) {
        throw new DataError(`Error retrieving Avro ${this.isKey ? 'key' : 'value'} schema for id ${schemaId}: ${err.message}`, { cause: err });
      }
      throw err;
    }
    if (registrySchema.schemaType !== 'AVRO') throw new DataError(`Schema ${schemaId} is a ${registrySchema.schemaType} schema, not Avro`);
    const avroSchema = parseAvroSchema(registrySchema.schema);
    const subject = this.serde.subjectNameStrategy(topic, this.isKey, recordNameOf(avroSchema));
    let version: number;
    try {
      version = (await this.client.lookup(subject, registrySchema)).version;
    } catch (err) {
      if (err instanceof SchemaRegistryError && !err.retriable) {
        throw new DataError(`Error retrieving the version of schema ${schemaId} under subject ${subject}: ${err.message}`, { cause: err });
      }
      throw err;
    }
    const reader = this.data.readerFor(avroSchema, version);
    this.readers.set(schemaId, reader);
    return reader;
  }

  private wrapped<T>(topic: string, direction: 'serialize' | 'deserialize', run: () => T): T {
    try {
      return run();
    } catch (err) {
      throw this.failure(topic, direction, err);
    }
  }

  /** The error a task sees: a DataError naming the topic, or a RetriableError when the registry could not answer. */
  private failure(topic: string, direction: 'serialize' | 'deserialize', err: unknown): Error {
    const what = direction === 'serialize' ? `Failed to serialize Avro data from topic ${topic}` : `Failed to deserialize data for topic ${topic} to Avro`;
    const message = err instanceof Error ? err.message : String(err);
    if (message.startsWith(what)) return err as Error;
    if (err instanceof SchemaRegistryError && err.retriable) return new RetriableError(`${what}: ${message}`, { cause: err });
    return new DataError(`${what}: ${message}`, { cause: err });
  }
}

/** The record full name subject strategies use; null for schemas that are not records. */
function recordNameOf(schema: AvroSchema): string | null {
  return schema.type === 'record' ? fullName(schema) : null;
}
