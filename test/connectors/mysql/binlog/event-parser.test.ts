import { describe, expect, test } from 'vitest';
import { BinlogEventParser, UnsupportedBinlogEventError } from '../../../../connectors/mysql/binlog/event-parser.js';
import { BinlogChecksumError } from '../../../../connectors/mysql/binlog/event-checksum.js';
import { decodeRows } from '../../../../connectors/mysql/binlog/rows-decoder.js';
import type { RowsEvent, TableMapEvent } from '../../../../connectors/mysql/binlog/binlog-event.js';
import { MySqlGtidSet } from '../../../../connectors/mysql/binlog/gtid-set.js';
import { event, formatDescription, lenenc, str, u16, u32, u48, u64, uuidBytes } from './event-bytes.js';
import { tableDefinition } from './table-definitions.js';

const UUID = '3e11fa47-71ca-11e1-9e33-c80aa9429562';

function mysql8Parser(): BinlogEventParser {
  const p = new BinlogEventParser({ checksum: true });
  p.parse(formatDescription('8.0.36', 1));
  return p;
}

function tableMapBody(tableId: number, db: string, table: string, types: number[], meta: Buffer, nullable: number[], optional: Buffer = Buffer.alloc(0)): Buffer {
  const nullBits = Buffer.alloc((types.length + 7) >> 3);
  for (const i of nullable) nullBits[i >> 3] |= 1 << (i & 7);
  return Buffer.concat([
    u48(tableId), u16(1), Buffer.from([db.length]), str(db), Buffer.from([0]), Buffer.from([table.length]), str(table), Buffer.from([0]),
    lenenc(types.length), Buffer.from(types), lenenc(meta.length), meta, nullBits, optional,
  ]);
}

describe('BinlogEventParser', () => {
  test('FORMAT_DESCRIPTION: version, post-header lengths and the checksum algorithm', () => {
    const p = new BinlogEventParser({ checksum: false });
    const fde = p.parse(formatDescription('8.0.36-log', 1));
    expect(fde).toMatchObject({ type: 'format-description', binlogVersion: 4, serverVersion: '8.0.36-log', headerLength: 19, checksum: 'crc32' });
    expect(fde.type === 'format-description' && fde.postHeaderLengths[18]).toBe(8);
    // After an FDE announcing CRC32 the parser strips trailers: the rotate name has no garbage.
    const rotate = p.parse(event(4, [u64(4), str('binlog.000002')], { logPos: 0 }));
    expect(rotate).toMatchObject({ type: 'rotate', nextFile: 'binlog.000002', nextPosition: 4, header: { logPos: 0, typeCode: 4 } });
  });

  test('an FDE with checksums off makes the parser read events without trailers', () => {
    const p = new BinlogEventParser({ checksum: true });
    expect(p.parse(formatDescription('10.11.6-MariaDB-log', 0))).toMatchObject({ checksum: 'none' });
    expect(p.parse(event(16, u64(77), { checksum: false }))).toMatchObject({ type: 'xid', xid: 77n });
  });

  test('a corrupted event fails its CRC32 check with a clear error', () => {
    const p = mysql8Parser();
    const xid = event(16, u64(9));
    xid[19] ^= 0xff;
    expect(() => p.parse(xid)).toThrow(BinlogChecksumError);
    expect(() => p.parse(xid)).toThrow(/checksum mismatch/);
  });

  test('QUERY: thread id, database, SQL after status variables (MariaDB codes included), error code', () => {
    const p = mysql8Parser();
    // status vars: FLAGS2, SQL_MODE, MariaDB HRNOW (128, u24) and XID (129, u64); skipped by their total length.
    const status = Buffer.concat([Buffer.from([0]), u32(0), Buffer.from([1]), u64(0), Buffer.from([128, 1, 2, 3]), Buffer.from([129]), u64(5)]);
    const body = Buffer.concat([u32(42), u32(0), Buffer.from([4]), u16(0), u16(status.length), status, str('shop'), Buffer.from([0]), str('ALTER TABLE t ADD c INT')]);
    expect(p.parse(event(2, body))).toMatchObject({ type: 'query', threadId: 42, database: 'shop', sql: 'ALTER TABLE t ADD c INT', errorCode: 0 });
  });

  test('TABLE_MAP with FULL optional metadata (MySQL 8 layout)', () => {
    const p = mysql8Parser();
    // columns: id INT UNSIGNED, name VARCHAR(40) utf8mb4, e ENUM('a','b'), s SET('x'), d DECIMAL(6,2)
    const types = [3, 15, 254, 254, 246];
    const meta = Buffer.concat([u16(160), Buffer.from([247, 1]), Buffer.from([248, 1]), Buffer.from([6, 2])]);
    const field = (type: number, value: Buffer): Buffer => Buffer.concat([Buffer.from([type]), lenenc(value.length), value]);
    const names = Buffer.concat(['id', 'name', 'e', 's', 'd'].map((n) => Buffer.concat([lenenc(n.length), str(n)])));
    const optional = Buffer.concat([
      field(1, Buffer.from([0b10000000])), // signedness over numeric columns (id, d): id unsigned
      field(2, Buffer.concat([lenenc(255)])), // default charset utf8mb4_0900_ai_ci for every character column
      field(4, names),
      field(5, Buffer.concat([lenenc(1), lenenc(1), str('x')])),
      field(6, Buffer.concat([lenenc(2), lenenc(1), str('a'), lenenc(1), str('b')])),
      field(8, Buffer.concat([lenenc(0)])),
      field(12, Buffer.from([0xff])), // column visibility: skipped
    ]);
    const map = p.parse(event(19, tableMapBody(0x10000000001, 'shop', 'items', types, meta, [1, 2, 3, 4], optional)));
    expect(map).toMatchObject({
      type: 'table-map', tableId: 0x10000000001n, database: 'shop', table: 'items', columnTypes: types,
      columnMeta: [0, 160, (247 << 8) | 1, (248 << 8) | 1, (6 << 8) | 2], nullable: [false, true, true, true, true],
      metadata: {
        columnNames: ['id', 'name', 'e', 's', 'd'],
        signedness: [true, undefined, undefined, undefined, false],
        charsets: [undefined, 255, undefined, undefined, undefined],
        enumValues: [undefined, undefined, ['a', 'b'], undefined, undefined],
        setValues: [undefined, undefined, undefined, ['x'], undefined],
        primaryKey: [0],
      },
    });
  });

  test('rows v2 (MySQL) with extra data: write, update and delete decode through decodeRows', () => {
    const p = mysql8Parser();
    const map = p.parse(event(19, tableMapBody(7, 'shop', 'items', [3, 15], u16(40), [1]))) as TableMapEvent;
    const def = tableDefinition('shop', 'items', [{ name: 'id', type: 'INT', optional: false }, { name: 'name', type: 'VARCHAR', length: 10, charset: 'utf8mb4' }]);
    const extra = Buffer.from([1, 2, 0x05, 0x00]); // partition info: type 1, then the partition id
    const rowsHeader = (flags: number): Buffer => Buffer.concat([u48(7), u16(flags), u16(2 + extra.length), extra]);
    const image = (id: number, name: string | null): Buffer => Buffer.concat([
      Buffer.from([name === null ? 0b10 : 0]), u32(id), ...(name === null ? [] : [Buffer.from([Buffer.byteLength(name)]), str(name)]),
    ]);
    const write = p.parse(event(30, [rowsHeader(1), lenenc(2), Buffer.from([3]), image(1, 'a'), image(2, null)])) as RowsEvent;
    expect(write).toMatchObject({ type: 'rows', kind: 'write', version: 2, tableId: 7n, flags: 1, columnCount: 2, extraData: extra });
    expect(decodeRows(write, map, def)).toEqual([{ before: null, after: [1, 'a'] }, { before: null, after: [2, null] }]);
    const update = p.parse(event(31, [rowsHeader(0), lenenc(2), Buffer.from([3]), Buffer.from([3]), image(1, 'a'), image(1, 'é')])) as RowsEvent;
    expect(decodeRows(update, map, def)).toEqual([{ before: [1, 'a'], after: [1, 'é'] }]);
    const del = p.parse(event(32, [rowsHeader(0), lenenc(2), Buffer.from([3]), image(2, null)])) as RowsEvent;
    expect(decodeRows(del, map, def)).toEqual([{ before: [2, null], after: null }]);
  });

  test('rows whose map disagrees with the definition are refused', () => {
    const p = mysql8Parser();
    const map = p.parse(event(19, tableMapBody(7, 'shop', 'items', [3, 15], u16(40), [1]))) as TableMapEvent;
    const write = p.parse(event(23, [u48(7), u16(1), lenenc(2), Buffer.from([3]), Buffer.from([0]), u32(1), Buffer.from([1]), str('a')])) as RowsEvent;
    const oneColumn = tableDefinition('shop', 'items', [{ name: 'id', type: 'INT' }]);
    expect(() => decodeRows(write, map, oneColumn)).toThrow(/has 2 columns but the table definition has 1/);
    const wrongType = tableDefinition('shop', 'items', [{ name: 'id', type: 'INT' }, { name: 'name', type: 'DATETIME' }]);
    expect(() => decodeRows(write, map, wrongType)).toThrow(/name is DATETIME in the table definition but the binlog carries VARCHAR/);
  });

  test('MySQL GTID_LOG with and without commit timestamps, and ANONYMOUS_GTID', () => {
    const p = mysql8Parser();
    const base = Buffer.concat([Buffer.from([1]), uuidBytes(UUID), u64(23)]);
    const old = p.parse(event(33, base));
    expect(old).toMatchObject({ type: 'mysql-gtid', gtid: `${UUID}:23`, anonymous: false, gtidFlags: 1 });
    expect(old).not.toHaveProperty('originalCommitMicros');
    const clock = Buffer.concat([Buffer.from([2]), u64(10), u64(11)]);
    const ts = (micros: bigint, topBit: boolean): Buffer => { const b = Buffer.alloc(7); b.writeUIntLE(Number(micros & 0xffffffffffffn), 0, 6); b[6] = Number(micros >> 48n) | (topBit ? 0x80 : 0); return b; };
    const immediate = 1_700_000_000_123_456n;
    const original = 1_699_999_999_000_001n;
    const same = p.parse(event(33, [base, clock, ts(immediate, false), lenenc(1234), u32(80036)]));
    expect(same).toMatchObject({ lastCommitted: 10n, sequenceNumber: 11n, immediateCommitMicros: Number(immediate), originalCommitMicros: Number(immediate), transactionLength: 1234 });
    const replicated = p.parse(event(33, [base, clock, ts(immediate, true), ts(original, false), lenenc(99)]));
    expect(replicated).toMatchObject({ immediateCommitMicros: Number(immediate), originalCommitMicros: Number(original), transactionLength: 99 });
    const anon = p.parse(event(34, [Buffer.from([0]), Buffer.alloc(16), u64(0), clock]));
    expect(anon).toMatchObject({ type: 'mysql-gtid', anonymous: true, gtid: '00000000-0000-0000-0000-000000000000:0' });
  });

  test('PREVIOUS_GTIDS decodes the binary GTID set', () => {
    const p = mysql8Parser();
    const set = MySqlGtidSet.parse(`${UUID}:1-5:7,aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee:3`);
    expect(p.parse(event(35, set.encode()))).toMatchObject({ type: 'previous-gtids', gtidSet: `${UUID}:1-5:7,aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee:3` });
  });

  test('HEARTBEAT (v1 file name + header position) and HEARTBEAT_V2 (fields, 64-bit position)', () => {
    const p = mysql8Parser();
    expect(p.parse(event(27, str('binlog.000003'), { logPos: 4567 }))).toMatchObject({ type: 'heartbeat', file: 'binlog.000003', position: 4567 });
    const position = lenenc(5_000_000_000);
    const v2 = Buffer.concat([lenenc(1), lenenc(13), str('binlog.000004'), lenenc(2), lenenc(position.length), position, lenenc(0)]);
    expect(p.parse(event(41, v2, { logPos: 0 }))).toMatchObject({ type: 'heartbeat', file: 'binlog.000004', position: 5_000_000_000 });
  });

  test('ROWS_QUERY, MariaDB ANNOTATE_ROWS, BINLOG_CHECKPOINT, GTID and GTID_LIST', () => {
    const p = new BinlogEventParser({ checksum: true });
    p.parse(formatDescription('10.11.6-MariaDB-log', 1));
    expect(p.parse(event(29, [Buffer.from([22]), str('INSERT INTO t VALUES(1)')]))).toMatchObject({ type: 'rows-query', sql: 'INSERT INTO t VALUES(1)' });
    expect(p.parse(event(160, str('UPDATE t SET a=1')))).toMatchObject({ type: 'annotate-rows', sql: 'UPDATE t SET a=1' });
    expect(p.parse(event(161, [u32(14), str('mysql-bin.0007')]))).toMatchObject({ type: 'binlog-checkpoint', file: 'mysql-bin.0007' });
    const gtid = p.parse(event(162, [u64(1234567890123n), u32(3), Buffer.from([0x01 | 0x08]), Buffer.alloc(6)], { serverId: 17 }));
    expect(gtid).toMatchObject({ type: 'mariadb-gtid', gtid: '3-17-1234567890123', domainId: 3, serverId: 17, sequence: 1234567890123n, standalone: true });
    const grouped = p.parse(event(162, [u64(5), u32(0), Buffer.from([0x02 | 0x04]), u64(99)], { serverId: 1 }));
    expect(grouped).toMatchObject({ gtid: '0-1-5', standalone: false, commitId: 99n });
    const list = p.parse(event(163, [u32(2), u32(0), u32(1), u64(100), u32(1), u32(2), u64(7)]));
    expect(list).toMatchObject({ type: 'mariadb-gtid-list', gtids: ['0-1-100', '1-2-7'] });
  });

  test('unknown events arrive as other, with their body', () => {
    const p = mysql8Parser();
    expect(p.parse(event(5, Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9])))).toMatchObject({ type: 'other', header: { typeCode: 5 }, body: Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9]) });
  });

  test.each([
    [40, /binlog_transaction_compression=OFF/],
    [39, /binlog_row_value_options=''/],
    [166, /log_bin_compress=OFF/],
    [165, /log_bin_compress=OFF/],
  ])('event type %i is refused with the setting to change', (type, message) => {
    const p = mysql8Parser();
    expect(() => p.parse(event(type, Buffer.alloc(8)))).toThrow(UnsupportedBinlogEventError);
    expect(() => p.parse(event(type, Buffer.alloc(8)))).toThrow(message);
  });

  test('a truncated body names what was being read', () => {
    const p = mysql8Parser();
    expect(() => p.parse(event(16, Buffer.from([1, 2, 3])))).toThrow(/truncated binlog data reading xid/);
  });
});
