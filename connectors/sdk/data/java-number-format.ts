/**
 * Java's `Double.toString` and `Float.toString` (the JDK 19+ specification), which is how Kafka
 * Connect, through Jackson, prints FLOAT64 and FLOAT32 values: `1.0`, `0.001`, `1234567.0`,
 * `1.0E7`, `1.0E-4`, `-0.0`, `NaN`, `Infinity`.
 *
 * The digits are the shortest decimal that reads back as the same double (or float); among
 * equally short ones the closest wins. When a single digit would do, Java also considers
 * two-digit decimals and keeps the closest (so the smallest double prints as `4.9E-324`).
 * The layout is plain for 10^-3 <= |x| < 10^7 and computerized scientific otherwise, always with
 * at least one digit after the point.
 */

interface Digits {
  /** Significant digits, no leading or trailing zeros ("0" never occurs: zero is handled apart). */
  digits: string;
  /** Decimal exponent of the first digit: x = d.ddd × 10^exp. */
  exp: number;
}

export function formatDouble(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) return plainDouble(value);
  return format(value, false);
}

/**
 * A double in Java's plain range, 10^-3 <= |x| < 10^7, from JavaScript's own shortest digits:
 * in that range String() writes the same digits positionally (Number::toString uses plain
 * notation from 10^-7 to 10^21), so Java's text is String()'s with `.0` added to an integer.
 * Java's look at two-digit decimals when one digit suffices never changes a normal double: a
 * one-digit decimal that reads back as x lies within half an ulp of x, much closer than any other
 * two-digit decimal can be.
 */
function plainDouble(value: number): string {
  const text = String(value);
  return text.includes('.') ? text : `${text}.0`;
}

/** `value` is rounded to the nearest float first (Math.fround). */
export function formatFloat(value: number): string {
  return format(Math.fround(value), true);
}

function format(value: number, isFloat: boolean): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const sign = value < 0 ? '-' : '';
  const { digits, exp } = isFloat ? shortestFloat(Math.abs(value)) : shortestDouble(Math.abs(value));
  if (exp >= -3 && exp < 7) {
    if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const fracPart = digits.slice(exp + 1) || '0';
    return `${sign}${intPart}.${fracPart}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exp}`;
}

function parseExponential(text: string): Digits {
  const [mantissa, e] = text.split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '');
  return { digits: digits || '0', exp: Number(e) };
}

function shortestDouble(x: number): Digits {
  const shortest = parseExponential(x.toExponential());
  if (shortest.digits.length > 1) return shortest;
  const two = parseExponential(x.toExponential(1));
  if (two.digits.length === 2 && Number(toText(two)) === x && closer(two, shortest, x)) return two;
  return shortest;
}

function shortestFloat(x: number): Digits {
  const roundsToX = (d: Digits) => Math.fround(Number(toText(d))) === x;
  for (let p = 1; p <= 9; p++) {
    const found = candidates(x, p).filter(roundsToX);
    if (found.length === 0) continue;
    if (p === 1) found.push(...candidates(x, 2).filter(roundsToX));
    return found.reduce((best, d) => (closer(d, best, x) || (sameDistance(d, best, x) && isEven(d) && !isEven(best)) ? d : best));
  }
  return parseExponential(x.toExponential());
}

/** The p-digit decimals nearest to x: the correctly rounded one and its two neighbours. */
function candidates(x: number, p: number): Digits[] {
  const [mantissa, e] = x.toExponential(p - 1).split('e');
  const m = BigInt(mantissa.replace('.', ''));
  const shift = Number(e) - (p - 1);
  return [m - 1n, m, m + 1n].filter((v) => v > 0n).map((v) => normalize(v, shift));
}

function normalize(significand: bigint, shift: number): Digits {
  const text = significand.toString();
  const digits = text.replace(/0+$/, '');
  return { digits, exp: shift + text.length - 1 };
}

function toText(d: Digits): string {
  return `${d.digits[0]}.${d.digits.slice(1) || '0'}e${d.exp}`;
}

function isEven(d: Digits): boolean {
  return Number(d.digits[d.digits.length - 1]) % 2 === 0;
}

/** Exact |a - x| < |b - x|. */
function closer(a: Digits, b: Digits, x: number): boolean {
  return compareDistance(a, b, x) < 0;
}

function sameDistance(a: Digits, b: Digits, x: number): boolean {
  return compareDistance(a, b, x) === 0;
}

interface Fraction {
  num: bigint;
  den: bigint;
}

function compareDistance(a: Digits, b: Digits, x: number): number {
  const fx = doubleFraction(x);
  const da = absDiff(decimalFraction(a), fx);
  const db = absDiff(decimalFraction(b), fx);
  const l = da.num * db.den;
  const r = db.num * da.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

function absDiff(a: Fraction, b: Fraction): Fraction {
  const num = a.num * b.den - b.num * a.den;
  return { num: num < 0n ? -num : num, den: a.den * b.den };
}

function decimalFraction(d: Digits): Fraction {
  const pow = d.exp - (d.digits.length - 1);
  const n = BigInt(d.digits);
  return pow >= 0 ? { num: n * 10n ** BigInt(pow), den: 1n } : { num: n, den: 10n ** BigInt(-pow) };
}

function doubleFraction(x: number): Fraction {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exp = biased === 0 ? -1074 : biased - 1075;
  return exp >= 0 ? { num: mantissa << BigInt(exp), den: 1n } : { num: mantissa, den: 1n << BigInt(-exp) };
}
