/**
 * The parser behind Values.parseString (Kafka's Values.ValueParser), which SimpleHeaderConverter
 * uses to turn header strings back into typed values. It reproduces Kafka's observable results,
 * including its quirks, so headers read the same as on a Java worker:
 *
 * - Tokens are split at unescaped `: , { } [ ] "`; a backslash escapes the next character and
 *   stays in the text. Blank tokens are skipped where a delimiter is expected.
 * - `true`, `false`, `null` are literals only when they are the whole string or embedded in an
 *   array or map; numbers take the smallest integer type that fits (INT8 → INT64), non-integers
 *   become FLOAT32 (FLOAT64 only when a float would overflow), and integers beyond INT64 become a
 *   Decimal with scale 0. ISO-8601 `yyyy-MM-dd`, `HH:mm:ss.SSSZ` and
 *   `yyyy-MM-ddTHH:mm:ss.SSSZ` (UTC, lenient like SimpleDateFormat) become Date/Time/Timestamp.
 * - `[...]` and `{...}` become ARRAY and MAP whose element schema is the common numeric widening
 *   of the elements; when none exists the element schema is null. Anything that fails to parse
 *   as a whole (including an array with a null among typed elements) is kept as the original
 *   STRING.
 */
import { DataError } from '../errors.js';
import { Decimal } from './decimal.js';
import { DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME } from './logical-names.js';
import { LogicalDate, LogicalDecimal, LogicalTime, LogicalTimestamp } from './logical-types.js';
import { Schema } from './schema.js';
import { SchemaAndValue } from './schema-and-value.js';
import { SchemaBuilder } from './schema-builder.js';
import type { SchemaType } from './schema-type.js';
import { Struct } from './struct.js';
import { normalizeInt64 } from './validate-value.js';

const DELIMITERS = new Set([':', ',', '{', '}', '[', ']', '"']);
const TIME_LENGTH = 13;
const TIMESTAMP_LENGTH = 24;
const DATE_LENGTH = 10;
const DATE_PATTERN = /^(\d+)-(\d+)-(\d+)/;
const TIME_PATTERN = /^(\d+):(\d+):(\d+)\.(\d+)Z/;
const TIMESTAMP_PATTERN = /^(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)\.(\d+)Z/;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** Java's String.trim: strips every char <= U+0020 from both ends. */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

function isBlank(s: string | null): boolean {
  return s === null || javaTrim(s) === '';
}

class Tokenizer {
  private index = 0;
  private peeked: string | null = null;
  private previousToken: string | null = null;

  constructor(readonly original: string) {}

  position(): number {
    return this.index;
  }

  mark(): number {
    return this.index - (this.peeked?.length ?? 0);
  }

  rewindTo(position: number): void {
    this.index = position;
    this.peeked = null;
    this.previousToken = null;
  }

  hasNext(): boolean {
    return this.peeked !== null || this.index < this.original.length;
  }

  previous(): string | null {
    return this.previousToken;
  }

  next(): string {
    if (this.peeked !== null) {
      this.previousToken = this.peeked;
      this.peeked = null;
    } else {
      this.previousToken = this.consume();
    }
    return this.previousToken;
  }

  /** The text of the next `n` tokens, or null (and no progress) when fewer remain. */
  nextTokens(n: number): string | null {
    const start = this.mark();
    for (let i = 0; i < n; i++) {
      if (!this.hasNext()) {
        this.rewindTo(start);
        return null;
      }
      this.next();
    }
    return this.original.slice(start, this.position());
  }

  canConsume(expected: string): boolean {
    if (this.isNext(expected)) {
      this.peeked = null;
      return true;
    }
    return false;
  }

  private isNext(expected: string): boolean {
    if (this.peeked === null) {
      if (!this.hasNext()) return false;
      this.peeked = this.consume();
    }
    while (isBlank(this.peeked) && this.index < this.original.length) this.peeked = this.consume();
    return javaTrim(this.peeked) === expected;
  }

  private consume(): string {
    const s = this.original;
    const start = this.index;
    let escaped = false;
    while (this.index < s.length) {
      const c = s[this.index];
      if (c === '\\') {
        escaped = !escaped;
      } else if (DELIMITERS.has(c)) {
        if (!escaped) {
          if (start < this.index) return s.slice(start, this.index);
          this.index++;
          return s.slice(start, start + 1);
        }
        escaped = false;
      } else {
        escaped = false;
      }
      this.index++;
    }
    return s.slice(start, this.index);
  }
}

/** Parses a non-empty string; null stands for the literal `null`. */
export function parseValueString(text: string): SchemaAndValue | null {
  return new ValueParser(new Tokenizer(text)).parse(false);
}

class ValueParser {
  constructor(private readonly tokens: Tokenizer) {}

  parse(embedded: boolean): SchemaAndValue | null {
    const t = this.tokens;
    if (!t.hasNext()) return null;
    if (embedded && t.canConsume('"')) return this.parseQuotedString();
    if (this.canParseLiteral(embedded, 'null')) return null;
    if (this.canParseLiteral(embedded, 'true')) return new SchemaAndValue(Schema.BOOLEAN_SCHEMA, true);
    if (this.canParseLiteral(embedded, 'false')) return new SchemaAndValue(Schema.BOOLEAN_SCHEMA, false);

    const start = t.mark();
    try {
      if (t.canConsume('[')) return this.parseArray();
      if (t.canConsume('{')) return this.parseMap();
    } catch (err) {
      if (!(err instanceof DataError)) throw err;
      t.rewindTo(start);
    }
    const token = t.next();
    if (isBlank(token)) return new SchemaAndValue(Schema.STRING_SCHEMA, token);
    return this.parseNextToken(embedded, javaTrim(token));
  }

  private canParseLiteral(embedded: boolean, literal: string): boolean {
    const start = this.tokens.mark();
    if (this.tokens.canConsume(literal) && (embedded || !this.tokens.hasNext())) return true;
    this.tokens.rewindTo(start);
    return false;
  }

  private parseNextToken(embedded: boolean, token: string): SchemaAndValue {
    const first = token[0];
    const startsWithDigit = first >= '0' && first <= '9';
    if (startsWithDigit) {
      const temporal = this.parseMultipleTokensAsTemporal(token);
      if (temporal) return temporal;
    }
    if (startsWithDigit || first === '+' || first === '-') {
      const number = parseAsNumber(token);
      if (number) return number;
    }
    if (embedded) throw new DataError('Failed to parse embedded value');
    return new SchemaAndValue(Schema.STRING_SCHEMA, this.tokens.original);
  }

  private parseMultipleTokensAsTemporal(token: string): SchemaAndValue | null {
    const position = this.tokens.mark();
    const remainder = this.tokens.nextTokens(4);
    if (remainder !== null) {
      const temporal = parseAsTemporal(token + remainder);
      if (temporal) return temporal;
    }
    this.tokens.rewindTo(position);
    return parseAsTemporal(token);
  }

  private parseQuotedString(): SchemaAndValue {
    let content = '';
    while (this.tokens.hasNext()) {
      if (this.tokens.canConsume('"')) break;
      content += this.tokens.next();
    }
    return parseAsTemporal(content) ?? new SchemaAndValue(Schema.STRING_SCHEMA, content);
  }

  private parseArray(): SchemaAndValue {
    const t = this.tokens;
    let result: unknown[] = [];
    const elements = new SchemaMerger();
    while (t.hasNext()) {
      if (t.canConsume(']')) {
        const common = elements.schema();
        if (common === null) return new SchemaAndValue(SchemaBuilder.untypedContainer('ARRAY', null, null).build(), result);
        const schema = SchemaBuilder.array(common).build();
        result = result.map((v) => convertTo(common, v));
        return new SchemaAndValue(schema, result);
      }
      if (t.canConsume(',')) throw new DataError(`Unable to parse an empty array element: ${t.original}`);
      const element = this.parse(true);
      elements.merge(element);
      result.push(element?.value ?? null);
      const position = t.mark();
      if (t.canConsume(']')) t.rewindTo(position);
      else if (!t.canConsume(',')) throw new DataError("Array elements missing ',' delimiter");
    }
    if (t.previous() === ',') throw new DataError(`Array is missing element after ',': ${t.original}`);
    throw new DataError(`Array is missing terminating ']': ${t.original}`);
  }

  private parseMap(): SchemaAndValue {
    const t = this.tokens;
    let result = new Map<unknown, unknown>();
    const keys = new SchemaMerger();
    const values = new SchemaMerger();
    while (t.hasNext()) {
      if (t.canConsume('}')) {
        const keySchema = keys.schema();
        const valueSchema = values.schema();
        if (keySchema !== null && valueSchema !== null) {
          result = new Map([...result].map(([k, v]) => [convertTo(keySchema, k), convertTo(valueSchema, v)]));
          return new SchemaAndValue(SchemaBuilder.map(keySchema, valueSchema).build(), result);
        }
        if (keySchema !== null) {
          result = new Map([...result].map(([k, v]) => [convertTo(keySchema, k), v]));
          return new SchemaAndValue(SchemaBuilder.untypedContainer('MAP', keySchema, null).build(), result);
        }
        return new SchemaAndValue(SchemaBuilder.untypedContainer('MAP', null, null).build(), result);
      }
      if (t.canConsume(',')) throw new DataError(`Unable to parse a map entry with no key or value: ${t.original}`);
      const key = this.parse(true);
      if (key === null || key.value === null) throw new DataError(`Map entry may not have a null key: ${t.original}`);
      if (!t.canConsume(':')) throw new DataError(`Map entry is missing ':' at ${t.position()} in ${t.original}`);
      const value = this.parse(true);
      result.set(key.value, value?.value ?? null);
      t.canConsume(',');
      keys.merge(key);
      values.merge(value);
    }
    if (t.previous() === ',') throw new DataError(`Map is missing element after ',': ${t.original}`);
    throw new DataError(`Map is missing terminating '}': ${t.original}`);
  }
}

function parseAsNumber(token: string): SchemaAndValue | null {
  let decimal: Decimal;
  try {
    decimal = Decimal.parse(token);
  } catch {
    return null;
  }
  const exact = parseAsExactInteger(decimal);
  if (exact) return exact;
  const asDouble = decimal.toNumber();
  const asFloat = Math.fround(asDouble);
  if (Number.isFinite(asFloat) && decimal.scale !== 0) return new SchemaAndValue(Schema.FLOAT32_SCHEMA, asFloat);
  if (Number.isFinite(asDouble) && decimal.scale !== 0) return new SchemaAndValue(Schema.FLOAT64_SCHEMA, asDouble);
  return new SchemaAndValue(LogicalDecimal.schema(decimal.scale), decimal);
}

function parseAsExactInteger(decimal: Decimal): SchemaAndValue | null {
  if (!decimal.isInteger() || decimal.integerDigits > 19) return null;
  const integral = decimal.toBigInt();
  if (integral < LONG_MIN || integral > LONG_MAX) return null;
  const n = Number(integral);
  if (n >= -128 && n <= 127) return new SchemaAndValue(Schema.INT8_SCHEMA, n);
  if (n >= -32768 && n <= 32767) return new SchemaAndValue(Schema.INT16_SCHEMA, n);
  if (n >= -2147483648 && n <= 2147483647) return new SchemaAndValue(Schema.INT32_SCHEMA, n);
  return new SchemaAndValue(Schema.INT64_SCHEMA, normalizeInt64(integral));
}

function parseAsTemporal(text: string): SchemaAndValue | null {
  const token = text.replaceAll('\\:', ':');
  if (token.length === TIME_LENGTH) return temporal(TIME_PATTERN.exec(token), LogicalTime.SCHEMA, (m) => utc(1970, 1, 1, m[1], m[2], m[3], m[4]));
  if (token.length === TIMESTAMP_LENGTH) {
    return temporal(TIMESTAMP_PATTERN.exec(token), LogicalTimestamp.SCHEMA, (m) => utc(m[1], m[2], m[3], m[4], m[5], m[6], m[7]));
  }
  if (token.length === DATE_LENGTH) return temporal(DATE_PATTERN.exec(token), LogicalDate.SCHEMA, (m) => utc(m[1], m[2], m[3], 0, 0, 0, 0));
  return null;
}

function temporal(match: RegExpExecArray | null, schema: Schema, toDate: (m: RegExpExecArray) => Date): SchemaAndValue | null {
  if (!match) return null;
  const date = toDate(match);
  return Number.isNaN(date.getTime()) ? null : new SchemaAndValue(schema, date);
}

/** Lenient like SimpleDateFormat: out-of-range fields roll over into the next larger one. */
function utc(...parts: (string | number)[]): Date {
  const [y, mo, d, h, mi, s, ms] = parts.map(Number);
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return date;
}

/** Kafka's SchemaMerger: the common schema of the values seen so far, null when none exists. */
class SchemaMerger {
  private common: Schema | null = null;
  private compatible = true;

  merge(latest: SchemaAndValue | null): void {
    if (latest === null || latest.schema === null || !this.compatible) return;
    if (this.common === null) {
      this.common = latest.schema;
      return;
    }
    this.common = mergeSchemas(this.common, latest.schema);
    this.compatible = this.common !== null;
  }

  schema(): Schema | null {
    return this.common;
  }
}

const NUMERIC_RANK: Partial<Record<SchemaType, number>> = { INT8: 0, INT16: 1, INT32: 2, INT64: 3, FLOAT32: 4, FLOAT64: 5 };

function mergeSchemas(previous: Schema, next: Schema): Schema | null {
  if (previous.type !== next.type) {
    const a = NUMERIC_RANK[previous.type];
    const b = NUMERIC_RANK[next.type];
    if (a === undefined || b === undefined) return null;
    return b > a ? next : previous;
  }
  if (previous.optional === next.optional) return previous.optional ? previous : next;
  return previous.equals(next) ? previous : null;
}

/** Kafka's Values.convertTo for the values the parser produces, used to align elements to a common schema. */
function convertTo(schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) {
    if (schema.optional) return null;
    throw new DataError('Unable to convert a null value to a schema that requires a value');
  }
  switch (schema.type) {
    case 'BYTES':
      if (schema.name === DECIMAL_LOGICAL_NAME) return toDecimal(schema, value);
      if (value instanceof Uint8Array) return value;
      break;
    case 'STRING':
      if (typeof value === 'string') return value;
      break;
    case 'BOOLEAN':
      return typeof value === 'boolean' ? value : asLong(value) !== 0n;
    case 'INT8':
      return Number(BigInt.asIntN(8, asLong(value)));
    case 'INT16':
      return Number(BigInt.asIntN(16, asLong(value)));
    case 'INT32':
      if ((schema.name === DATE_LOGICAL_NAME || schema.name === TIME_LOGICAL_NAME) && value instanceof Date) return value;
      if (schema.name === DATE_LOGICAL_NAME) return LogicalDate.toLogical(schema, Number(BigInt.asIntN(32, asLong(value))));
      if (schema.name === TIME_LOGICAL_NAME) return LogicalTime.toLogical(schema, Number(BigInt.asIntN(32, asLong(value))));
      return Number(BigInt.asIntN(32, asLong(value)));
    case 'INT64': {
      if (schema.name === TIMESTAMP_LOGICAL_NAME) return value instanceof Date ? value : LogicalTimestamp.toLogical(schema, asLong(value));
      return normalizeInt64(asLong(value));
    }
    case 'FLOAT32':
      return Math.fround(asDouble(value));
    case 'FLOAT64':
      return asDouble(value);
    case 'ARRAY':
      if (Array.isArray(value)) return value;
      break;
    case 'MAP':
      if (value instanceof Map) return value;
      break;
    case 'STRUCT':
      if (value instanceof Struct) return value;
      break;
  }
  throw new DataError(`Unable to convert ${String(value)} to ${schema.toString()}`);
}

function toDecimal(schema: Schema, value: unknown): Decimal {
  if (value instanceof Decimal) return value;
  if (value instanceof Uint8Array) return LogicalDecimal.toLogical(schema, value);
  if (typeof value === 'number') return Decimal.fromNumber(value);
  if (typeof value === 'bigint') return new Decimal(value, 0);
  throw new DataError(`Unable to convert ${String(value)} to ${schema.toString()}`);
}

/** Java's Number.longValue: truncation toward zero, doubles saturate, wider integers wrap. */
function asLong(value: unknown): bigint {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 0n;
    if (value >= 2 ** 63) return LONG_MAX;
    if (value <= -(2 ** 63)) return LONG_MIN;
    return BigInt(Math.trunc(value));
  }
  if (typeof value === 'bigint') return BigInt.asIntN(64, value);
  if (value instanceof Decimal) return BigInt.asIntN(64, value.toBigInt());
  throw new DataError(`Unable to convert ${String(value)} to a number`);
}

function asDouble(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Decimal) return value.toNumber();
  return Number(asLong(value));
}
