/**
 * One file of the sink being written: an ObjectUpload, optionally behind gzip, with every change
 * of the bytes it holds reported to the task's MemoryBudget.
 *
 * gzip: raw bytes are staged up to GZIP_MEMBER_BYTES and then compressed synchronously into one
 * gzip member; the object is a sequence of members, which gzip readers (gunzip, Java's
 * GZIPInputStream, zlib's gunzip) read as one stream. Staging keeps memory bounded without an
 * asynchronous compressor between records.
 */
import { gzipSync } from 'node:zlib';
import type { ObjectUpload } from '../storage/object-upload.js';
import type { MemoryBudget } from './memory-budget.js';

const GZIP_MEMBER_BYTES = 64 * 1024;

export class OutputFile {
  readonly #upload: ObjectUpload;
  readonly #budget: MemoryBudget;
  readonly #gzipLevel: number | null;
  #staged: Buffer[] = [];
  #stagedBytes = 0;
  #counted = 0;

  constructor(upload: ObjectUpload, budget: MemoryBudget, gzipLevel: number | null) {
    this.#upload = upload;
    this.#budget = budget;
    this.#gzipLevel = gzipLevel;
  }

  get key(): string {
    return this.#upload.key;
  }

  get bufferedBytes(): number {
    return this.#counted;
  }

  /** Appends one record's bytes; true when a full part waits for `sendPart`. */
  append(bytes: Buffer): boolean {
    let full: boolean;
    if (this.#gzipLevel === null) {
      full = this.#upload.append(bytes);
    } else {
      this.#staged.push(bytes);
      this.#stagedBytes += bytes.length;
      full = this.#stagedBytes >= GZIP_MEMBER_BYTES ? this.#compressStaged() : false;
    }
    this.#recount();
    return full;
  }

  async sendPart(): Promise<void> {
    try {
      await this.#upload.sendPart();
    } finally {
      this.#recount();
    }
  }

  async complete(): Promise<void> {
    if (this.#stagedBytes > 0) this.#compressStaged();
    try {
      await this.#upload.complete();
    } finally {
      this.#recount();
    }
  }

  async abort(): Promise<void> {
    this.#staged = [];
    this.#stagedBytes = 0;
    try {
      await this.#upload.abort();
    } finally {
      this.#recount();
    }
  }

  #compressStaged(): boolean {
    const raw = this.#staged.length === 1 ? this.#staged[0]! : Buffer.concat(this.#staged, this.#stagedBytes);
    this.#staged = [];
    this.#stagedBytes = 0;
    return this.#upload.append(gzipSync(raw, { level: this.#gzipLevel ?? -1 }));
  }

  #recount(): void {
    const now = this.#upload.bufferedBytes + this.#stagedBytes;
    this.#budget.change(now - this.#counted);
    this.#counted = now;
  }
}
