/**
 * Snapshot rows in the binlog decoder's shapes: a mysql2 `typeCast` for SELECTs of one captured
 * table (text protocol) that returns, per column, the ColumnValue the binlog row decoder produces
 * for the same stored value (see the table in values/column-value.ts), so a row reads the same
 * whether it arrived by snapshot or by binlog.
 *
 * Requirements on the SELECT connection (the snapshot reader must set them):
 * - `SET time_zone = '+00:00'`: TIMESTAMP columns arrive as text in the session zone and are read
 *   as UTC here; any other zone shifts every TIMESTAMP value;
 * - a UTF-8 result charset (mysql2's default `UTF8MB4_GENERAL_CI` is fine): text columns are
 *   decoded from the result charset, which the server converts each column's charset to;
 * - select the table's columns by their names (`SELECT *` or the column list): values are matched
 *   to definitions by the result column name; use `rowsAsArray: true` to get RowValues in column
 *   order directly.
 *
 * Known differences from binlog values, inherent to the text protocol: FLOAT columns arrive as
 * the server prints them (MariaDB: 6 significant digits), so a FLOAT with more digits can differ
 * in the last bits; MySQL prints JSON normalized (`{"a": 1}`), which is also how the binlog JSON
 * decoder must print it for the two to agree; MariaDB's JSON is LONGTEXT and reads as a string.
 */
import type { ColumnDefinition, TableDefinition } from '../schema/table-definition.js';
import type { ColumnValue } from '../values/column-value.js';
import { columnKind, type ColumnKind } from './column-kind.js';
import { epochMicros } from './temporal-text.js';

/** The part of mysql2's typeCast field this module uses. */
export interface TypeCastField {
  readonly name: string;
  readonly type: string;
  string(encoding?: string): string | null;
  buffer(): Buffer | null;
}

export type SnapshotTypeCast = (field: TypeCastField, next: () => unknown) => ColumnValue | unknown;

const DATETIME_TEXT = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?)?$/;
const TIME_TEXT = /^(-)?(\d+):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/** A typeCast for SELECT results of `table`; columns it does not know are left to mysql2 (`next()`). */
export function snapshotTypeCast(table: TableDefinition): SnapshotTypeCast {
  const readers = new Map<string, (field: TypeCastField) => ColumnValue>();
  for (const column of table.columns) readers.set(column.name, columnReader(table, column));
  return (field, next) => {
    const read = readers.get(field.name);
    return read === undefined ? next() : read(field);
  };
}

function columnReader(table: TableDefinition, column: ColumnDefinition): (field: TypeCastField) => ColumnValue {
  const where = `${table.id.database}.${table.id.table}.${column.name}`;
  const kind: ColumnKind = columnKind(column);
  const bad = (text: string): Error => new Error(`Snapshot value of ${where} (${column.typeName}) has an unexpected form: ${JSON.stringify(text)}`);
  const text = (field: TypeCastField, parse: (s: string) => ColumnValue): ColumnValue => {
    const s = field.string('utf8');
    return s === null ? null : parse(s);
  };
  switch (kind.kind) {
    case 'integer':
    case 'year':
      return (f) => text(f, Number);
    case 'boolean':
      // BOOLEAN is TINYINT(1) (a number); BIT(1) arrives as one raw byte.
      return column.typeName.toUpperCase() === 'BIT' ? (f) => f.buffer() : (f) => text(f, Number);
    case 'bigint':
      return (f) => text(f, (s) => BigInt(s));
    case 'float32':
    case 'float64':
      return (f) => text(f, Number);
    case 'decimal':
      return (f) => text(f, (s) => ({ kind: 'decimal', text: s }));
    case 'bits':
    case 'binary':
      return (f) => f.buffer();
    case 'string':
    case 'enum':
    case 'set':
    case 'uuid':
      return (f) => f.string('utf8');
    case 'json':
      return (f) => text(f, (s) => ({ kind: 'json', text: s }));
    case 'date':
      return (f) => text(f, (s) => {
        const m = DATETIME_TEXT.exec(s);
        if (!m) throw bad(s);
        return { kind: 'date', year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
      });
    case 'datetime':
      return (f) => text(f, (s) => {
        const m = DATETIME_TEXT.exec(s);
        if (!m) throw bad(s);
        return {
          kind: 'datetime', year: Number(m[1]), month: Number(m[2]), day: Number(m[3]),
          hour: Number(m[4] ?? 0), minute: Number(m[5] ?? 0), second: Number(m[6] ?? 0), microsecond: micros(m[7]),
        };
      });
    case 'timestamp':
      return (f) => text(f, (s) => {
        const m = DATETIME_TEXT.exec(s);
        if (!m) throw bad(s);
        if (Number(m[1]) === 0 && Number(m[2]) === 0 && Number(m[3]) === 0) return { kind: 'timestamp', epochMicros: 0 };
        const value = epochMicros(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), micros(m[7]));
        return { kind: 'timestamp', epochMicros: Number(value) };
      });
    case 'time':
      return (f) => text(f, (s) => {
        const m = TIME_TEXT.exec(s);
        if (!m) throw bad(s);
        const magnitude = ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4])) * 1_000_000 + micros(m[5]);
        return { kind: 'time', micros: m[1] ? -magnitude : magnitude };
      });
    case 'geometry':
    case 'point':
      return (f) => {
        const b = f.buffer();
        if (b === null) return null;
        // MySQL's internal geometry: 4-byte little-endian SRID, then WKB.
        if (b.length < 5) throw bad(b.toString('hex'));
        return { kind: 'geometry', srid: b.readUInt32LE(0), wkb: Buffer.from(b.subarray(4)) };
      };
  }
}

function micros(fraction: string | undefined): number {
  return fraction === undefined ? 0 : Number(fraction.padEnd(6, '0'));
}
