/**
 * snapshotTypeCast against a real MariaDB: a table of every type holding edge values (minimums,
 * maximums, zero dates, negative and > 24 h TIME, multi-byte text in two charsets, padded
 * BINARY, geometry with an SRID) and a row of NULLs, read with `SELECT *` and compared with the
 * ColumnValue shapes the binlog decoder produces (values/column-value.ts), then turned into a
 * snapshot event.
 */
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeEventBuilder } from '../../../../connectors/mysql/events/change-event-builder.js';
import { resolveEventSettings } from '../../../../connectors/mysql/events/event-settings.js';
import { snapshotTypeCast } from '../../../../connectors/mysql/events/snapshot-values.js';
import type { ColumnValue, RowValues } from '../../../../connectors/mysql/values/column-value.js';
import { startTestMariaDb, type MariaDbServer } from '../../../helpers/mariadb.js';
import { column, docsClock, streamingAt, table, userJson } from './event-fixtures.js';

const everyType = table('snap', 'every_type', [
  column('id', 1, 'INT', { optional: false }),
  column('ti', 2, 'TINYINT'), column('tiu', 3, 'TINYINT', { unsigned: true }),
  column('si', 4, 'SMALLINT'), column('siu', 5, 'SMALLINT', { unsigned: true }),
  column('mi', 6, 'MEDIUMINT'), column('miu', 7, 'MEDIUMINT', { unsigned: true }),
  column('i', 8, 'INT'), column('iu', 9, 'INT', { unsigned: true }),
  column('bi', 10, 'BIGINT'), column('biu', 11, 'BIGINT', { unsigned: true }),
  column('bo', 12, 'TINYINT', { length: 1 }), column('b1', 13, 'BIT', { length: 1 }), column('b10', 14, 'BIT', { length: 10 }),
  column('f', 15, 'FLOAT'), column('d', 16, 'DOUBLE'),
  column('dec1', 17, 'DECIMAL', { length: 10, scale: 2 }), column('dec2', 18, 'DECIMAL', { length: 65, scale: 30 }),
  column('ch', 19, 'CHAR', { length: 5, charsetName: 'latin1' }), column('vc', 20, 'VARCHAR', { length: 20, charsetName: 'utf8mb4' }),
  column('tx', 21, 'TEXT', { charsetName: 'utf8mb4' }),
  column('bn', 22, 'BINARY', { length: 4 }), column('vb', 23, 'VARBINARY', { length: 10 }), column('bl', 24, 'BLOB'),
  column('en', 25, 'ENUM', { enumValues: ['S', 'M', 'L'] }), column('st', 26, 'SET', { enumValues: ['a', 'b', 'c'] }),
  column('j', 27, 'LONGTEXT', { charsetName: 'utf8mb4' }),
  column('y', 28, 'YEAR'), column('dt', 29, 'DATE'), column('tm', 30, 'TIME', { length: 6 }),
  column('dtm', 31, 'DATETIME', { length: 6 }), column('dtm0', 32, 'DATETIME'), column('ts', 33, 'TIMESTAMP', { length: 3 }),
  column('g', 34, 'GEOMETRY'), column('p', 35, 'POINT'),
], ['id']);

const DDL = `CREATE TABLE snap.every_type (
  id INT NOT NULL PRIMARY KEY,
  ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED, mi MEDIUMINT, miu MEDIUMINT UNSIGNED,
  i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED,
  bo BOOLEAN, b1 BIT(1), b10 BIT(10), f FLOAT, d DOUBLE, dec1 DECIMAL(10,2), dec2 DECIMAL(65,30),
  ch CHAR(5) CHARACTER SET latin1, vc VARCHAR(20) CHARACTER SET utf8mb4, tx TEXT CHARACTER SET utf8mb4,
  bn BINARY(4), vb VARBINARY(10), bl BLOB, en ENUM('S','M','L'), st SET('a','b','c'), j JSON,
  y YEAR, dt DATE, tm TIME(6), dtm DATETIME(6), dtm0 DATETIME, ts TIMESTAMP(3) NULL, g GEOMETRY, p POINT
) DEFAULT CHARSET=utf8mb4`;

const INSERT = `INSERT INTO snap.every_type VALUES (1,
  -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615,
  TRUE, b'1', b'1000000001', 1.5, -2.5e-300, -1234.5, 0.000000000000000000000000000001,
  'é', '😀 ok', 'line\\nnew', x'0102', x'00ff', '', 'M', 'c,a', '{"a": [1, 2]}',
  0, '0000-00-00', '-838:59:59.000000', '9999-12-31 23:59:59.999999', '0000-00-00 00:00:00', '2038-01-19 03:14:07.999',
  ST_GeomFromText('LINESTRING(0 0,1 1)', 4326), POINT(1.5, -2))`;

let server: MariaDbServer;
let conn: Connection;

beforeAll(async () => {
  server = await startTestMariaDb();
  await server.query('CREATE DATABASE snap');
  await server.query(DDL);
  conn = await server.connect('snap') as unknown as Connection;
  await conn.query("SET SESSION sql_mode = '', time_zone = '+00:00'");
  await conn.query(INSERT);
  await conn.query('INSERT INTO snap.every_type (id) VALUES (2)');
}, 120_000);

afterAll(async () => {
  await conn?.end();
});

async function selectAll(): Promise<RowValues[]> {
  const [rows] = await conn.query({ sql: 'SELECT * FROM snap.every_type ORDER BY id', rowsAsArray: true, typeCast: snapshotTypeCast(everyType) as never });
  return rows as unknown as RowValues[];
}

describe('snapshotTypeCast on MariaDB', () => {
  it('reads every type in the binlog decoder shapes, edge values included', async () => {
    const [row] = await selectAll();
    const [[[wkb]]] = await conn.query({ sql: 'SELECT ST_AsBinary(g) FROM snap.every_type WHERE id = 1', rowsAsArray: true }) as unknown as [[Buffer][]];
    const [[[pointWkb]]] = await conn.query({ sql: 'SELECT ST_AsBinary(p) FROM snap.every_type WHERE id = 1', rowsAsArray: true }) as unknown as [[Buffer][]];
    const expected: ColumnValue[] = [
      1,
      -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295, -9223372036854775808n, 18446744073709551615n,
      1, Buffer.from([1]), Buffer.from([0x02, 0x01]), 1.5, -2.5e-300,
      { kind: 'decimal', text: '-1234.50' }, { kind: 'decimal', text: '0.000000000000000000000000000001' },
      'é', '😀 ok', 'line\nnew',
      Buffer.from([1, 2, 0, 0]), Buffer.from([0, 0xff]), Buffer.alloc(0),
      'M', 'a,c', '{"a": [1, 2]}',
      0, { kind: 'date', year: 0, month: 0, day: 0 }, { kind: 'time', micros: -3_020_399_000_000 },
      { kind: 'datetime', year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59, microsecond: 999999 },
      { kind: 'datetime', year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, microsecond: 0 },
      { kind: 'timestamp', epochMicros: 2_147_483_647_999_000 },
      { kind: 'geometry', srid: 4326, wkb }, { kind: 'geometry', srid: 0, wkb: pointWkb },
    ];
    expect(row).toEqual(expected);
  });

  it('reads NULLs as null', async () => {
    const [, nulls] = await selectAll();
    expect(nulls).toEqual([2, ...Array<null>(everyType.columns.length - 1).fill(null)]);
  });

  it('turns snapshot rows into r events that a consumer reads as Debezium writes them', async () => {
    const [row, nulls] = await selectAll();
    const b = new ChangeEventBuilder(resolveEventSettings({ flavor: 'mariadb', topicPrefix: 'srv' }), docsClock);
    const at = streamingAt({ snapshot: 'first', database: 'snap', table: 'every_type', serverId: 0, thread: null });
    const after = (r: RowValues): Record<string, unknown> =>
      (userJson(b.tableSchemas(everyType).envelopeSchema, b.read(everyType, r, at)[0]!.value) as { payload: { after: Record<string, unknown> } }).payload.after;
    expect(after(row!)).toMatchObject({
      ti: -128, iu: 4294967295, biu: -1, bo: 1, b1: true, b10: Buffer.from([1, 2]).toString('base64'),
      ch: 'é', bn: 'AQIAAA==', en: 'M', st: 'a,c', y: 1900, dt: null, tm: -3020399000000, dtm: Number('253402300799999999'),
      dtm0: null, ts: '2038-01-19T03:14:07.999Z', p: { x: 1.5, y: -2, srid: 0 },
    });
    expect(after(nulls!)).toMatchObject({ id: 2, ti: null, dt: null, ts: null, g: null, p: null });
  });
});
