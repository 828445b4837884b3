/**
 * How the file sink turns a record value into one line (without its newline).
 *
 * `lines` is Kafka's FileStreamSink (`String.valueOf(value)`): strings as they are, null as
 * "null", bytes written raw, and everything else in Java's toString form via displayString
 * (`Struct{a=1}`, `{k=v}`, `[a, b]`); plain JS objects print like Maps.
 *
 * `json` writes one compact JSON document: strings quoted, bytes as base64 strings, Decimals as
 * JSON numbers, Dates as ISO-8601 strings, Structs as objects of their fields in schema order,
 * Maps with string keys as objects and other Maps as `[key, value]` pair arrays (as Kafka's
 * JsonConverter does), non-finite numbers as the strings "NaN", "Infinity", "-Infinity".
 */
import { Decimal } from '../sdk/data/decimal.js';
import { displayString } from '../sdk/data/display-string.js';
import type { Schema } from '../sdk/data/schema.js';
import { Struct } from '../sdk/data/struct.js';

export type LineFormat = 'lines' | 'json';

export function renderLine(value: unknown, schema: Schema | null, format: LineFormat): string | Uint8Array {
  if (format === 'json') return jsonText(value);
  if (typeof value === 'string' || value instanceof Uint8Array) return value;
  return displayString(asJavaValue(value), schema);
}

function asJavaValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asJavaValue);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, asJavaValue(v)]));
  if (isPlainObject(value)) return new Map(Object.entries(value).map(([k, v]) => [k, asJavaValue(v)]));
  return value;
}

function jsonText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : `"${String(value)}"`;
    case 'bigint':
    case 'boolean':
      return String(value);
    default:
      break;
  }
  if (value instanceof Uint8Array) return `"${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}"`;
  if (value instanceof Decimal) return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'null' : `"${value.toISOString()}"`;
  if (value instanceof Struct) {
    return `{${value.schema.fields.map((f) => `${JSON.stringify(f.name)}:${jsonText(value.get(f))}`).join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value instanceof Map) {
    const entries = [...value];
    if (entries.every(([k]) => typeof k === 'string')) return jsonObject(entries as [string, unknown][]);
    return `[${entries.map(([k, v]) => `[${jsonText(k)},${jsonText(v)}]`).join(',')}]`;
  }
  if (isPlainObject(value)) return jsonObject(Object.entries(value));
  return JSON.stringify(String(value));
}

function jsonObject(entries: readonly (readonly [string, unknown])[]): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
