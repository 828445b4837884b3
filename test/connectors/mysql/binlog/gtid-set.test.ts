import { describe, expect, test } from 'vitest';
import { GtidSyntaxError, MariaDbGtidPosition, MySqlGtidSet } from '../../../../connectors/mysql/binlog/gtid-set.js';
import { binlogDumpGtidPayload, binlogDumpPayload } from '../../../../connectors/mysql/binlog/dump-commands.js';

const A = '3e11fa47-71ca-11e1-9e33-c80aa9429562';
const B = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

describe('MySqlGtidSet', () => {
  test('text round trip: sorted uuids, merged ranges, server formatting with newlines accepted', () => {
    const set = MySqlGtidSet.parse(`${B}:3,\n${A.toUpperCase()}:7:1-3:4-5`);
    expect(set.toString()).toBe(`${A}:1-5:7,${B}:3`);
    expect(MySqlGtidSet.parse('').isEmpty).toBe(true);
    expect(MySqlGtidSet.parse(set.toString()).equals(set)).toBe(true);
  });

  test('add fills gaps, joins neighbours and leaves the original untouched', () => {
    const set = MySqlGtidSet.parse(`${A}:1-5:7`);
    const added = set.add(`${A}:6`).add(`${B}:1`);
    expect(added.toString()).toBe(`${A}:1-7,${B}:1`);
    expect(set.toString()).toBe(`${A}:1-5:7`);
    expect(set.add(`${A}:3`)).toBe(set);
  });

  test('contains and containsAll', () => {
    const set = MySqlGtidSet.parse(`${A}:1-5:7-9`);
    expect(set.contains(`${A}:5`)).toBe(true);
    expect(set.contains(`${A}:6`)).toBe(false);
    expect(set.contains(`${B}:1`)).toBe(false);
    expect(set.containsAll(MySqlGtidSet.parse(`${A}:2-4:8`))).toBe(true);
    expect(set.containsAll(MySqlGtidSet.parse(`${A}:5-7`))).toBe(false);
    expect(set.union(MySqlGtidSet.parse(`${A}:6`)).toString()).toBe(`${A}:1-9`);
  });

  test('binary encoding for COM_BINLOG_DUMP_GTID: sids, intervals with exclusive ends', () => {
    const set = MySqlGtidSet.parse(`${A}:1-5:7,${B}:100`);
    const buf = set.encode();
    expect(buf.readBigUInt64LE(0)).toBe(2n);
    expect(buf.subarray(8, 24).toString('hex')).toBe(A.replace(/-/g, ''));
    expect(buf.readBigUInt64LE(24)).toBe(2n);
    expect([buf.readBigUInt64LE(32), buf.readBigUInt64LE(40), buf.readBigUInt64LE(48), buf.readBigUInt64LE(56)]).toEqual([1n, 6n, 7n, 8n]);
    expect(buf.length).toBe(8 + (16 + 8 + 32) + (16 + 8 + 16));
    expect(MySqlGtidSet.decode(buf).equals(set)).toBe(true);
  });

  test('COM_BINLOG_DUMP_GTID and COM_BINLOG_DUMP payloads', () => {
    const set = MySqlGtidSet.parse(`${A}:1-2`);
    const gtid = binlogDumpGtidPayload(42, set);
    expect(gtid[0]).toBe(0x1e);
    expect(gtid.readUInt16LE(1)).toBe(0x04);
    expect(gtid.readUInt32LE(3)).toBe(42);
    expect(gtid.readUInt32LE(7)).toBe(0);
    expect(gtid.readBigUInt64LE(11)).toBe(4n);
    expect(gtid.readUInt32LE(19)).toBe(set.encode().length);
    expect(gtid.subarray(23)).toEqual(set.encode());
    const dump = binlogDumpPayload(7, 'mysql-bin.000003', 1234, 2);
    expect([dump[0], dump.readUInt32LE(1), dump.readUInt16LE(5), dump.readUInt32LE(7), dump.subarray(11).toString()]).toEqual([0x12, 1234, 2, 7, 'mysql-bin.000003']);
  });

  test('bad text is a GtidSyntaxError naming the problem; tagged GTIDs are refused', () => {
    expect(() => MySqlGtidSet.parse('nope:1')).toThrow(GtidSyntaxError);
    expect(() => MySqlGtidSet.parse(`${A}:5-3`)).toThrow(/ends before it starts/);
    expect(() => MySqlGtidSet.parse(`${A}:0`)).toThrow(/start at 1/);
    expect(() => MySqlGtidSet.parse(`${A}:blue:1-3`)).toThrow(/tagged GTIDs/);
  });
});

describe('MariaDbGtidPosition', () => {
  test('parse, format and add keep one entry per domain and server', () => {
    const pos = MariaDbGtidPosition.parse('1-2-7, 0-1-100');
    expect(pos.toString()).toBe('0-1-100,1-2-7');
    const next = pos.add('0-1-101').add('0-3-5');
    expect(next.toString()).toBe('0-1-101,0-3-5,1-2-7');
    expect(pos.toString()).toBe('0-1-100,1-2-7');
  });

  test('the connect state has one entry per domain: the highest sequence', () => {
    const pos = MariaDbGtidPosition.parse('0-1-101,0-3-5,1-2-18446744073709551615');
    expect(pos.toConnectState()).toBe('0-1-101,1-2-18446744073709551615');
    expect(pos.sequenceIn(1)).toBe(18446744073709551615n);
    expect(pos.contains('0-9-100')).toBe(true);
    expect(pos.contains('0-1-102')).toBe(false);
    expect(pos.contains('2-1-1')).toBe(false);
  });

  test('bad text is a GtidSyntaxError', () => {
    expect(() => MariaDbGtidPosition.parse('0-1')).toThrow(/not a MariaDB GTID/);
    expect(() => MariaDbGtidPosition.parse('0-4294967296-1')).toThrow(/32-bit/);
  });
});
