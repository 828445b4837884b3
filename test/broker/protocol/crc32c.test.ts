import { describe, expect, it } from 'vitest';
import { CRC32C_IMPLEMENTATION, crc32c } from '../../../broker/protocol/crc32c.js';
import { crc32cJs } from '../../../broker/protocol/crc32c-js.js';

/** Bit-at-a-time CRC-32C straight from the polynomial, as an independent reference. */
function referenceCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pseudoRandomBytes(n: number, seed: number): Buffer {
  const buf = Buffer.allocUnsafe(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    buf[i] = x >>> 24;
  }
  return buf;
}

describe('crc32c', () => {
  it('gives the published check value 0xE3069283 for "123456789"', () => {
    expect(crc32c(Buffer.from('123456789', 'ascii'))).toBe(0xe3069283);
  });

  it('gives 0 for no bytes and known values for short inputs', () => {
    expect(crc32c(Buffer.alloc(0))).toBe(0);
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
  });

  it('matches a bitwise reference for every length and alignment around the word path', () => {
    const data = pseudoRandomBytes(400, 7);
    for (let start = 0; start < 8; start++) {
      for (let len = 0; len <= 300; len += start + 1) {
        const view = data.subarray(start, start + len);
        expect(crc32c(view)).toBe(referenceCrc32c(view));
        expect(crc32c(data, start, start + len)).toBe(referenceCrc32c(view));
      }
    }
  });

  it('checksums only the requested range of a larger buffer', () => {
    const data = pseudoRandomBytes(70_000, 3);
    expect(crc32c(data, 1234, 69_001)).toBe(referenceCrc32c(data.subarray(1234, 69_001)));
  });

  it('uses the hardware implementation here, agreeing with the pure-JS one on long and short ranges', () => {
    expect(CRC32C_IMPLEMENTATION).toBe('native');
    const data = pseudoRandomBytes(100_000, 11);
    for (const [start, end] of [[0, 100_000], [3, 99_990], [17, 17 + 255], [17, 17 + 256], [5, 9]] as const) {
      expect(crc32c(data, start, end)).toBe(crc32cJs(data, start, end));
    }
  });

  it('rejects a range outside the buffer instead of returning a wrong checksum', () => {
    expect(() => crc32c(Buffer.alloc(4), 0, 5)).toThrow(RangeError);
    expect(() => crc32c(Buffer.alloc(4), 3, 2)).toThrow(RangeError);
  });
});
