/**
 * Which Debezium mapping a column gets, decided once from its definition. Debezium decides from
 * the type name its DDL parser reports (and the JDBC type that parser assigns: TINYINT is
 * SMALLINT, MEDIUMINT is INTEGER, TIMESTAMP is TIMESTAMP_WITH_TIMEZONE ...); deciding from
 * `typeName` + `unsigned` + length/scale gives the same answer without trusting every jdbcType.
 */
import type { ColumnDefinition } from '../schema/table-definition.js';

export type ColumnKind =
  | { readonly kind: 'boolean' }
  /** BIT(n > 1). */
  | { readonly kind: 'bits'; readonly length: number }
  /** Integer mapped to a Connect integer type; `unsignedBits` is set for unsigned columns that need widening. */
  | { readonly kind: 'integer'; readonly type: 'INT16' | 'INT32' | 'INT64'; readonly unsignedBits: 8 | 16 | 24 | 32 | null }
  | { readonly kind: 'bigint'; readonly unsigned: boolean }
  | { readonly kind: 'float32' }
  | { readonly kind: 'float64' }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'string' }
  /** `fixedLength` is set for BINARY(n): Debezium right-pads those values with zero bytes. */
  | { readonly kind: 'binary'; readonly fixedLength: number | null }
  | { readonly kind: 'json' }
  | { readonly kind: 'enum'; readonly allowed: readonly string[] }
  | { readonly kind: 'set'; readonly allowed: readonly string[] }
  | { readonly kind: 'year' }
  | { readonly kind: 'date' }
  | { readonly kind: 'time'; readonly fsp: number }
  | { readonly kind: 'datetime'; readonly fsp: number }
  | { readonly kind: 'timestamp'; readonly fsp: number }
  | { readonly kind: 'geometry' }
  | { readonly kind: 'point' }
  /** MariaDB's UUID type (io.debezium.data.Uuid). */
  | { readonly kind: 'uuid' };

const STRING_TYPES = new Set([
  'CHAR', 'VARCHAR', 'TINYTEXT', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT', 'LONG', 'LONG VARCHAR', 'NCHAR', 'NVARCHAR',
  'NATIONAL CHAR', 'NATIONAL VARCHAR', 'CHARACTER', 'CHARACTER VARYING', 'CHAR VARYING', 'NCHAR VARYING', 'INET4', 'INET6',
]);
const BINARY_TYPES = new Set(['BINARY', 'VARBINARY', 'TINYBLOB', 'BLOB', 'MEDIUMBLOB', 'LONGBLOB', 'LONG VARBINARY']);
const GEOMETRY_TYPES = new Set([
  'GEOMETRY', 'LINESTRING', 'POLYGON', 'MULTIPOINT', 'MULTILINESTRING', 'MULTIPOLYGON', 'GEOMETRYCOLLECTION', 'GEOMCOLLECTION',
]);

/** Throws an Error naming the column when its type has no Debezium mapping here (e.g. VECTOR). */
export function columnKind(column: ColumnDefinition): ColumnKind {
  const type = column.typeName.toUpperCase();
  const fsp = column.length ?? 0;
  switch (type) {
    case 'BOOL':
    case 'BOOLEAN':
      return { kind: 'boolean' };
    case 'BIT':
      return column.length !== null && column.length > 1 ? { kind: 'bits', length: column.length } : { kind: 'boolean' };
    case 'TINYINT':
    case 'INT1':
      return { kind: 'integer', type: 'INT16', unsignedBits: column.unsigned ? 8 : null };
    case 'SMALLINT':
    case 'INT2':
      return column.unsigned ? { kind: 'integer', type: 'INT32', unsignedBits: 16 } : { kind: 'integer', type: 'INT16', unsignedBits: null };
    case 'MEDIUMINT':
    case 'MIDDLEINT':
    case 'INT3':
      return { kind: 'integer', type: 'INT32', unsignedBits: column.unsigned ? 24 : null };
    case 'INT':
    case 'INTEGER':
    case 'INT4':
      return column.unsigned ? { kind: 'integer', type: 'INT64', unsignedBits: 32 } : { kind: 'integer', type: 'INT32', unsignedBits: null };
    case 'BIGINT':
    case 'INT8':
      return { kind: 'bigint', unsigned: column.unsigned };
    case 'SERIAL':
      return { kind: 'bigint', unsigned: true };
    case 'REAL':
      return { kind: 'float32' };
    case 'FLOAT':
      // FLOAT(p) with p <= 23 (or no p) is single precision; FLOAT(M,D) and FLOAT(p >= 24) are double.
      return column.scale === null && (column.length === null || column.length <= 24) ? { kind: 'float32' } : { kind: 'float64' };
    case 'DOUBLE':
    case 'DOUBLE PRECISION':
      return { kind: 'float64' };
    case 'DECIMAL':
    case 'DEC':
    case 'NUMERIC':
    case 'FIXED':
      return { kind: 'decimal', precision: column.length ?? 10, scale: column.scale ?? 0 };
    case 'JSON':
      return { kind: 'json' };
    case 'ENUM':
      return { kind: 'enum', allowed: column.enumValues };
    case 'SET':
      return { kind: 'set', allowed: column.enumValues };
    case 'YEAR':
      return { kind: 'year' };
    case 'DATE':
      return { kind: 'date' };
    case 'TIME':
      return { kind: 'time', fsp };
    case 'DATETIME':
      return { kind: 'datetime', fsp };
    case 'TIMESTAMP':
      return { kind: 'timestamp', fsp };
    case 'POINT':
      return { kind: 'point' };
    case 'UUID':
      return { kind: 'uuid' };
    default:
      if (STRING_TYPES.has(type)) return { kind: 'string' };
      if (BINARY_TYPES.has(type)) return { kind: 'binary', fixedLength: type === 'BINARY' ? (column.length ?? 1) : null };
      if (GEOMETRY_TYPES.has(type)) return { kind: 'geometry' };
      throw new Error(`Column ${column.name} has type ${column.typeName}, which ferry cannot map to a Debezium change event field`);
  }
}
