/**
 * Reads table definitions from a live server the way Debezium's snapshot does: list databases
 * and base tables, run SHOW CREATE TABLE for each captured table, and parse that text with the
 * same DDL parser streaming uses, so a table read at snapshot time and the same table rebuilt
 * from streamed DDL are described alike. Database default charsets come from
 * INFORMATION_SCHEMA.SCHEMATA and the server default from @@character_set_server (MariaDB 10.11
 * defaults to latin1 unless configured).
 */
import type { Flavor } from './column-type.js';
import { SchemaModel } from './schema-model.js';
import type { TableDefinition, TableId } from './table-definition.js';

/** What the reader needs of a mysql2/promise Connection (or Pool). */
export interface QueryRunner {
  query(sql: string, values?: unknown): Promise<[unknown, unknown]>;
}

export interface DatabaseFilter {
  isDatabaseIncluded(database: string): boolean;
  isTableIncluded(id: TableId): boolean;
}

export interface ServerTable {
  readonly id: TableId;
  /** SHOW CREATE TABLE's text: the DDL the schema history records for the snapshot. */
  readonly ddl: string;
  readonly definition: TableDefinition;
}

export interface ServerDatabase {
  readonly name: string;
  readonly charset: string;
  /** SHOW CREATE DATABASE's text. */
  readonly ddl: string;
}

export interface ServerSchema {
  /** A model holding every table read, the database charsets and the server charset. */
  readonly model: SchemaModel;
  readonly databases: readonly ServerDatabase[];
  readonly tables: readonly ServerTable[];
}

export function quoteIdentifier(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

async function rows(conn: QueryRunner, sql: string, values?: unknown[]): Promise<Record<string, unknown>[]> {
  const [result] = await conn.query(sql, values);
  return result as Record<string, unknown>[];
}

export async function readServerCharset(conn: QueryRunner): Promise<string> {
  const [row] = await rows(conn, 'SELECT @@character_set_server AS charset');
  return String(row?.charset ?? 'utf8mb4').toLowerCase();
}

/** Server flavor from VERSION(): MariaDB reports `...-MariaDB...`. */
export async function readFlavor(conn: QueryRunner): Promise<Flavor> {
  const [row] = await rows(conn, 'SELECT VERSION() AS version');
  return /mariadb/i.test(String(row?.version ?? '')) ? 'mariadb' : 'mysql';
}

/** SHOW DATABASES, filtered (system databases go when the filter ignores them). */
export async function listDatabases(conn: QueryRunner, filter?: Pick<DatabaseFilter, 'isDatabaseIncluded'>): Promise<string[]> {
  const names = (await rows(conn, 'SHOW DATABASES')).map((r) => String(Object.values(r)[0]));
  return filter ? names.filter((n) => filter.isDatabaseIncluded(n)) : names;
}

/** Base tables of a database (views excluded). */
export async function listTables(conn: QueryRunner, database: string): Promise<string[]> {
  const result = await rows(conn, `SHOW FULL TABLES FROM ${quoteIdentifier(database)} WHERE Table_type = 'BASE TABLE'`);
  return result.map((r) => String(Object.values(r)[0]));
}

export async function readDatabaseCharsets(conn: QueryRunner): Promise<Map<string, string>> {
  const result = await rows(conn, 'SELECT SCHEMA_NAME AS name, DEFAULT_CHARACTER_SET_NAME AS charset FROM INFORMATION_SCHEMA.SCHEMATA');
  return new Map(result.map((r) => [String(r.name), String(r.charset).toLowerCase()]));
}

export async function showCreateTable(conn: QueryRunner, id: TableId): Promise<string> {
  const [row] = await rows(conn, `SHOW CREATE TABLE ${quoteIdentifier(id.database)}.${quoteIdentifier(id.table)}`);
  const ddl = row?.['Create Table'];
  if (typeof ddl !== 'string') throw new Error(`SHOW CREATE TABLE ${id.database}.${id.table} returned no table definition`);
  return ddl;
}

/**
 * Reads one table's definition into `model` (also the fallback for CREATE TABLE ... AS SELECT
 * during streaming). The model must already know the database's charset.
 */
export async function readTableDefinition(conn: QueryRunner, id: TableId, model: SchemaModel): Promise<ServerTable> {
  const ddl = await showCreateTable(conn, id);
  model.remove(id);
  const changes = model.apply(ddl, id.database);
  const definition = model.tableFor(id);
  if (!definition || changes.length !== 1) throw new Error(`SHOW CREATE TABLE for ${id.database}.${id.table} did not define that table`);
  return { id, ddl, definition };
}

/**
 * Reads the definitions of every table the filter captures, with SHOW CREATE TABLE parsed by the
 * DDL parser. Pass `model` to read into an existing model (its tables are kept).
 */
export async function readTableDefinitions(conn: QueryRunner, filter: DatabaseFilter, options: { flavor?: Flavor; model?: SchemaModel } = {}): Promise<ServerSchema> {
  const flavor = options.flavor ?? options.model?.flavor ?? await readFlavor(conn);
  const serverCharset = await readServerCharset(conn);
  const model = options.model ?? new SchemaModel({ flavor, serverCharset });
  model.setServerCharset(serverCharset);
  const charsets = await readDatabaseCharsets(conn);
  const databases: ServerDatabase[] = [];
  const tables: ServerTable[] = [];
  for (const name of await listDatabases(conn, filter)) {
    const charset = charsets.get(name) ?? serverCharset;
    model.setDatabaseCharset(name, charset);
    const [created] = await rows(conn, `SHOW CREATE DATABASE ${quoteIdentifier(name)}`);
    databases.push({ name, charset, ddl: String(created?.['Create Database'] ?? `CREATE DATABASE ${quoteIdentifier(name)}`) });
    for (const table of await listTables(conn, name)) {
      const id = { database: name, table };
      if (!filter.isTableIncluded(id)) continue;
      tables.push(await readTableDefinition(conn, id, model));
    }
  }
  return { model, databases, tables };
}
