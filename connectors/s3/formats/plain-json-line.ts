/**
 * The fast way of reading one line of a JsonFormat file: a line in the compact form the sink
 * writes (no whitespace, no escapes) is parsed here, with what JSON.parse followed by the
 * format's conversion gives (objects as Maps in key order, arrays, strings, numbers as doubles,
 * booleans, null). Anything else gives NOT_PLAIN, and the caller reads the line the usual way:
 * whitespace, escapes, control characters, a key that JSON.parse would move to the front (an
 * array index), deep nesting, and every syntax error, so errors keep JSON.parse's messages.
 *
 * The caller checks the line against NOT_PLAIN_JSON first (no `\`, no control characters), so
 * strings here are the text between their quotes. Also tells whether every number was written
 * as `canonicalNumber` wants (for json-source.ts) and how long the numbers' text was.
 */
import { canonicalNumber } from '../../sdk/data/json-source.js';
import { numberTokenEnd } from '../../sdk/data/json-number-token.js';

export const NOT_PLAIN: unique symbol = Symbol('not plain');

const MAX_DEPTH = 64;
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

export class PlainJsonLine {
  #text = '';
  #pos = 0;
  /** False while `check` runs: the line is read through, but no value is built. */
  #build = true;
  /** After `parse`: true when every number token is canonical. */
  numbersCanonical = true;
  /** After `parse`: the total length of the number tokens. */
  numberLength = 0;

  /** The value of `line` (already checked against NOT_PLAIN_JSON), or NOT_PLAIN. */
  parse(line: string): unknown {
    this.#build = true;
    return this.#read(line);
  }

  /** True when `parse` would give a value: the same reading, without building anything. */
  check(line: string): boolean {
    this.#build = false;
    return this.#read(line) !== NOT_PLAIN;
  }

  #read(line: string): unknown {
    this.#text = line;
    this.#pos = 0;
    this.numbersCanonical = true;
    this.numberLength = 0;
    const value = this.#value(0);
    return value !== NOT_PLAIN && this.#pos === line.length ? value : NOT_PLAIN;
  }

  #value(depth: number): unknown {
    const text = this.#text;
    const c = text.charCodeAt(this.#pos);
    if (c === QUOTE) return this.#string();
    if (c === 0x7b) return depth < MAX_DEPTH ? this.#object(depth + 1) : NOT_PLAIN;
    if (c === 0x5b) return depth < MAX_DEPTH ? this.#array(depth + 1) : NOT_PLAIN;
    if (c === MINUS || (c >= ZERO && c <= NINE)) return this.#number();
    if (text.startsWith('true', this.#pos)) return this.#literal(4, true);
    if (text.startsWith('false', this.#pos)) return this.#literal(5, false);
    if (text.startsWith('null', this.#pos)) return this.#literal(4, null);
    return NOT_PLAIN;
  }

  #literal<T>(length: number, value: T): T {
    this.#pos += length;
    return value;
  }

  #string(): string | typeof NOT_PLAIN {
    const start = this.#pos + 1;
    const end = this.#text.indexOf('"', start);
    if (end < 0) return NOT_PLAIN;
    this.#pos = end + 1;
    return this.#build ? this.#text.slice(start, end) : '';
  }

  #object(depth: number): Map<string, unknown> | null | typeof NOT_PLAIN {
    const text = this.#text;
    const map = this.#build ? new Map<string, unknown>() : null;
    this.#pos++;
    if (text.charCodeAt(this.#pos) === 0x7d) {
      this.#pos++;
      return map;
    }
    for (;;) {
      if (text.charCodeAt(this.#pos) !== QUOTE) return NOT_PLAIN;
      const first = text.charCodeAt(this.#pos + 1);
      // JSON.parse puts keys that are array indices first; the usual way keeps that order.
      if (first >= ZERO && first <= NINE) return NOT_PLAIN;
      const key = this.#string();
      if (key === NOT_PLAIN || text.charCodeAt(this.#pos) !== COLON) return NOT_PLAIN;
      this.#pos++;
      const value = this.#value(depth);
      if (value === NOT_PLAIN) return NOT_PLAIN;
      map?.set(key, value);
      const next = text.charCodeAt(this.#pos++);
      if (next === 0x7d) return map;
      if (next !== COMMA) return NOT_PLAIN;
    }
  }

  #array(depth: number): unknown[] | null | typeof NOT_PLAIN {
    const text = this.#text;
    const items: unknown[] | null = this.#build ? [] : null;
    this.#pos++;
    if (text.charCodeAt(this.#pos) === 0x5d) {
      this.#pos++;
      return items;
    }
    for (;;) {
      const value = this.#value(depth);
      if (value === NOT_PLAIN) return NOT_PLAIN;
      items?.push(value);
      const next = text.charCodeAt(this.#pos++);
      if (next === 0x5d) return items;
      if (next !== COMMA) return NOT_PLAIN;
    }
  }

  /** A number as JSON's grammar has it (no leading zeros, digits after `.` and `e`); NOT_PLAIN otherwise. */
  #number(): number | typeof NOT_PLAIN {
    const text = this.#text;
    const start = this.#pos;
    const i = numberTokenEnd(text, start);
    if (i < 0) return NOT_PLAIN;
    this.#pos = i;
    if (!this.#build) return 0;
    const token = text.slice(start, i);
    const value = Number(token);
    this.numberLength += token.length;
    if (this.numbersCanonical && !canonicalNumber(token, value)) this.numbersCanonical = false;
    return value;
  }
}
