/** A Connect Decimal as the nearest double (Java's BigDecimal.doubleValue), the form Confluent indexes. */
import { Decimal } from '../sdk/data/decimal.js';
import { DataError } from '../sdk/errors.js';

export function decimalToDouble(value: unknown): number {
  if (value instanceof Decimal) return Number(`${value.unscaled}e${-value.scale}`);
  if (typeof value === 'number') return value;
  throw new DataError('A Decimal field holds something that is not a decimal number');
}
