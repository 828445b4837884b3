/**
 * The initial snapshot: every captured table's rows as `op: "r"` events, all consistent with one
 * binlog position from which streaming then continues without a gap.
 *
 * Consistency without a global read lock: one REPEATABLE READ transaction opened WITH CONSISTENT
 * SNAPSHOT. On MariaDB the status variables binlog_snapshot_file/position give the binlog
 * position of exactly that snapshot, so no lock is needed at all. On MySQL the position is read
 * under FLUSH TABLES WITH READ LOCK (minimal: released as soon as position and schema are read;
 * extended: held to the end; none: no lock, consistent only if nothing writes meanwhile).
 * Each captured table is touched inside the transaction before its definition is read, which
 * takes a metadata lock: DDL on it then waits until the snapshot ends, and a table changed between
 * the snapshot point and that read makes the server refuse the read (retry from scratch).
 *
 * Rows stream from the server (mysql2's streaming query with a bounded buffer), so memory stays
 * flat whatever the table size. One record is held back so that the very last one can carry the
 * `last` marker and an offset without the `snapshot` key: once it is committed, a restart streams.
 * A snapshot interrupted earlier leaves offsets marked `snapshot`, and the next start takes it
 * again from the beginning: duplicates of `r` events are possible, gaps are not.
 */
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { Connection as CallbackConnection, TypeCast } from 'mysql2';
import type { TaskLogger } from '../../sdk/task-logger.js';
import type { BinlogOffset } from '../offsets/binlog-offset.js';
import type { ServerFlavor } from '../connection/server-checks.js';
import type { TableDefinition, TableId } from '../schema/table-definition.js';
import type { ColumnValue } from '../values/column-value.js';

export type SnapshotMarker = 'first' | 'first_in_data_collection' | 'true' | 'last_in_data_collection' | 'last';

export interface SnapshotPosition {
  readonly file: string;
  readonly pos: number;
  readonly gtids: string | null;
}

export interface SnapshotRowSink {
  snapshotRow(table: TableDefinition, values: readonly ColumnValue[], marker: SnapshotMarker, offset: BinlogOffset, signal: AbortSignal): Promise<boolean>;
}

export interface SnapshotSchemaHandler {
  /** The captured tables, in snapshot order. */
  capturedTables(conn: Connection): Promise<TableId[]>;
  /**
   * Reads the definitions of the tables (inside the snapshot transaction), records them in the
   * schema history at `position` and publishes schema-change events; returns the definitions.
   */
  captureSchema(conn: Connection, tables: readonly TableId[], position: BinlogOffset, signal: AbortSignal): Promise<Map<string, TableDefinition>>;
}

export interface SnapshotOptions {
  readonly openConnection: () => Promise<Connection>;
  readonly flavor: ServerFlavor;
  readonly lockingMode: string;
  /** false for no_data: the schema only. */
  readonly withData: boolean;
  readonly includeData: (id: TableId) => boolean;
  readonly fetchSize: number | null;
  readonly typeCastFor: (table: TableDefinition) => TypeCast;
  readonly schema: SnapshotSchemaHandler;
  readonly sink: SnapshotRowSink;
  readonly serverId: number;
  readonly logger: TaskLogger;
}

interface HeldRow {
  table: TableDefinition;
  values: readonly ColumnValue[];
  firstInTable: boolean;
  firstOverall: boolean;
}

const quote = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

export interface SnapshotOutcome {
  /** Where streaming continues. */
  readonly start: BinlogOffset;
  /**
   * Whether a record carrying `start` (the completed snapshot) was emitted. When none was (schema
   * only, or no rows at all) the caller must emit one, or a restart would take the snapshot again
   * at a later position and miss the changes in between.
   */
  readonly completionRecorded: boolean;
}

export async function runSnapshot(options: SnapshotOptions, signal: AbortSignal): Promise<SnapshotOutcome> {
  const conn = await options.openConnection();
  let locked = false;
  try {
    await conn.query("SET SESSION time_zone = '+00:00'");
    await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const lockGlobally = options.flavor === 'mysql' && options.lockingMode !== 'none';
    if (lockGlobally) {
      try {
        await conn.query('FLUSH TABLES WITH READ LOCK');
        locked = true;
      } catch (error) {
        options.logger.warn({ err: error }, 'FLUSH TABLES WITH READ LOCK was refused (no RELOAD grant?); the snapshot continues without a global lock');
      }
    }
    await conn.query('START TRANSACTION WITH CONSISTENT SNAPSHOT');
    const position = await snapshotPosition(conn, options.flavor);
    const startedSec = Math.floor(Date.now() / 1000);
    const tables = await options.schema.capturedTables(conn);
    for (const id of tables) await conn.query(`SELECT 1 FROM ${quote(id.database)}.${quote(id.table)} LIMIT 0`);
    const snapshotOffset: BinlogOffset = {
      file: position.file, pos: position.pos, gtids: position.gtids, event: 0, row: 0,
      serverId: 0, tsSec: startedSec, snapshot: 'INITIAL', incremental: {},
    };
    const definitions = await options.schema.captureSchema(conn, tables, snapshotOffset, signal);
    if (locked && options.lockingMode !== 'extended') {
      await conn.query('UNLOCK TABLES');
      locked = false;
    }
    options.logger.info({ file: position.file, pos: position.pos, gtids: position.gtids, tables: tables.length },
      `Snapshot at ${position.file}:${position.pos}${options.withData ? '' : ' (schema only)'} of ${tables.length} table(s)`);
    const streamingStart: BinlogOffset = { ...snapshotOffset, snapshot: null };
    let completionRecorded = false;
    if (options.withData) {
      const dataTables = tables.filter((id) => options.includeData(id));
      completionRecorded = await readRows(conn, dataTables, definitions, snapshotOffset, streamingStart, options, signal);
    }
    await conn.query('COMMIT');
    return { start: streamingStart, completionRecorded };
  } finally {
    if (locked) await conn.query('UNLOCK TABLES').catch(() => undefined);
    await conn.end().catch(() => conn.destroy());
  }
}

async function snapshotPosition(conn: Connection, flavor: ServerFlavor): Promise<SnapshotPosition> {
  if (flavor === 'mariadb') {
    const [rows] = await conn.query<RowDataPacket[]>("SHOW STATUS WHERE Variable_name IN ('binlog_snapshot_file', 'binlog_snapshot_position')");
    const status = new Map(rows.map((r) => [String(r.Variable_name).toLowerCase(), String(r.Value)]));
    const file = status.get('binlog_snapshot_file') ?? '';
    const pos = Number(status.get('binlog_snapshot_position') ?? 0);
    if (file === '') throw new Error('The server reported no binlog_snapshot_file: is the binary log enabled?');
    const [gtidRows] = await conn.query<RowDataPacket[]>('SELECT BINLOG_GTID_POS(?, ?) AS gtids', [file, pos]);
    const gtids = gtidRows[0]?.gtids;
    return { file, pos, gtids: typeof gtids === 'string' && gtids !== '' ? gtids : null };
  }
  let rows: RowDataPacket[];
  try {
    [rows] = await conn.query<RowDataPacket[]>('SHOW BINARY LOG STATUS');
  } catch {
    [rows] = await conn.query<RowDataPacket[]>('SHOW MASTER STATUS');
  }
  const row = rows[0];
  if (row === undefined) throw new Error('The server reported no binary log status: is the binary log enabled?');
  const gtids = String(row.Executed_Gtid_Set ?? '').replace(/\s+/g, '');
  return { file: String(row.File), pos: Number(row.Position), gtids: gtids === '' ? null : gtids };
}

async function readRows(
  conn: Connection,
  tables: readonly TableId[],
  definitions: ReadonlyMap<string, TableDefinition>,
  rowOffset: BinlogOffset,
  finalOffset: BinlogOffset,
  options: SnapshotOptions,
  signal: AbortSignal,
): Promise<boolean> {
  let held: HeldRow | null = null;
  let firstOverall = true;
  const release = async (row: HeldRow, lastInTable: boolean, lastOverall: boolean): Promise<boolean> => {
    const marker: SnapshotMarker = lastOverall ? 'last'
      : row.firstOverall ? 'first'
        : lastInTable ? 'last_in_data_collection'
          : row.firstInTable ? 'first_in_data_collection' : 'true';
    return options.sink.snapshotRow(row.table, row.values, marker, lastOverall ? finalOffset : rowOffset, signal);
  };
  for (let t = 0; t < tables.length; t++) {
    const id = tables[t]!;
    const table = definitions.get(`${id.database}.${id.table}`);
    if (table === undefined) continue;
    const started = Date.now();
    let count = 0;
    // mysql2's promise wrapper keeps the callback connection, whose queries can stream.
    const core = (conn as unknown as { connection: CallbackConnection }).connection;
    const query = core.query({
      sql: `SELECT * FROM ${quote(id.database)}.${quote(id.table)}`,
      rowsAsArray: true,
      typeCast: options.typeCastFor(table),
    });
    const stream = query.stream({ highWaterMark: Math.max(16, options.fetchSize ?? 1024) });
    try {
      for await (const row of stream as AsyncIterable<ColumnValue[]>) {
        if (signal.aborted) return false;
        if (held !== null && !(await release(held, held.table !== table, false))) return false;
        held = { table, values: row, firstInTable: count === 0, firstOverall };
        firstOverall = false;
        count++;
      }
    } finally {
      stream.destroy();
    }
    options.logger.info({ table: `${id.database}.${id.table}`, rows: count, ms: Date.now() - started },
      `Snapshot of ${id.database}.${id.table}: ${count} row(s)`);
  }
  return held !== null && await release(held, true, true);
}
