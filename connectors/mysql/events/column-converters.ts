/**
 * ColumnValue → Connect value, per column kind and handling mode, as Debezium 3.6's
 * BinlogValueConverters/JdbcValueConverters produce them from the binlog:
 *
 * - zero dates (`0000-00-00`, any zero year/month/day) and the zero TIMESTAMP come out as null;
 *   column-mapping then applies Debezium's rule (null if nullable, else the schema default or epoch);
 * - `enable.time.adjuster` turns years 1-69 into 2001-2069 and 70-99 into 1970-1999 (DATE,
 *   DATETIME, YEAR); the zero YEAR arrives from the binlog as 1900 and is reported as such;
 * - BIT(n > 1) becomes little-endian bytes sized ceil(n/8); BINARY(n) values are right-padded with
 *   zero bytes to n;
 * - TIMESTAMP(fsp) prints exactly fsp fraction digits (none when fsp is 0), in UTC with `Z`;
 *   isostring DATETIME and TIME trim trailing fraction zeros (java.time's ISO formatters).
 *
 * A value of the wrong shape, or one the mode cannot represent (a negative TIME in `connect`
 * mode, a date outside the nanosecond range), throws ColumnValueError naming the column.
 */
import { Decimal } from '../../sdk/data/decimal.js';
import { Struct } from '../../sdk/data/struct.js';
import type { Schema } from '../../sdk/data/schema.js';
import { describeValue, normalizeInt64 } from '../../sdk/data/validate-value.js';
import { DataError } from '../../sdk/errors.js';
import type {
  ColumnValue, DateParts, DateTimeParts, DecimalText, GeometryValue, JsonText, TimeValue, TimestampValue,
} from '../values/column-value.js';
import type { ColumnKind } from './column-kind.js';
import type { EventSettings } from './event-settings.js';
import { epochDay, epochMicros, isoLocalDate, isoLocalTime, utcPartsOfEpochMicros } from './temporal-text.js';

/** A column value that does not fit the column's mapping; `column` is `db.table.column`. */
export class ColumnValueError extends DataError {
  override readonly name: string = 'ColumnValueError';
  constructor(readonly column: string, readonly typeName: string, problem: string) {
    super(`Cannot convert the value of column ${column} (${typeName}): ${problem}`);
  }
}

/** Returns the Connect value, or null for a null / zero-date value. `fail` builds the error to throw. */
export type ValueConverter = (value: ColumnValue, fail: (problem: string) => ColumnValueError) => unknown;

const MICROS_PER_DAY = 86_400_000_000;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INT_LIMITS = { INT16: [-32768, 32767], INT32: [-2147483648, 2147483647], INT64: [-(2 ** 63), 2 ** 63] } as const;

/** `fieldSchema` is the field's built schema (needed for struct values). */
export function valueConverter(kind: ColumnKind, settings: EventSettings, fieldSchema: Schema): ValueConverter {
  switch (kind.kind) {
    case 'boolean':
      return (v, fail) => {
        if (typeof v === 'number') return v !== 0;
        if (typeof v === 'bigint') return v !== 0n;
        if (Buffer.isBuffer(v)) return v.some((b) => b !== 0);
        throw fail(`expected a number, got ${describe(v)}`);
      };
    case 'bits': {
      const size = Math.ceil(kind.length / 8);
      return (v, fail) => {
        if (!Buffer.isBuffer(v)) throw fail(`expected a Buffer, got ${describe(v)}`);
        const littleEndian = Buffer.from(v).reverse();
        return littleEndian.length >= size ? littleEndian : Buffer.concat([littleEndian, Buffer.alloc(size - littleEndian.length)]);
      };
    }
    case 'integer': {
      const [lo, hi] = INT_LIMITS[kind.type];
      const wrap = kind.unsignedBits === null ? 0 : 2 ** kind.unsignedBits;
      return (v, fail) => {
        let n = typeof v === 'bigint' ? Number(v) : v;
        if (typeof n !== 'number' || !Number.isInteger(n)) throw fail(`expected an integer, got ${describe(v)}`);
        // A decoder that hands over the raw signed bits of an unsigned column is corrected here.
        if (wrap !== 0 && n < 0) n += wrap;
        if (n < lo || n > hi) throw fail(`${n} is out of range for ${kind.type}`);
        return n;
      };
    }
    case 'bigint':
      return (v, fail) => {
        if (typeof v !== 'bigint' && !(typeof v === 'number' && Number.isInteger(v))) throw fail(`expected a bigint, got ${describe(v)}`);
        const n = BigInt(v);
        if (!kind.unsigned) {
          if (n < INT64_MIN || n > INT64_MAX) throw fail(`${n} is out of range for INT64`);
          return normalizeInt64(n);
        }
        const unsigned = BigInt.asUintN(64, n);
        // 'long' keeps Java's long: values above 2^63-1 wrap to negative numbers.
        return settings.bigintUnsignedHandlingMode === 'precise' ? new Decimal(unsigned, 0) : normalizeInt64(BigInt.asIntN(64, unsigned));
      };
    case 'float32':
    case 'float64':
      return (v, fail) => {
        if (typeof v !== 'number') throw fail(`expected a number, got ${describe(v)}`);
        return kind.kind === 'float32' ? Math.fround(v) : v;
      };
    case 'decimal':
      return (v, fail) => {
        const text = isKind<DecimalText>(v, 'decimal') ? v.text : null;
        if (text === null) throw fail(`expected decimal text, got ${describe(v)}`);
        let decimal: Decimal;
        try {
          decimal = Decimal.parse(text);
        } catch {
          throw fail(`"${text}" is not a decimal number`);
        }
        switch (settings.decimalHandlingMode) {
          case 'double':
            return decimal.toNumber();
          case 'string':
            return decimal.toPlainString();
          case 'precise':
            try {
              return decimal.setScale(kind.scale);
            } catch {
              throw fail(`${text} has more than the column's ${kind.scale} fraction digits`);
            }
        }
      };
    case 'string':
    case 'enum':
    case 'set':
    case 'uuid':
      return (v, fail) => {
        if (typeof v === 'string') return v;
        if (kind.kind === 'uuid' && Buffer.isBuffer(v) && v.length === 16) return uuidText(v);
        throw fail(`expected a string, got ${describe(v)}`);
      };
    case 'binary':
      return (v, fail) => {
        if (!Buffer.isBuffer(v)) throw fail(`expected a Buffer, got ${describe(v)}`);
        return binaryValue(kind.fixedLength !== null && v.length < kind.fixedLength ? Buffer.concat([v, Buffer.alloc(kind.fixedLength - v.length)]) : v, settings);
      };
    case 'json':
      return (v, fail) => {
        const text = typeof v === 'string' ? v : isKind<JsonText>(v, 'json') ? v.text : null;
        if (text === null) throw fail(`expected JSON text, got ${describe(v)}`);
        // An empty binlog JSON value: null for a nullable column, `{}` otherwise (as Debezium).
        if (text === '') return fieldSchema.optional ? null : '{}';
        return text;
      };
    case 'year':
      return (v, fail) => {
        if (typeof v !== 'number' || !Number.isInteger(v)) throw fail(`expected a year number, got ${describe(v)}`);
        return v === 0 ? 1900 : adjustYear(v, settings);
      };
    case 'date':
      return (v, fail) => {
        if (!isKind<DateParts>(v, 'date')) throw fail(`expected date parts, got ${describe(v)}`);
        if (v.year === 0 || v.month === 0 || v.day === 0) return null;
        return dateValue(adjustYear(v.year, settings), v.month, v.day, settings);
      };
    case 'time':
      return (v, fail) => {
        if (!isKind<TimeValue>(v, 'time')) throw fail(`expected a time value, got ${describe(v)}`);
        return timeValue(v.micros, settings, fail);
      };
    case 'datetime':
      return (v, fail) => {
        if (!isKind<DateTimeParts>(v, 'datetime')) throw fail(`expected date-time parts, got ${describe(v)}`);
        if (v.year === 0 || v.month === 0 || v.day === 0) return null;
        return datetimeValue({ ...v, year: adjustYear(v.year, settings) }, kind.fsp, settings, fail);
      };
    case 'timestamp':
      return (v, fail) => {
        if (!isKind<TimestampValue>(v, 'timestamp')) throw fail(`expected a timestamp value, got ${describe(v)}`);
        if (v.epochMicros === 0) return null;
        return zonedTimestampText(BigInt(v.epochMicros), kind.fsp);
      };
    case 'geometry':
      return (v, fail) => {
        if (!isKind<GeometryValue>(v, 'geometry')) throw fail(`expected a geometry value, got ${describe(v)}`);
        return new Struct(fieldSchema).put('wkb', v.wkb).put('srid', v.srid);
      };
    case 'point':
      return (v, fail) => {
        if (!isKind<GeometryValue>(v, 'geometry')) throw fail(`expected a geometry value, got ${describe(v)}`);
        const xy = wkbPoint(v.wkb);
        if (xy === null) throw fail('the value is not a 2D POINT in well-known binary');
        return new Struct(fieldSchema).put('x', xy[0]).put('y', xy[1]).put('wkb', v.wkb).put('srid', v.srid);
      };
  }
}

/** TIMESTAMP text as Debezium's ZonedTimestamp: `2018-06-20T13:37:03Z`, `...03.120Z` for fsp 3. */
export function zonedTimestampText(micros: bigint, fsp: number): string {
  const p = utcPartsOfEpochMicros(micros);
  const digits = fsp > 0 && fsp <= 9 ? Math.min(fsp, 6) : null;
  return `${isoLocalDate(p.year, p.month, p.day)}T${isoLocalTime(p.hour, p.minute, p.second, p.micro, digits)}Z`;
}

function adjustYear(year: number, settings: EventSettings): number {
  if (!settings.enableTimeAdjuster) return year;
  if (year >= 0 && year <= 69) return year + 2000;
  if (year >= 70 && year <= 99) return year + 1900;
  return year;
}

function dateValue(year: number, month: number, day: number, settings: EventSettings): unknown {
  const days = epochDay(year, month, day);
  switch (settings.timePrecisionMode) {
    case 'connect':
      return new Date(days * 86_400_000);
    case 'isostring':
      return `${isoLocalDate(year, month, day)}Z`;
    default:
      return days;
  }
}

function timeValue(micros: number, settings: EventSettings, fail: (problem: string) => ColumnValueError): unknown {
  const withinDay = micros >= 0 && micros <= MICROS_PER_DAY;
  switch (settings.timePrecisionMode) {
    case 'adaptive_time_microseconds':
    case 'microseconds':
      return micros;
    case 'nanoseconds':
      return micros * 1000;
    case 'connect':
      if (!withinDay) throw fail(`time.precision.mode=connect only holds TIME values from 00:00:00 to 24:00:00, got ${micros} µs`);
      return new Date(Math.trunc(micros / 1000));
    case 'isostring': {
      if (!withinDay) throw fail(`time.precision.mode=isostring only holds TIME values from 00:00:00 to 24:00:00, got ${micros} µs`);
      const ofDay = micros % MICROS_PER_DAY;
      const seconds = Math.floor(ofDay / 1_000_000);
      return `${isoLocalTime(Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60, ofDay % 1_000_000, null)}Z`;
    }
  }
}

function datetimeValue(v: DateTimeParts, fsp: number, settings: EventSettings, fail: (problem: string) => ColumnValueError): unknown {
  const micros = epochMicros(v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond);
  const millis = floorDiv(micros, 1000n);
  switch (settings.timePrecisionMode) {
    case 'adaptive_time_microseconds':
      return normalizeInt64(fsp <= 3 ? millis : micros);
    case 'microseconds':
      return normalizeInt64(micros);
    case 'nanoseconds': {
      const nanos = micros * 1000n;
      if (nanos < INT64_MIN || nanos > INT64_MAX) {
        throw fail('the value is outside the representable range for INT64 epoch nanoseconds (approximately 1677-09-21T00:12:43Z to 2262-04-11T23:47:16Z); use time.precision.mode=microseconds or isostring');
      }
      return normalizeInt64(nanos);
    }
    case 'connect':
      return new Date(Number(millis));
    case 'isostring':
      return `${isoLocalDate(v.year, v.month, v.day)}T${isoLocalTime(v.hour, v.minute, v.second, v.microsecond, null)}Z`;
  }
}

function binaryValue(bytes: Buffer, settings: EventSettings): Buffer | string {
  switch (settings.binaryHandlingMode) {
    case 'bytes':
      return bytes;
    case 'base64':
      return bytes.toString('base64');
    case 'base64-url-safe':
      // Java's Base64.getUrlEncoder() keeps the `=` padding that Node's base64url drops.
      return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    case 'hex':
      return bytes.toString('hex');
  }
}

/** [x, y] of a 21-byte WKB POINT (either byte order), else null. */
function wkbPoint(wkb: Buffer): [number, number] | null {
  if (wkb.length !== 21) return null;
  const little = wkb[0] !== 0;
  const type = little ? wkb.readUInt32LE(1) : wkb.readUInt32BE(1);
  if (type !== 1) return null;
  return little ? [wkb.readDoubleLE(5), wkb.readDoubleLE(13)] : [wkb.readDoubleBE(5), wkb.readDoubleBE(13)];
}

function uuidText(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function isKind<T extends Exclude<ColumnValue, null | number | bigint | string | Buffer>>(v: ColumnValue, kind: T['kind']): v is T {
  return typeof v === 'object' && v !== null && !Buffer.isBuffer(v) && (v as { kind?: string }).kind === kind;
}

function describe(v: ColumnValue): string {
  if (typeof v === 'object' && v !== null && !Buffer.isBuffer(v)) return `${v.kind} value`;
  return describeValue(v);
}
