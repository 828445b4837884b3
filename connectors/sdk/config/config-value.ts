/**
 * How config values travel as text, the way Kafka's ConfigDef does it: parsing a raw value for
 * a type (`parseType`), rendering a parsed value back to Kafka's string form (`convertToString`,
 * used for `default_value` and validate results), and the form a value takes inside error
 * messages (Java's `toString`: lists as `[a, b]`, passwords as `[hidden]`).
 */
import { HIDDEN, Password } from './password.js';

export type ConfigType = 'BOOLEAN' | 'STRING' | 'INT' | 'SHORT' | 'LONG' | 'DOUBLE' | 'LIST' | 'CLASS' | 'PASSWORD';

/** A value as it may appear in a raw config map. `undefined` means the key is absent. */
export type RawValue = string | number | boolean | null;
export type RawConfig = Readonly<Record<string, RawValue | undefined>>;

export type ParseResult = { ok: true; value: unknown } | { ok: false; message: string };

const INTEGER = /^[+-]?\d+$/;
const DOUBLE = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)[fFdD]?$/;
const LIST_SEPARATOR = /\s*,\s*/;
const INTEGER_BOUNDS: Record<string, [bigint, bigint]> = {
  SHORT: [-(2n ** 15n), 2n ** 15n - 1n],
  INT: [-(2n ** 31n), 2n ** 31n - 1n],
  LONG: [-(2n ** 63n), 2n ** 63n - 1n],
};

export function rawToString(raw: string | number | boolean): string {
  return typeof raw === 'string' ? raw : String(raw);
}

/** Parses non-null raw text as `type`. Strings are trimmed, as Kafka does. */
export function parseType(type: ConfigType, text: string): ParseResult {
  const trimmed = text.trim();
  switch (type) {
    case 'STRING':
    case 'CLASS':
      return { ok: true, value: trimmed };
    case 'PASSWORD':
      return { ok: true, value: new Password(trimmed) };
    case 'BOOLEAN': {
      const lower = trimmed.toLowerCase();
      if (lower === 'true' || lower === 'false') return { ok: true, value: lower === 'true' };
      return { ok: false, message: 'Expected value to be either true or false' };
    }
    case 'SHORT':
    case 'INT':
    case 'LONG': {
      const [lo, hi] = INTEGER_BOUNDS[type];
      if (INTEGER.test(trimmed)) {
        const big = BigInt(trimmed);
        if (big >= lo && big <= hi) return { ok: true, value: Number(big) };
      }
      return { ok: false, message: `Not a number of type ${type}` };
    }
    case 'DOUBLE':
      if (DOUBLE.test(trimmed)) return { ok: true, value: Number(trimmed.replace(/[fFdD]$/, '')) };
      return { ok: false, message: 'Not a number of type DOUBLE' };
    case 'LIST':
      return { ok: true, value: trimmed === '' ? [] : trimmed.split(LIST_SEPARATOR) };
  }
}

/** Kafka's `ConfigDef.convertToString`: the string form of a parsed value, `null` for null. */
export function renderValue(value: unknown, type: ConfigType | null): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Password) return HIDDEN;
  if (Array.isArray(value)) return value.map((v) => String(v)).join(',');
  if (typeof value === 'number') {
    if (type === 'DOUBLE') return javaDouble(value);
    if (type === 'LONG') return javaLong(value);
  }
  return String(value);
}

/** The value as Java's `toString` shows it inside error messages. */
export function displayValue(value: unknown, type: ConfigType | null): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => String(v)).join(', ')}]`;
  return renderValue(value, type) ?? 'null';
}

/** Java's `Double.toString`: `1.0`, `0.001`, `1.0E7`, `1.5E-4`, `NaN`, `Infinity`. */
export function javaDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(n);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = n.toExponential().split('e');
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${exponent.replace('+', '')}`;
}

/** Longs past 2^53 are held as doubles; Long.MAX_VALUE/MIN_VALUE keep their Java spelling. */
function javaLong(n: number): string {
  if (Number.isSafeInteger(n)) return String(n);
  if (n >= 2 ** 63) return '9223372036854775807';
  if (n <= -(2 ** 63)) return '-9223372036854775808';
  return BigInt(Math.trunc(n)).toString();
}
