/**
 * s3rver (an S3 protocol server from npm) in a child process, with the settings of the test
 * environment reference: the child runs under `--openssl-legacy-provider` (else paginated
 * ListObjectsV2 answers 500), and clients use path-style requests with checksums only when
 * required (else streamed uploads are stored with their aws-chunked framing).
 *
 * s3rver accepts the credentials S3RVER / S3RVER and rejects others with SignatureDoesNotMatch.
 * Every server still running when the test file finishes is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import {
  CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client, type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { tempDir } from './temp-dir.js';
import { reapAfterFile } from './child-reaper.js';

export const S3RVER_ACCESS_KEY = 'S3RVER';
export const S3RVER_SECRET_KEY = 'S3RVER';
export const S3RVER_REGION = 'us-east-1';

const REPO = path.resolve(import.meta.dirname, '../..');

const SERVER_SCRIPT = `
const S3rver = require('s3rver');
// Further key pairs (e.g. a deployment's MinIO credentials) for the same dummy account.
const account = require('s3rver/lib/models/account');
for (const [id, secret] of JSON.parse(process.env.S3RVER_KEYS || '[]')) account.DUMMY_ACCOUNT.createKeyPair(id, secret);
const server = new S3rver({ port: Number(process.env.S3RVER_PORT), address: '127.0.0.1', silent: true,
  directory: process.env.S3RVER_DIR });
server.run().then((address) => { process.stdout.write(JSON.stringify({ port: address.port }) + '\\n'); },
  (err) => { console.error(err); process.exit(1); });
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
`;

export interface S3rverProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly url: string;
  /** A client with the test environment's settings, talking to this server. */
  readonly client: S3Client;
  /** The connector config keys that point a ferry S3 connector at this server. */
  connectorSettings(bucket: string): Record<string, string>;
  stop(): Promise<void>;
}

export function s3Client(url: string, extra: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    endpoint: url,
    region: S3RVER_REGION,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: S3RVER_ACCESS_KEY, secretAccessKey: S3RVER_SECRET_KEY },
    ...extra,
  });
}

export interface S3rverOptions {
  /** 0 (the default): a free port. */
  port?: number;
  /** Where objects are stored; a fresh temp dir by default. */
  directory?: string;
  /** Key pairs accepted besides S3RVER / S3RVER. */
  credentials?: readonly { accessKeyId: string; secretAccessKey: string }[];
}

/** Starts s3rver on `port` (0: a free one) storing into `directory` (a fresh temp dir by default). */
export function startS3rver(opts: S3rverOptions = {}): Promise<S3rverProcess> {
  const directory = opts.directory ?? tempDir('ferry-s3rver-');
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', SERVER_SCRIPT], {
    cwd: REPO,
    env: {
      ...process.env, S3RVER_PORT: String(opts.port ?? 0), S3RVER_DIR: directory,
      S3RVER_KEYS: JSON.stringify((opts.credentials ?? []).map((c) => [c.accessKeyId, c.secretAccessKey])),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  reapAfterFile(child);
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => {
    resolve();
  }));
  return new Promise((resolve, reject) => {
    let pending = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const match = /\{"port":(\d+)\}/.exec(pending);
      if (match === null) return;
      const port = Number(match[1]);
      const url = `http://127.0.0.1:${port}`;
      resolve({
        child, port, url,
        client: s3Client(url),
        connectorSettings: (bucket) => ({
          's3.bucket.name': bucket,
          's3.region': S3RVER_REGION,
          'store.url': url,
          'aws.access.key.id': S3RVER_ACCESS_KEY,
          'aws.secret.access.key': S3RVER_SECRET_KEY,
        }),
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
    void exited.then(() => reject(new Error(`s3rver exited before listening:\n${output}`)));
  });
}

export async function createBucket(client: S3Client, bucket: string): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
}

/** Every key of the bucket (under `prefix`), in S3's order, following continuation tokens. */
export async function listKeys(client: S3Client, bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) keys.push(object.Key!);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return keys;
}

export async function readObject(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await answer.Body!.transformToByteArray());
}
