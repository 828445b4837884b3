/**
 * InsertField$Key / InsertField$Value: adds fields holding the record's topic, partition, offset
 * (sink records only), timestamp, or a fixed string. A name ending in `!` makes a required field,
 * `?` (the default) an optional one. Null keys/values pass through; a missing partition or
 * timestamp leaves its field unset.
 */
import type { ConnectRecord } from '../../../connectors/sdk/connect-record.js';
import type { RawConfig } from '../../../connectors/sdk/connector.js';
import { LogicalTimestamp } from '../../../connectors/sdk/data/logical-types.js';
import { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../connectors/sdk/data/struct.js';
import { defineConfig, string } from '../../../connectors/sdk/config/config-spec.js';
import { schemaOf, valueOf, withPart, type RecordPart } from './record-part.js';
import { requireMap, requireSinkRecord, requireStruct } from './requirements.js';
import { SchemaUpdateCache } from './schema-update-cache.js';
import { copySchemaBasics } from './schema-util.js';
import { sameKindAs, workingCopy } from './schemaless-map.js';
import { fieldValue } from './struct-values.js';
import type { RecordTransform } from '../../../connectors/sdk/transform.js';
import { keyValuePlugins, replaceNullWithDefaultField } from './transform-plugin.js';

const PURPOSE = 'field insertion';
const OPTIONALITY = 'End the name with "!" to make the field required, or "?" to keep it optional (the default).';
const OPTIONAL_TIMESTAMP_SCHEMA = LogicalTimestamp.builder().optional().build();

export const insertFieldSpec = defineConfig({
  'topic.field': string({ doc: `Field that receives the record's topic. ${OPTIONALITY}`, default: null }),
  'partition.field': string({ doc: `Field that receives the record's partition. ${OPTIONALITY}`, default: null }),
  'offset.field': string({ doc: `Field that receives the record's Kafka offset; sink connectors only. ${OPTIONALITY}`, default: null }),
  'timestamp.field': string({ doc: `Field that receives the record's timestamp. ${OPTIONALITY}`, default: null }),
  'static.field': string({ doc: `Field that receives static.value. ${OPTIONALITY}`, default: null }),
  'static.value': string({ doc: 'The value put in static.field.', default: null }),
  'replace.null.with.default': replaceNullWithDefaultField(),
}, {
  validateCrossField(v) {
    const fields = [v.topicField, v.partitionField, v.offsetField, v.timestampField, v.staticField];
    if (fields.every((f) => f === null)) return [{ name: 'topic.field', message: 'No field insertion configured' }];
    if (v.staticField && v.staticValue === null) {
      return [{ name: 'static.value', message: `No value specified for static field: ${insertionSpec(v.staticField)?.name ?? ''}` }];
    }
    return [];
  },
});

interface InsertionSpec {
  readonly name: string;
  readonly optional: boolean;
}

function insertionSpec(text: string | null | undefined): InsertionSpec | null {
  if (text === null || text === undefined) return null;
  if (text.endsWith('?')) return { name: text.slice(0, -1), optional: true };
  if (text.endsWith('!')) return { name: text.slice(0, -1), optional: false };
  return { name: text, optional: true };
}

class InsertField implements RecordTransform {
  readonly #part: RecordPart;
  readonly #cache = new SchemaUpdateCache();
  #topic: InsertionSpec | null = null;
  #partition: InsertionSpec | null = null;
  #offset: InsertionSpec | null = null;
  #timestamp: InsertionSpec | null = null;
  #static: InsertionSpec | null = null;
  #staticValue: string | null = null;
  #replaceNullWithDefault = true;

  constructor(part: RecordPart) {
    this.#part = part;
  }

  configure(config: RawConfig): void {
    const c = insertFieldSpec.parse(config);
    this.#topic = insertionSpec(c.topicField);
    this.#partition = insertionSpec(c.partitionField);
    this.#offset = insertionSpec(c.offsetField);
    this.#timestamp = insertionSpec(c.timestampField);
    this.#static = insertionSpec(c.staticField);
    this.#staticValue = c.staticValue;
    this.#replaceNullWithDefault = c.replaceNullWithDefault;
  }

  apply<R extends ConnectRecord>(record: R): R {
    const value = valueOf(record, this.#part);
    if (value === null || value === undefined) return record;
    return schemaOf(record, this.#part) === null ? this.#applySchemaless(record, value) : this.#applyWithSchema(record, value);
  }

  close(): void {
    this.#cache.clear();
  }

  #applySchemaless<R extends ConnectRecord>(record: R, value: unknown): R {
    const original = requireMap(value, PURPOSE);
    const updated = workingCopy(original);
    if (this.#topic) updated.set(this.#topic.name, record.topic);
    if (this.#partition && record.kafkaPartition !== null) updated.set(this.#partition.name, record.kafkaPartition);
    if (this.#offset) updated.set(this.#offset.name, requireSinkRecord(record, PURPOSE).kafkaOffset);
    if (this.#timestamp && record.timestamp !== null) updated.set(this.#timestamp.name, record.timestamp);
    if (this.#static && this.#staticValue !== null) updated.set(this.#static.name, this.#staticValue);
    return withPart(record, this.#part, null, sameKindAs(original, updated));
  }

  #applyWithSchema<R extends ConnectRecord>(record: R, value: unknown): R {
    const struct = requireStruct(value, PURPOSE);
    const schema = this.#cache.getOrBuild(struct.schema, (s) => this.#updatedSchema(s));
    const updated = new Struct(schema);
    for (const field of struct.schema.fields) updated.put(field.name, fieldValue(struct, field, this.#replaceNullWithDefault));
    if (this.#topic) updated.put(this.#topic.name, record.topic);
    if (this.#partition && record.kafkaPartition !== null) updated.put(this.#partition.name, record.kafkaPartition);
    if (this.#offset) updated.put(this.#offset.name, requireSinkRecord(record, PURPOSE).kafkaOffset);
    if (this.#timestamp && record.timestamp !== null) updated.put(this.#timestamp.name, new Date(record.timestamp));
    if (this.#static && this.#staticValue !== null) updated.put(this.#static.name, this.#staticValue);
    return withPart(record, this.#part, schema, updated);
  }

  #updatedSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields) builder.field(field.name, field.schema);
    const add = (spec: InsertionSpec | null, optional: Schema, required: Schema) => {
      if (spec) builder.field(spec.name, spec.optional ? optional : required);
    };
    add(this.#topic, Schema.OPTIONAL_STRING_SCHEMA, Schema.STRING_SCHEMA);
    add(this.#partition, Schema.OPTIONAL_INT32_SCHEMA, Schema.INT32_SCHEMA);
    add(this.#offset, Schema.OPTIONAL_INT64_SCHEMA, Schema.INT64_SCHEMA);
    add(this.#timestamp, OPTIONAL_TIMESTAMP_SCHEMA, LogicalTimestamp.SCHEMA);
    add(this.#static, Schema.OPTIONAL_STRING_SCHEMA, Schema.STRING_SCHEMA);
    return builder.build();
  }
}

export const insertFieldPlugins = keyValuePlugins(
  'InsertField',
  'Inserts fields holding the record\'s topic, partition, offset, timestamp or a static value.',
  insertFieldSpec,
  (part) => new InsertField(part),
);
