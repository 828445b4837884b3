import { describe, expect, it } from 'vitest';
import { firstNonPlainAscii, firstNonPlainAsciiWithoutSimd, simdScanAvailable } from '../../../../connectors/sdk/data/plain-ascii-scan.js';
import { NOT_PLAIN_JSON } from '../../../../connectors/sdk/data/json-source.js';
import { seededRandom } from '../../../helpers/seeded-random.js';

const PLAIN = Buffer.from('{"id":1,"note":"abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 !#$%&\'()*+,-./:;<=>?@[]^_`{|}~"}');

describe('firstNonPlainAscii', () => {
  it('runs with WebAssembly SIMD on Node 20, so the readers get the fast check', () => {
    expect(simdScanAvailable()).toBe(true);
  });

  it('finds every non-plain byte value at every position of a vector and of the tail', () => {
    for (const length of [1, 15, 16, 17, 31, 32, 33, 100]) {
      const base = Buffer.alloc(length, 0x61);
      expect(firstNonPlainAscii(base, 0, length)).toBe(length);
      for (let byte = 0; byte < 256; byte++) {
        const plain = byte >= 0x20 && byte < 0x80 && byte !== 0x5c;
        for (const at of new Set([0, length >> 1, length - 1])) {
          const bytes = Buffer.from(base);
          bytes[at] = byte;
          expect(firstNonPlainAscii(bytes, 0, length), `byte ${byte} at ${at} of ${length}`).toBe(plain ? length : at);
          const newlineAllowed = plain || byte === 0x0a;
          expect(firstNonPlainAscii(bytes, 0, length, true), `byte ${byte} at ${at} of ${length}, newlines allowed`).toBe(newlineAllowed ? length : at);
        }
      }
    }
  });

  it('looks only inside the range it is given, and reports the first of several', () => {
    const bytes = Buffer.from('\\abc\u0001defgh\\ijklmnopqrstuvwxyz\u00e9');
    expect(firstNonPlainAscii(bytes, 1, 5)).toBe(4);
    expect(firstNonPlainAscii(bytes, 1, 4)).toBe(4);
    expect(firstNonPlainAscii(bytes, 5, 10)).toBe(10);
    expect(firstNonPlainAscii(bytes, 5, bytes.length)).toBe(10);
    expect(firstNonPlainAscii(bytes, 11, bytes.length)).toBe(bytes.indexOf(0xc3));
    expect(firstNonPlainAscii(bytes, 3, 3)).toBe(3);
  });

  it('gives the plain loop\'s answers on random text, across the 64 KiB windows it copies', () => {
    const random = seededRandom(9);
    for (let round = 0; round < 40; round++) {
      const length = Math.floor(random() * 200_000);
      const bytes = Buffer.alloc(length);
      for (let i = 0; i < length; i++) bytes[i] = PLAIN[Math.floor(random() * PLAIN.length)]!;
      // A few bytes that stop the scan, rarely enough that most runs cross a window boundary first.
      for (let k = Math.floor(random() * 3); k > 0 && length > 0; k--) bytes[Math.floor(random() * length)] = [0x0a, 0x5c, 0x01, 0xc3, 0x7f][Math.floor(random() * 5)]!;
      const start = Math.floor(random() * Math.min(length, 70_000));
      for (const newlines of [false, true]) {
        expect(firstNonPlainAscii(bytes, start, length, newlines)).toBe(firstNonPlainAsciiWithoutSimd(bytes, start, length, newlines));
      }
    }
  });

  it('passes only text that NOT_PLAIN_JSON cannot match once decoded', () => {
    const samples = ['{"a":"b"}', '{"a":"\\n"}', '{"a":"é"}', '{"a":"\ufffd"}', '{"a":"\u0000"}', '{"a":"\t"}', '{"a":"\ud83d\ude00"}', '{"a":1.5e3}'];
    for (const text of samples) {
      const bytes = Buffer.from(text);
      if (firstNonPlainAscii(bytes, 0, bytes.length) === bytes.length) expect(NOT_PLAIN_JSON.test(bytes.toString('utf8')), text).toBe(false);
    }
    expect(samples.filter((t) => firstNonPlainAscii(Buffer.from(t), 0, Buffer.byteLength(t)) === Buffer.byteLength(t))).toEqual(['{"a":"b"}', '{"a":1.5e3}']);
  });
});
