/** Byte-for-byte comparison of two files, naming the first difference. */
import fs from 'node:fs';

const CHUNK = 4 << 20;

export interface Difference {
  /** Byte offset of the first byte that differs (or where the shorter file ends). */
  offset: number;
  /** 1-based line number of that byte. */
  line: number;
}

export function firstDifference(a: string, b: string): Difference | null {
  const fa = fs.openSync(a, 'r');
  const fb = fs.openSync(b, 'r');
  try {
    const ba = Buffer.allocUnsafe(CHUNK);
    const bb = Buffer.allocUnsafe(CHUNK);
    let offset = 0;
    let line = 1;
    for (;;) {
      const na = fs.readSync(fa, ba, 0, CHUNK, offset);
      const nb = fs.readSync(fb, bb, 0, CHUNK, offset);
      const n = Math.min(na, nb);
      if (ba.subarray(0, n).equals(bb.subarray(0, n))) {
        if (na !== nb) return { offset: offset + n, line: line + countNewlines(ba.subarray(0, n)) };
        if (na === 0) return null;
        line += countNewlines(ba.subarray(0, n));
        offset += n;
        continue;
      }
      let i = 0;
      while (ba[i] === bb[i]) i++;
      return { offset: offset + i, line: line + countNewlines(ba.subarray(0, i)) };
    }
  } finally {
    fs.closeSync(fa);
    fs.closeSync(fb);
  }
}

function countNewlines(buf: Buffer): number {
  let count = 0;
  for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) count++;
  return count;
}
