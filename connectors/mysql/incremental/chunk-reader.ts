/**
 * The database side of an incremental snapshot, on its own autocommit connection (each SELECT
 * sees what was committed when it ran, which the watermarks bracket): watermark rows written to
 * the signal table, the table's largest key, and one chunk of rows ordered by key.
 *
 * Chunks: `WHERE <key> > last AND <key> <= maximum [AND (condition)] ORDER BY <key> LIMIT n`,
 * with composite keys expanded to `(a > x) OR (a = x AND b > y)`. Rows come through the snapshot
 * typeCast, so they have the shapes the binlog decoder gives the same rows.
 */
import type { Connection } from 'mysql2/promise';
import type { TypeCast } from 'mysql2';
import { snapshotTypeCast } from '../events/snapshot-values.js';
import { loadMysqlModule } from '../connection/mysql-module.js';
import { columnKind } from '../events/column-kind.js';
import type { TableDefinition, TableId } from '../schema/table-definition.js';
import type { ColumnValue } from '../values/column-value.js';
import { sqlLiteral, type KeyValues } from './key-values.js';

const quote = (name: string): string => `\`${name.replace(/`/g, '``')}\``;
const tableName = (id: TableId): string => `${quote(id.database)}.${quote(id.table)}`;

/** Key column kinds whose ORDER BY matches `>` comparisons with a literal. */
const ORDERABLE = new Set(['integer', 'bigint', 'decimal', 'string', 'binary', 'year', 'date', 'time', 'datetime', 'timestamp', 'uuid', 'boolean']);

/** Why `columns` cannot key an incremental snapshot of `table`, or null when they can. */
export function unusableKey(table: TableDefinition, columns: readonly string[]): string | null {
  if (columns.length === 0) return 'it has no primary key';
  for (const name of columns) {
    const column = table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (column === undefined) return `it has no column ${name}`;
    let kind: string;
    try {
      kind = columnKind(column).kind;
    } catch (error) {
      return (error as Error).message;
    }
    if (!ORDERABLE.has(kind)) return `key column ${column.name} is ${column.typeName}, whose order cannot be resumed from a value`;
  }
  return null;
}

export interface ChunkRequest {
  readonly table: TableDefinition;
  /** Indexes of the key columns in table order. */
  readonly keyColumns: readonly number[];
  readonly after: KeyValues | null;
  readonly upTo: KeyValues;
  readonly condition: string | null;
  readonly limit: number;
}

export class ChunkReader {
  #conn: Connection | null = null;

  constructor(private readonly openConnection: () => Promise<Connection>) {}

  async #connection(): Promise<Connection> {
    if (this.#conn === null) {
      const conn = await this.openConnection();
      try {
        await conn.query("SET SESSION time_zone = '+00:00'");
      } catch (error) {
        conn.destroy();
        throw error;
      }
      this.#conn = conn;
    }
    return this.#conn;
  }

  /** Runs `work` on the connection; a failed connection is dropped so the next call reconnects. */
  async #with<T>(work: (conn: Connection) => Promise<T>): Promise<T> {
    const conn = await this.#connection();
    try {
      return await work(conn);
    } catch (error) {
      if ((error as { fatal?: boolean }).fatal) {
        this.#conn = null;
        conn.destroy();
      }
      throw error;
    }
  }

  async insertSignal(signalTable: TableId, id: string, type: string, data: string | null): Promise<void> {
    await this.#with((conn) => conn.query(`INSERT INTO ${tableName(signalTable)} VALUES (?, ?, ?)`, [id, type, data]));
  }

  async deleteSignal(signalTable: TableId, id: string): Promise<void> {
    const key = quote('id');
    await this.#with((conn) => conn.query(`DELETE FROM ${tableName(signalTable)} WHERE ${key} = ?`, [id]));
  }

  /** The largest key (null for an empty table). */
  async maximumKey(table: TableDefinition, keyColumns: readonly number[], condition: string | null): Promise<KeyValues | null> {
    const order = keyColumns.map((i) => `${quote(table.columns[i]!.name)} DESC`).join(', ');
    const where = condition === null ? '' : ` WHERE (${condition})`;
    const rows = await this.#select(table, `SELECT * FROM ${tableName(table.id)}${where} ORDER BY ${order} LIMIT 1`);
    const row = rows[0];
    return row === undefined ? null : keyColumns.map((i) => row[i] ?? null);
  }

  /** The next chunk's rows (whole rows in table column order), in key order. */
  async chunk(request: ChunkRequest): Promise<ColumnValue[][]> {
    const { table, keyColumns } = request;
    const mysql = await loadMysqlModule();
    const escape = (v: unknown): string => mysql.escape(v as string | Buffer);
    const conditions: string[] = [];
    if (request.after !== null) conditions.push(greaterThan(table, keyColumns, request.after, escape));
    conditions.push(`NOT ${greaterThan(table, keyColumns, request.upTo, escape)}`);
    if (request.condition !== null) conditions.push(`(${request.condition})`);
    const order = keyColumns.map((i) => quote(table.columns[i]!.name)).join(', ');
    return this.#select(table, `SELECT * FROM ${tableName(table.id)} WHERE ${conditions.join(' AND ')} ORDER BY ${order} LIMIT ${request.limit}`);
  }

  async #select(table: TableDefinition, sql: string): Promise<ColumnValue[][]> {
    return this.#with(async (conn) => {
      const [rows] = await conn.query({ sql, rowsAsArray: true, typeCast: snapshotTypeCast(table) as unknown as TypeCast });
      return rows as unknown as ColumnValue[][];
    });
  }

  async close(): Promise<void> {
    const conn = this.#conn;
    this.#conn = null;
    if (conn !== null) await conn.end().catch(() => conn.destroy());
  }
}

/** `(k1 > v1) OR (k1 = v1 AND k2 > v2) OR ...` as one parenthesised condition. */
function greaterThan(table: TableDefinition, keyColumns: readonly number[], key: KeyValues, escape: (value: unknown) => string): string {
  const literal = (n: number): string => sqlLiteral(table, keyColumns[n]!, key[n] ?? null, escape);
  const name = (n: number): string => quote(table.columns[keyColumns[n]!]!.name);
  const terms: string[] = [];
  for (let i = 0; i < keyColumns.length; i++) {
    const equal = Array.from({ length: i }, (_, j) => `${name(j)} = ${literal(j)}`);
    terms.push(`(${[...equal, `${name(i)} > ${literal(i)}`].join(' AND ')})`);
  }
  return `(${terms.join(' OR ')})`;
}
