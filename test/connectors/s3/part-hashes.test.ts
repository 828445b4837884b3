/**
 * The sink hashes each part while it fills, and its uploads are signed with that hash: S3 (which
 * checks x-amz-content-sha256 against the body) gets the right one, and the SDK no longer hashes
 * the body when the request goes out. Checked on the part buffer, and on uploads to s3rver through
 * a proxy that sees the headers.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectUpload } from '../../../connectors/s3/storage/object-upload.js';
import { PartBuffer } from '../../../connectors/s3/storage/part-buffer.js';
import { S3Store } from '../../../connectors/s3/storage/s3-store.js';
import { storeSettingsOf } from '../../../connectors/s3/storage/s3-store-settings.js';
import { s3SourceSpec } from '../../../connectors/s3/source/s3-source-config.js';
import { startS3FaultProxy, type S3FaultProxy } from '../../helpers/s3-fault-proxy.js';
import { createBucket, readObject, startS3rver, type S3rverProcess } from '../../helpers/s3rver.js';
import { seededRandom } from '../../helpers/seeded-random.js';
import { QUIET_LOGGER } from './s3-test-kit.js';

const BUCKET = 'part-hashes';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('PartBuffer', () => {
  it('hands out each part with the SHA-256 of exactly its bytes, however they were appended', () => {
    const random = seededRandom(4);
    const buffer = new PartBuffer();
    for (const size of [0, 1, 1000, 300_000, 3_000_000]) {
      const pieces: Buffer[] = [];
      let length = 0;
      while (length < size) {
        const kind = Math.floor(random() * 3);
        const n = 1 + Math.floor(random() * 5000);
        const text = 'é-€-a'.repeat(Math.ceil(n / 5)).slice(0, n);
        const bytes = Buffer.from(text);
        if (kind === 0) buffer.append(text);
        else if (kind === 1) buffer.append(bytes);
        else buffer.append({ bytes, terminator: Buffer.from('\n') });
        pieces.push(bytes, ...(kind === 2 ? [Buffer.from('\n')] : []));
        length += bytes.length + (kind === 2 ? 1 : 0);
      }
      const expected = Buffer.concat(pieces);
      const part = buffer.take();
      expect(part.bytes.equals(expected), `part of ${size} bytes`).toBe(true);
      expect(part.sha256, `part of ${size} bytes`).toBe(sha256(expected));
    }
  });

  it('starts each part with a fresh hash, also after a dropped one', () => {
    const buffer = new PartBuffer();
    buffer.append('x'.repeat(400_000));
    buffer.drop();
    buffer.append('abc');
    expect(buffer.take().sha256).toBe(sha256(Buffer.from('abc')));
    expect(buffer.take()).toEqual({ bytes: Buffer.alloc(0), sha256: sha256(Buffer.alloc(0)) });
  });
});

describe('uploads signed with the hash computed while filling', () => {
  let s3: S3rverProcess;
  let proxy: S3FaultProxy;
  let store: S3Store;
  const sent: { url: string; hash: string | undefined; length: number }[] = [];

  beforeAll(async () => {
    s3 = await startS3rver();
    await createBucket(s3.client, BUCKET);
    proxy = await startS3FaultProxy(s3.url);
    proxy.onRequest((method, url, headers) => {
      if (method === 'PUT') sent.push({ url, hash: headers['x-amz-content-sha256'] as string | undefined, length: Number(headers['content-length']) });
    });
    const settings = storeSettingsOf(s3SourceSpec.parse({ ...s3.connectorSettings(BUCKET), 'store.url': proxy.url }));
    store = await S3Store.open(settings, QUIET_LOGGER);
  });
  afterAll(async () => {
    store?.destroy();
    await proxy?.close();
    await s3?.stop();
  });

  it('a single PutObject and every part of a multipart upload carry their body\'s hash, and S3 stores the bodies', async () => {
    const line = `${'{"n":1,"text":"0123456789abcdef"}'.repeat(30)}\n`;
    for (const [key, partSize, lines] of [['small.json', 5 * 1024 * 1024, 100], ['large.json', 5 * 1024 * 1024, 12_000]] as const) {
      sent.length = 0;
      const upload = new ObjectUpload(store, key, partSize);
      const body = Buffer.from(line.repeat(lines));
      for (let i = 0; i < lines; i++) if (upload.append(line)) await upload.startPart();
      await upload.complete();
      const stored = await readObject(s3.client, BUCKET, key);
      expect(stored.equals(body), key).toBe(true);
      const uploads = sent.filter((r) => r.url.includes(key) && (r.url.includes('partNumber=') || !r.url.includes('uploadId=')));
      expect(uploads.length, key).toBe(key === 'small.json' ? 1 : Math.ceil(body.length / partSize));
      // Each part's hash is that of its slice of the body, in part order.
      let at = 0;
      for (const r of uploads) {
        expect(r.hash, `${key} ${r.url}`).toBe(sha256(body.subarray(at, at + r.length)));
        at += r.length;
      }
      expect(at, key).toBe(body.length);
    }
  });

  it('the hash given is the one signed: the SDK does not hash the body again', async () => {
    sent.length = 0;
    const given = sha256(Buffer.from('not the body'));
    await store.putObject('given.json', Buffer.from('{"a":1}\n'), given);
    expect(sent.map((r) => r.hash)).toEqual([given]);
    sent.length = 0;
    await store.putObject('computed.json', Buffer.from('{"a":1}\n'));
    expect(sent.map((r) => r.hash)).toEqual([sha256(Buffer.from('{"a":1}\n'))]);
  });
});
