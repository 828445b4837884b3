/**
 * The streaming load: a steady mix of inserts and updates of narrow rows, written as
 * autocommitted multi-row statements of `rowsPerTransaction` rows, alternating: INSERT of the
 * next block of new rows, then UPDATE of that block (every column but the key). So half the
 * changes are creates and half are updates (with before and after images), every transaction
 * carries the same number of rows, and each row change becomes exactly one record.
 */
import type { MariaDbServer } from '../../test/helpers/mariadb-server.js';
import { DATABASE, LOAD_TABLE } from './bench-database.js';

export interface LoadOutcome {
  changes: number;
  transactions: number;
  seconds: number;
}

/** Writes `changes` row changes (rounded up to whole insert + update pairs). */
export async function writeChangeLoad(db: MariaDbServer, changes: number, rowsPerTransaction: number): Promise<LoadOutcome> {
  const conn = await db.connect(DATABASE);
  const pairs = Math.max(1, Math.ceil(changes / (2 * rowsPerTransaction)));
  const start = performance.now();
  try {
    for (let p = 0; p < pairs; p++) {
      const first = p * rowsPerTransaction + 1;
      const last = first + rowsPerTransaction - 1;
      const values: string[] = [];
      for (let id = first; id <= last; id++) {
        values.push(`(${id},${id % 1000},'load-${String(id).padStart(12, '0')}',TIMESTAMP('2024-01-01') + INTERVAL ${id} SECOND)`);
      }
      await conn.query(`INSERT INTO ${LOAD_TABLE} (id, a, b, c) VALUES ${values.join(',')}`);
      await conn.query(`UPDATE ${LOAD_TABLE} SET a = a + 1, b = CONCAT('upd-', LPAD(id, 12, '0')), c = c + INTERVAL 1 DAY
        WHERE id BETWEEN ${first} AND ${last}`);
    }
  } finally {
    await conn.end();
  }
  return { changes: pairs * 2 * rowsPerTransaction, transactions: pairs * 2, seconds: (performance.now() - start) / 1000 };
}
