/**
 * The connector's model of a captured table: what the DDL parser builds, what the schema
 * history stores, what snapshots read from INFORMATION_SCHEMA, and what both the binlog row
 * decoder and the Debezium event builder take as the truth about a table's columns.
 *
 * Field names follow Debezium's `tableChanges` column layout (io.debezium.connector.schema.Column),
 * so a history record or a schema-change event is this object written out.
 *
 * Invariants: `columns` are in table order and `position` is 1-based and equals index + 1;
 * `typeName` is upper case without attributes (`INT`, `VARCHAR`, `DECIMAL`, `ENUM`, `TIMESTAMP`);
 * `primaryKeyColumnNames` name columns of `columns`, in key order. Definitions are immutable:
 * a DDL change produces a new TableDefinition.
 */

export interface TableId {
  /** Database (schema) name as the server spells it. */
  readonly database: string;
  readonly table: string;
}

/** `db.table`, the form include/exclude lists and topic names use. */
export function tableIdString(id: TableId): string {
  return `${id.database}.${id.table}`;
}

export interface ColumnDefinition {
  readonly name: string;
  /** 1-based position in the table. */
  readonly position: number;
  /** java.sql.Types code Debezium reports (e.g. 4 INTEGER, 12 VARCHAR, 3 DECIMAL, 93 TIMESTAMP). */
  readonly jdbcType: number;
  /** Upper-case base type name: `INT`, `BIGINT`, `VARCHAR`, `DECIMAL`, `DATETIME`, `ENUM`, `GEOMETRY`, ... */
  readonly typeName: string;
  /** The type as written in the DDL, e.g. `DECIMAL(10,2) UNSIGNED`, `ENUM('a','b')`, `VARCHAR(255)`. */
  readonly typeExpression: string;
  /** Character set of text columns (`utf8mb4`, `latin1`, ...); null for non-text columns. */
  readonly charsetName: string | null;
  /** Length/precision: VARCHAR(n) → n, DECIMAL(p,s) → p, BIT(n) → n, DATETIME(fsp) → fsp; null when not given. */
  readonly length: number | null;
  /** DECIMAL scale; null when not given. */
  readonly scale: number | null;
  readonly unsigned: boolean;
  /** Nullable. */
  readonly optional: boolean;
  readonly autoIncremented: boolean;
  readonly generated: boolean;
  /** Members of ENUM and SET, in declaration order; empty otherwise. */
  readonly enumValues: readonly string[];
  /** The DEFAULT clause's expression as written (quotes removed for string literals), or null. */
  readonly defaultValueExpression: string | null;
  readonly comment: string | null;
}

export interface TableDefinition {
  readonly id: TableId;
  readonly columns: readonly ColumnDefinition[];
  readonly primaryKeyColumnNames: readonly string[];
  readonly defaultCharsetName: string | null;
  readonly comment: string | null;
}
