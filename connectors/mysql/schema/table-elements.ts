/**
 * The parts of CREATE/ALTER TABLE that are not columns: key and constraint definitions (only
 * PRIMARY KEY and UNIQUE matter to the schema; indexes, foreign keys, checks and periods are read
 * and dropped) and table options (charset, collation and comment are kept).
 */
import { charsetOfCollation, normalizeCharset } from './column-type.js';
import { skipReferences } from './column-definition-parser.js';
import type { KeyConstraint, TableOptions } from './ddl-statement.js';
import type { TokenCursor } from './token-cursor.js';

const CONSTRAINT_STARTS = ['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'KEY', 'INDEX', 'FULLTEXT', 'SPATIAL', 'FOREIGN', 'CHECK', 'PERIOD'];

/** True when the cursor is at a table constraint/index rather than a column definition. */
export function atTableConstraint(cursor: TokenCursor): boolean {
  const t = cursor.peek();
  if (!t || t.type !== 'word' || !CONSTRAINT_STARTS.includes(t.upper)) return false;
  // PERIOD is not reserved: a column may be called period.
  if (t.upper === 'PERIOD') return cursor.isWord('FOR', 1);
  // A column may be named like a keyword only when quoted; bare `key` etc. start constraints,
  // except `CHECK`/`PERIOD` followed by a data type would be odd. Treat them all as constraints.
  return true;
}

/** Parses one constraint/index; returns the key when it is PRIMARY KEY or UNIQUE, else null. */
export function parseTableConstraint(cursor: TokenCursor): KeyConstraint | null {
  if (cursor.acceptWord('CONSTRAINT')) {
    if (!cursor.isWord('PRIMARY') && !cursor.isWord('UNIQUE') && !cursor.isWord('FOREIGN') && !cursor.isWord('CHECK')) {
      cursor.identifier('constraint name');
    }
  }
  if (cursor.acceptWord('PRIMARY', 'KEY')) {
    skipIndexNameAndType(cursor, true);
    const columns = parseKeyParts(cursor);
    skipIndexOptions(cursor);
    return { kind: 'primary', columns };
  }
  if (cursor.acceptWord('UNIQUE')) {
    cursor.acceptAnyWord(['INDEX', 'KEY']);
    skipIndexNameAndType(cursor, false);
    const columns = parseKeyParts(cursor);
    skipIndexOptions(cursor);
    return { kind: 'unique', columns };
  }
  if (cursor.acceptAnyWord(['FULLTEXT', 'SPATIAL'])) {
    cursor.acceptAnyWord(['INDEX', 'KEY']);
    skipIndexNameAndType(cursor, false);
    parseKeyParts(cursor);
    skipIndexOptions(cursor);
    return null;
  }
  if (cursor.acceptAnyWord(['INDEX', 'KEY'])) {
    skipIndexNameAndType(cursor, false);
    parseKeyParts(cursor);
    skipIndexOptions(cursor);
    return null;
  }
  if (cursor.acceptWord('FOREIGN', 'KEY')) {
    if (!cursor.isSymbol('(')) cursor.identifier('index name');
    cursor.skipParenthesized();
    cursor.expectWord('REFERENCES');
    skipReferences(cursor);
    return null;
  }
  if (cursor.acceptWord('CHECK')) {
    cursor.skipParenthesized();
    cursor.acceptWord('NOT');
    cursor.acceptWord('ENFORCED');
    return null;
  }
  if (cursor.acceptWord('PERIOD', 'FOR')) {
    cursor.identifier('period name');
    cursor.skipParenthesized();
    return null;
  }
  throw cursor.error('expected a key or constraint definition');
}

function skipIndexNameAndType(cursor: TokenCursor, primary: boolean): void {
  if (!primary && !cursor.isSymbol('(') && !cursor.isWord('USING')) cursor.identifier('index name');
  if (cursor.acceptWord('USING') || cursor.acceptWord('TYPE')) cursor.next();
}

/** `(col [(len)] [ASC|DESC], (expr), ...)`: column names, null for expression parts. */
function parseKeyParts(cursor: TokenCursor): (string | null)[] {
  cursor.expectSymbol('(');
  const columns: (string | null)[] = [];
  for (;;) {
    if (cursor.isSymbol('(')) {
      cursor.skipParenthesized();
      columns.push(null);
    } else {
      columns.push(cursor.identifier('key column'));
      if (cursor.isSymbol('(')) cursor.skipParenthesized();
    }
    cursor.acceptAnyWord(['ASC', 'DESC']);
    if (cursor.acceptSymbol(')')) return columns;
    cursor.expectSymbol(',');
  }
}

function skipIndexOptions(cursor: TokenCursor): void {
  for (;;) {
    if (cursor.acceptWord('KEY_BLOCK_SIZE')) { cursor.acceptSymbol('='); cursor.next(); continue; }
    if (cursor.acceptWord('USING') || cursor.acceptWord('TYPE')) { cursor.next(); continue; }
    if (cursor.acceptWord('WITH', 'PARSER')) { cursor.next(); continue; }
    if (cursor.acceptWord('COMMENT')) { cursor.string(); continue; }
    if (cursor.acceptAnyWord(['VISIBLE', 'INVISIBLE', 'CLUSTERING', 'IGNORED', 'NOT'])) { cursor.acceptWord('IGNORED'); continue; }
    if (cursor.acceptAnyWord(['ENGINE_ATTRIBUTE', 'SECONDARY_ENGINE_ATTRIBUTE'])) { cursor.acceptSymbol('='); cursor.next(); continue; }
    return;
  }
}

export interface MutableTableOptions {
  charset: string | null;
  collation: string | null;
  comment: string | null;
}

export function emptyOptions(): MutableTableOptions {
  return { charset: null, collation: null, comment: null };
}

export function finishOptions(options: MutableTableOptions): TableOptions {
  return {
    charset: options.charset ?? (options.collation ? charsetOfCollation(options.collation) : null),
    collation: options.collation,
    comment: options.comment,
  };
}

/**
 * Reads one table option if the cursor is at one that matters ([DEFAULT] CHARACTER SET/CHARSET,
 * [DEFAULT] COLLATE, COMMENT) and returns true; returns false otherwise without moving.
 */
export function readCharsetOrComment(cursor: TokenCursor, options: MutableTableOptions): boolean {
  const start = cursor.position;
  cursor.acceptWord('DEFAULT');
  if (cursor.acceptWord('CHARACTER', 'SET') || cursor.acceptWord('CHARSET') || cursor.acceptWord('CHAR', 'SET')) {
    cursor.acceptSymbol('=');
    const name = cursor.textOrName('a character set');
    // DEFAULT means the database's charset: leave it to inheritance.
    options.charset = name.toUpperCase() === 'DEFAULT' ? null : normalizeCharset(name);
    return true;
  }
  if (cursor.acceptWord('COLLATE')) {
    cursor.acceptSymbol('=');
    const name = cursor.textOrName('a collation');
    options.collation = name.toUpperCase() === 'DEFAULT' ? null : name.toLowerCase();
    return true;
  }
  if (cursor.position === start && cursor.acceptWord('COMMENT')) {
    cursor.acceptSymbol('=');
    options.comment = cursor.string('comment text');
    return true;
  }
  cursor.position = start;
  return false;
}

/**
 * Skips one table option that does not matter: `NAME [=] value`, two-word names such as
 * `DATA DIRECTORY`, `UNION = (a, b)`, `WITH SYSTEM VERSIONING`. Returns false if the cursor is not
 * at a word.
 */
export function skipTableOption(cursor: TokenCursor): boolean {
  const t = cursor.peek();
  if (!t || t.type !== 'word') return false;
  if (cursor.acceptWord('WITH', 'SYSTEM', 'VERSIONING') || cursor.acceptWord('WITHOUT', 'SYSTEM', 'VERSIONING')) return true;
  if (cursor.acceptWord('START', 'TRANSACTION')) return true;
  cursor.next();
  if (['DATA', 'INDEX'].includes(t.upper)) cursor.acceptWord('DIRECTORY');
  if (t.upper === 'DEFAULT') cursor.next();
  if (cursor.acceptSymbol('=') || isOptionValue(cursor)) {
    if (cursor.isSymbol('(')) cursor.skipParenthesized();
    else cursor.next();
  }
  return true;
}

function isOptionValue(cursor: TokenCursor): boolean {
  const t = cursor.peek();
  if (!t) return false;
  if (t.type === 'number' || t.type === 'string' || t.type === 'ident') return true;
  if (t.type === 'symbol') return t.value === '(';
  // A bare word is the value when it is not the start of the next option.
  return false;
}
