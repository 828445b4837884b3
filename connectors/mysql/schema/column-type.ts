/**
 * Parses a column's data type (`INT(11) UNSIGNED`, `NATIONAL CHAR(5)`, `ENUM('a','b')`, ...) into
 * the values a ColumnDefinition stores.
 *
 * Synonyms are folded to the name the server itself reports in SHOW CREATE TABLE, so a table
 * rebuilt from streamed DDL equals the table read from the server at snapshot time:
 * INTEGER→INT, BOOL/BOOLEAN kept (Debezium's boolean; the server shows tinyint(1)), SERIAL→BIGINT UNSIGNED (+ NOT NULL AUTO_INCREMENT UNIQUE),
 * DEC/NUMERIC/FIXED→DECIMAL, REAL/DOUBLE PRECISION/FLOAT8→DOUBLE, FLOAT(p>24)→DOUBLE,
 * CHARACTER→CHAR, CHAR VARYING→VARCHAR, NCHAR/NATIONAL…→CHAR/VARCHAR in utf8mb3,
 * LONG [VARCHAR]→MEDIUMTEXT, LONG VARBINARY→MEDIUMBLOB, text types in CHARACTER SET binary→the
 * binary types, and on MariaDB JSON→LONGTEXT utf8mb4 (MariaDB's JSON is an alias).
 *
 * `typeExpression` is the canonical type text with its arguments and modifiers
 * (`DECIMAL(10,2) UNSIGNED ZEROFILL`, `ENUM('a','b')`); Debezium's typeName
 * is that text without the parenthesised part (see debeziumTypeName).
 */
import { jdbcTypeForTypeName } from './jdbc-types.js';
import type { TokenCursor } from './token-cursor.js';

export type Flavor = 'mysql' | 'mariadb';

export interface ColumnType {
  /** Canonical upper-case base name (`INT`, `VARCHAR`, `DECIMAL`, ...). */
  readonly typeName: string;
  readonly jdbcType: number;
  readonly typeExpression: string;
  readonly length: number | null;
  readonly scale: number | null;
  readonly unsigned: boolean;
  readonly enumValues: readonly string[];
  /** Charset named with the type (lower case, `utf8` as `utf8mb3`), or null to inherit the table's. */
  readonly charset: string | null;
  readonly collation: string | null;
  /** Text types: CHAR, VARCHAR, *TEXT, ENUM, SET. */
  readonly usesCharset: boolean;
  /** SERIAL: implies NOT NULL AUTO_INCREMENT UNIQUE. */
  readonly serial: boolean;
}

const INTEGER_TYPES: Record<string, string> = {
  TINYINT: 'TINYINT', INT1: 'TINYINT', SMALLINT: 'SMALLINT', INT2: 'SMALLINT', MEDIUMINT: 'MEDIUMINT', INT3: 'MEDIUMINT',
  MIDDLEINT: 'MEDIUMINT', INT: 'INT', INTEGER: 'INT', INT4: 'INT', BIGINT: 'BIGINT', INT8: 'BIGINT',
};
const SIMPLE_TYPES: Record<string, string> = {
  DATE: 'DATE', TINYTEXT: 'TINYTEXT', MEDIUMTEXT: 'MEDIUMTEXT', LONGTEXT: 'LONGTEXT', TINYBLOB: 'TINYBLOB',
  MEDIUMBLOB: 'MEDIUMBLOB', LONGBLOB: 'LONGBLOB', GEOMETRY: 'GEOMETRY', POINT: 'POINT', LINESTRING: 'LINESTRING',
  POLYGON: 'POLYGON', MULTIPOINT: 'MULTIPOINT', MULTILINESTRING: 'MULTILINESTRING', MULTIPOLYGON: 'MULTIPOLYGON',
  GEOMETRYCOLLECTION: 'GEOMETRYCOLLECTION', GEOMCOLLECTION: 'GEOMETRYCOLLECTION', UUID: 'UUID', INET4: 'INET4', INET6: 'INET6',
};
const TEXT_TYPES = new Set(['CHAR', 'VARCHAR', 'TINYTEXT', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT', 'ENUM', 'SET']);
const NUMERIC_TYPES = new Set(['TINYINT', 'SMALLINT', 'MEDIUMINT', 'INT', 'BIGINT', 'DECIMAL', 'FLOAT', 'DOUBLE']);
/** Text type → the binary type MySQL makes of it in CHARACTER SET binary. */
const BINARY_OF: Record<string, string> = {
  CHAR: 'BINARY', VARCHAR: 'VARBINARY', TINYTEXT: 'TINYBLOB', TEXT: 'BLOB', MEDIUMTEXT: 'MEDIUMBLOB', LONGTEXT: 'LONGBLOB',
};

/** Mutable while the column definition is being read: COLLATE and CHARACTER SET may follow later. */
export interface ColumnTypeDraft {
  typeName: string;
  args: string;
  length: number | null;
  scale: number | null;
  signedness: 'SIGNED' | 'UNSIGNED' | null;
  zerofill: boolean;
  binary: boolean;
  enumValues: string[];
  charset: string | null;
  collation: string | null;
  serial: boolean;
}

export function normalizeCharset(name: string): string {
  const lower = name.toLowerCase();
  return lower === 'utf8' ? 'utf8mb3' : lower;
}

/** The charset a collation belongs to: its name up to the first underscore (`binary` for binary). */
export function charsetOfCollation(collation: string): string {
  const lower = collation.toLowerCase();
  const underscore = lower.indexOf('_');
  return normalizeCharset(underscore > 0 ? lower.slice(0, underscore) : lower);
}

export function parseColumnType(cursor: TokenCursor, _flavor: Flavor): ColumnTypeDraft {
  const start = cursor.peek();
  if (!start || start.type !== 'word') throw cursor.error('expected a data type');
  const word = start.upper;
  cursor.next();
  const draft: ColumnTypeDraft = {
    typeName: word, args: '', length: null, scale: null, signedness: null, zerofill: false, binary: false,
    enumValues: [], charset: null, collation: null, serial: false,
  };
  const lengthArgs = (defaultLength: number | null) => {
    const parsed = parseNumericArgs(cursor);
    draft.length = parsed ? parsed[0] : defaultLength;
    draft.scale = parsed && parsed.length > 1 ? parsed[1]! : null;
  };

  if (INTEGER_TYPES[word]) {
    draft.typeName = INTEGER_TYPES[word]!;
    lengthArgs(null);
  } else if (word === 'BOOL' || word === 'BOOLEAN') {
    // Kept as written, as Debezium's parser does: a column declared BOOLEAN in streamed DDL is a
    // Connect boolean, while the server (SHOW CREATE TABLE) calls it tinyint(1) and snapshots read INT16.
    draft.typeName = word;
    draft.length = null;
  } else if (word === 'SERIAL') {
    draft.typeName = 'BIGINT';
    draft.signedness = 'UNSIGNED';
    draft.serial = true;
  } else if (word === 'DECIMAL' || word === 'DEC' || word === 'NUMERIC' || word === 'FIXED') {
    draft.typeName = 'DECIMAL';
    lengthArgs(10);
    draft.scale ??= 0;
  } else if (word === 'FLOAT' || word === 'FLOAT4') {
    draft.typeName = 'FLOAT';
    const parsed = parseNumericArgs(cursor);
    if (parsed && parsed.length === 1) {
      if (parsed[0]! > 24) draft.typeName = 'DOUBLE';
    } else if (parsed) {
      draft.length = parsed[0]!;
      draft.scale = parsed[1]!;
    }
  } else if (word === 'DOUBLE' || word === 'REAL' || word === 'FLOAT8') {
    if (word === 'DOUBLE') cursor.acceptWord('PRECISION');
    draft.typeName = 'DOUBLE';
    lengthArgs(null);
  } else if (word === 'BIT') {
    lengthArgs(1);
  } else if (word === 'TIME' || word === 'DATETIME' || word === 'TIMESTAMP' || word === 'YEAR') {
    lengthArgs(null);
  } else if (word === 'CHAR' || word === 'CHARACTER') {
    if (cursor.acceptWord('VARYING')) {
      draft.typeName = 'VARCHAR';
      lengthArgs(null);
    } else {
      draft.typeName = 'CHAR';
      lengthArgs(1);
      if (cursor.acceptWord('BYTE')) draft.typeName = 'BINARY';
    }
  } else if (word === 'VARCHAR' || word === 'VARCHARACTER') {
    draft.typeName = 'VARCHAR';
    lengthArgs(null);
  } else if (word === 'NCHAR' || word === 'NVARCHAR' || word === 'NATIONAL') {
    let varying = word === 'NVARCHAR';
    if (word === 'NATIONAL') {
      if (cursor.acceptWord('VARCHAR')) varying = true;
      else if (cursor.acceptAnyWord(['CHAR', 'CHARACTER'])) varying = cursor.acceptWord('VARYING');
      else throw cursor.error('expected CHAR or VARCHAR after NATIONAL');
    } else if (word === 'NCHAR') {
      varying = cursor.acceptAnyWord(['VARCHAR', 'VARYING']) !== null;
    }
    draft.typeName = varying ? 'VARCHAR' : 'CHAR';
    lengthArgs(varying ? null : 1);
    draft.charset = 'utf8mb3';
  } else if (word === 'TEXT' || word === 'BLOB') {
    lengthArgs(null);
  } else if (word === 'LONG') {
    if (cursor.acceptWord('VARBINARY')) draft.typeName = 'MEDIUMBLOB';
    else {
      if (!cursor.acceptWord('VARCHAR')) cursor.acceptWord('CHAR', 'VARYING');
      draft.typeName = 'MEDIUMTEXT';
    }
  } else if (word === 'BINARY') {
    lengthArgs(1);
  } else if (word === 'VARBINARY') {
    lengthArgs(null);
  } else if (word === 'ENUM' || word === 'SET') {
    const start = cursor.peek();
    cursor.expectSymbol('(');
    for (;;) {
      draft.enumValues.push(cursor.string('an ENUM/SET value'));
      if (cursor.acceptSymbol(')')) break;
      cursor.expectSymbol(',');
    }
    draft.args = `(${draft.enumValues.map(quoteString).join(',')})`;
    void start;
    // Debezium's lengths: 1 for ENUM, the longest comma-joined member list for SET.
    draft.length = word === 'ENUM' ? 1 : Math.max(0, draft.enumValues.length * 2 - 1);
  } else if (word === 'JSON') {
    // MariaDB stores JSON as LONGTEXT (SHOW CREATE TABLE says longtext), but a column declared
    // JSON in streamed DDL stays JSON, as in Debezium's parser: its events carry io.debezium.data.Json.
  } else if (word === 'VECTOR') {
    lengthArgs(null);
  } else if (SIMPLE_TYPES[word]) {
    draft.typeName = SIMPLE_TYPES[word]!;
  } else {
    cursor.position = cursor.position - 1;
    throw cursor.error(`unknown data type '${start.value}'`);
  }
  readTypeModifiers(cursor, draft);
  return draft;
}

/** SIGNED/UNSIGNED/ZEROFILL, BINARY, CHARACTER SET x, ASCII, UNICODE, COLLATE x, in any order. */
export function readTypeModifiers(cursor: TokenCursor, draft: ColumnTypeDraft): void {
  for (;;) {
    const w = cursor.acceptAnyWord(['SIGNED', 'UNSIGNED', 'ZEROFILL']);
    if (w) {
      if (w === 'ZEROFILL') draft.zerofill = true;
      else draft.signedness = w as 'SIGNED' | 'UNSIGNED';
      continue;
    }
    if (cursor.isWord('BINARY')) {
      cursor.next();
      draft.binary = true;
      continue;
    }
    if (cursor.acceptWord('ASCII')) { draft.charset = 'latin1'; continue; }
    if (cursor.acceptWord('UNICODE')) { draft.charset = 'ucs2'; continue; }
    if (cursor.acceptWord('CHARACTER', 'SET') || cursor.acceptWord('CHARSET') || cursor.acceptWord('CHAR', 'SET')) {
      draft.charset = normalizeCharset(cursor.textOrName('a character set'));
      continue;
    }
    if (cursor.acceptWord('COLLATE')) {
      draft.collation = cursor.textOrName('a collation').toLowerCase();
      continue;
    }
    return;
  }
}

function parseNumericArgs(cursor: TokenCursor): number[] | null {
  if (!cursor.acceptSymbol('(')) return null;
  const values: number[] = [];
  for (;;) {
    const t = cursor.next();
    if (t.type !== 'number') throw cursor.error('expected a number');
    values.push(Math.trunc(Number(t.value)));
    if (cursor.acceptSymbol(')')) return values;
    cursor.expectSymbol(',');
  }
}

function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** Resolves charset inheritance inputs and binary conversions; `tableCharset` fills text types. */
export function finishColumnType(draft: ColumnTypeDraft, tableCharset: string | null): ColumnType {
  let typeName = draft.typeName;
  let charset = draft.charset ?? (draft.collation ? charsetOfCollation(draft.collation) : null);
  if (charset === 'binary' && BINARY_OF[typeName]) {
    typeName = BINARY_OF[typeName]!;
    charset = null;
  }
  const usesCharset = TEXT_TYPES.has(typeName);
  if (!usesCharset) charset = null;
  else charset ??= tableCharset;
  const numeric = NUMERIC_TYPES.has(typeName);
  const unsigned = numeric && (draft.zerofill || draft.signedness === 'UNSIGNED');
  let args = draft.args;
  if (!args && draft.length !== null && !(typeName === 'SET' || typeName === 'ENUM')) {
    args = draft.scale !== null ? `(${draft.length},${draft.scale})` : `(${draft.length})`;
  }
  let modifiers = '';
  if (numeric) {
    if (draft.zerofill) modifiers = ' UNSIGNED ZEROFILL';
    else if (draft.signedness) modifiers = ` ${draft.signedness}`;
  }
  // CHAR(n) BINARY is only a binary collation: the server reports it as COLLATE <charset>_bin.
  return {
    typeName,
    jdbcType: jdbcTypeForTypeName(typeName),
    typeExpression: `${typeName}${args}${modifiers}`,
    length: draft.length,
    scale: draft.scale,
    unsigned,
    enumValues: draft.enumValues,
    charset,
    collation: draft.collation,
    usesCharset,
    serial: draft.serial,
  };
}

/** Debezium's typeName for a column: the type expression without its parenthesised arguments. */
export function debeziumTypeName(typeExpression: string): string {
  let out = '';
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < typeExpression.length; i++) {
    const c = typeExpression[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') { if (depth > 0) quote = c; continue; }
    if (c === '(') { depth++; continue; }
    if (c === ')') { depth--; continue; }
    if (depth === 0) out += c;
  }
  return out.replace(/\s+/g, ' ').trim();
}
