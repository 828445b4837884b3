/**
 * Hands out idempotent-producer ids that stay unique across restarts: ids are reserved in
 * blocks and the block's end is persisted (temp file + rename) before any id of it is used.
 */
import fs from 'node:fs';
import path from 'node:path';

const BLOCK = 1000;

export class ProducerIdAllocator {
  private next: number;
  private reservedUpTo: number;
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'producer-id-block');
    const saved = fs.existsSync(this.file) ? Number(fs.readFileSync(this.file, 'utf8').trim()) : 0;
    this.next = Number.isSafeInteger(saved) && saved > 0 ? saved : 0;
    this.reservedUpTo = this.next;
  }

  allocate(): number {
    if (this.next >= this.reservedUpTo) {
      this.reservedUpTo = this.next + BLOCK;
      const tmp = `${this.file}.tmp`;
      fs.writeFileSync(tmp, String(this.reservedUpTo));
      fs.renameSync(tmp, this.file);
    }
    return this.next++;
  }
}
