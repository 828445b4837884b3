/**
 * The restore reads each value file into a buffer of the task's pool, hands out records whose
 * values are views of it, and gives the buffer back only once the runtime says the partition's
 * records are acknowledged through the object's last record. Checked on s3rver through the bytes
 * of the records handed out: a buffer given back too early is overwritten by the next object.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { JsonFormat } from '../../../connectors/s3/formats/json-format.js';
import type { BackupObject } from '../../../connectors/s3/source/backup-index.js';
import { PartitionRestore, type RestorePosition } from '../../../connectors/s3/source/partition-restore.js';
import { ReadAhead } from '../../../connectors/s3/source/read-ahead.js';
import { BufferPool } from '../../../connectors/sdk/buffer-pool.js';
import type { SourceRecord } from '../../../connectors/sdk/connect-record.js';
import { jsonSourceOf } from '../../../connectors/sdk/data/json-source.js';
import { s3rverWithStore } from './s3-test-kit.js';

const BUCKET = 'pooled-restore';
const service = s3rverWithStore(BUCKET);
const TOPIC = 'pooled';
const PER_OBJECT = 5;

/** Four objects of five records, every value of the same length (so each object fits the buffer of any other). */
async function backUp(): Promise<BackupObject[]> {
  const objects: BackupObject[] = [];
  for (let i = 0; i < 4; i++) {
    const start = i * PER_OBJECT;
    const key = `topics/${TOPIC}/partition=0/${TOPIC}+0+${String(start).padStart(10, '0')}.json`;
    const lines = Array.from({ length: PER_OBJECT }, (_, r) => `{"n":${start + r},"object":"${String.fromCharCode(97 + i).repeat(40)}"}\n`).join('');
    await service.s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: lines }));
    objects.push({ key, startOffset: start, valueExtension: '.json', valueGzip: false, keysKey: null, keysExtension: null, headersKey: null, metadataKey: null });
  }
  return objects;
}

const bytesOf = (record: SourceRecord): Buffer => jsonSourceOf(record.value)!;
const textOf = (record: SourceRecord): string => bytesOf(record).toString();
const positionOf = (record: SourceRecord): RestorePosition => record.sourceOffset as unknown as RestorePosition;

describe('PartitionRestore buffers', () => {
  it('reuses the buffer of an object only after its last record is acknowledged, and no record changes before that', async () => {
    const objects = await backUp();
    const buffers = new BufferPool({ minCapacity: 1024, maxFreeBytes: 1 << 20 });
    const format = new JsonFormat();
    const restore = new PartitionRestore(0, service.store, new ReadAhead(0), buffers, () => format,
      { topic: TOPIC, sourcePartition: { bucket: BUCKET, topic: TOPIC, partition: 0 } }, null);
    restore.add(objects);
    const first = await restore.next(PER_OBJECT);
    const second = await restore.next(PER_OBJECT);
    const firstTexts = first.map(textOf);
    const secondTexts = second.map(textOf);
    expect(firstTexts[0]).toBe(`{"n":0,"object":"${'a'.repeat(40)}"}`);

    // Acknowledged up to the first object's fourth record: its buffer is still in use.
    restore.acknowledged(positionOf(first[3]!));
    const third = await restore.next(PER_OBJECT);
    expect(bytesOf(third[0]!).buffer).not.toBe(bytesOf(first[0]!).buffer);
    expect(first.map(textOf)).toEqual(firstTexts);
    expect(second.map(textOf)).toEqual(secondTexts);
    expect(buffers.allocatedBytes).toBe(3 * 1024);

    // Through its last record: the fourth object is read into the first one's buffer; the others are untouched.
    restore.acknowledged(positionOf(first[4]!));
    const fourth = await restore.next(PER_OBJECT);
    expect(bytesOf(fourth[0]!).buffer).toBe(bytesOf(first[0]!).buffer);
    expect(textOf(fourth[0]!)).toBe(`{"n":15,"object":"${'d'.repeat(40)}"}`);
    expect(second.map(textOf)).toEqual(secondTexts);
    expect(third.map(textOf)).toEqual(Array.from({ length: PER_OBJECT }, (_, r) => `{"n":${10 + r},"object":"${'c'.repeat(40)}"}`));
    expect(buffers.allocatedBytes).toBe(3 * 1024);
  });
});
