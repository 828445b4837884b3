/**
 * MySQL's binary JSON (the JSON column's storage format, `json_binary.h`) → JSON text, written
 * the way Debezium prints MySQL JSON columns (mysql-binlog-connector-java's JsonStringFormatter):
 * no spaces (`{"a":1,"b":[true,null]}`), object members in stored order (MySQL sorts keys by
 * length, then bytes), doubles as Java's Double.toString prints them except that values it would
 * print in E notation are written as the exact decimal expansion of the double (BigDecimal
 * toPlainString), DECIMAL opaque values as plain decimal text, DATE/TIME/DATETIME/TIMESTAMP opaque
 * values as quoted `YYYY-MM-DD`, `[-]HH:MM:SS[.ffffff]`, `YYYY-MM-DD HH:MM:SS[.ffffff]` (fraction
 * without trailing zeros), any other opaque value as its bytes in quoted base64; strings escape
 * `"`, `\` and control characters (`\b \t \n \f \r`, others `\u00XX`) and nothing else.
 *
 * Deliberate differences from that library, where it produces wrong output: negative TIME values
 * are formatted correctly, and UINT32 values stored inline in large objects/arrays are written
 * (the Java formatter drops them).
 *
 * Grammar: value = type(u8) payload. Object/array payload: count, size (u16 small / u32 large),
 * [objects: count × (key offset, u16 key length)], count × value entries (u8 type + u16/u32 that
 * is either an offset from the payload start or, for literals, (u)int16 and in large form
 * (u)int32, the value itself), then keys and values.
 */
import { BinlogFormatError } from './byte-reader.js';
import { ColumnType } from './column-types.js';
import { decodeDecimal } from './decimal.js';

const T = {
  SMALL_OBJECT: 0x00, LARGE_OBJECT: 0x01, SMALL_ARRAY: 0x02, LARGE_ARRAY: 0x03, LITERAL: 0x04,
  INT16: 0x05, UINT16: 0x06, INT32: 0x07, UINT32: 0x08, INT64: 0x09, UINT64: 0x0a, DOUBLE: 0x0b,
  STRING: 0x0c, OPAQUE: 0x0f,
} as const;

class JsonReader {
  constructor(readonly buf: Buffer, readonly start: number, readonly end: number) {}

  check(at: number, n: number, what: string): void {
    if (at < this.start || at + n > this.end) throw new BinlogFormatError(`binary JSON truncated reading ${what} at byte ${at - this.start}`);
  }
}

/** Converts one binary JSON document to text. An empty document has no text: the caller decides. */
export function jsonBinaryToText(buf: Buffer, start = 0, end = buf.length): string {
  const r = new JsonReader(buf, start, end);
  r.check(start, 1, 'value type');
  const out: string[] = [];
  writeValue(r, buf[start]!, start + 1, out);
  return out.join('');
}

function writeValue(r: JsonReader, type: number, at: number, out: string[]): void {
  const b = r.buf;
  switch (type) {
    case T.SMALL_OBJECT:
    case T.LARGE_OBJECT:
      writeContainer(r, at, type === T.LARGE_OBJECT, true, out);
      return;
    case T.SMALL_ARRAY:
    case T.LARGE_ARRAY:
      writeContainer(r, at, type === T.LARGE_ARRAY, false, out);
      return;
    case T.LITERAL:
      r.check(at, 1, 'literal');
      out.push(literal(b[at]!));
      return;
    case T.INT16: r.check(at, 2, 'int16'); out.push(String(b.readInt16LE(at))); return;
    case T.UINT16: r.check(at, 2, 'uint16'); out.push(String(b.readUInt16LE(at))); return;
    case T.INT32: r.check(at, 4, 'int32'); out.push(String(b.readInt32LE(at))); return;
    case T.UINT32: r.check(at, 4, 'uint32'); out.push(String(b.readUInt32LE(at))); return;
    case T.INT64: r.check(at, 8, 'int64'); out.push(String(b.readBigInt64LE(at))); return;
    case T.UINT64: r.check(at, 8, 'uint64'); out.push(String(b.readBigUInt64LE(at))); return;
    case T.DOUBLE: r.check(at, 8, 'double'); out.push(javaDoubleText(b.readDoubleLE(at))); return;
    case T.STRING: {
      const { value: length, next } = varLength(r, at);
      r.check(next, length, 'string');
      out.push(quote(b.toString('utf8', next, next + length)));
      return;
    }
    case T.OPAQUE: {
      r.check(at, 1, 'opaque type');
      const mysqlType = b[at]!;
      const { value: length, next } = varLength(r, at + 1);
      r.check(next, length, 'opaque value');
      out.push(opaque(r.buf, mysqlType, next, length));
      return;
    }
    default:
      throw new BinlogFormatError(`unknown binary JSON value type 0x${type.toString(16)}`);
  }
}

function literal(v: number): string {
  if (v === 0) return 'null';
  if (v === 1) return 'true';
  if (v === 2) return 'false';
  throw new BinlogFormatError(`unknown binary JSON literal 0x${v.toString(16)}`);
}

function writeContainer(r: JsonReader, at: number, large: boolean, isObject: boolean, out: string[]): void {
  const b = r.buf;
  const w = large ? 4 : 2;
  const read = (pos: number, what: string): number => {
    r.check(pos, w, what);
    return large ? b.readUInt32LE(pos) : b.readUInt16LE(pos);
  };
  const count = read(at, 'element count');
  const size = read(at + w, 'byte size');
  if (at + size > r.end) throw new BinlogFormatError(`binary JSON ${isObject ? 'object' : 'array'} claims ${size} bytes, beyond the document`);
  const keysAt = at + 2 * w;
  const valuesAt = keysAt + (isObject ? count * (w + 2) : 0);
  out.push(isObject ? '{' : '[');
  for (let i = 0; i < count; i++) {
    if (i > 0) out.push(',');
    if (isObject) {
      const keyEntry = keysAt + i * (w + 2);
      const keyOffset = read(keyEntry, 'key offset');
      r.check(keyEntry + w, 2, 'key length');
      const keyLength = b.readUInt16LE(keyEntry + w);
      r.check(at + keyOffset, keyLength, 'key');
      out.push(quote(b.toString('utf8', at + keyOffset, at + keyOffset + keyLength)), ':');
    }
    const entry = valuesAt + i * (1 + w);
    r.check(entry, 1 + w, 'value entry');
    const type = b[entry]!;
    const inline = type === T.LITERAL || type === T.INT16 || type === T.UINT16 || (large && (type === T.INT32 || type === T.UINT32));
    if (inline) writeValue(r, type, entry + 1, out);
    else {
      const offset = read(entry + 1, 'value offset');
      if (offset >= size) throw new BinlogFormatError(`binary JSON value offset ${offset} lies outside its container (${size} bytes)`);
      writeValue(r, type, at + offset, out);
    }
  }
  out.push(isObject ? '}' : ']');
}

/** Lengths of strings and opaque values: 7 bits per byte, low group first, high bit = more. */
function varLength(r: JsonReader, at: number): { value: number; next: number } {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    r.check(at + i, 1, 'length');
    const byte = r.buf[at + i]!;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return { value, next: at + i + 1 };
  }
  throw new BinlogFormatError('binary JSON length longer than 5 bytes');
}

// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/g;
const NAMED: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };

function quote(s: string): string {
  return `"${s.replace(NEEDS_ESCAPE, (c) => NAMED[c] ?? `\\u00${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)}"`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function fraction(micros: number): string {
  return micros === 0 ? '' : `.${String(micros).padStart(6, '0').replace(/0+$/, '')}`;
}

function opaque(b: Buffer, mysqlType: number, at: number, length: number): string {
  switch (mysqlType) {
    case ColumnType.NEWDECIMAL:
    case ColumnType.DECIMAL: {
      if (length < 2) throw new BinlogFormatError('binary JSON DECIMAL without precision and scale');
      return decodeDecimal(b.subarray(0, at + length), at + 2, b[at]!, b[at + 1]!);
    }
    case ColumnType.DATE:
    case ColumnType.TIME:
    case ColumnType.TIME2:
    case ColumnType.DATETIME:
    case ColumnType.DATETIME2:
    case ColumnType.TIMESTAMP:
    case ColumnType.TIMESTAMP2: {
      if (length < 8) throw new BinlogFormatError('binary JSON temporal value shorter than 8 bytes');
      const raw = b.readBigInt64LE(at);
      const negative = raw < 0n;
      const packed = negative ? -raw : raw;
      const micros = Number(packed & 0xffffffn);
      const v = Number(packed >> 24n);
      if (mysqlType === ColumnType.TIME || mysqlType === ColumnType.TIME2) {
        const hour = (v >> 12) & 0x3ff;
        return `"${negative ? '-' : ''}${pad2(hour)}:${pad2((v >> 6) & 63)}:${pad2(v & 63)}${fraction(micros)}"`;
      }
      const ym = Math.floor(v / 2 ** 22) % 2 ** 17;
      const date = `${String(Math.floor(ym / 13)).padStart(4, '0')}-${pad2(ym % 13)}-${pad2(Math.floor(v / 2 ** 17) % 32)}`;
      if (mysqlType === ColumnType.DATE) return `"${date}"`;
      return `"${date} ${pad2(Math.floor(v / 4096) % 32)}:${pad2((v >> 6) & 63)}:${pad2(v & 63)}${fraction(micros)}"`;
    }
    default:
      return `"${b.toString('base64', at, at + length)}"`;
  }
}

/**
 * Java's Double.toString for 1e-3 ≤ |d| < 1e7 (shortest digits, at least one fraction digit);
 * outside that range (where Java switches to E notation) the exact decimal value of the double.
 */
export function javaDoubleText(d: number): string {
  if (!Number.isFinite(d)) throw new BinlogFormatError(`binary JSON double ${d} is not a JSON number`);
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes('.') ? s : `${s}.0`;
  }
  return exactDecimal(d);
}

function exactDecimal(d: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const biasedExp = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & 0xfffffffffffffn;
  let exp: number;
  if (biasedExp === 0) exp = -1074;
  else {
    mantissa |= 1n << 52n;
    exp = biasedExp - 1075;
  }
  while (exp < 0 && (mantissa & 1n) === 0n) {
    mantissa >>= 1n;
    exp++;
  }
  let text: string;
  if (exp >= 0) text = (mantissa << BigInt(exp)).toString();
  else {
    const scale = -exp;
    const digits = (mantissa * 5n ** BigInt(scale)).toString().padStart(scale + 1, '0');
    text = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  }
  return negative ? `-${text}` : text;
}
