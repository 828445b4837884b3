/**
 * What the connector requires of the server, checked before it reads anything, each refused
 * with the setting or grant to change: a binlog in ROW format with full row images, no
 * compressed or partial-JSON events, and the grants that snapshots and the binlog dump need.
 */
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { ConnectError } from '../../sdk/errors.js';

export type ServerFlavor = 'mysql' | 'mariadb';

export interface ServerFacts {
  readonly flavor: ServerFlavor;
  readonly version: string;
  readonly serverId: number;
  readonly gtidMode: boolean;
}

async function variables(conn: Connection, names: readonly string[]): Promise<Map<string, string>> {
  const [rows] = await conn.query<RowDataPacket[]>(
    `SHOW GLOBAL VARIABLES WHERE Variable_name IN (${names.map(() => '?').join(', ')})`, names as string[]);
  return new Map(rows.map((r) => [String(r.Variable_name).toLowerCase(), String(r.Value ?? '')]));
}

export async function inspectServer(conn: Connection): Promise<ServerFacts> {
  const vars = await variables(conn, [
    'version', 'version_comment', 'log_bin', 'binlog_format', 'binlog_row_image', 'server_id', 'gtid_mode',
    'log_bin_compress', 'binlog_transaction_compression', 'binlog_row_value_options',
  ]);
  const version = vars.get('version') ?? '';
  const flavor: ServerFlavor = /mariadb/i.test(`${version} ${vars.get('version_comment') ?? ''}`) ? 'mariadb' : 'mysql';
  const problems: string[] = [];
  if ((vars.get('log_bin') ?? 'OFF').toUpperCase() !== 'ON') {
    problems.push('the binary log is off (log_bin=OFF): start the server with log-bin (and a server-id)');
  }
  const format = (vars.get('binlog_format') ?? '').toUpperCase();
  if (format !== 'ROW') problems.push(`binlog_format is ${format || 'unset'}: set binlog_format=ROW`);
  const image = (vars.get('binlog_row_image') ?? 'FULL').toUpperCase();
  if (image !== 'FULL') problems.push(`binlog_row_image is ${image}: set binlog_row_image=FULL`);
  if ((vars.get('log_bin_compress') ?? 'OFF').toUpperCase() === 'ON') problems.push('log_bin_compress is ON: set log_bin_compress=OFF');
  if ((vars.get('binlog_transaction_compression') ?? 'OFF').toUpperCase() === 'ON') {
    problems.push('binlog_transaction_compression is ON: set binlog_transaction_compression=OFF');
  }
  if (/PARTIAL_JSON/i.test(vars.get('binlog_row_value_options') ?? '')) {
    problems.push("binlog_row_value_options is PARTIAL_JSON: set binlog_row_value_options=''");
  }
  if (problems.length > 0) {
    throw new ConnectError(`The ${flavor === 'mariadb' ? 'MariaDB' : 'MySQL'} server is not configured for change data capture: `
      + `${problems.join('; ')}. Change the server configuration (SET GLOBAL and the option file) and restart the connector.`);
  }
  const gtidMode = flavor === 'mariadb' || (vars.get('gtid_mode') ?? 'OFF').toUpperCase() === 'ON';
  return { flavor, version, serverId: Number(vars.get('server_id') ?? 0), gtidMode };
}

/** Grants by what they let the connector do; each entry lists the names that satisfy it. */
const NEEDED_GRANTS: ReadonlyArray<{ grant: string; satisfiedBy: readonly string[] }> = [
  { grant: 'SELECT', satisfiedBy: ['SELECT'] },
  { grant: 'REPLICATION SLAVE', satisfiedBy: ['REPLICATION SLAVE', 'REPLICATION REPLICA'] },
  { grant: 'REPLICATION CLIENT', satisfiedBy: ['REPLICATION CLIENT', 'BINLOG MONITOR', 'SUPER'] },
];

export const DOCUMENTED_GRANTS = 'SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT';

/** Refuses to start when the user lacks a grant the binlog dump or the snapshot needs, naming them all. */
export async function checkGrants(conn: Connection, user: string): Promise<void> {
  const [rows] = await conn.query<RowDataPacket[]>('SHOW GRANTS FOR CURRENT_USER()');
  const global = new Set<string>();
  for (const row of rows) {
    const text = String(Object.values(row)[0] ?? '');
    const match = /^GRANT\s+(.+?)\s+ON\s+\*\.\*\s+TO\s/i.exec(text);
    if (!match) continue;
    for (const part of match[1]!.split(',')) global.add(part.trim().toUpperCase().replace(/\s+/g, ' '));
  }
  if (global.has('ALL PRIVILEGES')) return;
  const missing = NEEDED_GRANTS.filter((g) => !g.satisfiedBy.some((name) => global.has(name))).map((g) => g.grant);
  if (missing.length === 0) return;
  throw new ConnectError(`User '${user}' lacks the grants the connector needs: ${missing.join(', ')}. `
    + `Grant them with: GRANT ${DOCUMENTED_GRANTS} ON *.* TO '${user}'@'%'`);
}
