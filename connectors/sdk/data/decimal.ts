/**
 * An exact decimal number, the value of the Decimal logical type (Java's BigDecimal): an
 * arbitrary-size `unscaled` integer and a `scale`, worth unscaled × 10^-scale. Like BigDecimal,
 * 1.5 (15, scale 1) and 1.50 (150, scale 2) are equal numbers but not `equals`: the scale is part
 * of the value, and the Decimal schema's `scale` parameter must match it on the wire.
 */
import { DataError } from '../errors.js';
import { formatDouble } from './java-number-format.js';

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const MAX_RESCALE_DIGITS = 100_000;

export class Decimal {
  readonly unscaled: bigint;
  readonly scale: number;

  constructor(unscaled: bigint, scale: number) {
    if (!Number.isInteger(scale) || scale < INT32_MIN || scale > INT32_MAX) {
      throw new DataError(`Decimal scale must be a 32-bit integer, got ${scale}`);
    }
    this.unscaled = unscaled;
    this.scale = scale;
    Object.freeze(this);
  }

  /** Parses Java's BigDecimal string form: `12.30` (scale 2), `-1E+3` (scale -3), `.5`, `1.`. */
  static parse(text: string): Decimal {
    const m = DECIMAL_TEXT.exec(text);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new DataError(`Not a decimal number: "${text}"`);
    const [, sign, intPart, fracPart = '', exp] = m;
    const scale = fracPart.length - (exp === undefined ? 0 : Number(exp));
    return new Decimal(BigInt(`${sign}${intPart}${fracPart}` || '0'), scale);
  }

  /** Java's BigDecimal.valueOf(double): the decimal Double.toString shows (1 → 1.0, scale 1). */
  static fromNumber(value: number): Decimal {
    if (!Number.isFinite(value)) throw new DataError(`Cannot represent ${value} as a decimal`);
    return Decimal.parse(formatDouble(value));
  }

  /** The value of big-endian two's-complement `bytes` at `scale` (the Decimal wire form). */
  static fromBytes(bytes: Uint8Array, scale: number): Decimal {
    if (bytes.length === 0) throw new DataError('Decimal bytes are empty (zero length BigInteger)');
    let unsigned = 0n;
    for (const b of bytes) unsigned = (unsigned << 8n) | BigInt(b);
    return new Decimal(BigInt.asIntN(bytes.length * 8, unsigned), scale);
  }

  /** The minimal big-endian two's-complement bytes of `unscaled` (Java's BigInteger.toByteArray). */
  toBytes(): Buffer {
    const magnitude = this.unscaled < 0n ? ~this.unscaled : this.unscaled;
    const length = Math.floor(magnitude.toString(2).length / 8) + 1;
    const out = Buffer.alloc(length);
    let v = BigInt.asUintN(length * 8, this.unscaled);
    for (let i = length - 1; i >= 0; i--) {
      out[i] = Number(v & 0xffn);
      v >>= 8n;
    }
    return out;
  }

  /** Number of decimal digits in the unscaled value (1 for zero). */
  get precision(): number {
    return (this.unscaled < 0n ? -this.unscaled : this.unscaled).toString().length;
  }

  /** The same number at another scale; throws DataError when that would need rounding. */
  setScale(scale: number): Decimal {
    if (scale === this.scale) return this;
    if (this.unscaled === 0n) return new Decimal(0n, scale);
    const shift = scale - this.scale;
    if (shift > MAX_RESCALE_DIGITS) throw new DataError(`Decimal ${this.toString()} cannot be rescaled to scale ${scale}: too many digits`);
    if (shift > 0) return new Decimal(this.unscaled * 10n ** BigInt(shift), scale);
    const divisor = -shift > this.precision ? null : 10n ** BigInt(-shift);
    if (divisor === null || this.unscaled % divisor !== 0n) {
      throw new DataError(`Decimal ${this.toString()} cannot be rescaled to scale ${scale} without rounding`);
    }
    return new Decimal(this.unscaled / divisor, scale);
  }

  /** True when the value has no fractional part. */
  isInteger(): boolean {
    if (this.scale <= 0 || this.unscaled === 0n) return true;
    return this.scale <= this.precision && this.unscaled % 10n ** BigInt(this.scale) === 0n;
  }

  /** Number of digits before the decimal point (may be zero or negative for values below 0.1). */
  get integerDigits(): number {
    return this.unscaled === 0n ? 1 : this.precision - this.scale;
  }

  /** The integer part, truncated toward zero. Throws DataError past 100000 digits. */
  toBigInt(): bigint {
    if (this.scale <= 0) {
      if (this.unscaled !== 0n && -this.scale > MAX_RESCALE_DIGITS) throw new DataError(`Decimal ${this.toString()} has too many digits`);
      return this.unscaled * 10n ** BigInt(-this.scale);
    }
    return this.scale > this.precision ? 0n : this.unscaled / 10n ** BigInt(this.scale);
  }

  /** Numeric comparison, ignoring scale: -1, 0 or 1. */
  compareTo(other: Decimal): number {
    const s = Math.max(this.scale, other.scale);
    const a = this.unscaled * 10n ** BigInt(s - this.scale);
    const b = other.unscaled * 10n ** BigInt(s - other.scale);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** BigDecimal.equals: same unscaled value and same scale. */
  equals(other: unknown): boolean {
    return other instanceof Decimal && other.unscaled === this.unscaled && other.scale === this.scale;
  }

  /** The nearest double. */
  toNumber(): number {
    return Number(this.toString());
  }

  /** Java's BigDecimal.toString: plain unless the exponent is positive or below -6 (`1E-7`, `1.5E+3`). */
  toString(): string {
    const negative = this.unscaled < 0n;
    const coeff = (negative ? -this.unscaled : this.unscaled).toString();
    const sign = negative ? '-' : '';
    if (this.scale === 0) return sign + coeff;
    const adjusted = -this.scale + (coeff.length - 1);
    if (this.scale > 0 && adjusted >= -6) return sign + insertPoint(coeff, this.scale);
    let out = sign + coeff[0];
    if (coeff.length > 1) out += `.${coeff.slice(1)}`;
    if (adjusted !== 0) out += `E${adjusted > 0 ? '+' : ''}${adjusted}`;
    return out;
  }

  /** Java's BigDecimal.toPlainString: never exponent notation. */
  toPlainString(): string {
    const negative = this.unscaled < 0n;
    const coeff = (negative ? -this.unscaled : this.unscaled).toString();
    const sign = negative ? '-' : '';
    if (this.scale <= 0) return this.unscaled === 0n ? '0' : sign + coeff + '0'.repeat(-this.scale);
    return sign + insertPoint(coeff, this.scale);
  }

  toJSON(): string {
    return this.toPlainString();
  }
}

function insertPoint(coeff: string, scale: number): string {
  const pad = scale - coeff.length;
  if (pad >= 0) return `0.${'0'.repeat(pad)}${coeff}`;
  return `${coeff.slice(0, coeff.length - scale)}.${coeff.slice(coeff.length - scale)}`;
}
