/**
 * Java's numeric parsing and narrowing, as Cast and MaskField rely on them:
 * - `parseJavaInteger`: Byte/Short/Integer/Long.parseX (optional sign, ASCII digits, range-checked).
 * - `parseJavaFloat`: Float/Double.parseX (surrounding whitespace, `NaN`, `Infinity`, f/d suffix).
 * - `wrapInteger`: an integer narrowed to 8/16/32/64 bits by two's complement (Java's `(byte) l`).
 * - `saturateDouble`: a double converted to int or long the Java way (NaN → 0, out of range clamps).
 * INT64 results are numbers when safe, otherwise bigints (the runtime's INT64 representation).
 */

export type IntegerBits = 8 | 16 | 32 | 64;

const INTEGER_TEXT = /^[+-]?\d+$/;
const FLOAT_TEXT = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;

export function int64Value(n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/** The integer `text` holds if it fits `bits`, else null. */
export function parseJavaInteger(text: string, bits: IntegerBits): number | bigint | null {
  if (!INTEGER_TEXT.test(text)) return null;
  const n = BigInt(text);
  const limit = 1n << BigInt(bits - 1);
  if (n < -limit || n >= limit) return null;
  return int64Value(n);
}

export function parseJavaFloat(text: string): number | null {
  const trimmed = text.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, ''); // eslint-disable-line no-control-regex
  if (!FLOAT_TEXT.test(trimmed)) return null;
  return Number(trimmed.replace(/[fFdD]$/, ''));
}

export function wrapInteger(n: bigint, bits: IntegerBits): number | bigint {
  return int64Value(BigInt.asIntN(bits, n));
}

/** Java's `(int) d` (bits 32, then narrowed further for 8/16) or `(long) d` (bits 64). */
export function saturateDouble(d: number, bits: IntegerBits): number | bigint {
  if (Number.isNaN(d)) return 0;
  const width = bits === 64 ? 64 : 32;
  const max = (1n << BigInt(width - 1)) - 1n;
  const min = -(1n << BigInt(width - 1));
  let n: bigint;
  if (d >= Number(max)) n = max;
  else if (d <= Number(min)) n = min;
  else n = BigInt(Math.trunc(d));
  return wrapInteger(n, bits);
}
