/**
 * Deep equality of Connect values, with Java's `equals` semantics where they differ from `===`:
 * bytes compare by content, Dates by instant, NaN equals NaN, 0 and -0 differ, an INT64 held as
 * a number equals the same value held as a bigint, and maps compare entry by entry whatever
 * their insertion order. Objects with an `equals` method (Struct, Schema, Decimal) decide
 * for themselves.
 */

export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return typeof a !== 'number' || Object.is(a, b);
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === 'number' || typeof a === 'bigint') return numbersEqual(a, b);
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof Uint8Array) return b instanceof Uint8Array && bytesEqual(a, b);
  if (a instanceof Date) return b instanceof Date && Object.is(a.getTime(), b.getTime());
  if (Array.isArray(a)) return Array.isArray(b) && arraysEqual(a, b);
  if (a instanceof Map) return b instanceof Map && mapsEqual(a, b);
  const eq = (a as { equals?: unknown }).equals;
  if (typeof eq === 'function') return Boolean((eq as (o: unknown) => unknown).call(a, b));
  return plainObjectsEqual(a as Record<string, unknown>, b as Record<string, unknown>);
}

function numbersEqual(a: number | bigint, b: unknown): boolean {
  if (typeof b !== 'number' && typeof b !== 'bigint') return false;
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
  const n = typeof a === 'number' ? a : (b as number);
  const big = typeof a === 'bigint' ? a : (b as bigint);
  return Number.isInteger(n) && BigInt(n) === big;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function arraysEqual(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false;
  return true;
}

function mapsEqual(a: ReadonlyMap<unknown, unknown>, b: ReadonlyMap<unknown, unknown>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) {
    if (b.has(key)) {
      if (!valuesEqual(value, b.get(key))) return false;
      continue;
    }
    let found = false;
    for (const [otherKey, otherValue] of b) {
      if (valuesEqual(key, otherKey)) {
        if (!valuesEqual(value, otherValue)) return false;
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

function plainObjectsEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && valuesEqual(a[k], b[k]));
}
