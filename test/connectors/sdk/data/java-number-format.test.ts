import { describe, expect, it } from 'vitest';
import { formatDouble, formatFloat } from '../../../../connectors/sdk/data/java-number-format.js';

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
