/**
 * One object written as a stream: bytes are appended to an in-memory part buffer, and a full
 * part (at least `partSize` bytes) is sent as one UploadPart of a multipart upload started on
 * the first full part. `complete` sends what is left: as a single PutObject when no part was
 * sent yet (small objects cost one request), else as the last part, then completes the upload.
 * `abort` drops the buffers and aborts a started multipart upload; the object never appears.
 * The object becomes visible only when `complete` resolves.
 *
 * Pipelining: `startPart` sends a full part in the background, so the writer keeps appending
 * records while it uploads. At most one part is in flight: `startPart` first awaits the one
 * before it (back-pressure), so an object holds at most two parts in memory (the one being
 * sent and the one filling). A part's bytes stay held until S3 accepted it.
 *
 * Failure: a background upload that fails (after the store's own retries) keeps its bytes and
 * its error; the next `settle`, `startPart` or `complete` throws that error once, and the call
 * after it sends the same bytes again as the same part number. So a failure surfaces at the
 * next call, and nothing is lost or sent twice.
 *
 * Calls must not overlap (the writer awaits each one); only the background send runs beside
 * them, and it touches nothing but the part it was given, `#uploadId` and `#parts`.
 *
 * Hashes: each part is sent with the SHA-256 its PartBuffer computed while it filled, which
 * SigV4 signs instead of hashing the body when the request goes out (see part-buffer.ts).
 *
 * Buffers: a part's bytes go back to the part buffers' pool (see part-buffer.ts) when S3 has
 * accepted them or `abort` drops them, and at no other time: a failed part keeps its bytes.
 */
import type { CompletedPart } from '@aws-sdk/client-s3';
import { PartBuffer, releasePart, type FilledPart } from './part-buffer.js';
import type { S3Store } from './s3-store.js';

interface PendingPart extends FilledPart {
  readonly number: number;
}

export class ObjectUpload {
  readonly key: string;
  readonly #store: S3Store;
  readonly #partSize: number;
  readonly #onRelease: () => void;
  #filling: PartBuffer;
  #uploadId: string | null = null;
  readonly #parts: CompletedPart[] = [];
  #bytesWritten = 0;
  /** The part being sent in the background, or one whose send failed (kept for the retry). */
  #pending: PendingPart | null = null;
  #inFlight: Promise<void> | null = null;
  #failure: unknown = null;
  #completed = false;
  /** The whole object of a single PutObject, kept until S3 accepted it. */
  #single: FilledPart | null = null;

  /** `onRelease` is called when a background send releases the bytes of its part. */
  constructor(store: S3Store, key: string, partSize: number, onRelease: () => void = () => {}) {
    this.#store = store;
    this.key = key;
    this.#partSize = partSize;
    this.#onRelease = onRelease;
    this.#filling = new PartBuffer();
  }

  /** Bytes held in memory, not yet accepted by S3 (the filling part and the one in flight). */
  get bufferedBytes(): number {
    return this.#filling.length + (this.#pending?.bytes.length ?? 0) + (this.#single?.bytes.length ?? 0);
  }

  /** Bytes appended so far (the object's size once complete). */
  get size(): number {
    return this.#bytesWritten;
  }

  /** True when a background send failed, or failed before and waits to be sent again: `settle` handles it. */
  get unsettled(): boolean {
    return this.#failure !== null || (this.#pending !== null && this.#inFlight === null);
  }

  /** True when the filling part is full and waits for `startPart`. */
  get partFull(): boolean {
    return this.#filling.length >= this.#partSize;
  }

  /** Appends bytes (a string as UTF-8, or bytes and their terminator); true when a full part is buffered and `startPart` should be called. */
  append(bytes: Parameters<PartBuffer['append']>[0]): boolean {
    const before = this.#filling.length;
    this.#filling.append(bytes);
    this.#bytesWritten += this.#filling.length - before;
    return this.#filling.length >= this.#partSize;
  }

  /** Waits for the part in flight; throws its failure once; resends a part whose send failed before. */
  async settle(): Promise<void> {
    if (this.#inFlight !== null) await this.#inFlight;
    if (this.#failure !== null) {
      const failure = this.#failure;
      this.#failure = null;
      throw failure;
    }
    if (this.#pending !== null) await this.#send(this.#pending);
  }

  /** Starts sending the filling bytes as the next part, after the part before it was accepted. */
  async startPart(): Promise<void> {
    await this.settle();
    if (this.#filling.length === 0) return;
    const part = { number: this.#parts.length + 1, ...this.#take() };
    this.#pending = part;
    this.#inFlight = this.#send(part).then(() => this.#onRelease(), (err: unknown) => {
      this.#failure = err;
    }).finally(() => {
      this.#inFlight = null;
    });
  }

  async complete(): Promise<void> {
    if (this.#completed) return;
    await this.settle();
    if (this.#uploadId === null) {
      this.#single ??= this.#take();
      await this.#store.putObject(this.key, this.#single.bytes, this.#single.sha256);
      releasePart(this.#single.bytes);
      this.#single = null;
    } else {
      if (this.#filling.length > 0) await this.#send({ number: this.#parts.length + 1, ...this.#take() });
      await this.#store.completeMultipartUpload(this.key, this.#uploadId, this.#parts);
    }
    this.#completed = true;
  }

  async abort(): Promise<void> {
    await this.#inFlight;
    this.#filling.drop();
    if (this.#pending !== null) releasePart(this.#pending.bytes);
    if (this.#single !== null) releasePart(this.#single.bytes);
    this.#pending = null;
    this.#single = null;
    this.#failure = null;
    const uploadId = this.#uploadId;
    this.#uploadId = null;
    if (uploadId !== null && !this.#completed) await this.#store.abortMultipartUpload(this.key, uploadId);
  }

  /** Sends one part; on success it is recorded and released, on failure it stays pending. */
  async #send(part: PendingPart): Promise<void> {
    this.#pending = part;
    this.#uploadId ??= await this.#store.createMultipartUpload(this.key);
    const completed = await this.#store.uploadPart(this.key, this.#uploadId, part.number, part.bytes, part.sha256);
    this.#parts.push(completed);
    this.#pending = null;
    releasePart(part.bytes);
  }

  /** The filling bytes as one Buffer and their hash, moved out of the filling part. */
  #take(): FilledPart {
    return this.#filling.take();
  }
}
