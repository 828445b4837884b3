/**
 * HeaderFrom$Key / HeaderFrom$Value: copies (`operation=copy`) or moves (`move`) fields of the
 * key/value into headers; the i-th entry of `fields` goes to the header named by the i-th entry
 * of `headers`. With a schema each header carries the field's schema; a field missing from a
 * schemaless map gives a null header. The key/value must be a Struct or map, as in Kafka.
 */
import type { ConnectHeader, ConnectRecord } from '../../../connectors/sdk/connect-record.js';
import type { RawConfig } from '../../../connectors/sdk/connector.js';
import type { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../connectors/sdk/data/struct.js';
import { DataError } from '../../../connectors/sdk/errors.js';
import { choice, defineConfig, list, validators } from '../../../connectors/sdk/config/config-spec.js';
import { schemaOf, valueOf, withPart, type RecordPart } from './record-part.js';
import { requireMap, requireStruct } from './requirements.js';
import { SchemaUpdateCache } from './schema-update-cache.js';
import { copySchemaBasics } from './schema-util.js';
import { getField, sameKindAs, workingCopy } from './schemaless-map.js';
import { fieldValue } from './struct-values.js';
import type { RecordTransform } from '../../../connectors/sdk/transform.js';
import { keyValuePlugins, replaceNullWithDefaultField } from './transform-plugin.js';

export const headerFromSpec = defineConfig({
  'fields': list({ doc: 'Fields whose values are copied or moved into headers.', validator: validators.nonEmptyList(), importance: 'HIGH' }),
  'headers': list({ doc: 'Header names, in the same order as fields.', validator: validators.nonEmptyList(), importance: 'HIGH' }),
  'operation': choice({
    doc: '"move" removes the fields from the key/value; "copy" keeps them.', values: ['move', 'copy'], importance: 'HIGH',
  }),
  'replace.null.with.default': replaceNullWithDefaultField(),
}, {
  validateCrossField(v) {
    if (v.fields === undefined || v.headers === undefined || v.fields.length === v.headers.length) return [];
    return [{ name: 'headers', message: "'fields' config must have the same number of elements as 'headers' config." }];
  },
});

class HeaderFrom implements RecordTransform {
  readonly #part: RecordPart;
  readonly #moveCache = new SchemaUpdateCache();
  #fields: readonly string[] = [];
  #headers: readonly string[] = [];
  #move = false;
  #replaceNullWithDefault = true;

  constructor(part: RecordPart) {
    this.#part = part;
  }

  configure(config: RawConfig): void {
    const c = headerFromSpec.parse(config);
    this.#fields = c.fields;
    this.#headers = c.headers;
    this.#move = c.operation === 'move';
    this.#replaceNullWithDefault = c.replaceNullWithDefault;
  }

  apply<R extends ConnectRecord>(record: R): R {
    const value = valueOf(record, this.#part);
    const schema = schemaOf(record, this.#part);
    const purpose = `header ${this.#move ? 'move' : 'copy'}`;
    const headers: ConnectHeader[] = [...record.headers];
    if (schema === null) {
      const original = requireMap(value, purpose);
      const updated = workingCopy(original);
      this.#fields.forEach((name, i) => {
        if (this.#move) updated.delete(name);
        headers.push({ key: this.#headers[i], schema: null, value: getField(original, name) });
      });
      return { ...withPart(record, this.#part, null, sameKindAs(original, updated)), headers };
    }
    const struct = requireStruct(value, purpose);
    let updatedSchema = schema;
    let updatedValue = struct;
    if (this.#move) {
      updatedSchema = this.#moveCache.getOrBuild(schema, (s) => this.#moveSchema(s));
      updatedValue = new Struct(updatedSchema);
      for (const field of updatedSchema.fields) updatedValue.put(field, fieldValue(struct, field.name, this.#replaceNullWithDefault));
    }
    this.#fields.forEach((name, i) => {
      const field = schema.field(name);
      if (field === null) throw new DataError(`Field ${name} does not exist in the ${this.#part} schema`);
      headers.push({ key: this.#headers[i], schema: field.schema, value: fieldValue(struct, name, this.#replaceNullWithDefault) });
    });
    return { ...withPart(record, this.#part, updatedSchema, updatedValue), headers };
  }

  close(): void {
    this.#moveCache.clear();
  }

  #moveSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields) if (!this.#fields.includes(field.name)) builder.field(field.name, field.schema);
    return builder.build();
  }
}

export const headerFromPlugins = keyValuePlugins(
  'HeaderFrom',
  'Copies or moves fields into headers.',
  headerFromSpec,
  (part) => new HeaderFrom(part),
);
