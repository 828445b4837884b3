/**
 * What the DDL parser produces: one value per statement, independent of any schema state.
 * The schema model resolves names against the default database, applies charset inheritance
 * and positions, and turns these into TableDefinitions.
 */
import type { ColumnType } from './column-type.js';
import type { QualifiedName } from './token-cursor.js';

export type { QualifiedName } from './token-cursor.js';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  /** NULL / NOT NULL as written; null when neither was given (nullable). */
  readonly nullable: boolean | null;
  /** A DEFAULT clause was given (DEFAULT NULL included). */
  readonly hasDefault: boolean;
  /**
   * Debezium's defaultValueExpression: the literal's text (strings unquoted and unescaped),
   * `1970-01-01 00:00:00` for CURRENT_TIMESTAMP/NOW(), null for NULL and for expressions.
   */
  readonly defaultValueExpression: string | null;
  readonly autoIncrement: boolean;
  /** ON UPDATE CURRENT_TIMESTAMP. */
  readonly onUpdate: boolean;
  readonly primaryKey: boolean;
  readonly unique: boolean;
  readonly comment: string | null;
  /** GENERATED ALWAYS AS (...) VIRTUAL/STORED. */
  readonly generatedAlways: boolean;
}

export type KeyConstraint = { readonly kind: 'primary' | 'unique'; readonly columns: readonly (string | null)[] };

export interface TableOptions {
  readonly charset: string | null;
  readonly collation: string | null;
  readonly comment: string | null;
}

export type Placement = { readonly first: true } | { readonly after: string };

export type AlterAction =
  | { readonly kind: 'add-column'; readonly column: ColumnSpec; readonly placement: Placement | null; readonly ifNotExists: boolean }
  | { readonly kind: 'change-column'; readonly oldName: string; readonly column: ColumnSpec; readonly placement: Placement | null; readonly ifExists: boolean }
  | { readonly kind: 'drop-column'; readonly name: string; readonly ifExists: boolean }
  | { readonly kind: 'rename-column'; readonly from: string; readonly to: string }
  | { readonly kind: 'set-default'; readonly column: string; readonly defaultValueExpression: string | null }
  | { readonly kind: 'drop-default'; readonly column: string }
  | { readonly kind: 'add-key'; readonly key: KeyConstraint }
  | { readonly kind: 'drop-primary-key' }
  | { readonly kind: 'rename-table'; readonly to: QualifiedName }
  | { readonly kind: 'convert-charset'; readonly charset: string | null; readonly collation: string | null }
  | { readonly kind: 'table-options'; readonly options: TableOptions };

export type DdlStatement = { readonly text: string } & (
  | {
      readonly kind: 'create-table';
      readonly table: QualifiedName;
      readonly ifNotExists: boolean;
      readonly columns: readonly ColumnSpec[];
      readonly keys: readonly KeyConstraint[];
      readonly options: TableOptions;
      /** CREATE TABLE ... LIKE other. */
      readonly like: QualifiedName | null;
      /** CREATE TABLE ... [AS] SELECT: the columns come from a query; re-read the table. */
      readonly asSelect: boolean;
    }
  | { readonly kind: 'alter-table'; readonly table: QualifiedName; readonly ifExists: boolean; readonly actions: readonly AlterAction[] }
  | { readonly kind: 'rename-tables'; readonly pairs: readonly (readonly [QualifiedName, QualifiedName])[] }
  | { readonly kind: 'drop-tables'; readonly tables: readonly QualifiedName[]; readonly ifExists: boolean }
  | { readonly kind: 'truncate-table'; readonly table: QualifiedName }
  | { readonly kind: 'create-unique-index'; readonly table: QualifiedName; readonly columns: readonly (string | null)[] }
  | { readonly kind: 'create-database'; readonly database: string; readonly ifNotExists: boolean; readonly charset: string | null }
  | { readonly kind: 'alter-database'; readonly database: string | null; readonly charset: string | null }
  | { readonly kind: 'drop-database'; readonly database: string; readonly ifExists: boolean }
  | { readonly kind: 'use'; readonly database: string }
  /** SET assigning character_set_server/character_set_database (charset inheritance depends on them). */
  | { readonly kind: 'set-variable'; readonly assignments: readonly { readonly variable: string; readonly value: string }[] }
  | { readonly kind: 'ignored'; readonly reason: string }
);
