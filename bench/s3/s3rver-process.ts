/**
 * s3rver for the benchmark, in its own process under `--openssl-legacy-provider` (paginated
 * listings need it on Node 20), storing into a temp directory; and an S3 client with the
 * settings S3-compatible stores need (path style, checksums only when required).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { S3Client } from '@aws-sdk/client-s3';
import { REPO_ROOT } from '../broker/paths.js';

export const S3RVER_KEY = 'S3RVER';

export interface S3rver {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

const SCRIPT = `const S3rver = require('s3rver');
new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: process.argv[1] }).run()
  .then((a) => console.log(JSON.stringify({ port: a.port })), (e) => { console.error(e); process.exit(1); });`;

export function startS3rver(directory: string): Promise<S3rver> {
  const child: ChildProcess = spawn(process.execPath, ['--openssl-legacy-provider', '-e', SCRIPT, directory], {
    cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
    child.stdout!.once('data', (chunk: Buffer) => {
      const { port } = JSON.parse(chunk.toString()) as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        pid: child.pid!,
        stop: () => new Promise<void>((done) => {
          child.removeAllListeners('exit');
          child.once('exit', () => done());
          child.kill('SIGKILL');
        }),
      });
    });
  });
}

export function s3Client(url: string): S3Client {
  return new S3Client({
    endpoint: url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
