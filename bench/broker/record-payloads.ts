/**
 * Benchmark records: `size` printable bytes each (never the newline kcat splits on), a
 * zero-padded sequence number then filler, so records differ from one another.
 */
import fs from 'node:fs';

const FILLER = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_';

export function payload(size: number, seq: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  const head = String(seq).padStart(12, '0').slice(-Math.min(12, size));
  out.write(head, 0, 'latin1');
  for (let i = head.length; i < size; i++) out[i] = FILLER.charCodeAt((seq + i) % FILLER.length);
  return out;
}

/** Writes `count` records of `size` bytes, one per line, for `kcat -P -l`. */
export function writeRecordFile(file: string, size: number, count: number): void {
  const perChunk = Math.max(1, Math.floor((4 << 20) / (size + 1)));
  const fd = fs.openSync(file, 'w');
  try {
    for (let written = 0; written < count;) {
      const n = Math.min(perChunk, count - written);
      const chunk = Buffer.allocUnsafe(n * (size + 1));
      for (let i = 0; i < n; i++) {
        payload(size, written + i).copy(chunk, i * (size + 1));
        chunk[i * (size + 1) + size] = 0x0a;
      }
      fs.writeSync(fd, chunk);
      written += n;
    }
  } finally {
    fs.closeSync(fd);
  }
}
