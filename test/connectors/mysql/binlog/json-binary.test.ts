import { describe, expect, test } from 'vitest';
import { javaDoubleText, jsonBinaryToText } from '../../../../connectors/mysql/binlog/json-binary.js';

/** A binary JSON value: its type byte and payload. Builders below follow json_binary.h. */
interface V { type: number; payload: Buffer }

const lit = (v: null | boolean): V => ({ type: 0x04, payload: Buffer.from([v === null ? 0 : v ? 1 : 2]) });
const int = (type: number, bytes: number, v: number | bigint): V => {
  const b = Buffer.alloc(bytes);
  if (bytes === 8) {
    if (type === 0x09) b.writeBigInt64LE(BigInt(v));
    else b.writeBigUInt64LE(BigInt(v));
  } else if (type === 0x05 || type === 0x07) b.writeIntLE(Number(v), 0, bytes);
  else b.writeUIntLE(Number(v), 0, bytes);
  return { type, payload: b };
};
const i16 = (v: number): V => int(0x05, 2, v);
const u16 = (v: number): V => int(0x06, 2, v);
const i32 = (v: number): V => int(0x07, 4, v);
const u32 = (v: number): V => int(0x08, 4, v);
const i64 = (v: bigint): V => int(0x09, 8, v);
const u64 = (v: bigint): V => int(0x0a, 8, v);
const dbl = (v: number): V => { const b = Buffer.alloc(8); b.writeDoubleLE(v); return { type: 0x0b, payload: b }; };

function varLength(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}
const str = (s: string): V => { const b = Buffer.from(s, 'utf8'); return { type: 0x0c, payload: Buffer.concat([varLength(b.length), b]) }; };
const opaque = (mysqlType: number, data: Buffer): V => ({ type: 0x0f, payload: Buffer.concat([Buffer.from([mysqlType]), varLength(data.length), data]) });

function container(entries: [string | null, V][], large: boolean, isObject: boolean): V {
  const w = large ? 4 : 2;
  const n = entries.length;
  const headerSize = 2 * w + (isObject ? n * (w + 2) : 0) + n * (1 + w);
  const keys = entries.map(([k]) => Buffer.from(k ?? '', 'utf8'));
  let offset = headerSize;
  const keyOffsets = keys.map((k) => { const at = offset; offset += k.length; return at; });
  const inline = (v: V): boolean => v.type === 0x04 || v.type === 0x05 || v.type === 0x06 || (large && (v.type === 0x07 || v.type === 0x08));
  const valueOffsets = entries.map(([, v]) => { if (inline(v)) return -1; const at = offset; offset += v.payload.length; return at; });
  const buf = Buffer.alloc(offset);
  const put = (at: number, v: number): void => { if (large) buf.writeUInt32LE(v, at); else buf.writeUInt16LE(v, at); };
  put(0, n);
  put(w, offset);
  let at = 2 * w;
  if (isObject) keys.forEach((k, i) => { put(at, keyOffsets[i]!); buf.writeUInt16LE(k.length, at + w); at += w + 2; });
  entries.forEach(([, v], i) => {
    buf[at] = v.type;
    if (valueOffsets[i] === -1) v.payload.copy(buf, at + 1);
    else put(at + 1, valueOffsets[i]!);
    at += 1 + w;
  });
  keys.forEach((k, i) => k.copy(buf, keyOffsets[i]!));
  entries.forEach(([, v], i) => { if (valueOffsets[i] !== -1) v.payload.copy(buf, valueOffsets[i]!); });
  return { type: isObject ? (large ? 0x01 : 0x00) : (large ? 0x03 : 0x02), payload: buf };
}
const obj = (entries: [string, V][], large = false): V => container(entries, large, true);
const arr = (values: V[], large = false): V => container(values.map((v) => [null, v]), large, false);

const text = (v: V): string => jsonBinaryToText(Buffer.concat([Buffer.from([v.type]), v.payload]));

function packedDatetime(y: number, mo: number, d: number, h: number, mi: number, s: number, micros: number): Buffer {
  const ymd = BigInt((((y * 13 + mo) << 5) | d));
  const hms = BigInt((h << 12) | (mi << 6) | s);
  const b = Buffer.alloc(8);
  b.writeBigInt64LE((((ymd << 17n) | hms) << 24n) + BigInt(micros));
  return b;
}

function packedTime(negative: boolean, h: number, mi: number, s: number, micros: number): Buffer {
  const packed = (BigInt((h << 12) | (mi << 6) | s) << 24n) + BigInt(micros);
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(negative ? -packed : packed);
  return b;
}

describe('MySQL binary JSON → Debezium JSON text', () => {
  test('objects and arrays, small and large, nested; no spaces; stored key order', () => {
    const doc = obj([['a', arr([i16(1), dbl(2.5), str('x')])], ['b', lit(null)]]);
    expect(text(doc)).toBe('{"a":[1,2.5,"x"],"b":null}');
    const large = obj([['a', arr([i16(1), dbl(2.5), str('x')], true)], ['b', lit(null)]], true);
    expect(text(large)).toBe('{"a":[1,2.5,"x"],"b":null}');
    expect(text(obj([]))).toBe('{}');
    expect(text(arr([]))).toBe('[]');
    expect(text(arr([obj([['k', arr([arr([lit(true), lit(false)])])]])]))).toBe('[{"k":[[true,false]]}]');
  });

  test('literals and scalars at the top level', () => {
    expect(text(lit(true))).toBe('true');
    expect(text(lit(false))).toBe('false');
    expect(text(lit(null))).toBe('null');
    expect(text(str('hi'))).toBe('"hi"');
    expect(text(i64(-5n))).toBe('-5');
  });

  test('integer widths, inlined and by offset', () => {
    const small = arr([i16(-32768), u16(65535), i32(-2147483648), u32(4294967295), i64(-9223372036854775808n), u64(18446744073709551615n)]);
    expect(text(small)).toBe('[-32768,65535,-2147483648,4294967295,-9223372036854775808,18446744073709551615]');
    // In the large form int32/uint32 sit inline in the value entry.
    const large = arr([i16(-1), u16(2), i32(-3), u32(4000000000)], true);
    expect(text(large)).toBe('[-1,2,-3,4000000000]');
  });

  test('doubles print as Java does, without E notation', () => {
    expect(text(arr([dbl(1), dbl(-0.5), dbl(3.14159), dbl(0.001), dbl(1234567.5)]))).toBe('[1.0,-0.5,3.14159,0.001,1234567.5]');
    expect(javaDoubleText(1e7)).toBe('10000000');
    expect(javaDoubleText(123456789)).toBe('123456789');
    expect(javaDoubleText(1e-5)).toBe('0.000010000000000000000818030539140313095458623138256371021270751953125');
    expect(javaDoubleText(0)).toBe('0.0');
    expect(javaDoubleText(-2.5e20)).toBe('-250000000000000000000');
  });

  test('strings: multi-byte lengths, UTF-8 and the escapes Debezium writes', () => {
    const s200 = 'é'.repeat(100); // 200 bytes: 2-byte length
    const s20k = 'a'.repeat(20000); // 3-byte length
    expect(text(arr([str(s200), str(s20k)]))).toBe(`["${s200}","${s20k}"]`);
    expect(text(str('q"b\\s/\n\t\r\b\f\u0001\u001f\u007f😀'))).toBe('"q\\"b\\\\s/\\n\\t\\r\\b\\f\\u0001\\u001F\u007f😀"');
    expect(text(obj([['ключ', str('значение')]]))).toBe('{"ключ":"значение"}');
  });

  test('opaque DECIMAL as plain number text, DATE/TIME/DATETIME as quoted text, other opaque as base64', () => {
    const decimal = Buffer.concat([Buffer.from([10, 2]), Buffer.from('7ffffb2dc7', 'hex')]);
    expect(text(arr([opaque(246, decimal)]))).toBe('[-1234.56]');
    expect(text(opaque(12, packedDatetime(2024, 2, 29, 12, 34, 56, 120000)))).toBe('"2024-02-29 12:34:56.12"');
    expect(text(opaque(18, packedDatetime(1999, 12, 31, 23, 59, 59, 0)))).toBe('"1999-12-31 23:59:59"');
    expect(text(opaque(7, packedDatetime(2020, 1, 2, 3, 4, 5, 6)))).toBe('"2020-01-02 03:04:05.000006"');
    expect(text(opaque(10, packedDatetime(2024, 2, 29, 0, 0, 0, 0)))).toBe('"2024-02-29"');
    expect(text(opaque(11, packedTime(false, 12, 0, 1, 500000)))).toBe('"12:00:01.5"');
    expect(text(opaque(11, packedTime(true, 838, 59, 59, 0)))).toBe('"-838:59:59"');
    expect(text(opaque(252, Buffer.from([0xca, 0xfe])))).toBe('"yv4="');
  });

  test('bad bytes are clear errors', () => {
    expect(() => jsonBinaryToText(Buffer.from([0x0d, 0]))).toThrow(/unknown binary JSON value type 0xd/);
    expect(() => jsonBinaryToText(Buffer.from([0x04, 9]))).toThrow(/unknown binary JSON literal/);
    expect(() => jsonBinaryToText(Buffer.from([0x00, 5, 0, 200, 0]))).toThrow(/claims 200 bytes/);
    expect(() => jsonBinaryToText(Buffer.from([0x0c, 10, 0x61]))).toThrow(/truncated/);
  });
});
