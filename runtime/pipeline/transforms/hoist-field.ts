/**
 * HoistField$Key / HoistField$Value: wraps the key/value in a struct (with a schema) or a Map
 * (without) holding it under `field`.
 */
import type { ConnectRecord } from '../../../connectors/sdk/connect-record.js';
import type { RawConfig } from '../../../connectors/sdk/connector.js';
import { SchemaBuilder } from '../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../connectors/sdk/data/struct.js';
import { defineConfig, string } from '../../../connectors/sdk/config/config-spec.js';
import { schemaOf, valueOf, withPart, type RecordPart } from './record-part.js';
import { SchemaUpdateCache } from './schema-update-cache.js';
import type { RecordTransform } from '../../../connectors/sdk/transform.js';
import { keyValuePlugins } from './transform-plugin.js';

export const hoistFieldSpec = defineConfig({
  'field': string({ doc: 'Name of the single field of the resulting struct or map.' }),
});

class HoistField implements RecordTransform {
  readonly #part: RecordPart;
  readonly #cache = new SchemaUpdateCache();
  #field = '';

  constructor(part: RecordPart) {
    this.#part = part;
  }

  configure(config: RawConfig): void {
    this.#field = hoistFieldSpec.parse(config).field;
  }

  apply<R extends ConnectRecord>(record: R): R {
    const schema = schemaOf(record, this.#part);
    const value = valueOf(record, this.#part) ?? null;
    if (schema === null) return withPart(record, this.#part, null, new Map([[this.#field, value]]));
    const updatedSchema = this.#cache.getOrBuild(schema, (s) => SchemaBuilder.struct().field(this.#field, s).build());
    return withPart(record, this.#part, updatedSchema, new Struct(updatedSchema).put(this.#field, value));
  }

  close(): void {
    this.#cache.clear();
  }
}

export const hoistFieldPlugins = keyValuePlugins(
  'HoistField',
  'Wraps the data in a struct or map under a single field.',
  hoistFieldSpec,
  (part) => new HoistField(part),
);
