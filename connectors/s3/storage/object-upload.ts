/**
 * One object written as a stream: bytes are appended to an in-memory part buffer, and a full
 * part (at least `partSize` bytes) is sent as one UploadPart of a multipart upload started on
 * the first full part. So an object holds at most one part (plus the last append) in memory,
 * however large it grows. `complete` sends what is left: as a single PutObject when no part was
 * sent yet (small objects cost one request), else as the last part, then completes the upload.
 * `abort` drops the buffer and aborts a started multipart upload; the object never appears.
 *
 * The object becomes visible only when `complete` resolves; until then nothing under its key
 * changes. Calls must not overlap (the writer awaits each one).
 */
import type { CompletedPart } from '@aws-sdk/client-s3';
import type { S3Store } from './s3-store.js';

export class ObjectUpload {
  readonly key: string;
  readonly #store: S3Store;
  readonly #partSize: number;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #uploadId: string | null = null;
  readonly #parts: CompletedPart[] = [];
  #bytesWritten = 0;

  constructor(store: S3Store, key: string, partSize: number) {
    this.#store = store;
    this.key = key;
    this.#partSize = partSize;
  }

  /** Bytes held in memory, not yet sent. */
  get bufferedBytes(): number {
    return this.#buffered;
  }

  /** Bytes appended so far (the object's size once complete). */
  get size(): number {
    return this.#bytesWritten;
  }

  /** Appends bytes; true when a full part is buffered and `sendPart` should be awaited. */
  append(bytes: Buffer): boolean {
    if (bytes.length === 0) return this.#buffered >= this.#partSize;
    this.#chunks.push(bytes);
    this.#buffered += bytes.length;
    this.#bytesWritten += bytes.length;
    return this.#buffered >= this.#partSize;
  }

  /** Sends the buffered bytes as the next part. On failure the bytes stay buffered, so a retry sends them again. */
  async sendPart(): Promise<void> {
    if (this.#buffered === 0) return;
    const body = this.#take();
    this.#uploadId ??= await this.#store.createMultipartUpload(this.key);
    const part = await this.#store.uploadPart(this.key, this.#uploadId, this.#parts.length + 1, body);
    this.#parts.push(part);
    this.#drop(body.length);
  }

  async complete(): Promise<void> {
    if (this.#uploadId === null) {
      const body = this.#take();
      await this.#store.putObject(this.key, body);
      this.#drop(body.length);
      return;
    }
    if (this.#buffered > 0) await this.sendPart();
    await this.#store.completeMultipartUpload(this.key, this.#uploadId, this.#parts);
  }

  async abort(): Promise<void> {
    this.#chunks = [];
    this.#buffered = 0;
    const uploadId = this.#uploadId;
    this.#uploadId = null;
    if (uploadId !== null) await this.#store.abortMultipartUpload(this.key, uploadId);
  }

  /** The buffered bytes as one Buffer, kept buffered (as that one Buffer) until `#drop`. */
  #take(): Buffer {
    const body = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#buffered);
    this.#chunks = [body];
    return body;
  }

  #drop(bytes: number): void {
    this.#chunks = [];
    this.#buffered -= bytes;
  }
}
