/**
 * java.sql.Types codes, the numbers Debezium writes as `jdbcType` in history records and
 * schema-change events, and the code Debezium's MySQL DDL parser assigns to each type keyword.
 */
export const JdbcType = {
  BIT: -7,
  TINYINT: -6,
  SMALLINT: 5,
  INTEGER: 4,
  BIGINT: -5,
  FLOAT: 6,
  REAL: 7,
  DOUBLE: 8,
  NUMERIC: 2,
  DECIMAL: 3,
  CHAR: 1,
  VARCHAR: 12,
  LONGVARCHAR: -1,
  DATE: 91,
  TIME: 92,
  TIMESTAMP: 93,
  BINARY: -2,
  VARBINARY: -3,
  LONGVARBINARY: -4,
  NULL: 0,
  OTHER: 1111,
  BLOB: 2004,
  CLOB: 2005,
  BOOLEAN: 16,
  NCHAR: -15,
  NVARCHAR: -9,
  TIME_WITH_TIMEZONE: 2013,
  TIMESTAMP_WITH_TIMEZONE: 2014,
} as const;

/**
 * The jdbcType Debezium's MySQL parser reports for a (canonical, upper-case) type name, as in its
 * data type resolver: MEDIUMINT and YEAR are INTEGER, *TEXT are VARCHAR, ENUM/SET are CHAR,
 * TIMESTAMP is TIMESTAMP_WITH_TIMEZONE, DATETIME is TIMESTAMP, *BLOB are BLOB, and JSON, spatial
 * and vector types are OTHER. Unknown names are OTHER.
 */
const BY_TYPE_NAME: Record<string, number> = {
  TINYINT: JdbcType.TINYINT,
  SMALLINT: JdbcType.SMALLINT,
  MEDIUMINT: JdbcType.INTEGER,
  INT: JdbcType.INTEGER,
  INTEGER: JdbcType.INTEGER,
  BIGINT: JdbcType.BIGINT,
  FLOAT: JdbcType.FLOAT,
  DOUBLE: JdbcType.DOUBLE,
  REAL: JdbcType.REAL,
  DECIMAL: JdbcType.DECIMAL,
  NUMERIC: JdbcType.NUMERIC,
  BIT: JdbcType.BIT,
  BOOLEAN: JdbcType.BOOLEAN,
  BOOL: JdbcType.BOOLEAN,
  DATE: JdbcType.DATE,
  TIME: JdbcType.TIME,
  DATETIME: JdbcType.TIMESTAMP,
  TIMESTAMP: JdbcType.TIMESTAMP_WITH_TIMEZONE,
  YEAR: JdbcType.INTEGER,
  CHAR: JdbcType.CHAR,
  VARCHAR: JdbcType.VARCHAR,
  TINYTEXT: JdbcType.VARCHAR,
  TEXT: JdbcType.VARCHAR,
  MEDIUMTEXT: JdbcType.VARCHAR,
  LONGTEXT: JdbcType.VARCHAR,
  NCHAR: JdbcType.NCHAR,
  NVARCHAR: JdbcType.NVARCHAR,
  BINARY: JdbcType.BINARY,
  VARBINARY: JdbcType.VARBINARY,
  TINYBLOB: JdbcType.BLOB,
  BLOB: JdbcType.BLOB,
  MEDIUMBLOB: JdbcType.BLOB,
  LONGBLOB: JdbcType.BLOB,
  ENUM: JdbcType.CHAR,
  SET: JdbcType.CHAR,
  JSON: JdbcType.OTHER,
  GEOMETRY: JdbcType.OTHER,
  POINT: JdbcType.OTHER,
  LINESTRING: JdbcType.OTHER,
  POLYGON: JdbcType.OTHER,
  MULTIPOINT: JdbcType.OTHER,
  MULTILINESTRING: JdbcType.OTHER,
  MULTIPOLYGON: JdbcType.OTHER,
  GEOMETRYCOLLECTION: JdbcType.OTHER,
  VECTOR: JdbcType.OTHER,
};

export function jdbcTypeForTypeName(typeName: string): number {
  return BY_TYPE_NAME[typeName.toUpperCase()] ?? JdbcType.OTHER;
}
