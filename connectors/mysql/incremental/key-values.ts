/**
 * Primary-key values of an incremental snapshot, in the ColumnValue shapes both the binlog
 * decoder and the snapshot typeCast produce: a readable text form for the source offset, an
 * identity string for de-duplication, and SQL literals for the chunk query's bounds.
 *
 * Text form (ferry's, stored under Debezium's `incremental_snapshot_primary_key` /
 * `_maximum_key` names): a JSON array, one entry per key column — a JSON number, a string,
 * `{"big":"<digits>"}` for BIGINT values, `{"hex":"..."}` for bytes, `{"cv":{...}}` for the
 * structured shapes (decimal, date, datetime, time, timestamp), or null. Debezium stores the
 * same keys as hex of a Java-serialized Object[] (it starts `aced0005`); ferry recognises that
 * form but does not decode it (see `isJavaSerialized`).
 */
import type { TableDefinition } from '../schema/table-definition.js';
import { columnKind } from '../events/column-kind.js';
import type { ColumnValue } from '../values/column-value.js';

export type KeyValues = readonly ColumnValue[];

type EncodedValue = number | string | null | { big: string } | { hex: string } | { cv: Record<string, unknown> };

function encodeValue(value: ColumnValue): EncodedValue {
  if (value === null || typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return { big: value.toString() };
  if (Buffer.isBuffer(value)) return { hex: value.toString('hex') };
  if (value.kind === 'geometry') return { cv: { kind: 'geometry', srid: value.srid, wkb: value.wkb.toString('hex') } };
  return { cv: { ...value } };
}

function decodeValue(encoded: unknown): ColumnValue {
  if (encoded === null || typeof encoded === 'number' || typeof encoded === 'string') return encoded;
  if (typeof encoded === 'object') {
    const o = encoded as Record<string, unknown>;
    if (typeof o.big === 'string' && /^-?\d+$/.test(o.big)) return BigInt(o.big);
    if (typeof o.hex === 'string') return Buffer.from(o.hex, 'hex');
    if (o.cv !== null && typeof o.cv === 'object') {
      const cv = o.cv as Record<string, unknown>;
      if (cv.kind === 'geometry') return { kind: 'geometry', srid: Number(cv.srid), wkb: Buffer.from(String(cv.wkb), 'hex') };
      if (typeof cv.kind === 'string') return cv as unknown as ColumnValue;
    }
  }
  throw new Error(`not a key value: ${JSON.stringify(encoded)}`);
}

/** The offset text of a key. */
export function encodeKey(key: KeyValues): string {
  return JSON.stringify(key.map(encodeValue));
}

/** Debezium's own form: hex of a Java-serialized object (stream magic 0xACED, version 5). */
export function isJavaSerialized(text: string): boolean {
  return /^aced0005[0-9a-f]*$/i.test(text);
}

/** Reads ferry's offset text of a key; throws a clear Error for anything else. */
export function decodeKey(text: string): KeyValues {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`not a key in ferry's form: ${text.slice(0, 80)}`);
  }
  if (!Array.isArray(parsed)) throw new Error(`not a key in ferry's form: ${text.slice(0, 80)}`);
  return parsed.map(decodeValue);
}

/**
 * The identity of a row's key for de-duplication. BINARY(n) values are right-padded to n bytes,
 * because the binlog leaves out trailing zero bytes that a SELECT returns.
 */
export function keyIdentity(table: TableDefinition, keyColumns: readonly number[], row: KeyValues): string {
  const values = keyColumns.map((index) => {
    const value = row[index] ?? null;
    const column = table.columns[index]!;
    if (Buffer.isBuffer(value) && column.typeName === 'BINARY' && column.length !== null && value.length < column.length) {
      return Buffer.concat([value, Buffer.alloc(column.length - value.length)]);
    }
    return value;
  });
  return encodeKey(values);
}

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

function temporalText(value: ColumnValue): string | null {
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return null;
  switch (value.kind) {
    case 'date':
      return `${pad(value.year, 4)}-${pad(value.month)}-${pad(value.day)}`;
    case 'datetime':
      return `${pad(value.year, 4)}-${pad(value.month)}-${pad(value.day)} ${pad(value.hour)}:${pad(value.minute)}:${pad(value.second)}.${pad(value.microsecond, 6)}`;
    case 'timestamp': {
      // The chunk connection runs with time_zone '+00:00'.
      const ms = Math.floor(value.epochMicros / 1000);
      const micros = value.epochMicros - ms * 1000;
      const iso = new Date(ms).toISOString();
      return `${iso.slice(0, 10)} ${iso.slice(11, 23)}${pad(micros, 3)}`;
    }
    case 'time': {
      const magnitude = Math.abs(value.micros);
      const seconds = Math.floor(magnitude / 1_000_000);
      const text = `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}.${pad(magnitude % 1_000_000, 6)}`;
      return value.micros < 0 ? `-${text}` : text;
    }
    default:
      return null;
  }
}

/**
 * A SQL literal comparing right against column `index` of `table`. Numbers stay numbers (a
 * BIGINT compared with a string would be compared as a double), decimals are cast to the
 * column's precision. Throws for key types whose order cannot be expressed this way.
 */
export function sqlLiteral(table: TableDefinition, index: number, value: ColumnValue, escape: (v: unknown) => string): string {
  const column = table.columns[index]!;
  if (value === null) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string' || Buffer.isBuffer(value)) return escape(value);
  if (value.kind === 'decimal') {
    const kind = columnKind(column);
    const [precision, scale] = kind.kind === 'decimal' ? [kind.precision, kind.scale] : [65, 30];
    return `CAST(${escape(value.text)} AS DECIMAL(${precision},${scale}))`;
  }
  const text = temporalText(value);
  if (text !== null) return escape(text);
  throw new Error(`column ${column.name} (${column.typeName}) cannot be used as an incremental snapshot key`);
}
