/**
 * SetSchemaMetadata$Key / SetSchemaMetadata$Value: sets the key/value schema's name and/or
 * version; a Struct is rebuilt on the new schema. Schemaless data fails (a schema is required),
 * except a null key/value without schema, which passes through.
 */
import type { ConnectRecord } from '../../../connectors/sdk/connect-record.js';
import type { RawConfig } from '../../../connectors/sdk/connector.js';
import { Schema } from '../../../connectors/sdk/data/schema.js';
import { Struct } from '../../../connectors/sdk/data/struct.js';
import { defineConfig, int, string } from '../../../connectors/sdk/config/config-spec.js';
import { schemaOf, valueOf, withPart, type RecordPart } from './record-part.js';
import { requireSchema } from './requirements.js';
import { SchemaUpdateCache } from './schema-update-cache.js';
import { fieldValue } from './struct-values.js';
import type { RecordTransform } from '../../../connectors/sdk/transform.js';
import { keyValuePlugins, replaceNullWithDefaultField } from './transform-plugin.js';

export const setSchemaMetadataSpec = defineConfig({
  'schema.name': string({ doc: 'Schema name to set.', default: null, importance: 'HIGH' }),
  'schema.version': int({ doc: 'Schema version to set.', default: null, importance: 'HIGH' }),
  'replace.null.with.default': replaceNullWithDefaultField(),
}, {
  validateCrossField(v) {
    return v.schemaName === null && v.schemaVersion === null
      ? [{ name: 'schema.name', message: 'Neither schema name nor version configured' }]
      : [];
  },
});

class SetSchemaMetadata implements RecordTransform {
  readonly #part: RecordPart;
  readonly #cache = new SchemaUpdateCache();
  #name: string | null = null;
  #version: number | null = null;
  #replaceNullWithDefault = true;

  constructor(part: RecordPart) {
    this.#part = part;
  }

  configure(config: RawConfig): void {
    const c = setSchemaMetadataSpec.parse(config);
    this.#name = c.schemaName;
    this.#version = c.schemaVersion;
    this.#replaceNullWithDefault = c.replaceNullWithDefault;
  }

  apply<R extends ConnectRecord>(record: R): R {
    const value = valueOf(record, this.#part);
    const schema = schemaOf(record, this.#part);
    if ((value === null || value === undefined) && schema === null) return record;
    const updatedSchema = this.#cache.getOrBuild(requireSchema(schema, 'updating schema metadata'), (s) => new Schema({
      type: s.type,
      optional: s.optional,
      defaultValue: s.defaultValue,
      name: this.#name ?? s.name,
      version: this.#version ?? s.version,
      doc: s.doc,
      parameters: s.parameters,
      fields: s.fields,
      keySchema: s.keySchema,
      valueSchema: s.valueSchema,
    }));
    let updatedValue = value;
    if (value instanceof Struct) {
      const struct = new Struct(updatedSchema);
      for (const field of updatedSchema.fields) struct.put(field, fieldValue(value, field.name, this.#replaceNullWithDefault));
      updatedValue = struct;
    }
    return withPart(record, this.#part, updatedSchema, updatedValue);
  }

  close(): void {
    this.#cache.clear();
  }
}

export const setSchemaMetadataPlugins = keyValuePlugins(
  'SetSchemaMetadata',
  'Sets the name and/or version of the schema.',
  setSchemaMetadataSpec,
  (part) => new SetSchemaMetadata(part),
);
