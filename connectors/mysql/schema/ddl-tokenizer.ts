/**
 * Splits MySQL/MariaDB SQL text into tokens for the DDL parser.
 *
 * - Identifiers in backquotes (`` `a``b` `` → a`b) are `ident` tokens; bare words are `word`
 *   tokens, compared case-insensitively through `upper`.
 * - 'single' and "double" quoted strings are `string` tokens with escapes resolved (`\n`, `\'`,
 *   doubled quotes); a charset introducer (`_utf8mb4'x'`) or `N'x'` prefix is folded into the string.
 *   Double-quoted text can also serve as an identifier (ANSI_QUOTES); the parser decides.
 * - `-- ` and `#` comments run to the end of the line; `/* ... *\/` comments are skipped, but the
 *   content of versioned comments `/*!50100 ... *\/` and MariaDB's `/*M!100101 ... *\/` is code:
 *   their opening and closing marks are dropped and what is between them is tokenized.
 * - Every token carries its start and end offsets in the input, for error messages and for
 *   slicing a statement's text.
 */
import { DdlParseError } from './ddl-parse-error.js';

export type TokenType = 'word' | 'ident' | 'string' | 'number' | 'hex' | 'bits' | 'variable' | 'symbol';

export interface Token {
  readonly type: TokenType;
  /** Raw text in the input. */
  readonly text: string;
  /** Identifier without quotes, string with escapes resolved, number text, symbol text, word text. */
  readonly value: string;
  /** Upper-case value for words (keyword comparison); the value otherwise. */
  readonly upper: string;
  readonly start: number;
  readonly end: number;
}

const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const MULTI_SYMBOLS = ['<=>', '<=', '>=', '<>', '!=', ':=', '||', '&&', '<<', '>>', '->>', '->'];

const ESCAPES: Record<string, string> = { '0': '\0', "'": "'", '"': '"', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a', '\\': '\\', '%': '\\%', _: '\\_' };

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let versionedDepth = 0;
  const n = sql.length;
  const push = (type: TokenType, start: number, end: number, value: string) => {
    tokens.push({ type, text: sql.slice(start, end), value, upper: type === 'word' ? value.toUpperCase() : value, start, end });
  };

  while (i < n) {
    const c = sql[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') { i++; continue; }
    if (c === '#' || (c === '-' && sql[i + 1] === '-' && (i + 2 >= n || /\s/.test(sql[i + 2]!)))) {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const versioned = /^\/\*(M?!)(\d{5,6})?/.exec(sql.slice(i, i + 10));
      if (versioned) {
        versionedDepth++;
        i += versioned[0].length;
        continue;
      }
      const close = sql.indexOf('*/', i + 2);
      if (close < 0) throw new DdlParseError('unterminated comment', sql, i);
      i = close + 2;
      continue;
    }
    if (c === '*' && sql[i + 1] === '/' && versionedDepth > 0) {
      versionedDepth--;
      i += 2;
      continue;
    }
    if (c === '`') {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= n) throw new DdlParseError('unterminated quoted identifier', sql, start);
        if (sql[i] === '`') {
          if (sql[i + 1] === '`') { value += '`'; i += 2; continue; }
          i++;
          break;
        }
        value += sql[i++];
      }
      push('ident', start, i, value);
      continue;
    }
    if (c === "'" || c === '"') {
      const start = i;
      const [value, end] = readString(sql, i);
      i = end;
      push('string', start, i, value);
      continue;
    }
    // X'0A', B'01', N'text', _charset'text'
    if ((c === 'x' || c === 'X' || c === 'b' || c === 'B') && sql[i + 1] === "'") {
      const start = i;
      const close = sql.indexOf("'", i + 2);
      if (close < 0) throw new DdlParseError('unterminated literal', sql, start);
      push(c === 'x' || c === 'X' ? 'hex' : 'bits', start, close + 1, sql.slice(i + 2, close));
      i = close + 1;
      continue;
    }
    if ((c === 'n' || c === 'N') && sql[i + 1] === "'") {
      const start = i;
      const [value, end] = readString(sql, i + 1);
      i = end;
      push('string', start, i, value);
      continue;
    }
    if (c === '0' && (sql[i + 1] === 'x' || sql[i + 1] === 'b') && /[0-9A-Fa-f]/.test(sql[i + 2] ?? '')) {
      const start = i;
      const hex = sql[i + 1] === 'x';
      i += 2;
      while (i < n && (hex ? /[0-9A-Fa-f]/ : /[01]/).test(sql[i]!)) i++;
      if (i >= n || !WORD_CHAR.test(sql[i]!)) {
        push(hex ? 'hex' : 'bits', start, i, sql.slice(start + 2, i));
        continue;
      }
      i = start; // e.g. 0xyz is an identifier; fall through to words
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? '') && !isAfterName(tokens))) {
      const start = i;
      while (i < n && /[0-9]/.test(sql[i]!)) i++;
      if (sql[i] === '.' && /[0-9]/.test(sql[i + 1] ?? '')) { i++; while (i < n && /[0-9]/.test(sql[i]!)) i++; }
      else if (sql[i] === '.' && !WORD_CHAR.test(sql[i + 1] ?? '')) i++;
      if ((sql[i] === 'e' || sql[i] === 'E') && /[-+0-9]/.test(sql[i + 1] ?? '')) {
        const save = i;
        i++;
        if (sql[i] === '+' || sql[i] === '-') i++;
        if (/[0-9]/.test(sql[i] ?? '')) { while (i < n && /[0-9]/.test(sql[i]!)) i++; } else i = save;
      }
      if (i < n && WORD_CHAR.test(sql[i]!) && /^[0-9]+$/.test(sql.slice(start, i))) {
        // digits followed by letters: an identifier such as 1col
        while (i < n && WORD_CHAR.test(sql[i]!)) i++;
        push('word', start, i, sql.slice(start, i));
        continue;
      }
      push('number', start, i, sql.slice(start, i));
      continue;
    }
    if (c === '@') {
      const start = i;
      i++;
      if (sql[i] === '@') i++;
      if (sql[i] === '`' || sql[i] === "'" || sql[i] === '"') {
        const quote = sql[i]!;
        const close = sql.indexOf(quote, i + 1);
        i = close < 0 ? n : close + 1;
      } else {
        while (i < n && (WORD_CHAR.test(sql[i]!) || sql[i] === '.')) i++;
      }
      push('variable', start, i, sql.slice(start, i));
      continue;
    }
    if (WORD_CHAR.test(c)) {
      const start = i;
      while (i < n && WORD_CHAR.test(sql[i]!)) i++;
      const word = sql.slice(start, i);
      if (word.startsWith('_') && sql[i] === "'" && word.length > 1) {
        const [value, end] = readString(sql, i);
        i = end;
        push('string', start, i, value);
        continue;
      }
      push('word', start, i, word);
      continue;
    }
    const multi = MULTI_SYMBOLS.find((s) => sql.startsWith(s, i));
    if (multi) {
      push('symbol', i, i + multi.length, multi);
      i += multi.length;
      continue;
    }
    push('symbol', i, i + 1, c);
    i++;
  }
  return tokens;
}

/** True when the previous token is a name, so `.5` after it is `.` then `5` (`t.5col` aside). */
function isAfterName(tokens: Token[]): boolean {
  const last = tokens[tokens.length - 1];
  return last !== undefined && (last.type === 'ident' || last.type === 'word');
}

/** Reads a quoted string starting at `start` (the quote); returns its value and the end offset. */
function readString(sql: string, start: number): [string, number] {
  const quote = sql[start]!;
  let i = start + 1;
  let value = '';
  for (;;) {
    if (i >= sql.length) throw new DdlParseError('unterminated string', sql, start);
    const c = sql[i]!;
    if (c === '\\') {
      const next = sql[i + 1];
      if (next === undefined) throw new DdlParseError('unterminated string', sql, start);
      value += ESCAPES[next] ?? next;
      i += 2;
      continue;
    }
    if (c === quote) {
      if (sql[i + 1] === quote) { value += quote; i += 2; continue; }
      i++;
      break;
    }
    value += c;
    i++;
  }
  // Adjacent string literals concatenate: 'a' 'b' is 'ab'.
  const rest = /^\s+/.exec(sql.slice(i));
  const after = i + (rest ? rest[0].length : 0);
  if (sql[after] === "'" || (sql[after] === '"' && quote === '"')) {
    const [more, end] = readString(sql, after);
    return [value + more, end];
  }
  return [value, i];
}
