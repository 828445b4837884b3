import { describe, expect, it } from 'vitest';
import { formatDouble, formatFloat } from '../../../../connectors/sdk/data/java-number-format.js';

/** The digits of a decimal's text without sign, point, leading or trailing zeros. */
const significantDigits = (text: string) => text.replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '');

describe('Java number formatting', () => {
  it('prints doubles like Double.toString', () => {
    const cases: [number, string][] = [
      [1, '1.0'],
      [100, '100.0'],
      [-0, '-0.0'],
      [0.001, '0.001'],
      [0.0001, '1.0E-4'],
      [1234567.5, '1234567.5'],
      [1e7, '1.0E7'],
      [1.5e300, '1.5E300'],
      [0.1 + 0.2, '0.30000000000000004'],
      [2 ** 53, '9.007199254740992E15'],
      [5e-324, '4.9E-324'],
      [NaN, 'NaN'],
      [-Infinity, '-Infinity'],
    ];
    for (const [value, text] of cases) expect(formatDouble(value), String(value)).toBe(text);
  });

  it('prints doubles between 10^-3 and 10^7 positionally with their shortest digits, and scientifically outside', () => {
    const cases: [number, string][] = [
      [0.0009999999999999998, '9.999999999999998E-4'],
      [0.0010000000000000002, '0.0010000000000000002'],
      [-0.001, '-0.001'],
      [0.5, '0.5'],
      [12.34, '12.34'],
      [-42, '-42.0'],
      [9999999, '9999999.0'],
      [9999999.999999998, '9999999.999999998'],
      [-1e7, '-1.0E7'],
      [123456.7890123, '123456.7890123'],
    ];
    for (const [value, text] of cases) expect(formatDouble(value), String(value)).toBe(text);
    // Any double in the positional range: Java's digits are the shortest that read back as it, as JavaScript's are.
    for (let i = 0; i < 20000; i++) {
      const value = (Math.random() - 0.5) * 10 ** (Math.floor(Math.random() * 11) - 3);
      const text = formatDouble(value);
      if (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e7) {
        expect(text, String(value)).toMatch(/^-?\d\.\d+E-?\d+$/);
        continue;
      }
      expect(text, String(value)).toMatch(/^-?\d+\.\d+$/);
      expect(Number(text)).toBe(value);
      expect(significantDigits(text), String(value)).toBe(significantDigits(value.toExponential().replace(/e.*$/, '')));
    }
  });

  it('prints floats like Float.toString, with the shortest digits that identify the float', () => {
    const cases: [number, string][] = [
      [0.1, '0.1'],
      [1.1, '1.1'],
      [3.14159265, '3.1415927'],
      [16777216, '1.6777216E7'],
      [1e10, '1.0E10'],
      [3.4028235e38, '3.4028235E38'],
      [1.4e-45, '1.4E-45'],
      [Math.fround(0.3), '0.3'],
    ];
    for (const [value, text] of cases) expect(formatFloat(value), String(value)).toBe(text);
  });
});
