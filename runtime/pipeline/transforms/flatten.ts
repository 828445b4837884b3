/**
 * Flatten$Key / Flatten$Value: turns nested structs (with a schema) or nested maps (without) into
 * one level, naming each leaf by its path joined with `delimiter` (`address.city`). Arrays and
 * their contents are left as they are.
 *
 * With a schema, a flattened field is optional when it or any enclosing struct is optional, and
 * takes its default from its own schema or else from the enclosing struct's default. MAP fields
 * are not supported with a schema, as in Kafka. Without a schema, Dates and Decimals are kept as
 * leaves (Kafka rejects them); a Struct inside a map is rejected.
 */
import type { ConnectRecord } from '../../../connectors/sdk/connect-record.js';
import type { RawConfig } from '../../../connectors/sdk/connector.js';
import { Decimal } from '../../../connectors/sdk/data/decimal.js';
import type { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../connectors/sdk/data/struct.js';
import { DataError } from '../../../connectors/sdk/errors.js';
import { defineConfig, string } from '../../../connectors/sdk/config/config-spec.js';
import { schemaOf, valueOf, withPart, type RecordPart } from './record-part.js';
import { kindOf, requireMap, requireStructOrNull } from './requirements.js';
import { SchemaUpdateCache } from './schema-update-cache.js';
import { copySchemaBasics } from './schema-util.js';
import { entriesOf, isSchemalessMap, sameKindAs, type SchemalessMap } from './schemaless-map.js';
import type { RecordTransform } from '../../../connectors/sdk/transform.js';
import { keyValuePlugins } from './transform-plugin.js';

const PURPOSE = 'flattening';

export const flattenSpec = defineConfig({
  'delimiter': string({ doc: 'Text put between the names of nested fields to form the flattened field name.', default: '.' }),
});

function isLeaf(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean' || typeof value === 'string'
    || value instanceof Uint8Array || Array.isArray(value) || value instanceof Date || value instanceof Decimal;
}

class Flatten implements RecordTransform {
  readonly #part: RecordPart;
  readonly #cache = new SchemaUpdateCache();
  #delimiter = '.';

  constructor(part: RecordPart) {
    this.#part = part;
  }

  configure(config: RawConfig): void {
    this.#delimiter = flattenSpec.parse(config).delimiter;
  }

  apply<R extends ConnectRecord>(record: R): R {
    const value = valueOf(record, this.#part);
    if (value === null || value === undefined) return record;
    const schema = schemaOf(record, this.#part);
    if (schema === null) {
      const original = requireMap(value, PURPOSE);
      const flat = new Map<unknown, unknown>();
      this.#flattenSchemaless(original, '', flat);
      return withPart(record, this.#part, null, sameKindAs(original, flat));
    }
    const struct = requireStructOrNull(value, PURPOSE);
    const updatedSchema = this.#cache.getOrBuild(schema, (s) => {
      const builder = copySchemaBasics(s, SchemaBuilder.struct());
      this.#flattenSchema(s, '', builder, s.optional, s.defaultValue instanceof Struct ? s.defaultValue : null);
      return builder.build();
    });
    if (struct === null) return withPart(record, this.#part, updatedSchema, null);
    const updated = new Struct(updatedSchema);
    this.#flattenStruct(struct, '', updated);
    return withPart(record, this.#part, updatedSchema, updated);
  }

  close(): void {
    this.#cache.clear();
  }

  #name(prefix: string, name: string): string {
    return prefix === '' ? name : `${prefix}${this.#delimiter}${name}`;
  }

  #flattenSchemaless(map: SchemalessMap, prefix: string, out: Map<unknown, unknown>): void {
    for (const [key, value] of entriesOf(map)) {
      const name = this.#name(prefix, String(key));
      if (value === null || value === undefined || isLeaf(value)) {
        out.set(name, value ?? null);
      } else if (isSchemalessMap(value)) {
        this.#flattenSchemaless(value, name, out);
      } else {
        throw new DataError(`Flatten transformation does not support ${kindOf(value)} for record without schemas (for field ${name}).`);
      }
    }
  }

  #flattenSchema(schema: Schema, prefix: string, builder: SchemaBuilder, optional: boolean, parentDefault: Struct | null): void {
    for (const field of schema.fields) {
      const name = this.#name(prefix, field.name);
      const fieldOptional = optional || field.schema.optional;
      const fieldDefault = field.schema.defaultValue ?? (parentDefault !== null ? parentDefault.get(field.name) : null);
      switch (field.schema.type) {
        case 'STRUCT':
          this.#flattenSchema(field.schema, name, builder, fieldOptional, fieldDefault instanceof Struct ? fieldDefault : null);
          break;
        case 'MAP':
          throw new DataError(`Flatten transformation does not support MAP for record with schemas (for field ${name}).`);
        default: {
          const leaf = copySchemaBasics(field.schema);
          if (fieldOptional) leaf.optional();
          if (fieldDefault !== null) leaf.defaultValue(fieldDefault);
          builder.field(name, leaf.build());
        }
      }
    }
  }

  #flattenStruct(struct: Struct, prefix: string, out: Struct): void {
    for (const field of struct.schema.fields) {
      const name = this.#name(prefix, field.name);
      const value = struct.get(field);
      if (field.schema.type === 'STRUCT') {
        if (value instanceof Struct) this.#flattenStruct(value, name, out);
      } else {
        out.put(name, value);
      }
    }
  }
}

export const flattenPlugins = keyValuePlugins(
  'Flatten',
  'Flattens nested structs or maps into one level, joining field names with a delimiter.',
  flattenSpec,
  (part) => new Flatten(part),
);
