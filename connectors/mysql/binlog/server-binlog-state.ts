/**
 * What the connector asks the server before and while streaming: flavor, binlog settings, the
 * current position, GTID state and the list of binlog files. Runs on an ordinary (control)
 * connection. MySQL ≥ 8.2 says `SHOW BINARY LOG STATUS` (8.4 dropped `SHOW MASTER STATUS`).
 */
import type { Connection, RowDataPacket } from 'mysql2/promise';

export interface BinlogFile {
  readonly name: string;
  readonly size: number;
}

export interface ServerBinlogState {
  readonly flavor: 'mariadb' | 'mysql';
  readonly version: string;
  readonly serverId: number;
  /** `ROW`, `MIXED`, `STATEMENT`. */
  readonly binlogFormat: string;
  /** `FULL`, `MINIMAL`, `NOBLOB`. */
  readonly binlogRowImage: string;
  /** `CRC32` or `NONE`. */
  readonly binlogChecksum: string;
  /** Current binlog file and position; null when binary logging is off. */
  readonly file: string | null;
  readonly position: number | null;
  /** MySQL: @@gtid_mode (`ON`, `OFF`, ...); null on MariaDB. */
  readonly gtidMode: string | null;
  /** MySQL: @@gtid_executed / @@gtid_purged (newlines removed). */
  readonly gtidExecuted: string | null;
  readonly gtidPurged: string | null;
  /** MariaDB: @@gtid_binlog_pos / @@gtid_current_pos. */
  readonly gtidBinlogPos: string | null;
  readonly gtidCurrentPos: string | null;
  /** `SHOW BINARY LOGS`, oldest first. */
  readonly binaryLogs: readonly BinlogFile[];
}

export function flavorOf(version: string): 'mariadb' | 'mysql' {
  return /mariadb/i.test(version) ? 'mariadb' : 'mysql';
}

function usesBinaryLogStatus(version: string): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version);
  return m !== null && (Number(m[1]) > 8 || (Number(m[1]) === 8 && Number(m[2]) >= 2));
}

async function rows(conn: Connection, sql: string): Promise<RowDataPacket[]> {
  const [result] = await conn.query<RowDataPacket[]>(sql);
  return result;
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v).replace(/\s+/g, ''));

export async function readServerBinlogState(conn: Connection): Promise<ServerBinlogState> {
  const [vars] = await rows(conn,
    'SELECT @@version AS version, @@server_id AS serverId, @@global.binlog_format AS binlogFormat, '
    + '@@global.binlog_row_image AS binlogRowImage, @@global.binlog_checksum AS binlogChecksum');
  const version = String(vars!.version);
  const flavor = flavorOf(version);
  let gtid: Record<string, unknown>;
  if (flavor === 'mariadb') {
    [gtid] = (await rows(conn, 'SELECT @@global.gtid_binlog_pos AS binlogPos, @@global.gtid_current_pos AS currentPos')) as [RowDataPacket];
  } else {
    [gtid] = (await rows(conn, 'SELECT @@global.gtid_mode AS mode, @@global.gtid_executed AS executed, @@global.gtid_purged AS purged')) as [RowDataPacket];
  }
  const statusSql = flavor === 'mysql' && usesBinaryLogStatus(version) ? 'SHOW BINARY LOG STATUS' : 'SHOW MASTER STATUS';
  const [status] = await rows(conn, statusSql);
  let binaryLogs: BinlogFile[] = [];
  if (status) {
    binaryLogs = (await rows(conn, 'SHOW BINARY LOGS')).map((r) => ({ name: String(r.Log_name), size: Number(r.File_size) }));
  }
  return {
    flavor,
    version,
    serverId: Number(vars!.serverId),
    binlogFormat: String(vars!.binlogFormat).toUpperCase(),
    binlogRowImage: String(vars!.binlogRowImage).toUpperCase(),
    binlogChecksum: String(vars!.binlogChecksum ?? 'NONE').toUpperCase(),
    file: status ? String(status.File) : null,
    position: status ? Number(status.Position) : null,
    gtidMode: flavor === 'mysql' ? text(gtid!.mode) : null,
    gtidExecuted: flavor === 'mysql' ? text(gtid!.executed) ?? '' : null,
    gtidPurged: flavor === 'mysql' ? text(gtid!.purged) ?? '' : null,
    gtidBinlogPos: flavor === 'mariadb' ? text(gtid!.binlogPos) ?? '' : null,
    gtidCurrentPos: flavor === 'mariadb' ? text(gtid!.currentPos) ?? '' : null,
    binaryLogs,
  };
}
