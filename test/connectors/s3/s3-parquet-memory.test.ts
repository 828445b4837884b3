/**
 * ParquetFormat under the memory cap: a sink task (in-process, against s3rver) holding the rows
 * of 200 open Parquet files counts them in `s3.buffer.max.bytes` and completes files early, so it
 * never holds more than the cap plus one record, and every committed offset is in the bucket
 * exactly once (read back with @dsnp/parquetjs).
 */
import { ParquetReader } from '@dsnp/parquetjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SinkRecord } from '../../../connectors/sdk/connect-record.js';
import { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../connectors/sdk/data/struct.js';
import { S3SinkTask } from '../../../connectors/s3/sink/s3-sink-task.js';
import { createBucket, readObject, startS3rver, type S3rverProcess } from '../../helpers/s3rver.js';
import { standaloneSinkContext, storedObjects } from './s3-test-kit.js';

const CAP = 1024 * 1024;
const RECORDS = 6000;
const PARTITIONS = 2;
const FIELD_VALUES = 200;
const ROW = SchemaBuilder.struct().name('Row').field('region', Schema.STRING_SCHEMA).field('offset', Schema.INT64_SCHEMA)
  .field('pad', Schema.STRING_SCHEMA).build();
let s3: S3rverProcess;

beforeAll(async () => {
  s3 = await startS3rver();
  await createBucket(s3.client, 'parquet-memory');
});

afterAll(async () => {
  await s3?.stop();
});

const context = standaloneSinkContext();

function record(i: number): SinkRecord {
  const partition = i % PARTITIONS;
  const offset = Math.floor(i / PARTITIONS);
  return {
    topic: 'rows', kafkaPartition: partition, kafkaOffset: offset, keySchema: null, key: null, valueSchema: ROW,
    value: new Struct(ROW).put('region', `r${String(i % FIELD_VALUES).padStart(3, '0')}`).put('offset', offset).put('pad', 'x'.repeat(1000)),
    timestamp: null, headers: [], timestampType: 'CreateTime', originalTopic: 'rows', originalKafkaPartition: partition, originalKafkaOffset: offset,
  };
}

it('counts buffered Parquet rows in s3.buffer.max.bytes and completes files early, losing and doubling nothing', async () => {
  const task = new S3SinkTask();
  await task.start({
    ...s3.connectorSettings('parquet-memory'), 'format.class': 'ParquetFormat', 'flush.size': '1000000',
    'partitioner.class': 'FieldPartitioner', 'partition.field.name': 'region', 's3.buffer.max.bytes': String(CAP),
  }, context);
  let mostOpen = 0;
  for (let i = 0; i < RECORDS; i += 100) {
    await task.put(Array.from({ length: 100 }, (_, n) => record(i + n)));
    mostOpen = Math.max(mostOpen, task.openFileSets);
  }
  expect(mostOpen).toBeGreaterThanOrEqual(FIELD_VALUES * 0.9);
  expect(task.peakBufferedBytes).toBeGreaterThan(CAP * 0.9);
  expect(task.peakBufferedBytes).toBeLessThanOrEqual(CAP + 1100);

  const committed = await task.flush(new Map());
  await task.stop();
  expect(committed.size).toBe(PARTITIONS);
  const objects = await storedObjects(s3.client, 'parquet-memory');
  expect(objects.every((o) => o.suffix === '.snappy.parquet')).toBe(true);
  for (const { partition, offset } of committed.values()) {
    expect(offset).toBeGreaterThan(0);
    const offsets: number[] = [];
    for (const file of objects.filter((o) => o.partition === partition.partition)) {
      const reader = await ParquetReader.openBuffer(await readObject(s3.client, 'parquet-memory', file.key));
      const cursor = reader.getCursor();
      for (let row = await cursor.next() as { offset: bigint } | null; row !== null; row = await cursor.next() as { offset: bigint } | null) offsets.push(Number(row.offset));
      await reader.close();
    }
    expect(offsets.sort((a, b) => a - b)).toEqual(Array.from({ length: offset }, (_, o) => o));
  }
}, 120_000);
