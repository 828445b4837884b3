import { describe, expect, it } from 'vitest';
import { quotedWithoutEscapes, stringTokenValue } from '../../../../connectors/sdk/data/json-string-check.js';

/** What every JSON writer escapes: `"`, `\` and U+0000 to U+001F. */
const escapedByAll = (s: string) => [...s].some((c) => c === '"' || c === '\\' || c.charCodeAt(0) < 0x20);

describe('quotedWithoutEscapes', () => {
  const hasNoJsonEscapes = (s: string) => {
    const quoted = quotedWithoutEscapes(s);
    if (quoted !== undefined) expect(quoted).toBe(`"${s}"`);
    return quoted !== undefined;
  };

  it('finds a quote, a backslash or any control character anywhere in short and long strings', () => {
    const specials = ['"', '\\', '\n', '\t', '\r', '\u0000', '\u0001', '\u001f', '\b', '\f'];
    const harmless = ['\u007f', '\u2028', '\u2029', 'é', '😀', '\ud800', '/', ' ', '\u0085'];
    for (const length of [0, 1, 62, 63, 64, 65, 300, 5000]) {
      const plain = 'p'.repeat(length);
      expect(hasNoJsonEscapes(plain), `${length}`).toBe(true);
      for (const at of new Set([0, length >> 1, length])) {
        for (const c of [...specials, ...harmless]) {
          const s = plain.slice(0, at) + c + plain.slice(at);
          expect(hasNoJsonEscapes(s), `${JSON.stringify(c)} at ${at} of ${length}`).toBe(!escapedByAll(s));
        }
      }
    }
  });

  it('agrees with JSON.stringify for well-formed strings', () => {
    const alphabet = ['a', 'é', '"', '\\', '\n', '\u0002', '\u2028', '😀', '\u001e'];
    for (let i = 0; i < 2000; i++) {
      let s = 'q'.repeat(i % 130);
      if (i % 3 === 0) s += alphabet[i % alphabet.length];
      expect(hasNoJsonEscapes(s), JSON.stringify(s)).toBe(JSON.stringify(s) === `"${s}"`);
    }
  });
});

describe('stringTokenValue', () => {
  it('gives the characters between the quotes, or undefined when one is a control character', () => {
    expect(stringTokenValue('"abc é😀\u2028"')).toBe('abc é😀\u2028');
    expect(stringTokenValue('""')).toBe('');
    expect(stringTokenValue('"a\u0001b"')).toBeUndefined();
    expect(stringTokenValue('"a\nb"')).toBeUndefined();
  });
});
