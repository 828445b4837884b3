/**
 * A captured table's Debezium schemas and row converters (TableSchemaBuilder's job):
 *
 *   topic     `<prefix><d><db><d><table>` (d = topic.delimiter), sanitized to Kafka's charset
 *   key       `<topic>.Key`: the primary-key columns in key order, required; null without a PK
 *   value     `<topic>.Value`: the columns that pass the column filter, optional struct
 *   envelope  `<topic>.Envelope` version 2: before, after, source, transaction, op, ts_ms, ts_us, ts_ns
 *
 * Schema names go through `schema.name.adjustment.mode`, field names through
 * `field.name.adjustment.mode`. Build once per table definition (a DDL change makes a new one);
 * the converters are then pure functions of a row.
 */
import { Schema } from '../../sdk/data/schema.js';
import { SchemaBuilder } from '../../sdk/data/schema-builder.js';
import { Struct } from '../../sdk/data/struct.js';
import { DataError } from '../../sdk/errors.js';
import type { TableDefinition, TableId } from '../schema/table-definition.js';
import type { RowValues } from '../values/column-value.js';
import { columnMapping, type ColumnMapping } from './column-mapping.js';
import type { EventSettings } from './event-settings.js';
import { fieldNameAdjuster, sanitizeTopicName, schemaNameAdjuster } from './schema-names.js';
import type { SourceInfoMaker } from './source-info.js';

export interface TableSchemas {
  readonly table: TableDefinition;
  readonly topic: string;
  /** null when the table has no primary key (its records then have a null key). */
  readonly keySchema: Schema | null;
  /** The row struct (`before` / `after`). */
  readonly valueSchema: Schema;
  readonly envelopeSchema: Schema;
  /** The key struct of a row image, or null without a primary key. Throws DataError naming table and column. */
  keyOf(row: RowValues): Struct | null;
  /** The row struct of a row image. Throws DataError naming table and column. */
  valueOf(row: RowValues): Struct;
}

/** Debezium's `event.block`: the envelope's transaction field. */
export const TRANSACTION_BLOCK_SCHEMA: Schema = SchemaBuilder.struct().optional().name('event.block').version(1)
  .field('id', Schema.STRING_SCHEMA)
  .field('total_order', Schema.INT64_SCHEMA)
  .field('data_collection_order', Schema.INT64_SCHEMA)
  .build();

/** The data topic of a table, as Debezium's DefaultTopicNamingStrategy names it. */
export function dataTopicName(settings: EventSettings, id: TableId): string {
  const parts = [settings.topicPrefix, id.database, id.table].filter((p) => p.trim() !== '');
  return sanitizeTopicName(parts.join(settings.topicDelimiter));
}

export function buildTableSchemas(table: TableDefinition, settings: EventSettings, source: SourceInfoMaker): TableSchemas {
  const topic = dataTopicName(settings, table.id);
  const adjustSchemaName = schemaNameAdjuster(settings.schemaNameAdjustmentMode);
  const adjustFieldName = fieldNameAdjuster(settings.fieldNameAdjustmentMode);
  const mapping = (index: number, inValue: boolean): ColumnMapping =>
    columnMapping(table, index, settings, adjustFieldName(table.columns[index]!.name), inValue);

  const keyMappings = table.primaryKeyColumnNames.map((name) => {
    const index = table.columns.findIndex((c) => c.name === name);
    if (index < 0) throw new DataError(`Table ${table.id.database}.${table.id.table}: primary key column ${name} is not a column of the table`);
    return mapping(index, false);
  });
  const filter = settings.columnFilter;
  const valueMappings = table.columns
    .map((_, index) => index)
    .filter((index) => filter === null || filter(table.id.database, table.id.table, table.columns[index]!.name))
    .map((index) => mapping(index, true));

  const keySchema = keyMappings.length === 0 ? null : structOf(adjustSchemaName(`${topic}.Key`), keyMappings, false);
  const valueSchema = structOf(adjustSchemaName(`${topic}.Value`), valueMappings, true);
  const envelopeSchema = SchemaBuilder.struct().name(adjustSchemaName(`${topic}.Envelope`)).version(2)
    .field('before', valueSchema)
    .field('after', valueSchema)
    .field('source', source.schema)
    .field('transaction', TRANSACTION_BLOCK_SCHEMA)
    .field('op', Schema.STRING_SCHEMA)
    .field('ts_ms', Schema.OPTIONAL_INT64_SCHEMA)
    .field('ts_us', Schema.OPTIONAL_INT64_SCHEMA)
    .field('ts_ns', Schema.OPTIONAL_INT64_SCHEMA)
    .build();

  const tableName = `${table.id.database}.${table.id.table}`;
  const fill = (schema: Schema, mappings: readonly ColumnMapping[], row: RowValues): Struct => {
    if (row.length !== table.columns.length) {
      throw new DataError(`Table ${tableName} has ${table.columns.length} columns but the row image has ${row.length} values; the table definition is out of date`);
    }
    const struct = new Struct(schema);
    for (const m of mappings) struct.put(m.fieldName, m.convert(row[m.index]!));
    return struct;
  };

  return {
    table,
    topic,
    keySchema,
    valueSchema,
    envelopeSchema,
    keyOf: (row) => (keySchema === null ? null : fill(keySchema, keyMappings, row)),
    valueOf: (row) => fill(valueSchema, valueMappings, row),
  };
}

function structOf(name: string, mappings: readonly ColumnMapping[], optional: boolean): Schema {
  const builder = SchemaBuilder.struct().name(name);
  for (const m of mappings) builder.field(m.fieldName, m.schema);
  if (optional) builder.optional();
  return builder.build();
}
