/**
 * One column's field in Debezium events: its (adjusted) field name, its schema — type from
 * column-schemas, then optional when the column is nullable, doc from the comment when
 * `include.schema.comments` is on, default from column-defaults — and the converter from
 * ColumnValue to the field's value.
 *
 * Null handling is Debezium's: a null (or a zero date, which converts to null) stays null in a
 * nullable column; in a NOT NULL column it becomes the schema default, or else the type's zero
 * (epoch for temporal types).
 */
import type { Schema } from '../../sdk/data/schema.js';
import type { ColumnDefinition, TableDefinition } from '../schema/table-definition.js';
import type { ColumnValue } from '../values/column-value.js';
import { columnDefault } from './column-defaults.js';
import { columnKind, type ColumnKind } from './column-kind.js';
import { ColumnValueError, valueConverter, type ValueConverter } from './column-converters.js';
import { columnTypeSchema } from './column-schemas.js';
import type { EventSettings } from './event-settings.js';

export interface ColumnMapping {
  readonly column: ColumnDefinition;
  /** Index of the column's value in a RowValues. */
  readonly index: number;
  readonly fieldName: string;
  readonly schema: Schema;
  /** The field value of `value`; throws ColumnValueError when the value does not fit. */
  convert(value: ColumnValue): unknown;
}

/** `inValue` is false for key fields, which never carry the propagated source-type parameters. */
export function columnMapping(table: TableDefinition, index: number, settings: EventSettings, fieldName: string, inValue: boolean): ColumnMapping {
  const column = table.columns[index]!;
  const where = `${table.id.database}.${table.id.table}.${column.name}`;
  const fail = (problem: string): ColumnValueError => new ColumnValueError(where, column.typeName, problem);
  let kind: ColumnKind;
  try {
    kind = columnKind(column);
  } catch (err) {
    throw fail((err as Error).message);
  }
  const builder = columnTypeSchema(kind, settings);
  const sourceTypeName = `${column.typeName.toUpperCase()}${column.unsigned ? ' UNSIGNED' : ''}`;
  if (inValue && settings.propagateSourceType?.(table.id.database, table.id.table, column.name, sourceTypeName)) {
    // Debezium's PropagateSourceMetadataToSchemaParameter, applied before optional/doc/default.
    builder.parameter('__debezium.source.column.type', sourceTypeName);
    if (column.length !== null) builder.parameter('__debezium.source.column.length', String(column.length));
    if (column.scale !== null) builder.parameter('__debezium.source.column.scale', String(column.scale));
    if (settings.includeSchemaComments && column.comment) builder.parameter('__debezium.source.column.comment', column.comment);
    builder.parameter('__debezium.source.column.name', column.name);
  }
  if (column.optional) builder.optional();
  if (settings.includeSchemaComments && column.comment !== null && column.comment !== '') builder.doc(column.comment);
  // The converter of the default must see the schema as it will be (optional or not).
  const typeOnly = builder.build();
  const convertRaw: ValueConverter = valueConverter(kind, settings, typeOnly);
  let fallback: unknown = zeroValue(kind, settings);
  let dflt: ReturnType<typeof columnDefault>;
  try {
    dflt = columnDefault(column, kind);
  } catch (err) {
    throw fail(`unreadable default ${JSON.stringify(column.defaultValueExpression)}: ${(err as Error).message}`);
  }
  let schema = typeOnly;
  if (dflt !== null) {
    const value = dflt.from === 'connect' ? dflt.value : convertRaw(dflt.value, fail);
    if (value !== null && value !== undefined) {
      schema = builder.defaultValue(value).build();
      fallback = value;
    }
  }
  const finalConvert = valueConverter(kind, settings, schema);
  return {
    column,
    index,
    fieldName,
    schema,
    convert(value: ColumnValue): unknown {
      const converted = value === null ? null : finalConvert(value, fail);
      if (converted !== null || column.optional) return converted;
      if (fallback === undefined) throw fail('null in a NOT NULL column');
      return fallback;
    },
  };
}

/** What Debezium substitutes for a null in a NOT NULL column without a default. */
function zeroValue(kind: ColumnKind, settings: EventSettings): unknown {
  const mode = settings.timePrecisionMode;
  switch (kind.kind) {
    case 'date':
      return mode === 'connect' ? new Date(0) : mode === 'isostring' ? '1970-01-01Z' : 0;
    case 'time':
      return mode === 'connect' ? new Date(0) : mode === 'isostring' ? '00:00:00Z' : 0;
    case 'datetime':
      return mode === 'connect' ? new Date(0) : mode === 'isostring' ? '1970-01-01T00:00:00Z' : 0;
    case 'timestamp':
      return '1970-01-01T00:00:00Z';
    case 'json':
      return '{}';
    default:
      return undefined;
  }
}
