/**
 * The snapshot baseline: `SELECT *` of the snapshot table with mysql2 (callback API, default
 * options: rows as objects, DATETIME as Date), streamed row by row into nothing. What a Node
 * client of the same driver pays to read the rows, and what the database serves, without
 * any change events.
 */
import mysql from 'mysql2';
import type { MariaDbServer } from '../../test/helpers/mariadb-server.js';

export interface SelectOutcome {
  rows: number;
  seconds: number;
}

export async function selectIntoNothing(db: MariaDbServer, table: string): Promise<SelectOutcome> {
  const conn = mysql.createConnection({ host: db.host, port: db.port, user: 'root' });
  try {
    const start = performance.now();
    const rows = await new Promise<number>((resolve, reject) => {
      let count = 0;
      conn.query(`SELECT * FROM ${table}`)
        .on('result', () => { count++; })
        .on('error', reject)
        .on('end', () => resolve(count));
    });
    return { rows, seconds: (performance.now() - start) / 1000 };
  } finally {
    await new Promise<void>((resolve) => conn.end(() => resolve()));
  }
}
