/**
 * The consumer-facing schema-change topic's schemas and values (Debezium's SchemaFactory and
 * ConnectTableChangeSerializer): key `io.debezium.connector.<flavor>.SchemaChangeKey`
 * {databaseName}, value `...SchemaChangeValue` {source, ts_ms, databaseName, schemaName, ddl,
 * tableChanges: [io.debezium.connector.schema.Change {type, id, table: Table {defaultCharsetName,
 * primaryKeyColumnNames, columns: [Column], comment}}]}. A TableDefinition is written field for
 * field; `id` is `"db"."table"` (the new name for a rename).
 */
import { Schema } from '../../sdk/data/schema.js';
import { SchemaBuilder } from '../../sdk/data/schema-builder.js';
import { Struct } from '../../sdk/data/struct.js';
import type { ColumnDefinition, TableDefinition, TableId } from '../schema/table-definition.js';
import type { Flavor } from './event-settings.js';
import type { NameAdjuster } from './schema-names.js';

export interface SchemaChangeSchemas {
  readonly key: Schema;
  readonly value: Schema;
  readonly change: Schema;
  readonly table: Schema;
  readonly column: Schema;
}

export interface TableChange {
  readonly type: 'CREATE' | 'ALTER' | 'DROP';
  readonly id: TableId;
  readonly table: TableDefinition | null;
}

export function schemaChangeSchemas(flavor: Flavor, source: Schema, adjust: NameAdjuster): SchemaChangeSchemas {
  const optionalStrings = SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build();
  const column = SchemaBuilder.struct().name(adjust('io.debezium.connector.schema.Column')).version(1)
    .field('name', Schema.STRING_SCHEMA)
    .field('jdbcType', Schema.INT32_SCHEMA)
    .field('nativeType', Schema.OPTIONAL_INT32_SCHEMA)
    .field('typeName', Schema.STRING_SCHEMA)
    .field('typeExpression', Schema.OPTIONAL_STRING_SCHEMA)
    .field('charsetName', Schema.OPTIONAL_STRING_SCHEMA)
    .field('length', Schema.OPTIONAL_INT32_SCHEMA)
    .field('scale', Schema.OPTIONAL_INT32_SCHEMA)
    .field('position', Schema.INT32_SCHEMA)
    .field('optional', Schema.OPTIONAL_BOOLEAN_SCHEMA)
    .field('autoIncremented', Schema.OPTIONAL_BOOLEAN_SCHEMA)
    .field('generated', Schema.OPTIONAL_BOOLEAN_SCHEMA)
    .field('comment', Schema.OPTIONAL_STRING_SCHEMA)
    .field('defaultValueExpression', Schema.OPTIONAL_STRING_SCHEMA)
    .field('enumValues', optionalStrings)
    .build();
  const table = SchemaBuilder.struct().name(adjust('io.debezium.connector.schema.Table')).version(1)
    .field('defaultCharsetName', Schema.OPTIONAL_STRING_SCHEMA)
    .field('primaryKeyColumnNames', optionalStrings)
    .field('columns', SchemaBuilder.array(column))
    .field('comment', Schema.OPTIONAL_STRING_SCHEMA)
    .optional()
    .build();
  const change = SchemaBuilder.struct().name(adjust('io.debezium.connector.schema.Change')).version(1)
    .field('type', Schema.STRING_SCHEMA)
    .field('id', Schema.STRING_SCHEMA)
    .field('table', table)
    .build();
  return {
    key: SchemaBuilder.struct().name(adjust(`io.debezium.connector.${flavor}.SchemaChangeKey`)).version(1)
      .field('databaseName', Schema.STRING_SCHEMA)
      .build(),
    value: SchemaBuilder.struct().name(adjust(`io.debezium.connector.${flavor}.SchemaChangeValue`)).version(1)
      .field('source', source)
      .field('ts_ms', Schema.INT64_SCHEMA)
      .field('databaseName', Schema.OPTIONAL_STRING_SCHEMA)
      .field('schemaName', Schema.OPTIONAL_STRING_SCHEMA)
      .field('ddl', Schema.OPTIONAL_STRING_SCHEMA)
      .field('tableChanges', SchemaBuilder.array(change))
      .build(),
    change,
    table,
    column,
  };
}

export function tableChangeStruct(schemas: SchemaChangeSchemas, change: TableChange): Struct {
  const struct = new Struct(schemas.change)
    .put('type', change.type)
    .put('id', `"${change.id.database}"."${change.id.table}"`);
  if (change.table !== null) struct.put('table', tableStruct(schemas, change.table));
  return struct;
}

function tableStruct(schemas: SchemaChangeSchemas, table: TableDefinition): Struct {
  return new Struct(schemas.table)
    .put('defaultCharsetName', table.defaultCharsetName)
    .put('primaryKeyColumnNames', [...table.primaryKeyColumnNames])
    .put('columns', table.columns.map((c) => columnStruct(schemas, c)))
    .put('comment', table.comment);
}

function columnStruct(schemas: SchemaChangeSchemas, column: ColumnDefinition): Struct {
  const struct = new Struct(schemas.column)
    .put('name', column.name)
    .put('jdbcType', column.jdbcType)
    .put('typeName', column.typeName)
    .put('typeExpression', column.typeExpression)
    .put('charsetName', column.charsetName)
    .put('length', column.length)
    .put('scale', column.scale)
    .put('position', column.position)
    .put('optional', column.optional)
    .put('autoIncremented', column.autoIncremented)
    .put('generated', column.generated)
    .put('comment', column.comment)
    .put('defaultValueExpression', column.defaultValueExpression);
  if (column.enumValues.length > 0) struct.put('enumValues', [...column.enumValues]);
  return struct;
}
