/**
 * JSON text as Kafka Connect's Jackson setup reads and writes it.
 *
 * Reading keeps what JSON.parse loses: whether a number was written as an integer (`1`) or not
 * (`1.0`, `1e0`), and its exact digits, so INT64 beyond 2^53 and decimals survive. Objects are
 * Maps in document order; a repeated key keeps its first position and its last value. As with
 * Kafka's deserializer, leading zeros in numbers are accepted, a UTF-8 BOM is skipped, empty
 * input is "missing" (undefined), and content after the first complete value is ignored (a
 * number at the root must still be followed by whitespace). Nesting is limited to 1000 levels
 * and numbers to 1000 characters, Jackson's default limits.
 *
 * `parseJsonDeferringMember` reads the same way but only checks the value of one root member and
 * returns its text, so a caller that caches by that text builds it only when it must.
 *
 * Writing strings follows Jackson's byte generator: `"` and `\` escaped, \b \t \n \f \r in
 * short form, other control characters and every UTF-16 surrogate (so each character outside
 * the BMP) as `\uXXXX` with upper-case hex; everything else is written as UTF-8.
 */

import { quotedWithoutEscapes, stringTokenValue } from '../../../connectors/sdk/data/json-string-check.js';

export class JsonNumber {
  constructor(
    readonly text: string,
    readonly integral: boolean,
  ) {}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;
export type JsonObject = Map<string, JsonValue>;

export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
}

export interface ParsedJson {
  /** undefined when the input holds no value (empty or whitespace only). */
  readonly value: JsonValue | undefined;
  /** When the root is an object: the exact source text of each member's value. */
  readonly rootMemberText: ReadonlyMap<string, string> | null;
}

const MAX_DEPTH = 1000;
const MAX_NUMBER_LENGTH = 1000;
const decoder = new TextDecoder('utf-8', { fatal: true });

export interface ParsedDeferringMember {
  /** As ParsedJson's value, except that a root object holds null for the deferred member. */
  readonly value: JsonValue | undefined;
  /** The exact source text of the deferred member's value (its last occurrence); undefined when absent. */
  readonly deferredText: string | undefined;
}

export function parseJson(bytes: Uint8Array): ParsedJson {
  return new Parser(jsonTextOf(bytes)).parseDocument();
}

/** parseJson's value alone: the same result and errors, without capturing the root members' text. */
export function parseJsonValue(bytes: Uint8Array): JsonValue | undefined {
  return new Parser(jsonTextOf(bytes), false).parseDocument().value;
}

/**
 * parseJsonValue of bytes already decoded by `jsonTextOf`, with each number made by `numberOf`
 * (from its text and whether it is integral) instead of a JsonNumber: with Connect numbers, the
 * JSON value is the Connect value, built once. `plain` says that the text holds no `\` and no
 * control character (see NOT_PLAIN_JSON in json-source.ts), so that every string is the text
 * between its quotes and needs no check: the same result, found faster.
 */
export function parseJsonTextWithNumbers(text: string, numberOf: (text: string, integral: boolean) => unknown, plain: boolean): unknown {
  return new Parser(text, false, numberOf as NumberOf, plain).parseDocument().value;
}

/** JSON text without a BOM, e.g. a member text from parseJsonDeferringMember, parsed as parseJson would. */
export function parseJsonText(text: string): ParsedJson {
  return new Parser(text).parseDocument();
}

/** parseJson, except that the value of the root object's member `name` is checked but not built. Same errors. */
export function parseJsonDeferringMember(bytes: Uint8Array, name: string): ParsedDeferringMember {
  const text = jsonTextOf(bytes);
  try {
    const deferred = new Parser(text).parseRootDeferring(name);
    if (deferred !== null) return deferred;
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
  }
  const parsed = new Parser(text).parseDocument();
  return { value: parsed.value, deferredText: parsed.rootMemberText?.get(name) };
}

/** What parseMemberValueThenClose gives when the value is not followed by the object's `}`. */
export const NOT_CLOSED: unique symbol = Symbol('not closed');

const memberDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The bytes after `{"name":` (or after `{... ,"name":`) of a root object: its last member's value,
 * followed (after whitespace) by the root's `}`; what follows that is not read, but must be valid
 * UTF-8. NOT_CLOSED when anything other than `}` follows the value. The value is parsed as parseJson
 * parses a root member (the same nesting limit, the same rules), and invalid JSON or UTF-8 throws
 * JsonSyntaxError, though not necessarily with the message parseJson would give for the whole text.
 */
export function parseMemberValueThenClose(bytes: Uint8Array): JsonValue | typeof NOT_CLOSED {
  let text: string;
  try {
    text = memberDecoder.decode(bytes);
  } catch {
    throw new JsonSyntaxError('Invalid UTF-8 byte sequence');
  }
  return new Parser(text).parseMemberValueThenClose();
}

/** The text of JSON bytes as parseJson reads them (a BOM skipped); JsonSyntaxError when they are not UTF-8. */
export function jsonTextOf(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new JsonSyntaxError('Invalid UTF-8 byte sequence');
  }
}

/** Jackson's name for the kind of a node: NULL, BOOLEAN, NUMBER, STRING, ARRAY, OBJECT, MISSING. */
export function nodeType(node: JsonValue | undefined): string {
  if (node === undefined) return 'MISSING';
  if (node === null) return 'NULL';
  if (typeof node === 'boolean') return 'BOOLEAN';
  if (typeof node === 'string') return 'STRING';
  if (node instanceof JsonNumber) return 'NUMBER';
  if (Array.isArray(node)) return 'ARRAY';
  return 'OBJECT';
}

// A regular expression over a string of one-byte characters tests a surrogate range without reading it.
const SURROGATE = /[\ud800-\udfff]/;
const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };

export function quoteJsonString(s: string): string {
  const plain = SURROGATE.test(s) ? undefined : quotedWithoutEscapes(s);
  if (plain !== undefined) return plain;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const code = s.charCodeAt(i);
    const short = SHORT_ESCAPES[c];
    if (short !== undefined) out += short;
    else if (code < 0x20 || (code >= 0xd800 && code <= 0xdfff)) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += c;
  }
  return `${out}"`;
}

const WS = new Set([' ', '\t', '\n', '\r']);
const isWhitespace = (code: number): boolean => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
const ESCAPED: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
// eslint-disable-next-line no-control-regex
const ESCAPE_OR_CONTROL = /[\\\u0000-\u001f]/;
/** From this length a string's characters are checked by native scans (json-string-check.ts), not by ESCAPE_OR_CONTROL. */
const LONG_STRING = 64;
const IDENTIFIER_PART = /[\p{L}\p{N}_$]/u;
const ENDS_TOKEN = new Set([',', '}', ']', ' ', '\t', '\n', '\r']);

/** How the parser makes a number's value; parseJsonTextWithNumbers's callers see their own type, not JsonValue. */
type NumberOf = (text: string, integral: boolean) => JsonValue;
const jsonNumberOf: NumberOf = (text, integral) => new JsonNumber(text, integral);

class Parser {
  private pos = 0;
  private depth = 0;
  private rootMembers: Map<string, string> | null = null;
  private nextBackslash = -1;

  constructor(
    private readonly text: string,
    private readonly captureRootMembers = true,
    private readonly numberOf: NumberOf = jsonNumberOf,
    /** The text holds no `\` and no control character: a string ends at the next `"`, unchecked. */
    private readonly plain = false,
  ) {}

  parseDocument(): ParsedJson {
    this.skipWhitespace();
    if (this.pos >= this.text.length) return { value: undefined, rootMemberText: null };
    const first = this.text[this.pos];
    if (this.captureRootMembers && first === '{') this.rootMembers = new Map();
    const value = this.parseValue();
    const isNumber = first === '-' || (first >= '0' && first <= '9');
    if (isNumber && this.pos < this.text.length && !WS.has(this.text[this.pos])) {
      this.fail(`Unexpected character (${this.describe(this.pos)}): Expected space separating root-level values`);
    }
    return { value, rootMemberText: this.rootMembers };
  }

  /** A root member's value (one level deep), then the root's `}`: see parseMemberValueThenClose. */
  parseMemberValueThenClose(): JsonValue | typeof NOT_CLOSED {
    this.depth = 1;
    const value = this.parseValue();
    this.skipWhitespace();
    return this.text.charCodeAt(this.pos) === 0x7d ? value : NOT_CLOSED;
  }

  /** The root object with `name`'s value deferred; null when the root is not an object. */
  parseRootDeferring(name: string): ParsedDeferringMember | null {
    this.skipWhitespace();
    if (this.text[this.pos] !== '{') return null;
    this.enter();
    this.pos++;
    const result: JsonObject = new Map();
    let deferredText: string | undefined;
    this.skipWhitespace();
    if (this.text[this.pos] === '}') return { value: result, deferredText };
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.expected('double-quote to start field name', 'Object');
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.expected('a colon to separate field name and value', 'Object');
      this.pos++;
      this.skipWhitespace();
      if (key === name) {
        const start = this.pos;
        this.skipValue();
        deferredText = this.text.slice(start, this.pos);
        result.set(key, null);
      } else {
        result.set(key, this.parseValue());
      }
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === '}') break;
      if (c !== ',') {
        this.pos--;
        this.expected('comma to separate Object entries', 'Object');
      }
    }
    return { value: result, deferredText };
  }

  /** Checks a value as parseValue would, without building it. */
  private skipValue(): void {
    this.skipWhitespace();
    const c = this.text[this.pos];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      this.enter();
      this.pos++;
      this.skipWhitespace();
      if (this.text[this.pos] === close) {
        this.pos++;
        this.depth--;
        return;
      }
      for (;;) {
        if (close === '}') {
          this.skipWhitespace();
          if (this.text[this.pos] !== '"') this.expected('double-quote to start field name', 'Object');
          this.skipString();
          this.skipWhitespace();
          if (this.text[this.pos] !== ':') this.expected('a colon to separate field name and value', 'Object');
          this.pos++;
        }
        this.skipValue();
        this.skipWhitespace();
        const next = this.text[this.pos++];
        if (next === close) break;
        if (next !== ',') {
          this.pos--;
          this.fail('unexpected character in a deferred value');
        }
      }
      this.depth--;
    } else if (c === '"') {
      this.skipString();
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      this.scanNumber();
    } else {
      this.parseValue();
    }
  }

  private skipString(): void {
    const text = this.text;
    const open = this.pos;
    let i = open + 1;
    for (;;) {
      if (i >= text.length) this.fail('unterminated string in a deferred value');
      const code = text.charCodeAt(i);
      if (code === 0x22) {
        this.pos = i + 1;
        return;
      }
      if (code === 0x5c) {
        this.pos = open;
        this.parseString();
        return;
      }
      if (code < 0x20) this.fail('control character in a deferred value');
      i++;
    }
  }

  private parseValue(): JsonValue {
    this.skipWhitespace();
    const c = this.text[this.pos];
    if (c === '{') return this.parseObject();
    if (c === '[') return this.parseArray();
    if (c === '"') return this.parseString();
    if (c === '-' || (c >= '0' && c <= '9')) return this.parseNumber();
    if (c === 't') return this.parseLiteral('true', true);
    if (c === 'f') return this.parseLiteral('false', false);
    if (c === 'n') return this.parseLiteral('null', null);
    if (c === undefined) this.fail('Unexpected end-of-input: expected a value');
    return this.fail(
      `Unexpected character (${this.describe(this.pos)}): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`,
    );
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`Document nesting depth (${this.depth}) exceeds the maximum allowed (${MAX_DEPTH})`);
  }

  private parseObject(): JsonObject {
    this.enter();
    const captureMembers = this.depth === 1 ? this.rootMembers : null;
    this.pos++;
    const result: JsonObject = new Map();
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      this.depth--;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.expected('double-quote to start field name', 'Object');
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.expected('a colon to separate field name and value', 'Object');
      this.pos++;
      this.skipWhitespace();
      const start = this.pos;
      result.set(key, this.parseValue());
      captureMembers?.set(key, this.text.slice(start, this.pos));
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === '}') break;
      if (c !== ',') {
        this.pos--;
        this.expected('comma to separate Object entries', 'Object');
      }
    }
    this.depth--;
    return result;
  }

  private parseArray(): JsonValue[] {
    this.enter();
    this.pos++;
    const result: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      this.depth--;
      return result;
    }
    for (;;) {
      result.push(this.parseValue());
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === ']') break;
      if (c !== ',') {
        this.pos--;
        this.expected('comma to separate Array entries', 'Array');
      }
    }
    this.depth--;
    return result;
  }

  /**
   * The common string, without escapes or control characters, is the text up to the next `"`:
   * found and checked by native scans instead of a loop per character. Anything else (and every
   * error) goes through parseEscapedString, which reads one character at a time.
   */
  private parseString(): string {
    const text = this.text;
    const start = this.pos + 1;
    const end = text.indexOf('"', start);
    if (end >= 0) {
      if (this.plain) {
        this.pos = end + 1;
        return text.slice(start, end);
      }
      if (end - start < LONG_STRING) {
        const value = text.slice(start, end);
        if (!ESCAPE_OR_CONTROL.test(value)) {
          this.pos = end + 1;
          return value;
        }
      } else if (this.backslashFrom(start) > end) {
        const value = stringTokenValue(text.slice(start - 1, end + 1));
        if (value !== undefined) {
          this.pos = end + 1;
          return value;
        }
      }
    }
    return this.parseEscapedString();
  }

  /** The position of the first `\` at or after `from` (text.length when none), found once per backslash. */
  private backslashFrom(from: number): number {
    if (this.nextBackslash < from) {
      const at = this.text.indexOf('\\', from);
      this.nextBackslash = at < 0 ? this.text.length : at;
    }
    return this.nextBackslash;
  }

  private parseEscapedString(): string {
    const text = this.text;
    let i = ++this.pos;
    let out = '';
    let runStart = i;
    for (;;) {
      if (i >= text.length) this.fail('Unexpected end-of-input: was expecting closing quote for a string value');
      const code = text.charCodeAt(i);
      if (code === 0x22) {
        out += text.slice(runStart, i);
        this.pos = i + 1;
        return out;
      }
      if (code === 0x5c) {
        out += text.slice(runStart, i);
        const e = text[i + 1];
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            this.pos = i;
            this.fail('Unexpected character in \\u escape: expected a hex-digit for character escape sequence');
          }
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else if (e !== undefined && ESCAPED[e] !== undefined) {
          out += ESCAPED[e];
          i += 2;
        } else {
          this.pos = i + 1;
          this.fail(e === undefined ? 'Unexpected end-of-input in character escape sequence' : `Unrecognized character escape (${this.describe(i + 1)})`);
        }
        runStart = i;
        continue;
      }
      if (code < 0x20) {
        this.pos = i;
        this.fail(`Illegal unquoted character (CTRL-CHAR, code ${code}): has to be escaped using backslash to be included in string value`);
      }
      i++;
    }
  }

  private parseNumber(): JsonValue {
    const start = this.pos;
    const integral = this.scanNumber();
    return this.numberOf(this.text.slice(start, this.pos), integral);
  }

  /** Moves past a number; whether it is integral. */
  private scanNumber(): boolean {
    const text = this.text;
    const start = this.pos;
    let i = start;
    if (text[i] === '-') i++;
    const intStart = i;
    while (text[i] >= '0' && text[i] <= '9') i++;
    if (i === intStart) {
      this.pos = i;
      this.fail(`Unexpected character (${this.describe(i)}) in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value`);
    }
    let integral = true;
    if (text[i] === '.') {
      integral = false;
      const fracStart = ++i;
      while (text[i] >= '0' && text[i] <= '9') i++;
      if (i === fracStart) {
        this.pos = i;
        this.fail(`Unexpected character (${this.describe(i)}) in numeric value: Decimal point not followed by a digit`);
      }
    }
    if (text[i] === 'e' || text[i] === 'E') {
      integral = false;
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      const expStart = i;
      while (text[i] >= '0' && text[i] <= '9') i++;
      if (i === expStart) {
        this.pos = i;
        this.fail(`Unexpected character (${this.describe(i)}) in numeric value: Exponent indicator not followed by a digit`);
      }
    }
    if (i - start > MAX_NUMBER_LENGTH) {
      this.fail(`Number value length (${i - start}) exceeds the maximum allowed (${MAX_NUMBER_LENGTH})`);
    }
    this.pos = i;
    return integral;
  }

  private parseLiteral<T>(word: string, value: T): T {
    const end = this.pos + word.length;
    const next = this.text[end];
    if (this.text.startsWith(word, this.pos) && (next === undefined || ENDS_TOKEN.has(next) || !IDENTIFIER_PART.test(next))) {
      this.pos = end;
      return value;
    }
    const token = /^[\p{L}\p{N}_$]+/u.exec(this.text.slice(this.pos, this.pos + 256))?.[0] ?? this.text[this.pos];
    return this.fail(`Unrecognized token '${token}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`);
  }

  private skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    while (pos < text.length && isWhitespace(text.charCodeAt(pos))) pos++;
    this.pos = pos;
  }

  private expected(what: string, container: string): never {
    if (this.pos >= this.text.length) this.fail(`Unexpected end-of-input: expected close marker for ${container}`);
    return this.fail(`Unexpected character (${this.describe(this.pos)}): was expecting ${what}`);
  }

  private describe(at: number): string {
    const c = this.text[at];
    if (c === undefined) return 'end-of-input';
    const code = this.text.codePointAt(at) ?? 0;
    return code < 0x20 ? `CTRL-CHAR, code ${code}` : `'${String.fromCodePoint(code)}' (code ${code})`;
  }

  private fail(message: string): never {
    const before = this.text.slice(0, this.pos);
    const line = before.split('\n').length;
    const column = this.pos - before.lastIndexOf('\n');
    throw new JsonSyntaxError(`${message} at line ${line}, column ${column}`);
  }
}
