import { describe, expect, test } from 'vitest';
import type { RowsEvent, TableMapEvent } from '../../../../connectors/mysql/binlog/binlog-event.js';
import { decodeRows } from '../../../../connectors/mysql/binlog/rows-decoder.js';
import { decodeDecimal } from '../../../../connectors/mysql/binlog/decimal.js';
import type { ColumnValue } from '../../../../connectors/mysql/values/column-value.js';
import { lenenc } from './event-bytes.js';
import { tableDefinition, type ColumnSpec } from './table-definitions.js';

const header = { timestamp: 0, typeCode: 23, serverId: 1, eventSize: 0, logPos: 0, flags: 0 };

/** Decodes one non-null value of a one-column table from its binlog bytes. */
function decodeOne(type: number, meta: number, spec: Omit<ColumnSpec, 'name'>, value: Buffer): ColumnValue {
  const map: TableMapEvent = {
    type: 'table-map', header, tableId: 1n, database: 'd', table: 't', columnTypes: [type], columnMeta: [meta], nullable: [true], metadata: {},
  };
  const raw = Buffer.concat([lenenc(1), Buffer.from([1]), Buffer.from([0]), value]);
  const rows: RowsEvent = { type: 'rows', header, kind: 'write', tableId: 1n, flags: 0, version: 1, extraData: Buffer.alloc(0), columnCount: 1, raw };
  const [change] = decodeRows(rows, map, tableDefinition('d', 't', [{ name: 'c', ...spec }]));
  return change!.after![0]!;
}

const le = (bytes: number, v: number | bigint, signed = false): Buffer => {
  const b = Buffer.alloc(bytes);
  if (bytes === 8) {
    if (signed) b.writeBigInt64LE(BigInt(v));
    else b.writeBigUInt64LE(BigInt(v));
  } else if (signed) b.writeIntLE(Number(v), 0, bytes);
  else b.writeUIntLE(Number(v), 0, bytes);
  return b;
};

describe('integers at the edges of every width', () => {
  test.each([
    ['TINYINT', 1, 1, -128, 127, 255],
    ['SMALLINT', 2, 2, -32768, 32767, 65535],
    ['MEDIUMINT', 9, 3, -8388608, 8388607, 16777215],
    ['INT', 3, 4, -2147483648, 2147483647, 4294967295],
  ] as const)('%s', (type, code, bytes, min, max, umax) => {
    expect(decodeOne(code, 0, { type }, le(bytes, min, true))).toBe(min);
    expect(decodeOne(code, 0, { type }, le(bytes, max, true))).toBe(max);
    expect(decodeOne(code, 0, { type }, le(bytes, -1, true))).toBe(-1);
    expect(decodeOne(code, 0, { type, unsigned: true }, le(bytes, umax))).toBe(umax);
    expect(decodeOne(code, 0, { type, unsigned: true }, le(bytes, 0))).toBe(0);
  });

  test('BIGINT signed and unsigned as bigint', () => {
    expect(decodeOne(8, 0, { type: 'BIGINT' }, le(8, -9223372036854775808n, true))).toBe(-9223372036854775808n);
    expect(decodeOne(8, 0, { type: 'BIGINT' }, le(8, 9223372036854775807n, true))).toBe(9223372036854775807n);
    expect(decodeOne(8, 0, { type: 'BIGINT', unsigned: true }, le(8, 18446744073709551615n))).toBe(18446744073709551615n);
  });
});

describe('floating point, decimal, bit, year', () => {
  test('FLOAT and DOUBLE', () => {
    const f = Buffer.alloc(4);
    f.writeFloatLE(3.14);
    expect(decodeOne(4, 4, { type: 'FLOAT' }, f)).toBe(Math.fround(3.14));
    const d = Buffer.alloc(8);
    d.writeDoubleLE(-1.7976931348623157e308);
    expect(decodeOne(5, 8, { type: 'DOUBLE' }, d)).toBe(-1.7976931348623157e308);
  });

  test('DECIMAL worked examples and edges keep every scale digit', () => {
    const dec = (p: number, s: number, hex: string): ColumnValue => decodeOne(246, (p << 8) | s, { type: 'DECIMAL', length: p, scale: s }, Buffer.from(hex, 'hex'));
    expect(dec(10, 2, '800004d238')).toEqual({ kind: 'decimal', text: '1234.56' });
    expect(dec(10, 2, '7ffffb2dc7')).toEqual({ kind: 'decimal', text: '-1234.56' });
    expect(dec(10, 2, '8000000000')).toEqual({ kind: 'decimal', text: '0.00' });
    expect(dec(10, 2, '800000000a')).toEqual({ kind: 'decimal', text: '0.10' });
    expect(dec(5, 0, '81869f')).toEqual({ kind: 'decimal', text: '99999' });
    expect(dec(5, 0, '7e7960')).toEqual({ kind: 'decimal', text: '-99999' });
  });

  test('DECIMAL(30,10): full 9-digit groups on both sides', () => {
    // 12345678901234567890.0123456789: int 20 digits = 2 digits (1 byte) + 2×9 (8 bytes); frac 9 (4 bytes) + 1 digit (1 byte)
    const group = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
    const bytes = Buffer.concat([Buffer.from([12 | 0x80]), group(345678901), group(234567890), group(12345678), Buffer.from([9])]);
    expect(decodeDecimal(bytes, 0, 30, 10)).toBe('12345678901234567890.0123456789');
    const negative = Buffer.from(bytes.map((b) => b ^ 0xff));
    expect(decodeDecimal(negative, 0, 30, 10)).toBe('-12345678901234567890.0123456789');
  });

  test('BIT as stored bytes (big-endian), YEAR', () => {
    expect(decodeOne(16, (1 << 8) | 4, { type: 'BIT', length: 12 }, Buffer.from([0x0a, 0xbc]))).toEqual(Buffer.from([0x0a, 0xbc]));
    expect(decodeOne(16, 1, { type: 'BIT', length: 1 }, Buffer.from([1]))).toEqual(Buffer.from([1]));
    expect(decodeOne(16, 8 << 8, { type: 'BIT', length: 64 }, Buffer.alloc(8, 0xff))).toEqual(Buffer.alloc(8, 0xff));
    expect(decodeOne(13, 0, { type: 'YEAR' }, Buffer.from([0]))).toBe(0);
    expect(decodeOne(13, 0, { type: 'YEAR' }, Buffer.from([255]))).toBe(2155);
  });
});

/** MySQL's TIME2 encoder: packed = ±(hms << 24 | µs); int part = packed >> 24 (floor), frac = packed % 2^24 (truncated). */
function time2(fsp: number, negative: boolean, h: number, m: number, s: number, micros: number): Buffer {
  const hms = (h << 12) | (m << 6) | s;
  const packed = (negative ? -1 : 1) * (hms * 2 ** 24 + micros);
  if (fsp >= 5) {
    const b = Buffer.alloc(6);
    b.writeUIntBE(packed + 0x800000000000, 0, 6);
    return b;
  }
  const intPart = Math.floor(packed / 2 ** 24);
  const frac = packed % 2 ** 24;
  const b = Buffer.alloc(3 + (fsp === 0 ? 0 : fsp <= 2 ? 1 : 2));
  b.writeUIntBE(intPart + 0x800000, 0, 3);
  if (fsp === 1 || fsp === 2) b.writeInt8(frac / 10000, 3);
  if (fsp === 3 || fsp === 4) b.writeInt16BE(frac / 100, 3);
  return b;
}

describe('temporal types', () => {
  test('DATE, including the zero date', () => {
    const date = (y: number, m: number, d: number): Buffer => le(3, (y << 9) | (m << 5) | d);
    expect(decodeOne(10, 0, { type: 'DATE' }, date(2024, 2, 29))).toEqual({ kind: 'date', year: 2024, month: 2, day: 29 });
    expect(decodeOne(10, 0, { type: 'DATE' }, date(0, 0, 0))).toEqual({ kind: 'date', year: 0, month: 0, day: 0 });
  });

  test.each([
    [0, false, 838, 59, 59, 0],
    [0, true, 838, 59, 59, 0],
    [1, true, 1, 0, 0, 100_000],
    [2, true, 0, 0, 1, 500_000],
    [3, true, 0, 0, 0, 1000],
    [4, false, 12, 34, 56, 123_400],
    [5, true, 0, 0, 0, 10],
    [6, true, 838, 59, 59, 0],
    [6, true, 0, 0, 0, 1],
    [6, false, 838, 59, 59, 999_999],
  ])('TIME(%i) negative=%s %i:%i:%i.%i', (fsp, negative, h, m, s, micros) => {
    const expected = (negative ? -1 : 1) * (((h * 60 + m) * 60 + s) * 1_000_000 + micros);
    expect(decodeOne(19, fsp, { type: 'TIME', length: fsp }, time2(fsp, negative, h, m, s, micros))).toEqual({ kind: 'time', micros: expected === 0 ? 0 : expected });
  });

  test('TIME -838:59:59.000000 (fsp 6)', () => {
    expect(decodeOne(19, 6, { type: 'TIME', length: 6 }, time2(6, true, 838, 59, 59, 0))).toEqual({ kind: 'time', micros: -3_020_399_000_000 });
  });

  function datetime2(fsp: number, y: number, mo: number, d: number, h: number, mi: number, s: number, micros: number): Buffer {
    const ym = y * 13 + mo;
    const v = (ym * 32 + d) * 2 ** 17 + ((h << 12) | (mi << 6) | s);
    const b = Buffer.alloc(5);
    b.writeUIntBE(v + 0x8000000000, 0, 5);
    const frac = fsp === 0 ? Buffer.alloc(0) : fsp <= 2 ? Buffer.from([micros / 10000]) : fsp <= 4 ? (() => { const f = Buffer.alloc(2); f.writeUInt16BE(micros / 100); return f; })() : (() => { const f = Buffer.alloc(3); f.writeUIntBE(micros, 0, 3); return f; })();
    return Buffer.concat([b, frac]);
  }

  test.each([0, 1, 2, 3, 4, 5, 6])('DATETIME(%i)', (fsp) => {
    const micros = [0, 100_000, 120_000, 123_000, 123_400, 123_450, 123_456][fsp]!;
    expect(decodeOne(18, fsp, { type: 'DATETIME', length: fsp }, datetime2(fsp, 9999, 12, 31, 23, 59, 59, micros))).toEqual({
      kind: 'datetime', year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59, microsecond: micros,
    });
  });

  test('DATETIME zero value', () => {
    expect(decodeOne(18, 0, { type: 'DATETIME' }, datetime2(0, 0, 0, 0, 0, 0, 0, 0))).toEqual({
      kind: 'datetime', year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, microsecond: 0,
    });
  });

  test('TIMESTAMP(fsp) as epoch microseconds; the zero timestamp is 0', () => {
    const ts = (secs: number, frac: Buffer): Buffer => { const b = Buffer.alloc(4); b.writeUInt32BE(secs); return Buffer.concat([b, frac]); };
    expect(decodeOne(17, 0, { type: 'TIMESTAMP' }, ts(2147483647, Buffer.alloc(0)))).toEqual({ kind: 'timestamp', epochMicros: 2147483647_000_000 });
    expect(decodeOne(17, 2, { type: 'TIMESTAMP', length: 2 }, ts(1, Buffer.from([99])))).toEqual({ kind: 'timestamp', epochMicros: 1_990_000 });
    expect(decodeOne(17, 6, { type: 'TIMESTAMP', length: 6 }, ts(1, Buffer.from([0x01, 0xe2, 0x40])))).toEqual({ kind: 'timestamp', epochMicros: 1_123_456 });
    expect(decodeOne(17, 0, { type: 'TIMESTAMP' }, ts(0, Buffer.alloc(0)))).toEqual({ kind: 'timestamp', epochMicros: 0 });
  });

  test('old-format TIME, DATETIME and TIMESTAMP', () => {
    expect(decodeOne(11, 0, { type: 'TIME' }, le(3, -8385959, true))).toEqual({ kind: 'time', micros: -3_020_399_000_000 });
    expect(decodeOne(12, 0, { type: 'DATETIME' }, le(8, 20240229123456n))).toEqual({
      kind: 'datetime', year: 2024, month: 2, day: 29, hour: 12, minute: 34, second: 56, microsecond: 0,
    });
    expect(decodeOne(7, 0, { type: 'TIMESTAMP' }, le(4, 86400))).toEqual({ kind: 'timestamp', epochMicros: 86_400_000_000 });
  });
});

describe('strings, binaries, ENUM, SET, JSON, GEOMETRY', () => {
  test('VARCHAR with 1- and 2-byte lengths in utf8mb4, latin1 (cp1252) and ascii', () => {
    expect(decodeOne(15, 40, { type: 'VARCHAR', charset: 'utf8mb4' }, Buffer.concat([Buffer.from([6]), Buffer.from('é😀', 'utf8')]))).toBe('é😀');
    const long = 'x'.repeat(300);
    expect(decodeOne(15, 1200, { type: 'VARCHAR', charset: 'utf8mb4' }, Buffer.concat([le(2, 300), Buffer.from(long)]))).toBe(long);
    expect(decodeOne(15, 20, { type: 'VARCHAR', charset: 'latin1' }, Buffer.from([3, 0x80, 0xe9, 0x9f]))).toBe('€éŸ');
    expect(decodeOne(15, 20, { type: 'VARCHAR', charset: 'ascii' }, Buffer.from([2, 0x61, 0x62]))).toBe('ab');
    expect(decodeOne(15, 20, { type: 'VARBINARY' }, Buffer.from([2, 0x00, 0xff]))).toEqual(Buffer.from([0x00, 0xff]));
  });

  test('CHAR longer than 255 bytes: the length hides in the real-type byte', () => {
    const meta = ((254 ^ 0x10) << 8) | 0x90; // 400 bytes
    const text = '€'.repeat(100);
    expect(decodeOne(254, meta, { type: 'CHAR', length: 100, charset: 'utf8mb4' }, Buffer.concat([le(2, 300), Buffer.from(text)]))).toBe(text);
    expect(decodeOne(254, (254 << 8) | 40, { type: 'CHAR', length: 10, charset: 'utf8mb4' }, Buffer.from([2, 0x68, 0x69]))).toBe('hi');
  });

  test('BINARY(n) is padded with the zero bytes MySQL strips from the binlog', () => {
    expect(decodeOne(254, (254 << 8) | 4, { type: 'BINARY', length: 4 }, Buffer.from([2, 0x01, 0x02]))).toEqual(Buffer.from([1, 2, 0, 0]));
  });

  test('BLOB/TEXT with every length width', () => {
    for (const width of [1, 2, 3, 4]) {
      expect(decodeOne(252, width, { type: 'BLOB' }, Buffer.concat([le(width, 3), Buffer.from([1, 2, 3])]))).toEqual(Buffer.from([1, 2, 3]));
      expect(decodeOne(252, width, { type: 'TEXT', charset: 'utf8mb4' }, Buffer.concat([le(width, 2), Buffer.from('ok')]))).toBe('ok');
    }
  });

  test('ENUM member names (0 = the empty invalid value) and SET members comma-joined', () => {
    const members = ['small', 'medium', 'large'];
    expect(decodeOne(254, (247 << 8) | 1, { type: 'ENUM', members }, Buffer.from([2]))).toBe('medium');
    expect(decodeOne(254, (247 << 8) | 1, { type: 'ENUM', members }, Buffer.from([0]))).toBe('');
    expect(() => decodeOne(254, (247 << 8) | 1, { type: 'ENUM', members }, Buffer.from([4]))).toThrow(/beyond its 3 members/);
    const big = Array.from({ length: 300 }, (_, i) => `m${i}`);
    expect(decodeOne(254, (247 << 8) | 2, { type: 'ENUM', members: big }, le(2, 300))).toBe('m299');
    expect(decodeOne(254, (248 << 8) | 1, { type: 'SET', members: ['x', 'y', 'z'] }, Buffer.from([0b101]))).toBe('x,z');
    expect(decodeOne(254, (248 << 8) | 1, { type: 'SET', members: ['x', 'y', 'z'] }, Buffer.from([0]))).toBe('');
    const sixtyFour = Array.from({ length: 64 }, (_, i) => `s${i}`);
    expect(decodeOne(254, (248 << 8) | 8, { type: 'SET', members: sixtyFour }, le(8, (1n << 63n) | 1n))).toBe('s0,s63');
  });

  test('JSON: MySQL binary JSON to text; MariaDB JSON (a LONGTEXT) as its text', () => {
    const doc = Buffer.from([0x04, 0x01]); // literal true
    expect(decodeOne(245, 4, { type: 'JSON' }, Buffer.concat([le(4, doc.length), doc]))).toEqual({ kind: 'json', text: 'true' });
    expect(decodeOne(252, 4, { type: 'JSON', charset: 'utf8mb4' }, Buffer.concat([le(4, 9), Buffer.from('{"a": 1}\n')]))).toEqual({ kind: 'json', text: '{"a": 1}\n' });
    expect(decodeOne(245, 4, { type: 'JSON', optional: true }, le(4, 0))).toBeNull();
    expect(decodeOne(245, 4, { type: 'JSON', optional: false }, le(4, 0))).toEqual({ kind: 'json', text: '{}' });
  });

  test('GEOMETRY: SRID then WKB', () => {
    const wkb = Buffer.from('0101000000000000000000f03f0000000000000040', 'hex');
    const value = Buffer.concat([le(4, 4326), wkb]);
    expect(decodeOne(255, 4, { type: 'GEOMETRY' }, Buffer.concat([le(4, value.length), value]))).toEqual({ kind: 'geometry', srid: 4326, wkb });
  });

  test('an unsupported character set is an error that names it', () => {
    expect(() => decodeOne(15, 20, { type: 'VARCHAR', charset: 'klingon' }, Buffer.from([0]))).toThrow(/character set 'klingon' is not supported/);
  });
});
