/**
 * A Connect value as Java's `String.valueOf` would print it, used by Struct.toString and by
 * StringConverter (which writes `value.toString()`): floats as Java prints them (`1.0`),
 * lists as `[a, b]`, maps as `{k=v, k2=v2}`, Dates as `Thu Jan 01 00:00:00 UTC 1970` (the
 * runtime's time zone is UTC). Java prints a byte array as an identity hash (`[B@1b6d3586`),
 * which carries no data; bytes are printed as base64 instead.
 */
import { Decimal } from './decimal.js';
import { formatDouble, formatFloat } from './java-number-format.js';
import type { Schema } from './schema.js';
import { Struct } from './struct.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function displayString(value: unknown, schema?: Schema | null): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return displayNumber(value, schema ?? null);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Decimal || value instanceof Struct) return value.toString();
  if (value instanceof Date) return javaDateString(value);
  if (Array.isArray(value)) return `[${value.map((v) => displayString(v, schema?.valueSchema)).join(', ')}]`;
  if (value instanceof Map) {
    const entries = [...value].map(([k, v]) => `${displayString(k, schema?.keySchema)}=${displayString(v, schema?.valueSchema)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}

function displayNumber(value: number, schema: Schema | null): string {
  if (schema?.type === 'FLOAT32') return formatFloat(value);
  if (schema?.type === 'FLOAT64') return formatDouble(value);
  if (Number.isSafeInteger(value)) return String(value);
  const isIntegerType = schema?.type === 'INT8' || schema?.type === 'INT16' || schema?.type === 'INT32' || schema?.type === 'INT64';
  return isIntegerType && Number.isInteger(value) ? BigInt(value).toString() : formatDouble(value);
}

/** Java's Date.toString in UTC: `EEE MMM dd HH:mm:ss zzz yyyy`. */
export function javaDateString(date: Date): string {
  if (Number.isNaN(date.getTime())) return 'Invalid Date';
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${two(date.getUTCDate())} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`
  );
}
