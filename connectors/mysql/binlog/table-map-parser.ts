/**
 * TABLE_MAP body: table id, names, column types, per-column metadata, nullability and the
 * optional metadata block (binlog_row_metadata=MINIMAL/FULL on MySQL 8 and MariaDB ≥ 10.5).
 *
 * Optional metadata fields are `u8 type, lenenc length, value`. Fields this parser does not use
 * (geometry types, visibility, enum/set charsets) are skipped by their length. Bitmaps over a
 * subset of columns (SIGNEDNESS over numeric columns, charsets over character columns, ENUM and
 * SET strings over ENUM/SET columns) are mapped back to table column indexes here.
 */
import { ByteReader, BinlogFormatError } from './byte-reader.js';
import type { EventHeader, TableMapEvent, TableMapMetadata } from './binlog-event.js';
import { ColumnType, effectiveType, isCharacterType, isNumericType, readColumnMeta } from './column-types.js';

const MetaField = {
  SIGNEDNESS: 1,
  DEFAULT_CHARSET: 2,
  COLUMN_CHARSET: 3,
  COLUMN_NAME: 4,
  SET_STR_VALUE: 5,
  ENUM_STR_VALUE: 6,
  SIMPLE_PRIMARY_KEY: 8,
  PRIMARY_KEY_WITH_PREFIX: 9,
} as const;

export function parseTableMap(header: EventHeader, r: ByteReader, tableIdWidth: 4 | 6): TableMapEvent {
  const tableId = tableIdWidth === 6 ? r.u48('table id') : BigInt(r.u32('table id'));
  r.u16('table map flags');
  const database = r.utf8(r.u8('schema name length'), 'schema name');
  r.skip(1, 'schema name terminator');
  const table = r.utf8(r.u8('table name length'), 'table name');
  r.skip(1, 'table name terminator');
  const columnCount = r.lenenc('column count');
  const columnTypes = [...r.bytes(columnCount, 'column types')];
  const metaBytes = r.bytes(r.lenenc('metadata length'), 'column metadata');
  const columnMeta: number[] = [];
  let at = 0;
  for (const type of columnTypes) {
    const { meta, size } = readColumnMeta(type, metaBytes, at);
    if (at + size > metaBytes.length) throw new BinlogFormatError(`TABLE_MAP for ${database}.${table}: column metadata truncated`);
    columnMeta.push(meta);
    at += size;
  }
  const nullBits = r.bytes((columnCount + 7) >> 3, 'null bitmap');
  const nullable = columnTypes.map((_, i) => (nullBits[i >> 3]! & (1 << (i & 7))) !== 0);
  const metadata = r.remaining > 0 ? parseOptionalMetadata(r, columnTypes, columnMeta, `${database}.${table}`) : {};
  return { type: 'table-map', header, tableId, database, table, columnTypes, columnMeta, nullable, metadata };
}

function parseOptionalMetadata(r: ByteReader, types: readonly number[], metas: readonly number[], where: string): TableMapMetadata {
  const real = types.map((t, i) => effectiveType(t, metas[i]!));
  const indexesWhere = (pred: (t: number) => boolean): number[] => real.flatMap((t, i) => (pred(t) ? [i] : []));
  const numeric = indexesWhere(isNumericType);
  const character = indexesWhere(isCharacterType);
  const enums = indexesWhere((t) => t === ColumnType.ENUM);
  const sets = indexesWhere((t) => t === ColumnType.SET);
  const out: {
    columnNames?: string[]; signedness?: (boolean | undefined)[]; charsets?: (number | undefined)[];
    enumValues?: (string[] | undefined)[]; setValues?: (string[] | undefined)[]; primaryKey?: number[];
  } = {};
  while (r.remaining > 0) {
    const fieldType = r.u8('optional metadata type');
    const length = r.lenenc('optional metadata length');
    const f = new ByteReader(r.buf, r.pos, r.pos + length);
    r.skip(length, `optional metadata field ${fieldType} of ${where}`);
    switch (fieldType) {
      case MetaField.SIGNEDNESS: {
        const bits = f.rest();
        out.signedness = types.map(() => undefined);
        numeric.forEach((col, n) => { out.signedness![col] = (bits[n >> 3]! & (0x80 >> (n & 7))) !== 0; });
        break;
      }
      case MetaField.DEFAULT_CHARSET: {
        const def = f.lenenc('default charset');
        const perChar = character.map(() => def);
        while (f.remaining > 0) {
          const n = f.lenenc('charset column index');
          const collation = f.lenenc('charset collation');
          if (n < perChar.length) perChar[n] = collation;
        }
        out.charsets = types.map(() => undefined);
        character.forEach((col, n) => { out.charsets![col] = perChar[n]; });
        break;
      }
      case MetaField.COLUMN_CHARSET: {
        out.charsets = types.map(() => undefined);
        for (const col of character) {
          if (f.remaining === 0) break;
          out.charsets[col] = f.lenenc('column charset');
        }
        break;
      }
      case MetaField.COLUMN_NAME: {
        out.columnNames = [];
        while (f.remaining > 0) out.columnNames.push(f.utf8(f.lenenc('column name length'), 'column name'));
        break;
      }
      case MetaField.SET_STR_VALUE:
      case MetaField.ENUM_STR_VALUE: {
        const cols = fieldType === MetaField.SET_STR_VALUE ? sets : enums;
        const values: (string[] | undefined)[] = types.map(() => undefined);
        for (const col of cols) {
          if (f.remaining === 0) break;
          const count = f.lenenc('member count');
          const members: string[] = [];
          for (let k = 0; k < count; k++) members.push(f.utf8(f.lenenc('member length'), 'member'));
          values[col] = members;
        }
        if (fieldType === MetaField.SET_STR_VALUE) out.setValues = values;
        else out.enumValues = values;
        break;
      }
      case MetaField.SIMPLE_PRIMARY_KEY: {
        out.primaryKey = [];
        while (f.remaining > 0) out.primaryKey.push(f.lenenc('primary key column'));
        break;
      }
      case MetaField.PRIMARY_KEY_WITH_PREFIX: {
        out.primaryKey = [];
        while (f.remaining > 0) {
          out.primaryKey.push(f.lenenc('primary key column'));
          f.lenenc('primary key prefix');
        }
        break;
      }
      default:
        break; // geometry types, visibility, enum/set charsets: not needed for decoding
    }
  }
  return out;
}
