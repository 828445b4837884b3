import { describe, expect, it } from 'vitest';
import { DataError } from '../../../../connectors/sdk/errors.js';
import { Decimal } from '../../../../connectors/sdk/data/decimal.js';

describe('Decimal', () => {
  it('parses Java BigDecimal strings keeping their scale', () => {
    const cases: [string, bigint, number][] = [
      ['12.30', 1230n, 2],
      ['-0.5', -5n, 1],
      ['.5', 5n, 1],
      ['1.', 1n, 0],
      ['1E+3', 1n, -3],
      ['1.5e-3', 15n, 4],
      ['+7', 7n, 0],
    ];
    for (const [text, unscaled, scale] of cases) {
      const d = Decimal.parse(text);
      expect([d.unscaled, d.scale], text).toEqual([unscaled, scale]);
    }
    expect(() => Decimal.parse('1,5')).toThrow(DataError);
    expect(() => Decimal.parse('.')).toThrow(DataError);
  });

  it('prints like BigDecimal.toString and toPlainString', () => {
    expect(new Decimal(1230n, 2).toString()).toBe('12.30');
    expect(new Decimal(0n, 2).toString()).toBe('0.00');
    expect(new Decimal(1n, 8).toString()).toBe('1E-8');
    expect(new Decimal(123n, 7).toString()).toBe('0.0000123');
    expect(new Decimal(-123n, -2).toString()).toBe('-1.23E+4');
    expect(new Decimal(1n, 8).toPlainString()).toBe('0.00000001');
    expect(new Decimal(-123n, -2).toPlainString()).toBe('-12300');
  });

  it('encodes the unscaled value as minimal big-endian two\'s complement', () => {
    const hex = (n: bigint) => new Decimal(n, 0).toBytes().toString('hex');
    expect(hex(0n)).toBe('00');
    expect(hex(127n)).toBe('7f');
    expect(hex(128n)).toBe('0080');
    expect(hex(-1n)).toBe('ff');
    expect(hex(-128n)).toBe('80');
    expect(hex(-129n)).toBe('ff7f');
    expect(hex(482n)).toBe('01e2');
    for (const n of [0n, 1n, -1n, 255n, -256n, 2n ** 100n, -(2n ** 100n) + 7n]) {
      expect(Decimal.fromBytes(new Decimal(n, 3).toBytes(), 3).equals(new Decimal(n, 3))).toBe(true);
    }
    expect(() => Decimal.fromBytes(Buffer.alloc(0), 0)).toThrow(DataError);
  });

  it('treats scale as part of equality but not of numeric comparison', () => {
    expect(new Decimal(15n, 1).equals(new Decimal(150n, 2))).toBe(false);
    expect(new Decimal(15n, 1).compareTo(new Decimal(150n, 2))).toBe(0);
    expect(new Decimal(15n, 1).compareTo(new Decimal(151n, 2))).toBe(-1);
  });

  it('rescales only when no digits are lost', () => {
    expect(new Decimal(15n, 1).setScale(3).unscaled).toBe(1500n);
    expect(new Decimal(1500n, 3).setScale(1).unscaled).toBe(15n);
    expect(() => new Decimal(1501n, 3).setScale(1)).toThrow('cannot be rescaled to scale 1 without rounding');
  });

  it('converts from and to numbers like BigDecimal.valueOf(double)', () => {
    expect(Decimal.fromNumber(1).toString()).toBe('1.0');
    expect(Decimal.fromNumber(0.1).toString()).toBe('0.1');
    expect(new Decimal(482n, 2).toNumber()).toBe(4.82);
    expect(() => Decimal.fromNumber(Infinity)).toThrow(DataError);
  });
});
