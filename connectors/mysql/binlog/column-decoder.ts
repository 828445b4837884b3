/**
 * One column value of a row image → ColumnValue. The binlog type and its TABLE_MAP metadata
 * decide the byte layout; the TableDefinition decides the meaning (signedness, character set,
 * ENUM/SET members, binary vs text, JSON). A `ColumnPlan` is built once per (table map, table
 * definition) pair so that decoding a row does no lookups.
 */
import type { ColumnDefinition, TableDefinition } from '../schema/table-definition.js';
import type { ColumnValue } from '../values/column-value.js';
import { BinlogFormatError } from './byte-reader.js';
import { textDecoderFor, type TextDecodeFn } from './charsets.js';
import { ColumnType, columnTypeName, realStringType } from './column-types.js';
import { decimalBinarySize, decodeDecimal } from './decimal.js';
import { jsonBinaryToText } from './json-binary.js';

/** Reads one value at `at`; returns the value and the position after it. */
export type ColumnReader = (buf: Buffer, at: number) => { value: ColumnValue; next: number };

const BINARY_TYPES = new Set(['BINARY', 'VARBINARY', 'TINYBLOB', 'BLOB', 'MEDIUMBLOB', 'LONGBLOB']);

/** Binlog types each DDL type name may arrive as (names not listed are decoded by their binlog type). */
const EXPECTED: Record<string, readonly number[]> = {
  TINYINT: [ColumnType.TINY], BOOL: [ColumnType.TINY], BOOLEAN: [ColumnType.TINY],
  SMALLINT: [ColumnType.SHORT], MEDIUMINT: [ColumnType.INT24], INT: [ColumnType.LONG], INTEGER: [ColumnType.LONG],
  BIGINT: [ColumnType.LONGLONG], SERIAL: [ColumnType.LONGLONG],
  FLOAT: [ColumnType.FLOAT, ColumnType.DOUBLE], DOUBLE: [ColumnType.DOUBLE], REAL: [ColumnType.DOUBLE, ColumnType.FLOAT],
  'DOUBLE PRECISION': [ColumnType.DOUBLE],
  DECIMAL: [ColumnType.NEWDECIMAL], NUMERIC: [ColumnType.NEWDECIMAL], DEC: [ColumnType.NEWDECIMAL], FIXED: [ColumnType.NEWDECIMAL],
  BIT: [ColumnType.BIT], YEAR: [ColumnType.YEAR], DATE: [ColumnType.DATE, ColumnType.NEWDATE],
  TIME: [ColumnType.TIME, ColumnType.TIME2], DATETIME: [ColumnType.DATETIME, ColumnType.DATETIME2],
  TIMESTAMP: [ColumnType.TIMESTAMP, ColumnType.TIMESTAMP2],
  CHAR: [ColumnType.STRING], BINARY: [ColumnType.STRING],
  VARCHAR: [ColumnType.VARCHAR, ColumnType.VAR_STRING], VARBINARY: [ColumnType.VARCHAR, ColumnType.VAR_STRING],
  TINYTEXT: [ColumnType.BLOB], TEXT: [ColumnType.BLOB], MEDIUMTEXT: [ColumnType.BLOB], LONGTEXT: [ColumnType.BLOB],
  TINYBLOB: [ColumnType.BLOB], BLOB: [ColumnType.BLOB], MEDIUMBLOB: [ColumnType.BLOB], LONGBLOB: [ColumnType.BLOB],
  ENUM: [ColumnType.ENUM], SET: [ColumnType.SET], JSON: [ColumnType.JSON, ColumnType.BLOB],
  GEOMETRY: [ColumnType.GEOMETRY], POINT: [ColumnType.GEOMETRY], LINESTRING: [ColumnType.GEOMETRY], POLYGON: [ColumnType.GEOMETRY],
  MULTIPOINT: [ColumnType.GEOMETRY], MULTILINESTRING: [ColumnType.GEOMETRY], MULTIPOLYGON: [ColumnType.GEOMETRY],
  GEOMETRYCOLLECTION: [ColumnType.GEOMETRY], GEOMCOLLECTION: [ColumnType.GEOMETRY],
};

function fracReader(fsp: number): { size: number; read: (buf: Buffer, at: number) => number } {
  if (fsp <= 0) return { size: 0, read: () => 0 };
  if (fsp <= 2) return { size: 1, read: (b, at) => b[at]! * 10_000 };
  if (fsp <= 4) return { size: 2, read: (b, at) => b.readUInt16BE(at) * 100 };
  return { size: 3, read: (b, at) => b.readUIntBE(at, 3) };
}

function lengthPrefixed(bytes: number, what: string): (buf: Buffer, at: number) => { start: number; end: number } {
  return (buf, at) => {
    if (at + bytes > buf.length) throw new BinlogFormatError(`${what} length truncated`);
    const length = buf.readUIntLE(at, bytes);
    const start = at + bytes;
    if (start + length > buf.length) throw new BinlogFormatError(`${what} value truncated (${length} bytes announced)`);
    return { start, end: start + length };
  };
}

function timeFromPacked(packed: number): number {
  const negative = packed < 0;
  const p = Math.abs(packed);
  const micros = p % 2 ** 24;
  const hms = Math.floor(p / 2 ** 24);
  const total = (((hms >> 12) & 0x3ff) * 3600 + ((hms >> 6) & 0x3f) * 60 + (hms & 0x3f)) * 1_000_000 + micros;
  return negative ? -total : total;
}

/** Builds the reader for column `i` of a table map against its definition (throws on a type mismatch). */
export function columnReader(type: number, meta: number, col: ColumnDefinition, table: TableDefinition): ColumnReader {
  let realType = type;
  let stringLength = 0;
  if (type === ColumnType.STRING) ({ realType, length: stringLength } = realStringType(meta));
  const expected = EXPECTED[col.typeName.toUpperCase()];
  if (expected && !expected.includes(realType)) {
    throw new BinlogFormatError(
      `column ${table.id.database}.${table.id.table}.${col.name} is ${col.typeName} in the table definition but the binlog carries ${columnTypeName(realType)}: the schema is out of sync with the binlog`,
    );
  }
  const typeName = col.typeName.toUpperCase();
  const unsigned = col.unsigned;
  const charset = col.charsetName ?? table.defaultCharsetName ?? 'utf8mb4';
  const isBinary = BINARY_TYPES.has(typeName) || charset.toLowerCase() === 'binary';
  const text: TextDecodeFn | null = isBinary ? null : textDecoderFor(charset);
  const bytesOrText = (buf: Buffer, start: number, end: number): ColumnValue =>
    (text ? text(buf, start, end) : buf.subarray(start, end));
  const fixed = (size: number, read: (buf: Buffer, at: number) => ColumnValue): ColumnReader => (buf, at) => {
    if (at + size > buf.length) throw new BinlogFormatError(`${columnTypeName(realType)} value of ${col.name} truncated`);
    return { value: read(buf, at), next: at + size };
  };

  switch (realType) {
    case ColumnType.TINY: return fixed(1, unsigned ? (b, at) => b[at]! : (b, at) => b.readInt8(at));
    case ColumnType.SHORT: return fixed(2, unsigned ? (b, at) => b.readUInt16LE(at) : (b, at) => b.readInt16LE(at));
    case ColumnType.INT24: return fixed(3, unsigned ? (b, at) => b.readUIntLE(at, 3) : (b, at) => b.readIntLE(at, 3));
    case ColumnType.LONG: return fixed(4, unsigned ? (b, at) => b.readUInt32LE(at) : (b, at) => b.readInt32LE(at));
    case ColumnType.LONGLONG: return fixed(8, unsigned ? (b, at) => b.readBigUInt64LE(at) : (b, at) => b.readBigInt64LE(at));
    case ColumnType.FLOAT: return fixed(4, (b, at) => b.readFloatLE(at));
    case ColumnType.DOUBLE: return fixed(8, (b, at) => b.readDoubleLE(at));
    case ColumnType.YEAR: return fixed(1, (b, at) => (b[at] === 0 ? 0 : 1900 + b[at]!));
    case ColumnType.NEWDECIMAL: {
      const precision = meta >> 8;
      const scale = meta & 0xff;
      return fixed(decimalBinarySize(precision, scale), (b, at) => ({ kind: 'decimal', text: decodeDecimal(b, at, precision, scale) }));
    }
    case ColumnType.BIT: {
      const size = (meta >> 8) + ((meta & 0xff) > 0 ? 1 : 0);
      return fixed(size, (b, at) => Buffer.from(b.subarray(at, at + size)));
    }
    case ColumnType.DATE:
    case ColumnType.NEWDATE:
      return fixed(3, (b, at) => {
        const v = b.readUIntLE(at, 3);
        return { kind: 'date', year: v >> 9, month: (v >> 5) & 15, day: v & 31 };
      });
    case ColumnType.TIME:
      return fixed(3, (b, at) => {
        const v = b.readIntLE(at, 3);
        const a = Math.abs(v);
        const micros = (Math.floor(a / 10000) * 3600 + (Math.floor(a / 100) % 100) * 60 + (a % 100)) * 1_000_000;
        return { kind: 'time', micros: v < 0 ? -micros : micros };
      });
    case ColumnType.TIME2: {
      const fsp = meta;
      if (fsp >= 5) return fixed(6, (b, at) => ({ kind: 'time', micros: timeFromPacked(b.readUIntBE(at, 6) - 0x800000000000) }));
      const frac = fracReader(fsp);
      const fracRange = fsp <= 2 ? 0x100 : 0x10000;
      const unit = fsp <= 2 ? 10_000 : 100;
      return fixed(3 + frac.size, (b, at) => {
        let intPart = b.readUIntBE(at, 3) - 0x800000;
        let f = frac.size === 0 ? 0 : frac.read(b, at + 3) / unit;
        if (intPart < 0 && f !== 0) {
          intPart += 1;
          f -= fracRange;
        }
        return { kind: 'time', micros: timeFromPacked(intPart * 2 ** 24 + f * unit) };
      });
    }
    case ColumnType.DATETIME:
      return fixed(8, (b, at) => {
        const v = Number(b.readBigUInt64LE(at));
        const d = Math.floor(v / 1_000_000);
        const t = v % 1_000_000;
        return {
          kind: 'datetime', year: Math.floor(d / 10000), month: Math.floor(d / 100) % 100, day: d % 100,
          hour: Math.floor(t / 10000), minute: Math.floor(t / 100) % 100, second: t % 100, microsecond: 0,
        };
      });
    case ColumnType.DATETIME2: {
      const frac = fracReader(meta);
      return fixed(5 + frac.size, (b, at) => {
        const v = b.readUIntBE(at, 5) - 0x8000000000;
        const ymd = Math.floor(v / 2 ** 17);
        const ym = ymd >> 5;
        const hms = v % 2 ** 17;
        return {
          kind: 'datetime', year: Math.floor(ym / 13), month: ym % 13, day: ymd & 31,
          hour: hms >> 12, minute: (hms >> 6) & 63, second: hms & 63, microsecond: frac.read(b, at + 5),
        };
      });
    }
    case ColumnType.TIMESTAMP:
      return fixed(4, (b, at) => ({ kind: 'timestamp', epochMicros: b.readUInt32LE(at) * 1_000_000 }));
    case ColumnType.TIMESTAMP2: {
      const frac = fracReader(meta);
      return fixed(4 + frac.size, (b, at) => ({ kind: 'timestamp', epochMicros: b.readUInt32BE(at) * 1_000_000 + frac.read(b, at + 4) }));
    }
    case ColumnType.VARCHAR:
    case ColumnType.VAR_STRING: {
      const span = lengthPrefixed(meta < 256 ? 1 : 2, col.name);
      return (buf, at) => {
        const { start, end } = span(buf, at);
        return { value: bytesOrText(buf, start, end), next: end };
      };
    }
    case ColumnType.STRING: {
      const span = lengthPrefixed(stringLength < 256 ? 1 : 2, col.name);
      const padTo = typeName === 'BINARY' && col.length !== null ? col.length : 0;
      return (buf, at) => {
        const { start, end } = span(buf, at);
        if (padTo > end - start) {
          const padded = Buffer.alloc(padTo);
          buf.copy(padded, 0, start, end);
          return { value: padded, next: end };
        }
        return { value: bytesOrText(buf, start, end), next: end };
      };
    }
    case ColumnType.ENUM: {
      const members = col.enumValues;
      return fixed(stringLength, (b, at) => {
        const index = b.readUIntLE(at, stringLength);
        if (index === 0) return '';
        const name = members[index - 1];
        if (name === undefined) throw new BinlogFormatError(`ENUM ${col.name} value ${index} is beyond its ${members.length} members: the schema is out of sync`);
        return name;
      });
    }
    case ColumnType.SET: {
      const members = col.enumValues;
      return fixed(stringLength, (b, at) => {
        let bits = stringLength > 6 ? b.readBigUInt64LE(at) : BigInt(b.readUIntLE(at, stringLength));
        const chosen: string[] = [];
        for (let i = 0; bits !== 0n; i++, bits >>= 1n) {
          if (bits & 1n) {
            const name = members[i];
            if (name === undefined) throw new BinlogFormatError(`SET ${col.name} has bit ${i} set beyond its ${members.length} members: the schema is out of sync`);
            chosen.push(name);
          }
        }
        return chosen.join(',');
      });
    }
    case ColumnType.BLOB: {
      const span = lengthPrefixed(meta, col.name);
      const json = typeName === 'JSON';
      return (buf, at) => {
        const { start, end } = span(buf, at);
        if (json) return { value: { kind: 'json', text: buf.toString('utf8', start, end) }, next: end };
        return { value: bytesOrText(buf, start, end), next: end };
      };
    }
    case ColumnType.JSON: {
      const span = lengthPrefixed(meta, col.name);
      return (buf, at) => {
        const { start, end } = span(buf, at);
        // An empty document is what MySQL stores for '' in non-strict mode; Debezium emits null
        // for a nullable column and {} otherwise.
        if (start === end) return { value: col.optional ? null : { kind: 'json', text: '{}' }, next: end };
        return { value: { kind: 'json', text: jsonBinaryToText(buf, start, end) }, next: end };
      };
    }
    case ColumnType.GEOMETRY: {
      const span = lengthPrefixed(meta, col.name);
      return (buf, at) => {
        const { start, end } = span(buf, at);
        if (end - start < 4) throw new BinlogFormatError(`GEOMETRY ${col.name} shorter than its SRID`);
        return { value: { kind: 'geometry', srid: buf.readUInt32LE(start), wkb: buf.subarray(start + 4, end) }, next: end };
      };
    }
    default:
      throw new BinlogFormatError(`column ${col.name}: binlog type ${columnTypeName(realType)} is not supported`);
  }
}
