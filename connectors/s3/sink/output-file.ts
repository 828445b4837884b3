/**
 * One file of the sink being written: an ObjectUpload, optionally behind gzip, with every change
 * of the bytes it holds reported to the task's MemoryBudget.
 *
 * gzip: raw bytes are staged up to GZIP_MEMBER_BYTES and then compressed synchronously into one
 * gzip member; the object is a sequence of members, which gzip readers (gunzip, Java's
 * GZIPInputStream, zlib's gunzip) read as one stream. Staging keeps memory bounded without an
 * asynchronous compressor between records.
 *
 * Full parts are sent in the background (see object-upload.ts); the bytes they hold stay
 * counted in the budget until S3 accepted them, when the upload reports their release.
 *
 * Container formats (Avro, Parquet) are written through their ContainerFile, which frames the
 * records and hands out blocks or row groups; what it holds back counts in the budget too. They
 * compress with their own codec, never with gzip.
 */
import { gzipSync } from 'node:zlib';
import { ObjectUpload } from '../storage/object-upload.js';
import type { S3Store } from '../storage/s3-store.js';
import { TerminatedBytes, type ContainerFile, type EncodedLine, type PreparedRecord } from '../formats/record-format.js';
import type { MemoryBudget } from './memory-budget.js';

const GZIP_MEMBER_BYTES = 64 * 1024;

export class OutputFile {
  readonly #upload: ObjectUpload;
  readonly #budget: MemoryBudget;
  readonly #gzipLevel: number | null;
  readonly #container: ContainerFile | null;
  #containerEnded = false;
  #staged: Buffer[] = [];
  #stagedBytes = 0;
  #counted = 0;

  constructor(store: S3Store, key: string, partSize: number, budget: MemoryBudget, gzipLevel: number | null, container: ContainerFile | null = null) {
    this.#upload = new ObjectUpload(store, key, partSize, () => this.#recount());
    this.#budget = budget;
    this.#gzipLevel = container === null ? gzipLevel : null;
    this.#container = container;
  }

  get key(): string {
    return this.#upload.key;
  }

  get bufferedBytes(): number {
    return this.#counted;
  }

  /** Appends one record's bytes (a prepared record for container files); true when a full part waits for `startPart`. */
  append(bytes: EncodedLine | PreparedRecord): boolean {
    let full: boolean;
    if (this.#container !== null) {
      const out = this.#container.add(bytes as PreparedRecord);
      full = out !== null && this.#upload.append(out);
    } else if (typeof bytes === 'object' && !(bytes instanceof Buffer) && !(bytes instanceof TerminatedBytes)) {
      throw new TypeError(`${this.key} is not a container file`);
    } else if (this.#gzipLevel === null) {
      full = this.#upload.append(bytes);
    } else {
      const raw = typeof bytes === 'string' ? Buffer.from(bytes) : bytes instanceof TerminatedBytes ? bytes.joined() : bytes;
      this.#staged.push(raw);
      this.#stagedBytes += raw.length;
      full = this.#stagedBytes >= GZIP_MEMBER_BYTES ? this.#compressStaged() : false;
    }
    this.#recount();
    return full;
  }

  /** True when a background part upload failed or waits to be sent again: `settle` handles it. */
  get unsettled(): boolean {
    return this.#upload.unsettled;
  }

  /** True when a full part waits for `startPart`. */
  get partFull(): boolean {
    return this.#upload.partFull;
  }

  /** Starts sending the full part in the background (after the part before it was accepted). */
  async startPart(): Promise<void> {
    try {
      await this.#upload.startPart();
    } finally {
      this.#recount();
    }
  }

  /** Waits for the part in flight and retries a failed one (see ObjectUpload.settle). */
  async settle(): Promise<void> {
    try {
      await this.#upload.settle();
    } finally {
      this.#recount();
    }
  }

  async complete(): Promise<void> {
    if (this.#stagedBytes > 0) this.#compressStaged();
    if (this.#container !== null && !this.#containerEnded) {
      this.#containerEnded = true;
      this.#upload.append(this.#container.end());
    }
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
    const now = this.#upload.bufferedBytes + this.#stagedBytes + (this.#containerEnded ? 0 : this.#container?.bufferedBytes ?? 0);
    this.#budget.change(now - this.#counted);
    this.#counted = now;
  }
}
