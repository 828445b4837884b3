/**
 * io.confluent.connect.json.JsonSchemaConverter: Connect data as compact UTF-8 JSON in Confluent's
 * wire format (magic byte 0, the 4-byte schema id, the JSON text), with a JSON Schema generated
 * from the Connect schema and kept in a Schema Registry.
 *
 * The registered schema text is what Confluent's converter registers (json-schema/
 * connect-to-json-schema.ts), so ids are shared with Java clients; reading maps any registered JSON
 * Schema back to a Connect schema (json-schema/json-schema-to-connect.ts), with the subject version
 * as the Connect version unless the schema says `connect.version`.
 *
 * Nulls, as Confluent's converter: a null value with a null schema, or with a required schema and no
 * default, is a tombstone (null bytes); under an optional schema it is the framed JSON `null`, after
 * the default when the schema has one (unless `ignore.default.for.nullables`); framed JSON `null`
 * reads back as SchemaAndValue.NULL. With `json.fail.invalid.schema=true` each value is validated
 * against its schema when written and when read (ajv, strict mode off). A registered schema's
 * references are fetched and its `$ref`s to them (`name#/pointer`) followed.
 *
 * Registry handling, caches, sync-when-warm answers and errors: schema-registry/registry-converter.ts.
 */
import type { ConverterConfigs } from '../../../connectors/sdk/converter.js';
import { defineConfig } from '../../../connectors/sdk/config/config-spec.js';
import type { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaAndValue } from '../../../connectors/sdk/data/schema-and-value.js';
import { printJson } from './json-schema/jackson-json-print.js';
import { connectToJsonSchema } from './json-schema/connect-to-json-schema.js';
import { JSON_SCHEMA_DATA_CONFIG_FIELDS, type JsonSchemaDataSettings, DEFAULT_JSON_SCHEMA_DATA_SETTINGS } from './json-schema/json-schema-data-config.js';
import { jsonSchemaToConnect } from './json-schema/json-schema-to-connect.js';
import { connectToJson, jsonToConnect } from './json-schema/json-schema-values.js';
import { JsonPayloadValidator } from './json-schema/json-payload-validator.js';
import { parseJson, parseJsonText } from './json-text.js';
import { LruCache } from './lru-cache.js';
import { RegistryConverter, type FormatReader, type FormatWriter } from './schema-registry/registry-converter.js';
import type { RegistrySchema } from './schema-registry/schema-registry-client.js';
import { SCHEMA_REGISTRY_SERDE_CONFIG_FIELDS, type ParsedSerdeConfig } from './schema-registry/schema-registry-config.js';

export const JSON_SCHEMA_CONVERTER_CONFIG = defineConfig({ ...SCHEMA_REGISTRY_SERDE_CONFIG_FIELDS, ...JSON_SCHEMA_DATA_CONFIG_FIELDS });

type ParsedJsonSchemaConverterConfig = ReturnType<typeof JSON_SCHEMA_CONVERTER_CONFIG.parse>;

export class JsonSchemaConverter extends RegistryConverter {
  static readonly className = 'io.confluent.connect.json.JsonSchemaConverter';
  static readonly configSpec = JSON_SCHEMA_CONVERTER_CONFIG;

  protected readonly formatName = 'JSON Schema';
  protected readonly schemaType = 'JSON' as const;
  private settings: JsonSchemaDataSettings = DEFAULT_JSON_SCHEMA_DATA_SETTINGS;
  private validator: JsonPayloadValidator | null = null;
  private writers = new LruCache<Schema, FormatWriter>(1000);

  protected parseConfig(configs: ConverterConfigs): ParsedSerdeConfig & Record<string, unknown> {
    return JSON_SCHEMA_CONVERTER_CONFIG.parse(configs);
  }

  protected configureFormat(parsed: ParsedSerdeConfig & Record<string, unknown>): void {
    const p = parsed as ParsedJsonSchemaConverterConfig;
    this.settings = {
      objectAdditionalProperties: p.objectAdditionalProperties,
      useOptionalForNonrequired: p.useOptionalForNonrequired,
      decimalFormat: p.decimalFormat,
      flattenSingletonUnions: p.flattenSingletonUnions,
      ignoreDefaultForNullables: p.ignoreDefaultForNullables,
    };
    this.validator = p.jsonFailInvalidSchema ? new JsonPayloadValidator(p.schemasCacheConfig) : null;
    this.writers = new LruCache(p.schemasCacheConfig);
  }

  protected nullValue(topic: string, schema: Schema | null): Buffer | null | Promise<Buffer | null> {
    if (schema === null || (!schema.optional && schema.defaultValue === null)) return null;
    return this.write(topic, schema, null);
  }

  protected writerFor(schema: Schema): FormatWriter {
    const cached = this.writers.get(schema);
    if (cached !== undefined) return cached;
    const jsonSchema = connectToJsonSchema(schema, this.settings);
    const text = printJson(jsonSchema);
    const title = jsonSchema.get('title');
    const settings = this.settings;
    const validator = this.validator;
    const writer: FormatWriter = {
      registrySchema: { schemaType: 'JSON', schema: text, references: [] },
      recordName: typeof title === 'string' ? title : null,
      encode(value: unknown): Buffer | null {
        const json = connectToJson(schema, value, settings);
        if (json === undefined) return null;
        const payload = printJson(json);
        validator?.check(text, payload);
        return Buffer.from(payload, 'utf8');
      },
    };
    this.writers.set(schema, writer);
    return writer;
  }

  protected recordNameOf(registered: RegistrySchema): string | null {
    const title = parseJsonText(registered.schema).value;
    return title instanceof Map && typeof title.get('title') === 'string' ? (title.get('title') as string) : null;
  }

  protected readerFor(registered: RegistrySchema, version: number, references: ReadonlyMap<string, RegistrySchema>): FormatReader {
    const texts = new Map([...references].map(([name, r]) => [name, r.schema]));
    const documents = new Map([...texts].map(([name, text]) => [name, parseJsonText(text).value ?? null]));
    const schema = jsonSchemaToConnect(parseJsonText(registered.schema).value ?? null, version, this.settings, documents);
    const validator = this.validator;
    return {
      decode(payload: Buffer): SchemaAndValue {
        const node = parseJson(payload).value;
        if (node === undefined || node === null) return SchemaAndValue.NULL;
        validator?.check(registered.schema, payload.toString('utf8'), texts);
        return new SchemaAndValue(schema, jsonToConnect(schema, node));
      },
    };
  }
}
