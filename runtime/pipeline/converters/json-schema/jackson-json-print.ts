/**
 * Compact JSON text of a JsonValue tree (objects as Maps, numbers as JsonNumber with their exact
 * text), as Jackson's ObjectMapper writes it: no spaces, keys in Map order, strings escaped as
 * Jackson escapes them.
 */
import { JsonNumber, quoteJsonString, type JsonValue } from '../json-text.js';

export function printJson(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return quoteJsonString(value);
  if (value instanceof JsonNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(printJson).join(',')}]`;
  const members: string[] = [];
  for (const [k, v] of value) members.push(`${quoteJsonString(k)}:${printJson(v)}`);
  return `{${members.join(',')}}`;
}

/** An integral JsonNumber. */
export function integer(value: number | bigint): JsonNumber {
  return new JsonNumber(String(value), true);
}
