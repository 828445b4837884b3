/**
 * The restore reads the next objects ahead: while one object's records are handed out, the next
 * objects' value files are already downloading from S3 (s3rver here), side by side up to the
 * task's cap, so the task does not wait for S3 between objects. Checked through the downloads the
 * restore starts: each object is downloaded once, the next ones as soon as the current one is
 * ready, no more at once than the task's cap, and a read ahead that failed is made again when
 * its object is read.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { JsonFormat } from '../../../connectors/s3/formats/json-format.js';
import type { BackupObject } from '../../../connectors/s3/source/backup-index.js';
import { PartitionRestore } from '../../../connectors/s3/source/partition-restore.js';
import { ReadAhead } from '../../../connectors/s3/source/read-ahead.js';
import type { S3Store } from '../../../connectors/s3/storage/s3-store.js';
import { BufferPool } from '../../../connectors/sdk/buffer-pool.js';
import { RetriableError } from '../../../connectors/sdk/errors.js';
import { s3rverWithStore } from './s3-test-kit.js';

const BUCKET = 'read-ahead';
const service = s3rverWithStore(BUCKET);
const OBJECTS = 4;
const PER_OBJECT = 5;

/** The value object of `topic`'s partition 0 that starts at `start`, as the backup index lists it. */
function backupObject(topic: string, start: number): BackupObject {
  return {
    key: `topics/${topic}/partition=0/${topic}+0+${String(start).padStart(10, '0')}.json`, startOffset: start,
    valueExtension: '.json', valueGzip: false, keysKey: null, keysExtension: null, headersKey: null, metadataKey: null,
  };
}

async function backUp(topic: string): Promise<BackupObject[]> {
  const objects = Array.from({ length: OBJECTS }, (_, i) => backupObject(topic, i * PER_OBJECT));
  for (const [i, object] of objects.entries()) {
    const lines = Array.from({ length: PER_OBJECT }, (_, r) => `{"n":${i * PER_OBJECT + r}}\n`).join('');
    await service.s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: object.key, Body: lines }));
  }
  return objects;
}

/** The store, with every download the restore starts recorded (and the first download of `failOnce` failing). */
function watchedStore(failOnce?: string): { store: S3Store; downloads: string[] } {
  const downloads: string[] = [];
  let failed = false;
  const download = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    downloads.push(key);
    if (key === failOnce && !failed) {
      failed = true;
      return Promise.reject(new RetriableError(`S3 read of ${key} failed: SlowDown`));
    }
    return read();
  };
  const watched = {
    getObjectInto(key: string, allocate: (size: number) => Buffer): Promise<Buffer> {
      return download(key, () => service.store.getObjectInto(key, allocate));
    },
    getObjectChunks(key: string): Promise<Buffer[]> {
      return download(key, () => service.store.getObjectChunks(key));
    },
    getObject: (key: string): Promise<Buffer> => service.store.getObject(key),
  };
  return { store: watched as unknown as S3Store, downloads };
}

function restoreOf(topic: string, watched: S3Store, readAhead: ReadAhead): PartitionRestore {
  const format = new JsonFormat();
  return new PartitionRestore(0, watched, readAhead, new BufferPool({ minCapacity: 1024, maxFreeBytes: 1 << 20 }), () => format,
    { topic, sourcePartition: { bucket: BUCKET, topic, partition: 0 } }, null);
}

/** Two partitions of one task (two topics backed up), each having handed out its first record. */
async function twoPartitionsStarted(topics: readonly [string, string], readAhead: ReadAhead) {
  const first = await backUp(topics[0]);
  const second = await backUp(topics[1]);
  const { store: watched, downloads } = watchedStore();
  const a = restoreOf(topics[0], watched, readAhead);
  const b = restoreOf(topics[1], watched, readAhead);
  a.add(first);
  b.add(second);
  await a.next(1);
  await b.next(1);
  return { first, second, a, b, downloads };
}

const numbers = (records: readonly { value: unknown }[]) => records.map((r) => (r.value as Map<string, unknown>).get('n'));

describe('the S3 restore reads ahead', () => {
  it('starts downloading the next objects, as many as the cap allows, as soon as the current one is ready, and downloads each object once', async () => {
    const objects = await backUp('orders');
    const { store: watched, downloads } = watchedStore();
    const restore = restoreOf('orders', watched, new ReadAhead(2));
    restore.add(objects);
    const taken = [...await restore.next(1)];
    expect(downloads).toEqual([objects[0]!.key, objects[1]!.key, objects[2]!.key]);
    taken.push(...await restore.next(PER_OBJECT - 1));
    expect(downloads).toHaveLength(3);
    while (restore.hasWork) {
      taken.push(...await restore.next(PER_OBJECT));
      expect(downloads.length).toBeLessThanOrEqual(Math.min(OBJECTS, taken.length / PER_OBJECT + 2));
    }
    expect(downloads).toEqual(objects.map((o) => o.key));
    expect(numbers(taken)).toEqual(Array.from({ length: OBJECTS * PER_OBJECT }, (_, n) => n));
  });

  it('holds no more objects read ahead than the task allows, over all its partitions', async () => {
    const { first, second, a, b, downloads } = await twoPartitionsStarted(['first', 'second'], new ReadAhead(1));
    expect(downloads).toEqual([first[0]!.key, first[1]!.key, second[0]!.key]);
    // `a` reads the object it read ahead, and its place goes to `a`'s next object again; `b`
    // downloads its next object when it needs it and reads nothing ahead.
    await a.next(PER_OBJECT - 1);
    await a.next(1);
    await b.next(PER_OBJECT - 1);
    await b.next(1);
    expect(downloads).toEqual([first[0]!.key, first[1]!.key, second[0]!.key, first[2]!.key, second[1]!.key]);
  });

  it('shares the places fairly: with two partitions under a cap of two, each reads one object ahead', async () => {
    const { first, second, downloads } = await twoPartitionsStarted(['left', 'right'], new ReadAhead(2));
    expect(downloads).toEqual([first[0]!.key, first[1]!.key, second[0]!.key, second[1]!.key]);
  });

  it('gives the place of an object read ahead back when the object turns out to hold nothing to restore', async () => {
    // Two objects whose metadata files give the same Kafka offsets: once the first is handed
    // out, the second (read ahead meanwhile) holds only records at or before the position, so
    // the restore drops it without reading its value file.
    const objects = (await backUp('repeated')).slice(0, 2).map((o, i) => ({ ...o, metadataKey: `${o.key}.metadata${i}` }));
    for (const object of objects) {
      const metadata = Array.from({ length: PER_OBJECT }, (_, r) => `{"offset":${r},"timestamp":null}\n`).join('');
      await service.s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: object.metadataKey, Body: metadata }));
    }
    const other = await backUp('other');
    const { store: watched, downloads } = watchedStore();
    const readAhead = new ReadAhead(1);
    const restore = restoreOf('repeated', watched, readAhead);
    restore.add(objects);
    expect(numbers(await restore.next(PER_OBJECT))).toEqual([0, 1, 2, 3, 4]);
    expect(downloads).toEqual([objects[0]!.key, objects[1]!.key]);
    expect(await restore.next(PER_OBJECT)).toEqual([]);
    expect(restore.hasWork).toBe(false);
    // The place is free: another partition of the task reads ahead.
    const next = restoreOf('other', watched, readAhead);
    next.add(other);
    await next.next(1);
    expect(downloads.slice(2)).toEqual([other[0]!.key, other[1]!.key]);
  });

  it('throws a failed read ahead where the object is read, and reads the object again on the next poll', async () => {
    const objects = await backUp('flaky');
    const { store: watched, downloads } = watchedStore(objects[1]!.key);
    const restore = restoreOf('flaky', watched, new ReadAhead(2));
    restore.add(objects);
    const taken = [...await restore.next(PER_OBJECT)];
    await expect(restore.next(PER_OBJECT)).rejects.toThrow(RetriableError);
    while (restore.hasWork) taken.push(...await restore.next(PER_OBJECT));
    expect(downloads.filter((k) => k === objects[1]!.key)).toHaveLength(2);
    expect(numbers(taken)).toEqual(Array.from({ length: OBJECTS * PER_OBJECT }, (_, n) => n));
  });
});

