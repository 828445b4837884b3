/**
 * Parses `name type [attributes...]` as found in CREATE TABLE and ALTER TABLE ADD/CHANGE/MODIFY.
 * Stops before `,` or `)` at its nesting level, or before FIRST/AFTER (ALTER placements).
 *
 * Attribute semantics follow Debezium's column listener: AUTO_INCREMENT and ON UPDATE both mark a
 * column autoIncremented and generated; GENERATED ALWAYS AS columns are not `generated` in
 * Debezium's sense; CURRENT_TIMESTAMP/NOW() defaults are `1970-01-01 00:00:00`; expression
 * defaults have no defaultValueExpression.
 */
import { finishColumnType, parseColumnType, readTypeModifiers, type Flavor } from './column-type.js';
import type { ColumnSpec } from './ddl-statement.js';
import type { Token } from './ddl-tokenizer.js';
import type { TokenCursor } from './token-cursor.js';

const NOW_FUNCTIONS = new Set(['CURRENT_TIMESTAMP', 'NOW', 'LOCALTIME', 'LOCALTIMESTAMP']);
export const EPOCH_DEFAULT = '1970-01-01 00:00:00';

export function parseColumnDefinition(cursor: TokenCursor, flavor: Flavor, name?: string): ColumnSpec {
  const columnName = name ?? cursor.identifier('column name');
  const draft = parseColumnType(cursor, flavor);
  let nullable: boolean | null = null;
  let hasDefault = false;
  let defaultValueExpression: string | null = null;
  let autoIncrement = false;
  let onUpdate = false;
  let primaryKey = false;
  let unique = false;
  let comment: string | null = null;
  let generatedAlways = false;

  while (!cursor.atEnd() && !cursor.isSymbol(',') && !cursor.isSymbol(')') && !cursor.isWord('FIRST') && !cursor.isWord('AFTER')) {
    if (cursor.acceptWord('NOT', 'NULL')) { nullable = false; continue; }
    if (cursor.acceptWord('NULL')) { nullable = true; continue; }
    if (cursor.acceptWord('DEFAULT')) {
      hasDefault = true;
      defaultValueExpression = parseDefaultValue(cursor);
      continue;
    }
    if (cursor.acceptWord('ON', 'UPDATE')) {
      parseDefaultValue(cursor);
      onUpdate = true;
      continue;
    }
    if (cursor.acceptWord('AUTO_INCREMENT')) { autoIncrement = true; continue; }
    if (cursor.acceptWord('SERIAL', 'DEFAULT', 'VALUE')) {
      autoIncrement = true;
      nullable ??= false;
      unique = true;
      continue;
    }
    if (cursor.acceptWord('PRIMARY', 'KEY') || cursor.acceptWord('KEY')) { primaryKey = true; continue; }
    if (cursor.acceptWord('UNIQUE')) { cursor.acceptWord('KEY'); unique = true; continue; }
    if (cursor.acceptWord('COMMENT')) { comment = cursor.string('comment text'); continue; }
    if (cursor.acceptWord('GENERATED', 'ALWAYS')) { cursor.expectWord('AS'); }
    else if (!cursor.acceptWord('AS')) {
      if (cursor.isWord('CONSTRAINT')) {
        cursor.next();
        if (!cursor.isWord('CHECK')) cursor.identifier('constraint name');
      }
      if (cursor.acceptWord('CHECK')) {
        cursor.skipParenthesized();
        cursor.acceptWord('NOT');
        cursor.acceptWord('ENFORCED');
        continue;
      }
      if (cursor.acceptWord('REFERENCES')) {
        skipReferences(cursor);
        continue;
      }
      if (cursor.acceptAnyWord(['INVISIBLE', 'VISIBLE', 'STORED', 'VIRTUAL', 'PERSISTENT'])) continue;
      if (cursor.acceptWord('WITH', 'SYSTEM', 'VERSIONING') || cursor.acceptWord('WITHOUT', 'SYSTEM', 'VERSIONING')) continue;
      if (cursor.acceptWord('COLUMN_FORMAT') || cursor.acceptWord('STORAGE')) { cursor.next(); continue; }
      if (cursor.acceptAnyWord(['ENGINE_ATTRIBUTE', 'SECONDARY_ENGINE_ATTRIBUTE', 'REF_SYSTEM_ID', 'SRID', 'COMPRESSED'])) {
        if (cursor.acceptSymbol('=') || !cursor.isSymbol(',')) {
          if (!cursor.atEnd() && !cursor.isSymbol(',') && !cursor.isSymbol(')')) cursor.next();
        }
        continue;
      }
      const before = cursor.position;
      readTypeModifiers(cursor, draft);
      if (cursor.position !== before) continue;
      throw cursor.error(`unexpected '${cursor.peek()?.text}' in the definition of column '${columnName}'`);
    }
    // [GENERATED ALWAYS] AS (expr) [VIRTUAL | STORED | PERSISTENT], or MariaDB's AS ROW START|END
    if (cursor.acceptWord('ROW')) {
      cursor.acceptAnyWord(['START', 'END']);
      continue;
    }
    cursor.skipParenthesized();
    generatedAlways = true;
  }

  if (draft.serial) {
    autoIncrement = true;
    nullable ??= false;
    unique = true;
  }
  if (primaryKey) nullable = false;
  return {
    name: columnName,
    type: finishColumnType(draft, null),
    nullable,
    hasDefault,
    defaultValueExpression,
    autoIncrement,
    onUpdate,
    primaryKey,
    unique,
    comment,
    generatedAlways,
  };
}

/** `REFERENCES tbl (cols) [MATCH ...] [ON DELETE|UPDATE action]...` after the REFERENCES word. */
export function skipReferences(cursor: TokenCursor): void {
  cursor.qualifiedName();
  if (cursor.isSymbol('(')) cursor.skipParenthesized();
  for (;;) {
    if (cursor.acceptWord('MATCH')) { cursor.next(); continue; }
    if (cursor.acceptWord('ON')) {
      cursor.acceptAnyWord(['DELETE', 'UPDATE']);
      if (!cursor.acceptWord('SET', 'NULL') && !cursor.acceptWord('SET', 'DEFAULT') && !cursor.acceptWord('NO', 'ACTION')) {
        cursor.acceptAnyWord(['RESTRICT', 'CASCADE']);
      }
      continue;
    }
    return;
  }
}

/**
 * The value after DEFAULT (or ON UPDATE): a literal, NULL, a signed number, CURRENT_TIMESTAMP[(n)]
 * and its synonyms, a function call or a parenthesised expression. Returns Debezium's
 * defaultValueExpression for it.
 */
export function parseDefaultValue(cursor: TokenCursor): string | null {
  const t = cursor.next();
  if (t.type === 'symbol' && (t.value === '-' || t.value === '+')) {
    const n = cursor.next();
    if (n.type !== 'number') throw cursor.error('expected a number after the sign');
    return `${t.value === '-' ? '-' : '+'}${n.value}`;
  }
  if (t.type === 'symbol' && t.value === '(') {
    cursor.position = cursor.position - 1;
    cursor.skipParenthesized();
    return null;
  }
  if (t.type === 'string') return t.value;
  if (t.type === 'number') return t.value;
  if (t.type === 'hex' || t.type === 'bits') return t.value;
  if (t.type === 'word') {
    if (t.upper === 'NULL') return null;
    if (NOW_FUNCTIONS.has(t.upper) || t.upper === 'CURRENT_TIMESTAMP') {
      if (cursor.isSymbol('(')) cursor.skipParenthesized();
      return EPOCH_DEFAULT;
    }
    // The server stores and reports TRUE/FALSE defaults as 1/0.
    if (t.upper === 'TRUE' || t.upper === 'FALSE') return t.upper === 'TRUE' ? '1' : '0';
    if ((t.upper === 'DATE' || t.upper === 'TIME' || t.upper === 'TIMESTAMP') && cursor.peek()?.type === 'string') {
      return cursor.next().value;
    }
    if (cursor.isSymbol('(')) {
      // A function call (MariaDB accepts DEFAULT uuid() without parentheses around it).
      cursor.skipParenthesized();
      return null;
    }
    return t.value;
  }
  throw unexpected(cursor, t);
}

function unexpected(cursor: TokenCursor, t: Token) {
  cursor.position = cursor.position - 1;
  return cursor.error(`unexpected '${t.text}' as a default value`);
}
