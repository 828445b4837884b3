/**
 * The connector's in-memory schema: table definitions keyed by database and table name (exact
 * case, as the server reports them), database default charsets, and the server default charset.
 *
 * `apply(ddl, defaultDatabase)` parses DDL and returns the schema changes it made, in Debezium's
 * terms: CREATE, ALTER (a rename is an ALTER whose `previousId` is the old name), DROP.
 * `applyStatements` returns the same per statement, plus what the task needs beyond table
 * changes: truncated tables (for truncate events), tables whose definition must be re-read from
 * the server (CREATE TABLE ... AS SELECT, LIKE of an unknown table), database-level statements,
 * and the default database after USE.
 *
 * Known divergence from the server (shared with Debezium's streaming parser): unique keys are not
 * remembered, so after DROP PRIMARY KEY a table whose NOT NULL unique key would give it a key when
 * read from the server has none until it is next read.
 *
 * Definitions are immutable; `clone()` copies the maps only. Not safe for concurrent mutation
 * (the task applies DDL in binlog order on one thread).
 */
import type { Flavor } from './column-type.js';
import { DdlParseError } from './ddl-parse-error.js';
import { parseDdl } from './ddl-parser.js';
import type { AlterAction, DdlStatement, QualifiedName } from './ddl-statement.js';
import { TableBuilder } from './table-builder.js';
import type { TableDefinition, TableId } from './table-definition.js';

export type SchemaChangeType = 'CREATE' | 'ALTER' | 'DROP';

export interface SchemaChange {
  readonly type: SchemaChangeType;
  readonly id: TableId;
  /** The table's name before a rename. */
  readonly previousId?: TableId;
  /** The table after the change; for DROP the table as it was (Debezium records it too). */
  readonly table: TableDefinition | null;
  /** Database the statement belongs to (the history record's `databaseName`). */
  readonly databaseName: string;
  /** The statement's text. */
  readonly ddl: string;
}

export interface AppliedStatement {
  readonly kind: DdlStatement['kind'];
  readonly ddl: string;
  /** Database the statement belongs to: the table's, the database's, or the default database ('' if none). */
  readonly databaseName: string;
  readonly changes: readonly SchemaChange[];
  /** TRUNCATE TABLE: the task emits truncate events; the schema does not change. */
  readonly truncated: TableId | null;
  /** CREATE TABLE ... AS SELECT or LIKE an unknown table: read the definition with SHOW CREATE TABLE and `put` it. */
  readonly needsReread: TableId | null;
  /** CREATE/ALTER/DROP DATABASE: the database concerned. */
  readonly database: { readonly type: SchemaChangeType; readonly name: string } | null;
  /** Recognised but without meaning for the schema (GRANT, SET, views, DML, ...). */
  readonly ignored: boolean;
}

export interface ApplyResult {
  readonly statements: readonly AppliedStatement[];
  readonly changes: readonly SchemaChange[];
  /** Default database after the DDL (changed by USE). */
  readonly defaultDatabase: string | null;
}

export interface SchemaModelOptions {
  flavor?: Flavor;
  /** @@character_set_server: the charset of databases whose own default is unknown. Default utf8mb4. */
  serverCharset?: string;
}

function key(id: TableId): string {
  return `${id.database}\u0000${id.table}`;
}

export class SchemaModel {
  private readonly tableMap: Map<string, TableDefinition>;
  private readonly databaseCharsets: Map<string, string>;
  readonly flavor: Flavor;
  private serverCharsetName: string;

  constructor(options: SchemaModelOptions = {}, tables?: Map<string, TableDefinition>, databases?: Map<string, string>) {
    this.flavor = options.flavor ?? 'mysql';
    this.serverCharsetName = options.serverCharset ?? 'utf8mb4';
    this.tableMap = tables ?? new Map();
    this.databaseCharsets = databases ?? new Map();
  }

  tableFor(id: TableId): TableDefinition | undefined {
    return this.tableMap.get(key(id));
  }

  tables(): TableDefinition[] {
    return [...this.tableMap.values()];
  }

  tableIds(): TableId[] {
    return this.tables().map((t) => t.id);
  }

  /** Databases known from CREATE DATABASE, the server reader or their tables. */
  databases(): string[] {
    const names = new Set(this.databaseCharsets.keys());
    for (const t of this.tableMap.values()) names.add(t.id.database);
    return [...names];
  }

  get serverCharset(): string {
    return this.serverCharsetName;
  }

  setServerCharset(charset: string): void {
    this.serverCharsetName = charset;
  }

  databaseCharset(database: string): string {
    return this.databaseCharsets.get(database) ?? this.serverCharsetName;
  }

  setDatabaseCharset(database: string, charset: string | null): void {
    this.databaseCharsets.set(database, charset ?? this.serverCharsetName);
  }

  put(table: TableDefinition): void {
    this.tableMap.set(key(table.id), table);
  }

  remove(id: TableId): boolean {
    return this.tableMap.delete(key(id));
  }

  clone(): SchemaModel {
    return new SchemaModel({ flavor: this.flavor, serverCharset: this.serverCharsetName }, new Map(this.tableMap), new Map(this.databaseCharsets));
  }

  /** Applies a change as recorded in the schema history (recovery): no parsing involved. */
  applyChange(change: Pick<SchemaChange, 'type' | 'id' | 'previousId' | 'table'>): void {
    if (change.previousId) this.remove(change.previousId);
    if (change.type === 'DROP' || change.table === null) this.remove(change.id);
    else this.put(change.table);
  }

  /** Parses and applies `ddl`; returns the table changes it made. Throws DdlParseError. */
  apply(ddl: string, defaultDatabase: string | null): SchemaChange[] {
    return [...this.applyStatements(ddl, defaultDatabase).changes];
  }

  applyStatements(ddl: string, defaultDatabase: string | null): ApplyResult {
    const parsed = parseDdl(ddl, { flavor: this.flavor });
    let current = defaultDatabase;
    const statements: AppliedStatement[] = [];
    for (const statement of parsed) {
      if (statement.kind === 'use') current = statement.database;
      statements.push(this.applyOne(statement, current));
    }
    return { statements, changes: statements.flatMap((s) => s.changes), defaultDatabase: current };
  }

  private resolve(name: QualifiedName, current: string | null, statement: DdlStatement): TableId {
    const database = name.database ?? current;
    if (database === null || database === '') {
      throw new DdlParseError(`no database selected for table '${name.name}'`, statement.text, 0);
    }
    return { database, table: name.name };
  }

  private applyOne(statement: DdlStatement, current: string | null): AppliedStatement {
    const result = (databaseName: string | null, extra: Partial<AppliedStatement> = {}): AppliedStatement => ({
      kind: statement.kind,
      ddl: statement.text,
      databaseName: databaseName ?? current ?? '',
      changes: [],
      truncated: null,
      needsReread: null,
      database: null,
      ignored: false,
      ...extra,
    });
    const change = (type: SchemaChangeType, id: TableId, table: TableDefinition | null, previousId?: TableId): SchemaChange => ({
      type, id, table, databaseName: id.database, ddl: statement.text, ...(previousId ? { previousId } : {}),
    });

    switch (statement.kind) {
      case 'create-table': {
        const id = this.resolve(statement.table, current, statement);
        if (statement.ifNotExists && this.tableFor(id)) return result(id.database);
        if (statement.asSelect) return result(id.database, { needsReread: id });
        if (statement.like) {
          const source = this.tableFor(this.resolve(statement.like, current, statement));
          if (!source) return result(id.database, { needsReread: id });
          const copy = TableBuilder.from(source);
          copy.id = id;
          const table = copy.build();
          this.put(table);
          return result(id.database, { changes: [change('CREATE', id, table)] });
        }
        const charset = statement.options.charset ?? this.databaseCharset(id.database);
        const builder = new TableBuilder(id, charset, statement.options.comment);
        for (const spec of statement.columns) builder.placeColumn(spec, builder.columns.length);
        for (const k of statement.keys) builder.applyKey(k);
        const table = builder.build();
        this.put(table);
        return result(id.database, { changes: [change('CREATE', id, table)] });
      }
      case 'alter-table': {
        const id = this.resolve(statement.table, current, statement);
        const existing = this.tableFor(id);
        if (!existing) return result(id.database);
        const builder = TableBuilder.from(existing);
        for (const action of statement.actions) this.applyAction(builder, action, current, statement);
        const table = builder.build();
        const renamed = key(builder.id) !== key(id);
        if (renamed) this.remove(id);
        this.put(table);
        return result(id.database, { changes: [change('ALTER', builder.id, table, renamed ? id : undefined)] });
      }
      case 'rename-tables': {
        const changes: SchemaChange[] = [];
        for (const [fromName, toName] of statement.pairs) {
          const from = this.resolve(fromName, current, statement);
          const to = this.resolve(toName, current, statement);
          const existing = this.tableFor(from);
          if (!existing) continue;
          const builder = TableBuilder.from(existing);
          builder.id = to;
          const table = builder.build();
          this.remove(from);
          this.put(table);
          changes.push(change('ALTER', to, table, from));
        }
        const first = statement.pairs[0];
        return result(first ? this.resolve(first[0], current, statement).database : null, { changes });
      }
      case 'drop-tables': {
        const changes: SchemaChange[] = [];
        let database: string | null = null;
        for (const name of statement.tables) {
          const id = this.resolve(name, current, statement);
          database ??= id.database;
          const dropped = this.tableFor(id);
          if (dropped && this.remove(id)) changes.push(change('DROP', id, dropped));
        }
        return result(database, { changes });
      }
      case 'truncate-table': {
        const id = this.resolve(statement.table, current, statement);
        return result(id.database, { truncated: id });
      }
      case 'create-unique-index': {
        const id = this.resolve(statement.table, current, statement);
        const existing = this.tableFor(id);
        if (!existing || existing.primaryKeyColumnNames.length > 0) return result(id.database, { ignored: true });
        const builder = TableBuilder.from(existing);
        if (!builder.applyKey({ kind: 'unique', columns: statement.columns })) return result(id.database, { ignored: true });
        const table = builder.build();
        this.put(table);
        return result(id.database, { changes: [change('ALTER', id, table)] });
      }
      case 'create-database': {
        if (!(statement.ifNotExists && this.databaseCharsets.has(statement.database))) {
          this.setDatabaseCharset(statement.database, statement.charset);
        }
        return result(statement.database, { database: { type: 'CREATE', name: statement.database } });
      }
      case 'alter-database': {
        const name = statement.database ?? current;
        if (name === null) throw new DdlParseError('no database selected for ALTER DATABASE', statement.text, 0);
        if (statement.charset) this.setDatabaseCharset(name, statement.charset);
        return result(name, { database: { type: 'ALTER', name } });
      }
      case 'drop-database': {
        const changes: SchemaChange[] = [];
        for (const table of this.tables()) {
          if (table.id.database === statement.database) {
            this.remove(table.id);
            changes.push(change('DROP', table.id, table));
          }
        }
        this.databaseCharsets.delete(statement.database);
        return result(statement.database, { changes, database: { type: 'DROP', name: statement.database } });
      }
      case 'use':
        return result(statement.database, { ignored: true });
      case 'set-variable':
        for (const { variable, value } of statement.assignments) {
          if (variable === 'character_set_server') this.serverCharsetName = value;
          else if (current) this.setDatabaseCharset(current, value);
        }
        return result(null, { ignored: true });
      case 'ignored':
        return result(null, { ignored: true });
    }
  }

  private applyAction(builder: TableBuilder, action: AlterAction, current: string | null, statement: DdlStatement): void {
    const missing = (name: string) => new DdlParseError(`column '${name}' does not exist in ${builder.id.database}.${builder.id.table}`, statement.text, 0);
    const insertAt = (placement: { first: true } | { after: string } | null, fallback: number): number => {
      if (placement === null) return fallback;
      if ('first' in placement) return 0;
      const i = builder.indexOf(placement.after);
      if (i < 0) throw missing(placement.after);
      return i + 1;
    };
    switch (action.kind) {
      case 'add-column': {
        const existing = builder.indexOf(action.column.name);
        if (existing >= 0) {
          if (action.ifNotExists) return;
          builder.columns.splice(existing, 1);
        }
        builder.placeColumn(action.column, insertAt(action.placement, builder.columns.length));
        return;
      }
      case 'change-column': {
        const index = builder.indexOf(action.oldName);
        if (index < 0) {
          if (action.ifExists) return;
          throw missing(action.oldName);
        }
        const oldName = builder.columns[index]!.name;
        builder.columns.splice(index, 1);
        if (oldName.toLowerCase() !== action.column.name.toLowerCase() || oldName !== action.column.name) {
          builder.renameInKey(oldName, action.column.name);
        }
        builder.placeColumn(action.column, insertAt(action.placement, index));
        return;
      }
      case 'drop-column': {
        const index = builder.indexOf(action.name);
        if (index < 0) {
          if (action.ifExists) return;
          throw missing(action.name);
        }
        builder.dropFromKey(builder.columns[index]!.name);
        builder.columns.splice(index, 1);
        return;
      }
      case 'rename-column': {
        const column = builder.column(action.from);
        if (!column) throw missing(action.from);
        builder.renameInKey(column.name, action.to);
        column.name = action.to;
        return;
      }
      case 'set-default': {
        const column = builder.column(action.column);
        if (!column) throw missing(action.column);
        column.defaultValueExpression = action.defaultValueExpression;
        return;
      }
      case 'drop-default': {
        const column = builder.column(action.column);
        if (!column) throw missing(action.column);
        column.defaultValueExpression = null;
        return;
      }
      case 'add-key':
        builder.applyKey(action.key);
        return;
      case 'drop-primary-key':
        builder.primaryKey = [];
        return;
      case 'rename-table':
        // An unqualified new name is in the default database, as on the server.
        builder.id = this.resolve(action.to, current ?? builder.id.database, statement);
        return;
      case 'convert-charset':
        builder.convertCharset(action.charset ?? this.databaseCharset(builder.id.database));
        return;
      case 'table-options':
        if (action.options.charset) builder.charset = action.options.charset;
        if (action.options.comment !== null) builder.comment = action.options.comment;
        return;
    }
  }
}

