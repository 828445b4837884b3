/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) in pure JS: the fallback where the
 * native implementation cannot load, and the faster choice for short ranges.
 *
 * Slicing-by-16 in pure JS: the 4-byte-aligned middle of the range is read as 32-bit words
 * through an Int32Array view of the Buffer's memory (no copy), so each 16 bytes cost four
 * loads and sixteen table lookups. Word reads assume a little-endian host; on a big-endian
 * host every byte goes through the byte loop instead.
 */
import { endianness } from 'node:os';

const POLY = 0x82f63b78;
const SLICES = 16;
const WORD_PATH_MIN = 64;
const LITTLE_ENDIAN = endianness() === 'LE';

const T = buildTables();

function buildTables(): Int32Array {
  const t = new Int32Array(256 * SLICES);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[i] = c;
  }
  for (let s = 1; s < SLICES; s++) {
    for (let i = 0; i < 256; i++) {
      const prev = t[(s - 1) * 256 + i]!;
      t[s * 256 + i] = (prev >>> 8) ^ t[prev & 0xff]!;
    }
  }
  return t;
}

/** CRC-32C of `buf[start, end)`, as an unsigned 32-bit number. */
export function crc32cJs(buf: Buffer, start = 0, end = buf.length): number {
  if (start < 0 || end > buf.length || start > end) {
    throw new RangeError(`crc32c range [${start}, ${end}) outside a buffer of ${buf.length} bytes`);
  }
  const t = T;
  let crc = -1;
  let i = start;
  if (LITTLE_ENDIAN && end - start >= WORD_PATH_MIN) {
    const head = (4 - ((buf.byteOffset + i) & 3)) & 3;
    for (const h = i + head; i < h; i++) crc = t[(crc ^ buf[i]!) & 0xff]! ^ (crc >>> 8);
    const words = ((end - i) >>> 4) << 2;
    const w = new Int32Array(buf.buffer, buf.byteOffset + i, words);
    for (let j = 0; j < words; j += 4) {
      const a = crc ^ w[j]!;
      const b = w[j + 1]!;
      const c = w[j + 2]!;
      const d = w[j + 3]!;
      crc =
        t[3840 + (a & 0xff)]! ^ t[3584 + ((a >>> 8) & 0xff)]! ^ t[3328 + ((a >>> 16) & 0xff)]! ^ t[3072 + (a >>> 24)]! ^
        t[2816 + (b & 0xff)]! ^ t[2560 + ((b >>> 8) & 0xff)]! ^ t[2304 + ((b >>> 16) & 0xff)]! ^ t[2048 + (b >>> 24)]! ^
        t[1792 + (c & 0xff)]! ^ t[1536 + ((c >>> 8) & 0xff)]! ^ t[1280 + ((c >>> 16) & 0xff)]! ^ t[1024 + (c >>> 24)]! ^
        t[768 + (d & 0xff)]! ^ t[512 + ((d >>> 8) & 0xff)]! ^ t[256 + ((d >>> 16) & 0xff)]! ^ t[d >>> 24]!;
    }
    i += words * 4;
  }
  for (; i < end; i++) crc = t[(crc ^ buf[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}
