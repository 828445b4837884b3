/** Hand-built TableDefinitions for binlog tests (the DDL parser is someone else's and not needed here). */
import type { ColumnDefinition, TableDefinition } from '../../../../connectors/mysql/schema/table-definition.js';

export interface ColumnSpec {
  name: string;
  type: string;
  unsigned?: boolean;
  charset?: string | null;
  length?: number | null;
  scale?: number | null;
  members?: string[];
  optional?: boolean;
}

export function tableDefinition(database: string, table: string, columns: ColumnSpec[], primaryKey: string[] = []): TableDefinition {
  return {
    id: { database, table },
    columns: columns.map((c, i): ColumnDefinition => ({
      name: c.name,
      position: i + 1,
      jdbcType: 0,
      typeName: c.type,
      typeExpression: c.type,
      charsetName: c.charset ?? null,
      length: c.length ?? null,
      scale: c.scale ?? null,
      unsigned: c.unsigned ?? false,
      optional: c.optional ?? true,
      autoIncremented: false,
      generated: false,
      enumValues: c.members ?? [],
      defaultValueExpression: null,
      comment: null,
    })),
    primaryKeyColumnNames: primaryKey,
    defaultCharsetName: 'utf8mb4',
    comment: null,
  };
}
