import { describe, expect, it } from 'vitest';
import { isCanonicalJsonObject as isCanonicalJsonBytes } from '../../../../connectors/sdk/data/canonical-json-object.js';
import { canonicalNumber, jsonSourceOf, NOT_PLAIN_JSON, rememberIfCanonical } from '../../../../connectors/sdk/data/json-source.js';
import { parseJsonTextWithNumbers } from '../../../../runtime/pipeline/converters/json-text.js';
import { seededRandom } from '../../../helpers/seeded-random.js';

/** The walk over the UTF-8 bytes of `text`, as the readers call it. */
const isCanonicalJsonObject = (text: string): boolean => isCanonicalJsonBytes(Buffer.from(text, 'utf8'));

/**
 * What the eager reading decides for a text: whether the JsonConverter's schemaless reading
 * of it keeps its bytes as its canonical text (null when it is not JSON at all).
 */
function eagerlyCanonical(text: string): boolean | null {
  let value: unknown;
  let canonical = true;
  let numberLength = 0;
  try {
    value = parseJsonTextWithNumbers(text, (token, integral) => {
      const n = integral && !Number.isSafeInteger(Number(token)) ? BigInt(token) : Number(token);
      numberLength += token.length;
      if (!canonicalNumber(token, n)) canonical = false;
      return n;
    }, true);
  } catch {
    return null;
  }
  if (!(value instanceof Map) || !canonical) return false;
  const bytes = Buffer.from(text);
  rememberIfCanonical(value, bytes, text.length, numberLength);
  return jsonSourceOf(value) === bytes;
}

describe('isCanonicalJsonObject', () => {
  it('accepts compact objects with canonical numbers and distinct keys', () => {
    for (const text of [
      '{}', '{"a":1}', '{"id":1,"user":"user-1","amount":12.34,"note":"plain, é"}', '{"a":{"a":{"a":[]}},"b":[{},{"a":1,"b":2}]}',
      '{"n":-5,"f":0.001,"g":9999999.5,"big":123456789012345,"t":true,"u":false,"v":null,"s":""}',
      '{"a":{"x":1},"b":{"x":2}}', '{"ab":1,"ba":2,"a":3,"b":4}',
    ]) expect(isCanonicalJsonObject(text), text).toBe(true);
  });

  it('refuses whitespace, other numbers, repeated keys, keys that JSON.parse would move, deep nesting and anything not an object', () => {
    for (const text of [
      '{"a": 1}', ' {"a":1}', '{"a":1} ', '{"a":1.0}', '{"a":1e3}', '{"a":1E3}', '{"a":01}', '{"a":-0}', '{"a":0.0001}', '{"a":1234567890123456}',
      '{"a":10000000.5}', '{"a":1.50}', '{"a":1,"a":2}', '{"b":{"x":1,"y":2,"x":3}}', '{"1":1}', '[1]', '"a"', '1', 'null',
      '{"a":1', '{"a":}', '{"a"1}', '{"a":tru}', '{"a":[1,]}', '{"a":1,}', '{,}', '{"a":"x}', '', '{"a":1}x',
      `${'{"a":'.repeat(65)}1${'}'.repeat(65)}`,
      `{${Array.from({ length: 65 }, (_, i) => `"k${i}":${i}`).join(',')}}`,
    ]) expect(isCanonicalJsonObject(text), text).toBe(false);
    expect(isCanonicalJsonObject(`${'{"a":'.repeat(64)}1${'}'.repeat(64)}`)).toBe(true);
    expect(isCanonicalJsonObject(`{${Array.from({ length: 64 }, (_, i) => `"k${i}":${i}`).join(',')}}`)).toBe(true);
  });

  it('never accepts a text that the eager reading refuses or does not keep as canonical (fuzz)', () => {
    const random = seededRandom(20261206);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const scalars = ['1', '-5', '0', '-0', '0.5', '12.30', '1e2', '0.0001', '1234567890123456', 'true', 'false', 'null', '""', '"x"', '"x y"'];
    const value = (depth: number): string => {
      const roll = random();
      if (depth > 3 || roll < 0.5) return pick(scalars);
      if (roll < 0.75) return `[${Array.from({ length: Math.floor(random() * 3) }, () => value(depth + 1)).join(',')}]`;
      return object(depth + 1);
    };
    const object = (depth: number): string =>
      `{${Array.from({ length: Math.floor(random() * 4) }, () => `"${pick(['a', 'b', 'ab', '1', 'c'])}":${value(depth)}`).join(',')}}`;
    const mutate = (text: string): string => {
      const at = Math.floor(random() * (text.length + 1));
      const roll = random();
      const piece = pick(['{', '}', '[', ']', ',', ':', '"', ' ', '0', '.', 'e', '-']);
      if (roll < 0.33) return text.slice(0, at) + piece + text.slice(at);
      if (roll < 0.66) return text.slice(0, at) + text.slice(at + 1);
      return text.slice(0, at) + piece + text.slice(at + 1);
    };
    let accepted = 0;
    let acceptedMutants = 0;
    for (let n = 0; n < 20_000; n++) {
      const original = object(0);
      const text = random() < 0.5 ? original : mutate(original);
      if (NOT_PLAIN_JSON.test(text) || !isCanonicalJsonObject(text)) continue;
      accepted++;
      if (text !== original) acceptedMutants++;
      expect(eagerlyCanonical(text), text).toBe(true);
      expect(() => JSON.parse(text) as unknown, text).not.toThrow();
    }
    // The generator must reach the interesting side too, or the property above tests nothing.
    expect(accepted).toBeGreaterThan(1000);
    expect(acceptedMutants).toBeGreaterThan(100);
  });

  it('accepts every text the eager reading keeps as canonical, but for keys JSON.parse would move (fuzz)', () => {
    const random = seededRandom(7);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    let canonical = 0;
    for (let n = 0; n < 5_000; n++) {
      const members = Array.from({ length: Math.floor(random() * 5) }, () => `"${pick(['a', 'b', 'c', 'ab'])}":${pick(['1', '0.5', '"s"', '[1,{}]', '{"a":2}', '1.50'])}`);
      const text = `{${members.join(',')}}`;
      if (eagerlyCanonical(text) !== true) continue;
      canonical++;
      expect(isCanonicalJsonObject(text), text).toBe(true);
    }
    expect(canonical).toBeGreaterThan(1000);
  });
  it('reads only its range of a larger buffer: a line of a file decides as the line alone does', () => {
    const texts = ['{"a":1}', '{"a":12.5}', '{"a":"x"}', '{"a":1', '{"a":"x', '{"a":12', '{"a":tru', '{"a":[1,2]}', '{}', '{"a":1.5', '{"é":"ü","e":"ü"}'];
    for (const line of texts) {
      for (const next of ['\n', '\n"}\n', '\n5}\n', '\n,"b":2}\n', '\ne}', '\n.5}']) {
        const file = Buffer.from(`x${line}${next}`);
        const end = 1 + Buffer.byteLength(line);
        expect(isCanonicalJsonBytes(file, 1, end), JSON.stringify(line + next)).toBe(isCanonicalJsonObject(line));
      }
    }
  });

  it('decides on UTF-8 bytes as on the decoded text: multi-byte characters are never JSON syntax, and equal keys have equal bytes', () => {
    for (const [text, canonical] of [
      ['{"é":1,"e":2}', true], ['{"é":1,"é":2}', false], ['{"ü":"a\u00e9"}', true], ['{"a":"日本語","b":"日本"}', true],
      ['{"日本":1,"日本語":2,"日本":3}', false], ['{"a":1,é}', false], ['{"a":é}', false],
    ] as const) expect(isCanonicalJsonObject(text), text).toBe(canonical);
  });
  it('decides numbers on their bytes as canonicalNumber decides on their text and value', () => {
    const random = seededRandom(11);
    const digits = (n: number, first = '0123456789') => Array.from({ length: n }, (_, i) => (i === 0 ? first : '0123456789')[Math.floor(random() * (i === 0 ? first.length : 10))]).join('');
    const tokens = [
      '0.001', '0.0009', '0.00100', '9999999.5', '10000000.5', '999999.999999999', '0.000999999999999', '123456789012345', '1234567890123456',
      '-0', '-0.5', '0.10', '1.0', '12345678.9', '1.00000000000001', '0.123456789012345', '0.1234567890123456', '9999999.99999999', '0.00123456789012345',
    ];
    for (let n = 0; n < 20_000; n++) {
      const int = random() < 0.3 ? '0' : digits(1 + Math.floor(random() * 10), '123456789');
      const fraction = random() < 0.3 ? '' : `.${random() < 0.5 ? '0'.repeat(Math.floor(random() * 5)) : ''}${digits(1 + Math.floor(random() * 14))}`;
      const exponent = random() < 0.05 ? `e${Math.floor(random() * 5)}` : '';
      tokens.push(`${random() < 0.3 ? '-' : ''}${int}${fraction}${exponent}`);
    }
    let accepted = 0;
    for (const token of tokens) {
      const text = `{"a":${token}}`;
      const expected = eagerlyCanonical(text);
      expect(isCanonicalJsonObject(text), token).toBe(expected);
      if (expected) accepted++;
    }
    expect(accepted).toBeGreaterThan(5000);
  });
});
