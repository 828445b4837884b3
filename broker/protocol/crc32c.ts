/**
 * CRC-32C of record batches. Uses @node-rs/crc32's hardware-accelerated implementation
 * (SSE 4.2 / ARMv8 CRC instructions, several GB/s) for ranges long enough to amortise the
 * native call, and the pure-JS slicing-by-16 version otherwise or where the native module
 * does not load on this platform. Both give identical results.
 */
import { createRequire } from 'node:module';
import { crc32cJs } from './crc32c-js.js';

const NATIVE_MIN_BYTES = 256;

type NativeCrc = (input: Buffer, initialState?: number) => number;

function loadNative(): NativeCrc | null {
  try {
    const mod = createRequire(import.meta.url)('@node-rs/crc32') as { crc32c: NativeCrc };
    return mod.crc32c(Buffer.from('123456789')) === 0xe3069283 ? mod.crc32c : null;
  } catch {
    return null;
  }
}

const native = loadNative();

/** CRC-32C of `buf[start, end)`, as an unsigned 32-bit number. */
export function crc32c(buf: Buffer, start = 0, end = buf.length): number {
  if (native === null || end - start < NATIVE_MIN_BYTES || start < 0 || end > buf.length || start > end) {
    return crc32cJs(buf, start, end);
  }
  return native(start === 0 && end === buf.length ? buf : buf.subarray(start, end)) >>> 0;
}

export const CRC32C_IMPLEMENTATION = native === null ? 'js' : 'native';
