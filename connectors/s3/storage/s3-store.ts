/**
 * The one way the S3 connectors talk to S3: an S3Client bound to a bucket, every request
 * retried after transient failures with exponential back-off and jitter (`s3.part.retries`,
 * `s3.retry.backoff.ms`), then turned into a RetriableError (transient) or ConnectError
 * (anything else) that names the bucket and carries S3's message (see s3-failure.ts).
 *
 * The SDK's own retries are off (maxAttempts 1) so that the connector settings are the only
 * retry policy. With a custom `store.url`, checksums are computed and validated only where S3
 * requires them: S3-compatible stores (MinIO, s3rver) otherwise store streamed uploads with
 * their aws-chunked framing.
 *
 * The SDK is loaded by `S3Store.open` (see s3-module.ts), not when this module is imported.
 */
import type {
  CompletedPart, ObjectCannedACL, PutObjectCommand, S3Client, S3ClientConfig, ServerSideEncryption, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Password } from '../../sdk/config/config-spec.js';
import type { TaskLogger } from '../../sdk/task-logger.js';
import { isTransientS3Error, s3ErrorText, s3Failure } from './s3-failure.js';
import { loadS3Module, type S3Module } from './s3-module.js';

const MAX_BACKOFF_MS = 20_000;

export interface S3StoreSettings {
  readonly bucket: string;
  readonly region: string;
  readonly storeUrl: string | null;
  readonly pathStyle: boolean;
  readonly accessKeyId: Password;
  readonly secretAccessKey: Password;
  readonly retries: number;
  readonly backoffMs: number;
  readonly requestTimeoutMs: number;
}

/** Per-object write options: encryption and ACL. */
export interface ObjectWriteOptions {
  readonly serverSideEncryption?: ServerSideEncryption;
  readonly kmsKeyId?: string;
  readonly customerKey?: string;
  readonly acl?: ObjectCannedACL;
}

export interface ListedObject {
  readonly key: string;
  readonly size: number;
}

/** The S3Client settings of `settings` (exported for the benchmark's bare baseline). */
export function s3ClientConfig(settings: Omit<S3StoreSettings, 'bucket' | 'retries' | 'backoffMs'>): S3ClientConfig {
  const key = settings.accessKeyId.reveal();
  return {
    region: settings.region,
    forcePathStyle: settings.pathStyle,
    maxAttempts: 1,
    requestHandler: { requestTimeout: settings.requestTimeoutMs, connectionTimeout: Math.min(settings.requestTimeoutMs, 10_000) },
    ...(key === '' ? {} : { credentials: { accessKeyId: key, secretAccessKey: settings.secretAccessKey.reveal() } }),
    ...(settings.storeUrl === null || settings.storeUrl === '' ? {} : {
      endpoint: settings.storeUrl,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  };
}

/** What the reads below need of a GetObject response body. */
type GetObjectBody = { transformToByteArray(): Promise<Uint8Array> };

/**
 * A GetObject body as the chunks it arrived in. On Node the body is the response stream, whose
 * chunks are kept as they are (the SDK's transformToByteArray joins them into a zero-filled
 * array, which Buffer.from then copies again).
 */
async function bodyChunks(body: GetObjectBody): Promise<Buffer[]> {
  if (!(body instanceof Readable)) {
    const bytes = await body.transformToByteArray();
    return [Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)];
  }
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
  return chunks;
}

const PAYLOAD_HASH_HEADER = 'x-amz-content-sha256';

/**
 * The command, sending `sha256` (the body's SHA-256, hex) as x-amz-content-sha256, which SigV4
 * then signs as it is instead of hashing the body when the request goes out. A header some other
 * step set (a streaming signature) is left as it is.
 */
function withPayloadHash<C extends PutObjectCommand | UploadPartCommand>(command: C, sha256: string | undefined): C {
  if (sha256 === undefined) return command;
  // Both commands have the same stack; typed as one, so that the step's overload is chosen.
  (command as PutObjectCommand).middlewareStack.add((next) => (args) => {
    const headers = (args.request as { headers?: Record<string, string> }).headers;
    if (headers !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === PAYLOAD_HASH_HEADER)) headers[PAYLOAD_HASH_HEADER] = sha256;
    return next(args);
  }, { step: 'build', name: 'ferryPayloadHash' });
  return command;
}

function joined(chunks: readonly Buffer[]): Buffer {
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

export class S3Store {
  readonly bucket: string;
  readonly #sdk: S3Module;
  readonly #client: S3Client;
  readonly #retries: number;
  readonly #backoffMs: number;
  readonly #logger: TaskLogger;
  readonly #write: ObjectWriteOptions;

  /** A store on a new S3Client (or on `client`), loading the SDK on the first call of the process. */
  static async open(settings: S3StoreSettings, logger: TaskLogger, write: ObjectWriteOptions = {}, client?: S3Client): Promise<S3Store> {
    const sdk = await loadS3Module();
    return new S3Store(sdk, client ?? new sdk.S3Client(s3ClientConfig(settings)), settings, logger, write);
  }

  private constructor(sdk: S3Module, client: S3Client, settings: S3StoreSettings, logger: TaskLogger, write: ObjectWriteOptions) {
    this.bucket = settings.bucket;
    this.#sdk = sdk;
    this.#client = client;
    this.#retries = settings.retries;
    this.#backoffMs = settings.backoffMs;
    this.#logger = logger;
    this.#write = write;
  }

  /** Lists one key: fails (naming the bucket) when the bucket is missing or the credentials are refused. */
  async probe(): Promise<void> {
    await this.#send('list', () => this.#client.send(new this.#sdk.ListObjectsV2Command({ Bucket: this.bucket, MaxKeys: 1 })));
  }

  /** `sha256`: the body's SHA-256 in hex, when the caller has it (else the SDK hashes the body as it signs). */
  async putObject(key: string, body: Buffer, sha256?: string): Promise<void> {
    await this.#send(`upload of ${key}`, () => this.#client.send(withPayloadHash(new this.#sdk.PutObjectCommand({
      Bucket: this.bucket, Key: key, Body: body, ContentLength: body.length, ...this.#encryption(), ACL: this.#write.acl,
    }), sha256)));
  }

  async createMultipartUpload(key: string): Promise<string> {
    const answer = await this.#send(`multipart upload start of ${key}`, () => this.#client.send(new this.#sdk.CreateMultipartUploadCommand({
      Bucket: this.bucket, Key: key, ...this.#encryption(), ACL: this.#write.acl,
    })));
    if (answer.UploadId === undefined) throw new Error(`S3 returned no upload id for ${key}`);
    return answer.UploadId;
  }

  async uploadPart(key: string, uploadId: string, partNumber: number, body: Buffer, sha256?: string): Promise<CompletedPart> {
    const answer = await this.#send(`part ${partNumber} upload of ${key}`, () => this.#client.send(withPayloadHash(new this.#sdk.UploadPartCommand({
      Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body, ContentLength: body.length,
      ...this.#customerKey(),
    }), sha256)));
    return { PartNumber: partNumber, ETag: answer.ETag };
  }

  async completeMultipartUpload(key: string, uploadId: string, parts: readonly CompletedPart[]): Promise<void> {
    await this.#send(`multipart upload completion of ${key}`, () => this.#client.send(new this.#sdk.CompleteMultipartUploadCommand({
      Bucket: this.bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: [...parts] }, ...this.#customerKey(),
    })));
  }

  /** Best effort: an upload that cannot be aborted is only logged (a bucket lifecycle rule cleans it up). */
  async abortMultipartUpload(key: string, uploadId: string): Promise<void> {
    try {
      await this.#client.send(new this.#sdk.AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }));
    } catch (err) {
      this.#logger.warn({ bucket: this.bucket, key, err: s3ErrorText(err) }, 'Could not abort a multipart upload; it stays until the bucket\'s lifecycle rules remove it');
    }
  }

  async putTags(key: string, tags: ReadonlyMap<string, string>): Promise<void> {
    await this.#send(`tagging of ${key}`, () => this.#client.send(new this.#sdk.PutObjectTaggingCommand({
      Bucket: this.bucket, Key: key, Tagging: { TagSet: [...tags].map(([Key, Value]) => ({ Key, Value })) },
    })));
  }

  async getObject(key: string): Promise<Buffer> {
    return joined(await this.getObjectChunks(key));
  }

  /** The object's bytes in the chunks they arrived in, not joined (for readers that can take them so). */
  async getObjectChunks(key: string): Promise<Buffer[]> {
    return this.#getObject(key, (body) => bodyChunks(body), []);
  }

  /**
   * The object's bytes in one buffer from `allocate` (given the object's length), filled as the
   * chunks arrive: the chunks die young, and the caller may reuse the buffer (getObjectChunks
   * keeps the chunks, each new memory for the garbage collector to follow).
   */
  async getObjectInto(key: string, allocate: (size: number) => Buffer): Promise<Buffer> {
    return this.#getObject(key, async (body, length) => {
      if (length === undefined || !(body instanceof Readable)) return joined(await bodyChunks(body));
      const into = allocate(length);
      let at = 0;
      for await (const chunk of body as AsyncIterable<Buffer>) {
        if (at + chunk.length > length) throw new Error(`the body of ${key} is longer than its Content-Length, ${length} bytes`);
        chunk.copy(into, at);
        at += chunk.length;
      }
      // A body cut short is a broken connection (retried as one).
      if (at < length) throw new Error(`ECONNRESET: the body of ${key} ended after ${at} of its ${length} bytes`);
      return into;
    }, Buffer.alloc(0));
  }

  /** GetObject, retried as every request is, with its body read by `read` (or `empty` without one). */
  #getObject<T>(key: string, read: (body: GetObjectBody, length: number | undefined) => Promise<T>, empty: T): Promise<T> {
    return this.#send(`read of ${key}`, async () => {
      const answer = await this.#client.send(new this.#sdk.GetObjectCommand({ Bucket: this.bucket, Key: key, ...this.#customerKey() }));
      return answer.Body === undefined ? empty : read(answer.Body, answer.ContentLength);
    });
  }

  async deleteObjects(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      await this.#send(`delete of ${batch.length} objects`, () => this.#client.send(new this.#sdk.DeleteObjectsCommand({
        Bucket: this.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
      })));
    }
  }

  /** Every object under `prefix` (after `startAfter`), page by page, in key order. */
  async *list(prefix: string, startAfter?: string): AsyncGenerator<ListedObject[]> {
    let token: string | undefined;
    do {
      const page = await this.#send(`list of ${prefix}`, () => this.#client.send(new this.#sdk.ListObjectsV2Command({
        Bucket: this.bucket, Prefix: prefix, ContinuationToken: token, StartAfter: token === undefined ? startAfter : undefined,
      })));
      yield (page.Contents ?? []).map((o) => ({ key: o.Key ?? '', size: o.Size ?? 0 }));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  /** The first key under `prefix` that sorts after `startAfter`, or null. */
  async firstKeyAfter(prefix: string, startAfter: string): Promise<string | null> {
    const page = await this.#send(`list of ${prefix}`, () => this.#client.send(new this.#sdk.ListObjectsV2Command({
      Bucket: this.bucket, Prefix: prefix, StartAfter: startAfter, MaxKeys: 1,
    })));
    return page.Contents?.[0]?.Key ?? null;
  }

  destroy(): void {
    this.#client.destroy();
  }

  #encryption(): Record<string, string> {
    const w = this.#write;
    if (w.customerKey !== undefined) return this.#customerKey();
    if (w.serverSideEncryption === undefined) return {};
    return { ServerSideEncryption: w.serverSideEncryption, ...(w.kmsKeyId ? { SSEKMSKeyId: w.kmsKeyId } : {}) };
  }

  #customerKey(): Record<string, string> {
    const key = this.#write.customerKey;
    return key === undefined ? {} : { SSECustomerAlgorithm: 'AES256', SSECustomerKey: key };
  }

  async #send<T>(action: string, request: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request();
      } catch (err) {
        if (!isTransientS3Error(err) || attempt > this.#retries) throw s3Failure(err, this.bucket, action, attempt);
        const delay = Math.min(MAX_BACKOFF_MS, this.#backoffMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
        this.#logger.warn({ bucket: this.bucket, attempt, delayMs: Math.round(delay), err: s3ErrorText(err) }, `S3 ${action} failed; retrying`);
        await sleep(delay);
      }
    }
  }
}
