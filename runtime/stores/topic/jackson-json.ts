/**
 * JSON exactly as Kafka Connect's internal JsonConverter (schemas disabled) writes it through
 * Jackson: compact, object members in insertion order, `\b \t \n \f \r` short escapes and other
 * control characters as `\u00XX` with upper-case hex, non-ASCII characters as raw UTF-8.
 * Integers are written as integer text; other numbers in Java's `Double.toString` form
 * (`1.5`, `1.0E21`, `1.0E-4`). Reading is plain JSON: integers come back as numbers, so
 * precision beyond 2^53 is lost.
 */

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [member: string]: JsonValue | undefined;
}

const LONG_LIMIT = 2 ** 63;
const HEX = '0123456789ABCDEF';
const SHORT_ESCAPES: Readonly<Record<number, string>> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r', 34: '\\"', 92: '\\\\' };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function encodeJson(value: JsonValue): Buffer {
  return Buffer.from(writeJson(value), 'utf8');
}

/** Parses UTF-8 JSON; `undefined` when the bytes are not a JSON document. */
export function decodeJson(bytes: Buffer): JsonValue | undefined {
  try {
    return JSON.parse(bytes.toString('utf8')) as JsonValue;
  } catch {
    return undefined;
  }
}

export function writeJson(value: JsonValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return writeNumber(value);
    case 'string':
      return writeString(value);
  }
  if (Array.isArray(value)) return `[${(value as readonly JsonValue[]).map(writeJson).join(',')}]`;
  const members: string[] = [];
  for (const [name, member] of Object.entries(value as JsonObject)) {
    if (member !== undefined) members.push(`${writeString(name)}:${writeJson(member)}`);
  }
  return `{${members.join(',')}}`;
}

function writeNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`JSON cannot represent ${n}`);
  if (Number.isInteger(n) && Math.abs(n) < LONG_LIMIT) return Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
  const magnitude = Math.abs(n);
  if (magnitude >= 1e-3 && magnitude < 1e7) return String(n);
  const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.startsWith('+') ? exponent.slice(1) : exponent}`;
}

function writeString(s: string): string {
  let out = '"';
  let copied = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code >= 0x20 && code !== 0x22 && code !== 0x5c) continue;
    out += s.slice(copied, i) + (SHORT_ESCAPES[code] ?? `\\u00${HEX[code >> 4]}${HEX[code & 15]}`);
    copied = i + 1;
  }
  return `${out}${s.slice(copied)}"`;
}
