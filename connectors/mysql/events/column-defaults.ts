/**
 * A column's DEFAULT expression read the way Debezium's BinlogDefaultValueConverter reads it,
 * producing the ColumnValue the schema default is converted from (or the Connect value itself
 * where Debezium bypasses the converter). Rules kept from Debezium 3.6:
 *
 * - no default for DEFAULT NULL, for expression defaults, and for zero dates of nullable columns;
 *   a NOT NULL column's zero date defaults to the epoch;
 * - CURRENT_TIMESTAMP / NOW() (which Debezium's DDL parser records as `1970-01-01 00:00:00`):
 *   TIMESTAMP columns get `1970-01-01T00:00:00Z` when NOT NULL and no default when nullable;
 *   DATETIME columns get the epoch either way;
 * - numbers may be written as decimals (`DEFAULT '1.0'`) and are rounded; `true`/`false` are 1/0;
 *   DECIMAL defaults are rounded half-up to the column scale; BIT defaults are binary digits;
 * - a TIMESTAMP literal is read as UTC (Debezium reads it in the JVM zone, normally UTC).
 */
import { Decimal } from '../../sdk/data/decimal.js';
import type { ColumnDefinition } from '../schema/table-definition.js';
import type { ColumnValue, DateTimeParts } from '../values/column-value.js';
import type { ColumnKind } from './column-kind.js';
import { epochMicros } from './temporal-text.js';

export type ColumnDefault =
  | { readonly from: 'value'; readonly value: ColumnValue }
  | { readonly from: 'connect'; readonly value: unknown };

const NOW = /^(current_timestamp|now|localtime|localtimestamp)\s*(\(\s*\d*\s*\))?$/i;
const ZERO_DATE = /^(\d{4}-\d{2}-00|\d{4}-00-\d{2}|0000-\d{2}-\d{2})$/;
const ZERO_DATETIME = /^(\d{4}-\d{2}-00|\d{4}-00-\d{2}|0000-\d{2}-\d{2}) 00:00:00(\.\d{1,6})?$/;
const DATETIME_TEXT = /^(\d{1,4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:\.(\d{0,6}))?)?)?)?$/;
const TIME_TEXT = /^(-)?(\d+):(\d{1,2})(?::(\d{1,2})(?:\.(\d{0,6}))?)?$/;
const EPOCH_TIMESTAMP = '1970-01-01 00:00:00';

/** The default to put in the field schema, or null for none. Throws Error on a default that cannot be read. */
export function columnDefault(column: ColumnDefinition, kind: ColumnKind): ColumnDefault | null {
  const raw = column.defaultValueExpression;
  if (raw === null || /^null$/i.test(raw.trim())) return null;
  const text = stripCharsetIntroducer(kind.kind === 'string' || kind.kind === 'binary' || kind.kind === 'enum' || kind.kind === 'set' || kind.kind === 'json' ? raw : raw.trim());
  const value = (v: ColumnValue): ColumnDefault => ({ from: 'value', value: v });
  const bool = /^(true|false)$/i.test(text) ? (text.toLowerCase() === 'true' ? 1 : 0) : null;
  switch (kind.kind) {
    case 'integer':
    case 'year':
      return value(bool ?? Math.round(Number(text)));
    case 'bigint':
      return value(bool !== null ? BigInt(bool) : /^[+-]?\d+$/.test(text) ? BigInt(text) : BigInt(Math.round(Number(text))));
    case 'float32':
    case 'float64':
      return value(bool ?? Number(text));
    case 'decimal':
      return value({ kind: 'decimal', text: roundHalfUp(Decimal.parse(bool !== null ? String(bool) : text), kind.scale).toPlainString() });
    case 'boolean':
      return value(/^[+-]?\d+$/.test(text) ? (Number(text) !== 0 ? 1 : 0) : text.toLowerCase() === 'true' ? 1 : 0);
    case 'bits':
      return value(bitsFromDigits(text));
    case 'date': {
      if (ZERO_DATE.test(text) || ZERO_DATETIME.test(text) || text === '0') {
        return column.optional ? null : value({ kind: 'date', year: 1970, month: 1, day: 1 });
      }
      const m = DATETIME_TEXT.exec(text);
      if (!m) return column.optional ? null : value({ kind: 'date', year: 1970, month: 1, day: 1 });
      return value({ kind: 'date', year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) });
    }
    case 'datetime': {
      const literal = NOW.test(text) ? EPOCH_TIMESTAMP : text;
      if (ZERO_DATETIME.test(literal) || literal === '0') return column.optional ? null : value(datetimeParts(EPOCH_TIMESTAMP));
      return value(datetimeParts(literal) ?? datetimeParts(EPOCH_TIMESTAMP));
    }
    case 'timestamp': {
      if (NOW.test(text) || ZERO_DATETIME.test(text) || text === '0' || text === EPOCH_TIMESTAMP) {
        return column.optional ? null : { from: 'connect', value: '1970-01-01T00:00:00Z' };
      }
      const p = datetimeParts(text);
      if (p === null) throw new Error(`Cannot read TIMESTAMP default "${text}"`);
      return value({ kind: 'timestamp', epochMicros: Number(epochMicros(p.year, p.month, p.day, p.hour, p.minute, p.second, p.microsecond)) });
    }
    case 'time': {
      const timePart = DATETIME_TEXT.test(text) && text.includes(' ') ? text.slice(text.indexOf(' ') + 1) : text;
      const m = TIME_TEXT.exec(timePart);
      if (!m) throw new Error(`Cannot read TIME default "${text}"`);
      const magnitude = ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4] ?? 0)) * 1_000_000 + Number((m[5] ?? '').padEnd(6, '0'));
      return value({ kind: 'time', micros: m[1] ? -magnitude : magnitude });
    }
    case 'binary':
      return value(Buffer.from(text, 'utf8'));
    case 'json':
      return value({ kind: 'json', text });
    case 'geometry':
    case 'point':
      return null;
    case 'string':
    case 'enum':
    case 'set':
    case 'uuid':
      return value(text);
  }
}

function datetimeParts(text: string): DateTimeParts | null {
  const m = DATETIME_TEXT.exec(text);
  if (!m) return null;
  return {
    kind: 'datetime',
    year: Number(m[1]), month: Number(m[2]), day: Number(m[3]),
    hour: Number(m[4] ?? 0), minute: Number(m[5] ?? 0), second: Number(m[6] ?? 0),
    microsecond: Number((m[7] ?? '').padEnd(6, '0')),
  };
}

/** `b'101'`, `0b101` or bare binary digits → big-endian bytes, as stored. */
function bitsFromDigits(text: string): Buffer {
  const digits = /^b'([01]*)'$/i.exec(text)?.[1] ?? /^0b([01]+)$/i.exec(text)?.[1] ?? text;
  if (!/^[01]+$/.test(digits)) throw new Error(`Cannot read BIT default "${text}"`);
  const bytes = Buffer.alloc(Math.ceil(digits.length / 8));
  let rest = digits;
  for (let i = bytes.length - 1; i >= 0; i--) {
    bytes[i] = parseInt(rest.slice(-8), 2);
    rest = rest.slice(0, -8);
  }
  return bytes;
}

function roundHalfUp(d: Decimal, scale: number): Decimal {
  if (d.scale <= scale) return d.setScale(scale);
  const divisor = 10n ** BigInt(d.scale - scale);
  const magnitude = d.unscaled < 0n ? -d.unscaled : d.unscaled;
  let q = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) q += 1n;
  return new Decimal(d.unscaled < 0n ? -q : q, scale);
}

function stripCharsetIntroducer(text: string): string {
  return /^_[A-Za-z0-9]+'(.*)'$/s.exec(text)?.[1] ?? text;
}
