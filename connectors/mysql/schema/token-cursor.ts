/**
 * A position in one statement's tokens with the small vocabulary the DDL parsers share:
 * keyword tests (case-insensitive), identifiers (quoted or bare), qualified names, balanced
 * parentheses, and errors that point at the current token.
 */
import { DdlParseError } from './ddl-parse-error.js';
import type { Token } from './ddl-tokenizer.js';

export interface QualifiedName {
  /** Database named in the statement, or null when it relies on the default database. */
  readonly database: string | null;
  readonly name: string;
}

export class TokenCursor {
  private index = 0;

  constructor(
    private readonly tokens: readonly Token[],
    /** The statement's text (offsets in tokens are relative to `source`). */
    readonly source: string,
    private readonly end: number = tokens.length,
  ) {}

  get position(): number {
    return this.index;
  }

  set position(value: number) {
    this.index = value;
  }

  atEnd(): boolean {
    return this.index >= this.end;
  }

  peek(offset = 0): Token | undefined {
    const i = this.index + offset;
    return i < this.end ? this.tokens[i] : undefined;
  }

  next(): Token {
    const token = this.peek();
    if (!token) throw this.error('unexpected end of statement');
    this.index++;
    return token;
  }

  /** True when the token at `offset` is the bare word `word` (upper case). */
  isWord(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.type === 'word' && t.upper === word;
  }

  /** True when the next tokens are the given words in order. */
  isWords(...words: string[]): boolean {
    return words.every((w, i) => this.isWord(w, i));
  }

  isSymbol(symbol: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.type === 'symbol' && t.value === symbol;
  }

  acceptWord(...words: string[]): boolean {
    if (!this.isWords(...words)) return false;
    this.index += words.length;
    return true;
  }

  acceptAnyWord(words: readonly string[]): string | null {
    const t = this.peek();
    if (t && t.type === 'word' && words.includes(t.upper)) {
      this.index++;
      return t.upper;
    }
    return null;
  }

  acceptSymbol(symbol: string): boolean {
    if (!this.isSymbol(symbol)) return false;
    this.index++;
    return true;
  }

  expectWord(...words: string[]): void {
    if (!this.acceptWord(...words)) throw this.error(`expected ${words.join(' ')}`);
  }

  expectSymbol(symbol: string): void {
    if (!this.acceptSymbol(symbol)) throw this.error(`expected '${symbol}'`);
  }

  /** An identifier: backquoted, double-quoted (ANSI_QUOTES) or a bare word. */
  identifier(what = 'identifier'): string {
    const t = this.peek();
    if (t && (t.type === 'ident' || t.type === 'word' || (t.type === 'string' && t.text.startsWith('"')))) {
      this.index++;
      return t.value;
    }
    throw this.error(`expected ${what}`);
  }

  /** `name` or `db.name` (each part quoted or not). */
  qualifiedName(what = 'table name'): QualifiedName {
    const first = this.identifier(what);
    if (this.isSymbol('.')) {
      this.index++;
      return { database: first, name: this.identifier(what) };
    }
    // `db`.`t` written without spaces may tokenize `.t` oddly only for numbers; names are fine.
    return { database: null, name: first };
  }

  /** A string literal's value, or an identifier/word where MySQL accepts either (charset names). */
  textOrName(what: string): string {
    const t = this.peek();
    if (t && (t.type === 'string' || t.type === 'ident' || t.type === 'word')) {
      this.index++;
      return t.value;
    }
    throw this.error(`expected ${what}`);
  }

  string(what = 'string'): string {
    const t = this.peek();
    if (t && t.type === 'string') {
      this.index++;
      return t.value;
    }
    throw this.error(`expected ${what}`);
  }

  integer(what = 'number'): number {
    const t = this.peek();
    if (t && t.type === 'number' && /^\d+$/.test(t.value)) {
      this.index++;
      return Number(t.value);
    }
    throw this.error(`expected ${what}`);
  }

  /** Skips a balanced `( ... )` group starting at the current `(`; returns its inner text. */
  skipParenthesized(): string {
    const open = this.peek();
    if (!open || open.type !== 'symbol' || open.value !== '(') throw this.error("expected '('");
    let depth = 0;
    for (;;) {
      const t = this.next();
      if (t.type === 'symbol' && t.value === '(') depth++;
      else if (t.type === 'symbol' && t.value === ')') {
        depth--;
        if (depth === 0) return this.source.slice(open.end, t.start).trim();
      }
    }
  }

  /** Skips tokens up to (not including) the next `,` or `)` at this nesting level, or the end. */
  skipToListEnd(): void {
    while (!this.atEnd()) {
      if (this.isSymbol(',') || this.isSymbol(')')) return;
      if (this.isSymbol('(')) this.skipParenthesized();
      else this.index++;
    }
  }

  /** Text of the statement from the start of token `from` to the end of the previous token. */
  textFrom(from: number): string {
    const first = this.tokens[from];
    const last = this.tokens[this.index - 1];
    if (!first || !last || this.index <= from) return '';
    return this.source.slice(first.start, last.end);
  }

  error(reason: string): DdlParseError {
    const t = this.peek();
    return new DdlParseError(reason, this.source, t ? t.start : this.source.length);
  }
}
