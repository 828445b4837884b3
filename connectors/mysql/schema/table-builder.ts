/**
 * Turns parsed column specs into ColumnDefinitions and keeps a table's columns, key and charset
 * while CREATE and ALTER TABLE actions are applied to it. MySQL's rules applied here: column
 * names compare case-insensitively, primary-key columns are NOT NULL, a column without its own
 * charset takes the table's default, CONVERT TO CHARACTER SET widens TEXT types when the new
 * charset needs more bytes per character. Debezium's rule applied here: a table without a primary
 * key takes the first UNIQUE key whose columns are all NOT NULL as its key.
 */
import type { ColumnDefinition, TableDefinition, TableId } from './table-definition.js';
import type { ColumnSpec, KeyConstraint } from './ddl-statement.js';

type MutableColumn = { -readonly [K in keyof ColumnDefinition]: ColumnDefinition[K] };

export function columnFromSpec(spec: ColumnSpec, tableCharset: string | null): MutableColumn {
  const t = spec.type;
  const auto = spec.autoIncrement || spec.onUpdate;
  return {
    name: spec.name,
    position: 0,
    jdbcType: t.jdbcType,
    typeName: t.typeName,
    typeExpression: t.typeExpression,
    charsetName: t.usesCharset ? (t.charset ?? tableCharset) : null,
    length: t.length,
    scale: t.scale,
    unsigned: t.unsigned,
    optional: spec.primaryKey ? false : (spec.nullable ?? true),
    autoIncremented: auto,
    generated: auto,
    enumValues: t.enumValues,
    defaultValueExpression: spec.defaultValueExpression,
    comment: spec.comment,
  };
}

/** Bytes per character, for CONVERT TO CHARACTER SET's TEXT widening. */
const MAX_BYTES: Record<string, number> = {
  latin1: 1, latin2: 1, latin5: 1, latin7: 1, ascii: 1, binary: 1, cp1250: 1, cp1251: 1, cp1256: 1, cp1257: 1, cp850: 1,
  cp852: 1, cp866: 1, dec8: 1, greek: 1, hebrew: 1, hp8: 1, keybcs2: 1, koi8r: 1, koi8u: 1, macce: 1, macroman: 1, swe7: 1,
  tis620: 1, armscii8: 1, geostd8: 1, utf8mb3: 3, utf8mb4: 4, ucs2: 2, utf16: 4, utf16le: 4, utf32: 4, big5: 2, gbk: 2,
  gb2312: 2, gb18030: 4, sjis: 2, cp932: 2, euckr: 2, ujis: 3, eucjpms: 3,
};
const TEXT_BYTES: [string, number][] = [['TINYTEXT', 255], ['TEXT', 65535], ['MEDIUMTEXT', 16777215], ['LONGTEXT', 4294967295]];

export class TableBuilder {
  id: TableId;
  columns: MutableColumn[];
  primaryKey: string[];
  charset: string | null;
  comment: string | null;

  constructor(id: TableId, charset: string | null, comment: string | null, columns: MutableColumn[] = [], primaryKey: string[] = []) {
    this.id = id;
    this.charset = charset;
    this.comment = comment;
    this.columns = columns;
    this.primaryKey = primaryKey;
  }

  static from(def: TableDefinition): TableBuilder {
    return new TableBuilder(def.id, def.defaultCharsetName, def.comment, def.columns.map((c) => ({ ...c })), [...def.primaryKeyColumnNames]);
  }

  indexOf(name: string): number {
    const lower = name.toLowerCase();
    return this.columns.findIndex((c) => c.name.toLowerCase() === lower);
  }

  column(name: string): MutableColumn | undefined {
    return this.columns[this.indexOf(name)];
  }

  setPrimaryKey(names: readonly string[]): void {
    this.primaryKey = names.map((n) => {
      const column = this.column(n);
      if (!column) return n;
      column.optional = false;
      return column.name;
    });
  }

  /** Applies a PRIMARY KEY or UNIQUE key in declaration order (Debezium's unique-as-key rule). */
  applyKey(key: KeyConstraint): boolean {
    if (key.kind === 'primary') {
      this.setPrimaryKey(key.columns.filter((c): c is string => c !== null));
      return true;
    }
    if (this.primaryKey.length > 0) return false;
    const columns = key.columns.map((c) => (c === null ? undefined : this.column(c)));
    if (columns.length === 0 || columns.some((c) => c === undefined || c.optional)) return false;
    this.primaryKey = columns.map((c) => c!.name);
    return true;
  }

  /** Adds or replaces a column from a spec; inline PRIMARY KEY/UNIQUE act as keys. */
  placeColumn(spec: ColumnSpec, index: number): void {
    const column = columnFromSpec(spec, this.charset);
    if (this.primaryKey.some((k) => k.toLowerCase() === column.name.toLowerCase())) column.optional = false;
    this.columns.splice(index, 0, column);
    if (spec.primaryKey) this.setPrimaryKey([column.name]);
    else if (spec.unique) this.applyKey({ kind: 'unique', columns: [column.name] });
  }

  renameInKey(from: string, to: string): void {
    this.primaryKey = this.primaryKey.map((k) => (k.toLowerCase() === from.toLowerCase() ? to : k));
  }

  dropFromKey(name: string): void {
    this.primaryKey = this.primaryKey.filter((k) => k.toLowerCase() !== name.toLowerCase());
  }

  convertCharset(charset: string): void {
    const from = this.charset;
    this.charset = charset;
    for (const column of this.columns) {
      if (column.charsetName === null) continue;
      const oldBytes = MAX_BYTES[column.charsetName] ?? MAX_BYTES[from ?? ''] ?? 1;
      const newBytes = MAX_BYTES[charset] ?? 1;
      const textIndex = TEXT_BYTES.findIndex(([name]) => name === column.typeName);
      if (textIndex >= 0 && newBytes > oldBytes) {
        const neededBytes = (TEXT_BYTES[textIndex]![1] / oldBytes) * newBytes;
        const wider = TEXT_BYTES.find(([, bytes]) => bytes >= neededBytes) ?? TEXT_BYTES[TEXT_BYTES.length - 1]!;
        if (wider[0] !== column.typeName) {
          column.typeExpression = column.typeExpression.replace(column.typeName, wider[0]);
          column.typeName = wider[0];
        }
      }
      column.charsetName = charset;
    }
  }

  build(): TableDefinition {
    const columns = this.columns.map((c, i) => Object.freeze({ ...c, position: i + 1 }));
    return Object.freeze({
      id: Object.freeze({ ...this.id }),
      columns: Object.freeze(columns),
      primaryKeyColumnNames: Object.freeze([...this.primaryKey]),
      defaultCharsetName: this.charset,
      comment: this.comment,
    });
  }
}
