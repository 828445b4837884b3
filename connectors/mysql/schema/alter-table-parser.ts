/**
 * ALTER TABLE's comma-separated specifications, after the table name. Schema-relevant ones become
 * AlterActions; index, constraint, partition, ALGORITHM/LOCK and storage clauses are read and
 * dropped. An unknown specification is an error, not a silent skip: a missed column change would
 * corrupt every row decoded after it.
 */
import { parseColumnDefinition, parseDefaultValue } from './column-definition-parser.js';
import type { Flavor } from './column-type.js';
import { normalizeCharset } from './column-type.js';
import type { AlterAction, Placement } from './ddl-statement.js';
import {
  atTableConstraint, emptyOptions, finishOptions, parseTableConstraint, readCharsetOrComment, skipTableOption,
} from './table-elements.js';
import type { TokenCursor } from './token-cursor.js';

const IGNORED_OPTION_WORDS = new Set([
  'ALGORITHM', 'LOCK', 'ENGINE', 'AUTO_INCREMENT', 'ROW_FORMAT', 'KEY_BLOCK_SIZE', 'AVG_ROW_LENGTH', 'MAX_ROWS', 'MIN_ROWS',
  'CHECKSUM', 'PACK_KEYS', 'STATS_AUTO_RECALC', 'STATS_PERSISTENT', 'STATS_SAMPLE_PAGES', 'DELAY_KEY_WRITE', 'INSERT_METHOD',
  'TABLESPACE', 'COMPRESSION', 'ENCRYPTION', 'ENCRYPTION_KEY_ID', 'ENCRYPTED', 'PAGE_COMPRESSED', 'PAGE_COMPRESSION_LEVEL',
  'IETF_QUOTES', 'TRANSACTIONAL', 'SEQUENCE', 'UNION', 'CONNECTION', 'PASSWORD', 'DATA', 'INDEX', 'ENGINE_ATTRIBUTE',
  'SECONDARY_ENGINE', 'SECONDARY_ENGINE_ATTRIBUTE', 'AUTOEXTEND_SIZE', 'START',
]);
const PARTITION_WORDS = ['PARTITION', 'REMOVE', 'COALESCE', 'REORGANIZE', 'EXCHANGE', 'ANALYZE', 'CHECK', 'OPTIMIZE', 'REBUILD', 'REPAIR', 'TRUNCATE', 'DISCARD', 'IMPORT'];

export function parseAlterSpecifications(cursor: TokenCursor, flavor: Flavor): AlterAction[] {
  const actions: AlterAction[] = [];
  while (!cursor.atEnd()) {
    parseSpecification(cursor, flavor, actions);
    if (cursor.atEnd()) break;
    if (!cursor.acceptSymbol(',')) {
      // Partition options follow the last specification without a comma.
      if (cursor.isWord('PARTITION', 0) && cursor.isWord('BY', 1)) { skipRest(cursor); break; }
      throw cursor.error("expected ',' between ALTER TABLE specifications");
    }
  }
  return actions;
}

function parseSpecification(cursor: TokenCursor, flavor: Flavor, actions: AlterAction[]): void {
  if (cursor.acceptWord('ADD')) {
    if (atTableConstraint(cursor) && !cursor.isWord('COLUMN')) {
      if (cursor.isWord('PARTITION')) { skipToComma(cursor); return; }
      const key = parseTableConstraint(cursor);
      if (key) actions.push({ kind: 'add-key', key });
      return;
    }
    if (cursor.isWord('PARTITION') || cursor.isWords('SYSTEM', 'VERSIONING')) { skipToComma(cursor); return; }
    cursor.acceptWord('COLUMN');
    const ifNotExists = cursor.acceptWord('IF', 'NOT', 'EXISTS');
    if (cursor.acceptSymbol('(')) {
      for (;;) {
        if (atTableConstraint(cursor)) {
          const key = parseTableConstraint(cursor);
          if (key) actions.push({ kind: 'add-key', key });
        } else {
          actions.push({ kind: 'add-column', column: parseColumnDefinition(cursor, flavor), placement: null, ifNotExists });
        }
        if (cursor.acceptSymbol(')')) return;
        cursor.expectSymbol(',');
      }
    }
    const column = parseColumnDefinition(cursor, flavor);
    actions.push({ kind: 'add-column', column, placement: parsePlacement(cursor), ifNotExists });
    return;
  }
  if (cursor.acceptWord('CHANGE')) {
    cursor.acceptWord('COLUMN');
    const ifExists = cursor.acceptWord('IF', 'EXISTS');
    const oldName = cursor.identifier('column name');
    const column = parseColumnDefinition(cursor, flavor);
    actions.push({ kind: 'change-column', oldName, column, placement: parsePlacement(cursor), ifExists });
    return;
  }
  if (cursor.acceptWord('MODIFY')) {
    cursor.acceptWord('COLUMN');
    const ifExists = cursor.acceptWord('IF', 'EXISTS');
    const column = parseColumnDefinition(cursor, flavor);
    actions.push({ kind: 'change-column', oldName: column.name, column, placement: parsePlacement(cursor), ifExists });
    return;
  }
  if (cursor.acceptWord('DROP')) {
    if (cursor.acceptWord('PRIMARY', 'KEY')) { actions.push({ kind: 'drop-primary-key' }); return; }
    if (cursor.acceptAnyWord(['INDEX', 'KEY', 'CHECK', 'CONSTRAINT'])) {
      cursor.acceptWord('IF', 'EXISTS');
      cursor.identifier('index or constraint name');
      return;
    }
    if (cursor.acceptWord('FOREIGN', 'KEY')) {
      cursor.acceptWord('IF', 'EXISTS');
      cursor.identifier('foreign key name');
      return;
    }
    if (cursor.isWord('PARTITION') || cursor.isWords('SYSTEM', 'VERSIONING')) { skipToComma(cursor); return; }
    cursor.acceptWord('COLUMN');
    const ifExists = cursor.acceptWord('IF', 'EXISTS');
    const name = cursor.identifier('column name');
    cursor.acceptAnyWord(['RESTRICT', 'CASCADE']);
    actions.push({ kind: 'drop-column', name, ifExists });
    return;
  }
  if (cursor.acceptWord('ALTER')) {
    if (cursor.acceptAnyWord(['INDEX', 'KEY', 'CHECK', 'CONSTRAINT'])) { skipToComma(cursor); return; }
    cursor.acceptWord('COLUMN');
    cursor.acceptWord('IF', 'EXISTS');
    const column = cursor.identifier('column name');
    if (cursor.acceptWord('SET', 'DEFAULT')) {
      actions.push({ kind: 'set-default', column, defaultValueExpression: parseDefaultValue(cursor) });
      return;
    }
    if (cursor.acceptWord('DROP', 'DEFAULT')) { actions.push({ kind: 'drop-default', column }); return; }
    if (cursor.acceptWord('SET')) { cursor.acceptAnyWord(['VISIBLE', 'INVISIBLE']); return; }
    throw cursor.error('expected SET DEFAULT, DROP DEFAULT or SET [IN]VISIBLE');
  }
  if (cursor.acceptWord('RENAME')) {
    if (cursor.acceptWord('COLUMN')) {
      const from = cursor.identifier('column name');
      cursor.expectWord('TO');
      actions.push({ kind: 'rename-column', from, to: cursor.identifier('column name') });
      return;
    }
    if (cursor.acceptAnyWord(['INDEX', 'KEY'])) {
      cursor.identifier('index name');
      cursor.expectWord('TO');
      cursor.identifier('index name');
      return;
    }
    cursor.acceptAnyWord(['TO', 'AS']);
    actions.push({ kind: 'rename-table', to: cursor.qualifiedName() });
    return;
  }
  if (cursor.acceptWord('CONVERT', 'TO')) {
    if (!cursor.acceptWord('CHARACTER', 'SET') && !cursor.acceptWord('CHARSET')) throw cursor.error('expected CHARACTER SET');
    const name = cursor.textOrName('a character set');
    let collation: string | null = null;
    if (cursor.acceptWord('COLLATE')) collation = cursor.textOrName('a collation').toLowerCase();
    actions.push({ kind: 'convert-charset', charset: name.toUpperCase() === 'DEFAULT' ? null : normalizeCharset(name), collation });
    return;
  }
  const options = emptyOptions();
  if (readCharsetOrComment(cursor, options)) {
    while (readCharsetOrComment(cursor, options)) { /* more options without commas */ }
    actions.push({ kind: 'table-options', options: finishOptions(options) });
    return;
  }
  if (cursor.acceptWord('ORDER', 'BY')) { skipToComma(cursor); return; }
  if (cursor.acceptAnyWord(['FORCE', 'ENABLE', 'DISABLE', 'VALIDATION'])) { cursor.acceptWord('KEYS'); return; }
  if (cursor.acceptWord('WITH', 'VALIDATION') || cursor.acceptWord('WITHOUT', 'VALIDATION')) return;
  if (cursor.isWord('PARTITION') && cursor.isWord('BY', 1)) { skipRest(cursor); return; }
  const word = cursor.peek();
  if (word && word.type === 'word' && (PARTITION_WORDS.includes(word.upper) || cursor.isWords('UPGRADE', 'PARTITIONING'))) {
    skipToComma(cursor);
    return;
  }
  if (word && word.type === 'word' && IGNORED_OPTION_WORDS.has(word.upper)) {
    skipTableOption(cursor);
    return;
  }
  throw cursor.error('unknown ALTER TABLE specification');
}

function parsePlacement(cursor: TokenCursor): Placement | null {
  if (cursor.acceptWord('FIRST')) return { first: true };
  if (cursor.acceptWord('AFTER')) return { after: cursor.identifier('column name') };
  return null;
}

function skipToComma(cursor: TokenCursor): void {
  while (!cursor.atEnd() && !cursor.isSymbol(',')) {
    if (cursor.isSymbol('(')) cursor.skipParenthesized();
    else cursor.next();
  }
}

function skipRest(cursor: TokenCursor): void {
  while (!cursor.atEnd()) cursor.next();
}
