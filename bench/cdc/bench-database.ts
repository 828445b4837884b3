/**
 * The database side of the CDC benchmark: a private MariaDB (test/helpers/mariadb-server.ts)
 * with a ROW binlog, the `bench` schema, a CDC user with Debezium's grants, the snapshot
 * table filled without touching the binlog, and the binlog coordinates the streaming range
 * is cut from.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startMariaDb, type MariaDbServer } from '../../test/helpers/mariadb-server.js';

export const DATABASE = 'bench';
export const SNAPSHOT_TABLE = 'snap';
export const LOAD_TABLE = 'stream_rows';
export const CDC_USER = 'cdc';
export const CDC_PASSWORD = 'cdc-bench-pw';

/** The narrow row of the issue: id INT PK, a INT, b VARCHAR(32), c DATETIME. */
const NARROW_COLUMNS = 'id INT PRIMARY KEY, a INT NOT NULL, b VARCHAR(32) NOT NULL, c DATETIME NOT NULL';

export interface BinlogPosition {
  file: string;
  pos: number;
}

export async function startBenchDatabase(): Promise<MariaDbServer> {
  // Commits need not reach the disk: the load is written before anything is measured.
  const db = await startMariaDb({ extraArgs: ['--innodb-flush-log-at-trx-commit=2', '--innodb-buffer-pool-size=512M'] });
  await db.createCdcUser(CDC_USER, CDC_PASSWORD);
  await db.query(`CREATE DATABASE ${DATABASE};
    CREATE TABLE ${DATABASE}.${SNAPSHOT_TABLE} (${NARROW_COLUMNS}) DEFAULT CHARSET=utf8mb4;
    CREATE TABLE ${DATABASE}.${LOAD_TABLE} (${NARROW_COLUMNS}) DEFAULT CHARSET=utf8mb4;`);
  return db;
}

/**
 * Fills the snapshot table with `rows` rows from MariaDB's sequence engine, outside the binlog
 * (sql_log_bin=0), in chunks so no transaction grows huge.
 */
export async function fillSnapshotTable(db: MariaDbServer, rows: number): Promise<void> {
  const conn = await db.connect(DATABASE);
  try {
    await conn.query('SET SESSION sql_log_bin = 0');
    const chunk = 200_000;
    for (let from = 1; from <= rows; from += chunk) {
      const to = Math.min(rows, from + chunk - 1);
      await conn.query(`INSERT INTO ${SNAPSHOT_TABLE} (id, a, b, c)
        SELECT seq, (seq * 7919) % 1000003, CONCAT('row-', LPAD(seq, 12, '0')), TIMESTAMP('2024-01-01') + INTERVAL seq SECOND
        FROM seq_${from}_to_${to}`);
    }
    await conn.query(`ANALYZE TABLE ${SNAPSHOT_TABLE}`);
  } finally {
    await conn.end();
  }
}

export async function binlogPosition(db: MariaDbServer): Promise<BinlogPosition> {
  const rows = await db.query<Array<{ File: string; Position: number | string }>>('SHOW MASTER STATUS');
  const row = rows[0];
  if (!row) throw new Error('SHOW MASTER STATUS returned nothing: is the binlog enabled?');
  return { file: row.File, pos: Number(row.Position) };
}

/** The mariadbd process id, from its pid file, to charge the database its CPU time. */
export function databasePid(db: MariaDbServer): number {
  return Number(fs.readFileSync(path.join(db.dataDir, 'mysqld.pid'), 'utf8').trim());
}
