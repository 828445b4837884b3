/**
 * MySQL/MariaDB DDL parser: text in, one DdlStatement per statement out, no schema state.
 *
 * Understood: CREATE TABLE (columns, keys, options, LIKE, AS SELECT), ALTER TABLE, RENAME TABLE,
 * DROP TABLE, TRUNCATE, CREATE/ALTER/DROP DATABASE|SCHEMA, CREATE UNIQUE INDEX (it can give a
 * key-less table its key, as in Debezium), USE, and SET of the server/database charset.
 * Recognised and reported as `ignored`: transaction control, account and privilege statements,
 * FLUSH, other SETs, table maintenance, other indexes, views, routines, triggers, events,
 * sequences, XA, DML, temporary tables. Anything else is a DdlParseError.
 *
 * Statements are separated by `;`. A CREATE PROCEDURE/FUNCTION/TRIGGER/EVENT body may contain
 * `;`, so such a statement runs to the end of the input (the binlog carries one per event).
 */
import { parseAlterSpecifications } from './alter-table-parser.js';
import { parseColumnDefinition } from './column-definition-parser.js';
import { normalizeCharset, type Flavor } from './column-type.js';
import { DdlParseError } from './ddl-parse-error.js';
import type { ColumnSpec, DdlStatement, KeyConstraint, QualifiedName } from './ddl-statement.js';
import { tokenize, type Token } from './ddl-tokenizer.js';
import {
  atTableConstraint, emptyOptions, finishOptions, parseTableConstraint, readCharsetOrComment, skipTableOption,
} from './table-elements.js';
import { TokenCursor } from './token-cursor.js';

export { DdlParseError } from './ddl-parse-error.js';
export type { DdlStatement } from './ddl-statement.js';

export interface DdlParserOptions {
  /** `mariadb` folds JSON into LONGTEXT as MariaDB does; default `mysql`. */
  flavor?: Flavor;
}

const IGNORED_FIRST_WORDS = new Set([
  'BEGIN', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'START', 'XA', 'GRANT', 'REVOKE', 'FLUSH', 'ANALYZE', 'OPTIMIZE',
  'REPAIR', 'CHECK', 'CHECKSUM', 'INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'LOAD', 'CALL', 'DO', 'SELECT', 'LOCK', 'UNLOCK',
  'KILL', 'RESET', 'PURGE', 'INSTALL', 'UNINSTALL', 'HANDLER', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'HELP', 'CACHE',
  'SIGNAL', 'RESIGNAL', 'STOP', 'BINLOG', 'WITH', 'VALUES', 'TABLE', 'PREPARE', 'EXECUTE', 'DEALLOCATE', 'SHUTDOWN',
  'RESTART', 'CLONE', 'IMPORT', 'GET', 'BACKUP',
]);
/** Object kinds of CREATE/ALTER/DROP that are not tables or databases. */
const IGNORED_OBJECTS = new Set([
  'USER', 'ROLE', 'VIEW', 'PROCEDURE', 'FUNCTION', 'TRIGGER', 'EVENT', 'SEQUENCE', 'INDEX', 'SERVER', 'TABLESPACE', 'LOGFILE',
  'RESOURCE', 'SPATIAL', 'FULLTEXT', 'PACKAGE', 'AGGREGATE', 'UNDO', 'INSTANCE', 'SYNONYM',
]);
const BODY_OBJECTS = new Set(['PROCEDURE', 'FUNCTION', 'TRIGGER', 'EVENT', 'PACKAGE', 'AGGREGATE']);
const OTHER_OBJECTS = new Set(['TABLE', 'DATABASE', 'SCHEMA', 'INDEX', 'VIEW', 'USER', 'ROLE', 'SEQUENCE', 'TEMPORARY']);

export function parseDdl(sql: string, options: DdlParserOptions = {}): DdlStatement[] {
  const flavor = options.flavor ?? 'mysql';
  const tokens = tokenize(sql);
  const statements: DdlStatement[] = [];
  let start = 0;
  while (start < tokens.length) {
    if (tokens[start]!.type === 'symbol' && tokens[start]!.value === ';') { start++; continue; }
    const end = statementEnd(tokens, start);
    const cursor = new TokenCursor(tokens, sql, end);
    cursor.position = start;
    const text = sql.slice(tokens[start]!.start, tokens[end - 1]!.end);
    statements.push(parseStatement(cursor, text, flavor));
    if (!cursor.atEnd()) throw cursor.error('unexpected text after the statement');
    start = end;
  }
  return statements;
}

function statementEnd(tokens: readonly Token[], start: number): number {
  const objectWords = tokens.slice(start, start + 12).filter((t) => t.type === 'word').map((t) => t.upper);
  if (objectWords[0] === 'CREATE' || objectWords[0] === 'ALTER') {
    const object = objectWords.slice(1).find((w) => BODY_OBJECTS.has(w) || OTHER_OBJECTS.has(w));
    if (object && BODY_OBJECTS.has(object)) return tokens.length;
  }
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== 'symbol') continue;
    if (t.value === '(') depth++;
    else if (t.value === ')') depth--;
    else if (t.value === ';' && depth <= 0) return i;
  }
  return tokens.length;
}

function ignoreRest(cursor: TokenCursor, text: string, reason: string): DdlStatement {
  while (!cursor.atEnd()) cursor.next();
  return { kind: 'ignored', text, reason };
}

function parseStatement(cursor: TokenCursor, text: string, flavor: Flavor): DdlStatement {
  const first = cursor.peek()!;
  if (first.type !== 'word') throw cursor.error('expected a statement');
  const word = first.upper;
  if (word === 'CREATE') return parseCreate(cursor, text, flavor);
  if (word === 'ALTER') return parseAlter(cursor, text, flavor);
  if (word === 'DROP') return parseDrop(cursor, text);
  if (word === 'RENAME') {
    cursor.next();
    if (!cursor.acceptWord('TABLE') && !cursor.acceptWord('TABLES')) return ignoreRest(cursor, text, 'RENAME of a non-table object');
    const pairs: [QualifiedName, QualifiedName][] = [];
    do {
      const from = cursor.qualifiedName();
      if (cursor.acceptWord('WAIT')) cursor.next();
      else cursor.acceptWord('NOWAIT');
      cursor.expectWord('TO');
      pairs.push([from, cursor.qualifiedName()]);
    } while (cursor.acceptSymbol(','));
    return { kind: 'rename-tables', text, pairs };
  }
  if (word === 'TRUNCATE') {
    cursor.next();
    cursor.acceptWord('TABLE');
    const table = cursor.qualifiedName();
    if (cursor.acceptWord('WAIT')) cursor.next();
    else cursor.acceptWord('NOWAIT');
    return { kind: 'truncate-table', text, table };
  }
  if (word === 'USE') {
    cursor.next();
    return { kind: 'use', text, database: cursor.identifier('database name') };
  }
  if (word === 'SET') return parseSet(cursor, text);
  if (IGNORED_FIRST_WORDS.has(word)) return ignoreRest(cursor, text, `${word} statement`);
  throw cursor.error(`unsupported statement '${first.text}'`);
}

/** DEFINER = user, ALGORITHM = x, SQL SECURITY x, OR REPLACE, IF NOT EXISTS prefixes of CREATE/ALTER. */
function skipObjectPrefixes(cursor: TokenCursor): { orReplace: boolean } {
  let orReplace = false;
  for (;;) {
    if (cursor.acceptWord('OR', 'REPLACE')) { orReplace = true; continue; }
    if (cursor.acceptWord('DEFINER') || cursor.acceptWord('ALGORITHM')) {
      cursor.acceptSymbol('=');
      cursor.next();
      // user@host arrives as `user` then a variable token `@host` or `@'host'`.
      if (cursor.peek()?.type === 'variable') cursor.next();
      continue;
    }
    if (cursor.acceptWord('SQL', 'SECURITY')) { cursor.next(); continue; }
    if (cursor.acceptAnyWord(['ONLINE', 'OFFLINE', 'IGNORE'])) continue;
    return { orReplace };
  }
}

function parseCreate(cursor: TokenCursor, text: string, flavor: Flavor): DdlStatement {
  cursor.next();
  const { orReplace } = skipObjectPrefixes(cursor);
  if (cursor.acceptWord('TEMPORARY')) {
    return ignoreRest(cursor, text, 'temporary table');
  }
  if (cursor.acceptWord('TABLE')) return parseCreateTable(cursor, text, flavor, orReplace);
  if (cursor.acceptAnyWord(['DATABASE', 'SCHEMA'])) {
    const ifNotExists = cursor.acceptWord('IF', 'NOT', 'EXISTS');
    const database = cursor.identifier('database name');
    const options = emptyOptions();
    while (!cursor.atEnd()) {
      if (!readCharsetOrComment(cursor, options) && !skipTableOption(cursor)) throw cursor.error('unexpected database option');
    }
    return { kind: 'create-database', text, database, ifNotExists, charset: finishOptions(options).charset };
  }
  if (cursor.acceptWord('UNIQUE')) {
    cursor.expectWord('INDEX');
    cursor.acceptWord('IF', 'NOT', 'EXISTS');
    cursor.identifier('index name');
    if (cursor.acceptWord('USING') || cursor.acceptWord('TYPE')) cursor.next();
    cursor.expectWord('ON');
    const table = cursor.qualifiedName();
    const key = parseTableConstraintFromParts(cursor);
    while (!cursor.atEnd()) cursor.next();
    return { kind: 'create-unique-index', text, table, columns: key };
  }
  const object = cursor.peek();
  if (object && object.type === 'word' && IGNORED_OBJECTS.has(object.upper)) return ignoreRest(cursor, text, `CREATE ${object.upper}`);
  throw cursor.error('unsupported CREATE statement');
}

/** `(col, col(10), (expr))` of CREATE UNIQUE INDEX, via the UNIQUE constraint reader. */
function parseTableConstraintFromParts(cursor: TokenCursor): readonly (string | null)[] {
  // Reuse the key-part reader: pretend the parts follow `UNIQUE`.
  const start = cursor.position;
  const parts: (string | null)[] = [];
  cursor.expectSymbol('(');
  for (;;) {
    if (cursor.isSymbol('(')) { cursor.skipParenthesized(); parts.push(null); }
    else {
      parts.push(cursor.identifier('key column'));
      if (cursor.isSymbol('(')) cursor.skipParenthesized();
    }
    cursor.acceptAnyWord(['ASC', 'DESC']);
    if (cursor.acceptSymbol(')')) break;
    cursor.expectSymbol(',');
  }
  void start;
  return parts;
}

function parseCreateTable(cursor: TokenCursor, text: string, flavor: Flavor, _orReplace: boolean): DdlStatement {
  const ifNotExists = cursor.acceptWord('IF', 'NOT', 'EXISTS');
  const table = cursor.qualifiedName();
  const columns: ColumnSpec[] = [];
  const keys: KeyConstraint[] = [];
  const options = emptyOptions();
  let like: QualifiedName | null = null;
  let asSelect = false;

  if (cursor.acceptWord('LIKE')) like = cursor.qualifiedName();
  else if (cursor.isSymbol('(') && cursor.isWord('LIKE', 1)) {
    cursor.next();
    cursor.next();
    like = cursor.qualifiedName();
    cursor.expectSymbol(')');
  } else if (cursor.isSymbol('(') && (cursor.isWord('SELECT', 1) || cursor.isWord('WITH', 1))) {
    asSelect = true;
  } else if (cursor.acceptSymbol('(')) {
    for (;;) {
      if (atTableConstraint(cursor)) {
        const key = parseTableConstraint(cursor);
        if (key) keys.push(key);
      } else {
        const column = parseColumnDefinition(cursor, flavor);
        columns.push(column);
      }
      if (cursor.acceptSymbol(')')) break;
      cursor.expectSymbol(',');
    }
  }
  while (!cursor.atEnd() && !asSelect && !like) {
    if (readCharsetOrComment(cursor, options)) continue;
    if (cursor.acceptSymbol(',')) continue;
    if (cursor.isWord('PARTITION') && cursor.isWord('BY', 1)) { skipPartitioning(cursor); continue; }
    if (cursor.isWord('AS') || cursor.isWord('SELECT') || cursor.isWord('IGNORE') || cursor.isWord('REPLACE')
      || cursor.isWord('WITH', 0) && !cursor.isWord('SYSTEM', 1) || (cursor.isSymbol('(') && cursor.isWord('SELECT', 1))) {
      asSelect = true;
      break;
    }
    if (!skipTableOption(cursor)) throw cursor.error('unexpected table option');
  }
  while (!cursor.atEnd()) cursor.next();
  return { kind: 'create-table', text, table, ifNotExists, columns, keys, options: finishOptions(options), like, asSelect };
}

function skipPartitioning(cursor: TokenCursor): void {
  // PARTITION BY ... [PARTITIONS n] [SUBPARTITION BY ...] [(partition definitions)]
  while (!cursor.atEnd()) {
    if (cursor.isWord('AS') || cursor.isWord('SELECT') || cursor.isWord('IGNORE') || cursor.isWord('REPLACE')) return;
    if (cursor.isSymbol('(')) cursor.skipParenthesized();
    else cursor.next();
  }
}

function parseAlter(cursor: TokenCursor, text: string, flavor: Flavor): DdlStatement {
  cursor.next();
  skipObjectPrefixes(cursor);
  if (cursor.acceptWord('TABLE')) {
    const ifExists = cursor.acceptWord('IF', 'EXISTS');
    const table = cursor.qualifiedName();
    if (cursor.acceptWord('WAIT')) cursor.next();
    else cursor.acceptWord('NOWAIT');
    const actions = parseAlterSpecifications(cursor, flavor);
    return { kind: 'alter-table', text, table, ifExists, actions };
  }
  if (cursor.acceptAnyWord(['DATABASE', 'SCHEMA'])) {
    let database: string | null = null;
    if (!cursor.isWord('DEFAULT') && !cursor.isWord('CHARACTER') && !cursor.isWord('CHARSET') && !cursor.isWord('COLLATE')
      && !cursor.isWord('COMMENT') && !cursor.isWord('READ') && !cursor.isWord('ENCRYPTION')) {
      database = cursor.identifier('database name');
    }
    if (cursor.acceptWord('UPGRADE')) return ignoreRest(cursor, text, 'ALTER DATABASE UPGRADE');
    const options = emptyOptions();
    while (!cursor.atEnd()) {
      if (!readCharsetOrComment(cursor, options) && !skipTableOption(cursor)) throw cursor.error('unexpected database option');
    }
    return { kind: 'alter-database', text, database, charset: finishOptions(options).charset };
  }
  const object = cursor.peek();
  if (object && object.type === 'word' && IGNORED_OBJECTS.has(object.upper)) return ignoreRest(cursor, text, `ALTER ${object.upper}`);
  throw cursor.error('unsupported ALTER statement');
}

function parseDrop(cursor: TokenCursor, text: string): DdlStatement {
  cursor.next();
  if (cursor.acceptWord('TEMPORARY')) return ignoreRest(cursor, text, 'temporary table');
  if (cursor.acceptWord('TABLE') || cursor.acceptWord('TABLES')) {
    const ifExists = cursor.acceptWord('IF', 'EXISTS');
    const tables: QualifiedName[] = [];
    do tables.push(cursor.qualifiedName()); while (cursor.acceptSymbol(','));
    if (cursor.acceptWord('WAIT')) cursor.next();
    else cursor.acceptWord('NOWAIT');
    cursor.acceptAnyWord(['RESTRICT', 'CASCADE']);
    return { kind: 'drop-tables', text, tables, ifExists };
  }
  if (cursor.acceptAnyWord(['DATABASE', 'SCHEMA'])) {
    const ifExists = cursor.acceptWord('IF', 'EXISTS');
    return { kind: 'drop-database', text, database: cursor.identifier('database name'), ifExists };
  }
  skipObjectPrefixes(cursor);
  const object = cursor.peek();
  if (object && object.type === 'word' && (IGNORED_OBJECTS.has(object.upper) || object.upper === 'PREPARE')) {
    return ignoreRest(cursor, text, `DROP ${object.upper}`);
  }
  throw cursor.error('unsupported DROP statement');
}

const TRACKED_VARIABLES = new Set(['CHARACTER_SET_SERVER', 'CHARACTER_SET_DATABASE']);

/** SET of character_set_server/database is remembered (it changes charset inheritance); other SETs are ignored. */
function parseSet(cursor: TokenCursor, text: string): DdlStatement {
  cursor.next();
  const assignments: { variable: string; value: string }[] = [];
  for (;;) {
    cursor.acceptAnyWord(['GLOBAL', 'SESSION', 'LOCAL', 'PERSIST']);
    const t = cursor.atEnd() ? undefined : cursor.next();
    let name: string | null = null;
    if (t && t.type === 'word') name = t.upper;
    else if (t && t.type === 'variable' && t.value.startsWith('@@')) name = t.value.replace(/^@@(global\.|session\.|local\.)?/i, '').toUpperCase();
    if (name && TRACKED_VARIABLES.has(name) && (cursor.acceptSymbol('=') || cursor.acceptSymbol(':='))) {
      const value = cursor.atEnd() ? undefined : cursor.next();
      if (value && (value.type === 'word' || value.type === 'string' || value.type === 'ident')) {
        assignments.push({ variable: name.toLowerCase(), value: normalizeCharset(value.value) });
      }
    }
    // Skip the rest of this assignment (expressions may contain parentheses).
    while (!cursor.atEnd() && !cursor.isSymbol(',')) {
      if (cursor.isSymbol('(')) cursor.skipParenthesized();
      else cursor.next();
    }
    if (!cursor.acceptSymbol(',')) break;
  }
  if (assignments.length === 0) return { kind: 'ignored', text, reason: 'SET statement' };
  return { kind: 'set-variable', text, assignments };
}

/** Throws DdlParseError for text that is not exactly one statement. */
export function parseSingleDdl(sql: string, options: DdlParserOptions = {}): DdlStatement {
  const statements = parseDdl(sql, options);
  if (statements.length !== 1) throw new DdlParseError(`expected one statement, found ${statements.length}`, sql, 0);
  return statements[0]!;
}
