/**
 * ValueToKey: replaces the key with a struct (or, without a schema, a map) of the listed value
 * fields. The value must be a Struct or map; a null value fails, as in Kafka.
 */
import type { ConnectRecord } from '../../../connectors/sdk/connect-record.js';
import type { RawConfig } from '../../../connectors/sdk/connector.js';
import type { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../connectors/sdk/data/struct.js';
import { DataError } from '../../../connectors/sdk/errors.js';
import { defineConfig, list, validators } from '../../../connectors/sdk/config/config-spec.js';
import { requireMap, requireStruct } from './requirements.js';
import { SchemaUpdateCache } from './schema-update-cache.js';
import { getField, sameKindAs } from './schemaless-map.js';
import { fieldValue } from './struct-values.js';
import type { RecordTransform } from '../../../connectors/sdk/transform.js';
import { replaceNullWithDefaultField, transformPlugin } from './transform-plugin.js';

const PURPOSE = 'copying fields from value to key';

export const valueToKeySpec = defineConfig({
  'fields': list({ doc: 'Value fields that make up the new key.', validator: validators.nonEmptyList(), importance: 'HIGH' }),
  'replace.null.with.default': replaceNullWithDefaultField(),
});

class ValueToKey implements RecordTransform {
  readonly #cache = new SchemaUpdateCache();
  #fields: readonly string[] = [];
  #replaceNullWithDefault = true;

  configure(config: RawConfig): void {
    const c = valueToKeySpec.parse(config);
    this.#fields = c.fields;
    this.#replaceNullWithDefault = c.replaceNullWithDefault;
  }

  apply<R extends ConnectRecord>(record: R): R {
    if (record.valueSchema === null) {
      const value = requireMap(record.value, PURPOSE);
      const key = new Map<unknown, unknown>(this.#fields.map((name) => [name, getField(value, name)]));
      return { ...record, keySchema: null, key: sameKindAs(value, key) };
    }
    const value = requireStruct(record.value, PURPOSE);
    const keySchema = this.#cache.getOrBuild(value.schema, (s) => this.#keySchema(s));
    const key = new Struct(keySchema);
    for (const name of this.#fields) key.put(name, fieldValue(value, name, this.#replaceNullWithDefault));
    return { ...record, keySchema, key, valueSchema: value.schema, value };
  }

  close(): void {
    this.#cache.clear();
  }

  #keySchema(valueSchema: Schema): Schema {
    const builder = SchemaBuilder.struct();
    for (const name of this.#fields) {
      const field = valueSchema.field(name);
      if (field === null) throw new DataError(`Field does not exist: ${name}`);
      builder.field(name, field.schema);
    }
    return builder.build();
  }
}

export const valueToKeyPlugin = transformPlugin(
  'ValueToKey',
  'Replaces the record key with a key made of fields of the record value.',
  valueToKeySpec,
  () => new ValueToKey(),
);
