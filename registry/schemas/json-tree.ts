/**
 * An ordered JSON tree read the way Jackson's `ObjectMapper.readTree` reads it, for schema texts whose
 * canonical form Confluent Schema Registry computes with Jackson.
 *
 * Invariants (why not `JSON.parse`):
 * - Object keys keep their textual order, integer-like keys included (JavaScript objects move those first).
 *   A key repeated in one object keeps its first position and takes the last value, as Jackson does.
 * - Numbers keep their kind: an integer literal stays integral at any size (Jackson's int/long/BigInteger
 *   nodes), a literal with a fraction or exponent is a double (Jackson's default), so printing can use
 *   Java's formatting (`1.0`, `1.0E7`).
 * - `//` and `/* *\/` comments are accepted when asked (Avro's parser enables Jackson's ALLOW_COMMENTS).
 */

export type JsonNode =
  | { readonly kind: 'null' }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'integer'; readonly value: bigint }
  /** A number written with a fraction or exponent; `text` is the literal as written (for BigDecimal printing). */
  | { readonly kind: 'double'; readonly value: number; readonly text?: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'array'; readonly items: readonly JsonNode[] }
  | { readonly kind: 'object'; readonly entries: ReadonlyMap<string, JsonNode> };

export type JsonObjectNode = Extract<JsonNode, { kind: 'object' }>;

/** Thrown for text that is not one JSON value; the message names the position. */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
}

export interface JsonReadOptions {
  /** Accept `//` and `/* *\/` comments between tokens. */
  readonly allowComments?: boolean;
}

/** Reads exactly one JSON value; anything but whitespace (and comments, if allowed) after it is an error. */
export function readJsonTree(text: string, options: JsonReadOptions = {}): JsonNode {
  const reader = new JsonTextReader(text, options.allowComments === true);
  reader.skipBlank();
  if (reader.atEnd()) throw new JsonSyntaxError('No content to map due to end-of-input');
  const value = reader.readValue(0);
  reader.skipBlank();
  if (!reader.atEnd()) {
    throw new JsonSyntaxError(`dangling content after end of schema: ${text.slice(reader.position).trim()}`);
  }
  return value;
}

const MAX_DEPTH = 1000;

class JsonTextReader {
  position = 0;

  constructor(
    private readonly text: string,
    private readonly allowComments: boolean,
  ) {}

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  skipBlank(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.position);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        this.position++;
      } else if (c === 0x2f /* / */ && this.allowComments) {
        const next = text[this.position + 1];
        if (next === '/') {
          const end = text.indexOf('\n', this.position);
          this.position = end < 0 ? text.length : end + 1;
        } else if (next === '*') {
          const end = text.indexOf('*/', this.position + 2);
          if (end < 0) this.fail('unterminated comment');
          this.position = end + 2;
        } else {
          return;
        }
      } else {
        return;
      }
    }
  }

  readValue(depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    const c = this.text[this.position];
    switch (c) {
      case '{':
        return this.readObject(depth);
      case '[':
        return this.readArray(depth);
      case '"':
        return { kind: 'string', value: this.readString() };
      case 't':
        this.expectWord('true');
        return { kind: 'boolean', value: true };
      case 'f':
        this.expectWord('false');
        return { kind: 'boolean', value: false };
      case 'n':
        this.expectWord('null');
        return { kind: 'null' };
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.readNumber();
        return this.fail(c === undefined ? 'unexpected end-of-input' : `unexpected character '${c}'`);
    }
  }

  private readObject(depth: number): JsonNode {
    this.position++;
    const entries = new Map<string, JsonNode>();
    this.skipBlank();
    if (this.text[this.position] === '}') {
      this.position++;
      return { kind: 'object', entries };
    }
    for (;;) {
      this.skipBlank();
      if (this.text[this.position] !== '"') this.fail('expected a double-quoted field name');
      const key = this.readString();
      this.skipBlank();
      if (this.text[this.position] !== ':') this.fail(`expected ':' after field name "${key}"`);
      this.position++;
      this.skipBlank();
      entries.set(key, this.readValue(depth + 1));
      this.skipBlank();
      const c = this.text[this.position++];
      if (c === '}') return { kind: 'object', entries };
      if (c !== ',') this.fail("expected ',' or '}' in an object", -1);
    }
  }

  private readArray(depth: number): JsonNode {
    this.position++;
    const items: JsonNode[] = [];
    this.skipBlank();
    if (this.text[this.position] === ']') {
      this.position++;
      return { kind: 'array', items };
    }
    for (;;) {
      this.skipBlank();
      items.push(this.readValue(depth + 1));
      this.skipBlank();
      const c = this.text[this.position++];
      if (c === ']') return { kind: 'array', items };
      if (c !== ',') this.fail("expected ',' or ']' in an array", -1);
    }
  }

  private readString(): string {
    const text = this.text;
    let out = '';
    let start = ++this.position;
    for (;;) {
      const c = text.charCodeAt(this.position);
      if (Number.isNaN(c)) this.fail('unterminated string');
      if (c === 0x22) {
        out += text.slice(start, this.position);
        this.position++;
        return out;
      }
      if (c < 0x20) this.fail('control character in a string must be escaped');
      if (c === 0x5c) {
        out += text.slice(start, this.position);
        out += this.readEscape();
        start = this.position;
      } else {
        this.position++;
      }
    }
  }

  private readEscape(): string {
    const c = this.text[this.position + 1];
    this.position += 2;
    switch (c) {
      case '"':
        return '"';
      case '\\':
        return '\\';
      case '/':
        return '/';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u': {
        const hex = this.text.slice(this.position, this.position + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape');
        this.position += 4;
        return String.fromCharCode(parseInt(hex, 16));
      }
      default:
        return this.fail(`invalid escape '\\${c ?? ''}'`, -2);
    }
  }

  private readNumber(): JsonNode {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.position));
    if (match === null) return this.fail('invalid number');
    this.position += match[0].length;
    if (match[2] === undefined && match[3] === undefined) return { kind: 'integer', value: BigInt(match[0]) };
    return { kind: 'double', value: Number(match[0]), text: match[0] };
  }

  private expectWord(word: string): void {
    if (this.text.startsWith(word, this.position)) {
      const after = this.text[this.position + word.length];
      if (after === undefined || !/[A-Za-z0-9_]/.test(after)) {
        this.position += word.length;
        return;
      }
    }
    this.fail('unrecognized token');
  }

  private fail(what: string, offset = 0): never {
    const at = this.position + offset;
    const line = this.text.slice(0, at).split('\n').length;
    const column = at - this.text.lastIndexOf('\n', at - 1);
    throw new JsonSyntaxError(`JSON syntax error: ${what} at line ${line}, column ${column}`);
  }
}

/** The text of a string node, or undefined for any other node, like Jackson's `JsonNode.textValue()`. */
export function textValue(node: JsonNode | undefined): string | undefined {
  return node?.kind === 'string' ? node.value : undefined;
}

/** Structural equality as Jackson's `JsonNode.equals` sees it (object key order does not matter). */
export function jsonEquals(a: JsonNode, b: JsonNode): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'null':
      return true;
    case 'boolean':
    case 'integer':
    case 'string':
      return a.value === (b as typeof a).value;
    case 'double':
      return Object.is(a.value, (b as typeof a).value) || a.value === (b as typeof a).value;
    case 'array': {
      const other = (b as typeof a).items;
      return a.items.length === other.length && a.items.every((item, i) => jsonEquals(item, other[i]!));
    }
    case 'object': {
      const other = (b as typeof a).entries;
      if (a.entries.size !== other.size) return false;
      for (const [key, value] of a.entries) {
        const otherValue = other.get(key);
        if (otherValue === undefined || !jsonEquals(value, otherValue)) return false;
      }
      return true;
    }
  }
}
