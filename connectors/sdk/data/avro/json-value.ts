/**
 * JSON as Java Avro and Jackson hold it inside a schema: objects keep their key order (a JS object
 * would move integer-like keys first), and numbers keep the text they are printed with, so an
 * Avro `double` default prints as Java does (`1.0`, `1.0E7`) and a `long` beyond 2^53 survives.
 *
 * `printJson` writes compact JSON the way Jackson does: no spaces, `"` and `\` escaped, control
 * characters as `\b \t \n \f \r` or `\u00XX` (upper-case hex), everything else (non-ASCII included)
 * as is. `parseJson` reads standard JSON text into this model; it throws a DataError naming the
 * position of the first syntax error.
 */
import { DataError } from '../../errors.js';
import { formatDouble, formatFloat } from '../java-number-format.js';

/** A JSON number with the exact text it is printed with. */
export class JsonNumber {
  constructor(readonly text: string) {
    Object.freeze(this);
  }

  /** The value as a JS number (precision beyond 2^53 is lost; use `toBigInt` for integers). */
  toNumber(): number {
    return Number(this.text);
  }

  isInteger(): boolean {
    return /^-?\d+$/.test(this.text);
  }

  toBigInt(): bigint {
    return BigInt(this.text);
  }
}

export type JsonObject = Map<string, JsonValue>;
export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;

/** An int or long as Jackson's IntNode / LongNode print it. */
export function jsonInteger(value: number | bigint): JsonNumber {
  return new JsonNumber(typeof value === 'bigint' ? value.toString() : String(Math.trunc(value)));
}

/** A Java double (Jackson's DoubleNode): `1.0`, `1.0E7`. */
export function jsonDouble(value: number): JsonNumber {
  return new JsonNumber(formatDouble(value));
}

/** A Java float (Jackson's FloatNode). */
export function jsonFloat(value: number): JsonNumber {
  return new JsonNumber(formatFloat(value));
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return value instanceof Map;
}

const SHORT_ESCAPES: Readonly<Record<number, string>> = { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r', 0x22: '\\"', 0x5c: '\\\\' };
function needsEscape(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) return true;
  }
  return false;
}

/** A JSON string literal, escaped as Jackson escapes it. */
export function jsonString(text: string): string {
  if (!needsEscape(text)) return `"${text}"`;
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const short = SHORT_ESCAPES[c];
    if (short !== undefined) out += short;
    else if (c < 0x20) out += `\\u00${c.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += text[i];
  }
  return `${out}"`;
}

/** Compact JSON text, Jackson style. */
export function printJson(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return jsonString(value);
  if (value instanceof JsonNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(printJson).join(',')}]`;
  const members: string[] = [];
  for (const [k, v] of value) members.push(`${jsonString(k)}:${printJson(v)}`);
  return `{${members.join(',')}}`;
}

/** Reads JSON text, keeping object key order and number text. */
export function parseJson(text: string): JsonValue {
  const reader = new JsonReader(text);
  const value = reader.value();
  reader.end();
  return value;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class JsonReader {
  private at = 0;

  constructor(private readonly text: string) {}

  value(): JsonValue {
    this.skipSpace();
    const c = this.text[this.at];
    switch (c) {
      case '{':
        return this.object();
      case '[':
        return this.array();
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        return this.number();
    }
  }

  end(): void {
    this.skipSpace();
    if (this.at < this.text.length) this.fail('unexpected text after the JSON value');
  }

  private object(): JsonObject {
    const members: JsonObject = new Map();
    this.at++;
    this.skipSpace();
    if (this.text[this.at] === '}') {
      this.at++;
      return members;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] !== '"') this.fail('expected a member name');
      const key = this.string();
      this.skipSpace();
      if (this.text[this.at++] !== ':') this.fail("expected ':'");
      members.set(key, this.value());
      this.skipSpace();
      const next = this.text[this.at++];
      if (next === '}') return members;
      if (next !== ',') this.fail("expected ',' or '}'");
    }
  }

  private array(): JsonValue[] {
    const items: JsonValue[] = [];
    this.at++;
    this.skipSpace();
    if (this.text[this.at] === ']') {
      this.at++;
      return items;
    }
    for (;;) {
      items.push(this.value());
      this.skipSpace();
      const next = this.text[this.at++];
      if (next === ']') return items;
      if (next !== ',') this.fail("expected ',' or ']'");
    }
  }

  private string(): string {
    let end = this.at + 1;
    let escaped = false;
    for (; end < this.text.length; end++) {
      const c = this.text.charCodeAt(end);
      if (c === 0x5c) {
        escaped = true;
        end++;
      } else if (c === 0x22) {
        break;
      }
    }
    if (end >= this.text.length) this.fail('unterminated string');
    const raw = this.text.slice(this.at, end + 1);
    this.at = end + 1;
    if (!escaped) return raw.slice(1, -1);
    try {
      return JSON.parse(raw) as string;
    } catch {
      return this.fail('invalid string escape');
    }
  }

  private literal<T extends JsonValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.at)) this.fail('unexpected token');
    this.at += word.length;
    return value;
  }

  private number(): JsonNumber {
    NUMBER.lastIndex = this.at;
    const m = NUMBER.exec(this.text);
    if (m === null) return this.fail('unexpected token');
    this.at += m[0].length;
    return new JsonNumber(m[0]);
  }

  private skipSpace(): void {
    while (this.at < this.text.length && ' \t\r\n'.includes(this.text[this.at]!)) this.at++;
  }

  private fail(what: string): never {
    throw new DataError(`Invalid JSON at position ${this.at}: ${what}`);
  }
}
