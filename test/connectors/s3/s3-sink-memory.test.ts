/**
 * The memory cap: a sink task (in-process, against s3rver) with 500 encoded partitions open
 * over four Kafka partitions and far more data than `s3.buffer.max.bytes` never holds more
 * than the cap (plus the record being added), and every offset it commits is in the bucket exactly once
 * (files of one Kafka partition interleave under the FieldPartitioner, so offsets are read from the values).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SinkRecord } from '../../../connectors/sdk/connect-record.js';
import { S3SinkTask } from '../../../connectors/s3/sink/s3-sink-task.js';
import { createBucket, startS3rver, type S3rverProcess } from '../../helpers/s3rver.js';
import { objectLines, standaloneSinkContext, storedObjects } from './s3-test-kit.js';

const CAP = 1024 * 1024;
const RECORDS = 8000;
const PARTITIONS = 4;
const FIELD_VALUES = 500;
let s3: S3rverProcess;

beforeAll(async () => {
  s3 = await startS3rver();
  await createBucket(s3.client, 'memory');
});

afterAll(async () => {
  await s3?.stop();
});

const context = standaloneSinkContext();

function record(i: number): SinkRecord {
  const partition = i % PARTITIONS;
  const offset = Math.floor(i / PARTITIONS);
  return {
    topic: 'wide', kafkaPartition: partition, kafkaOffset: offset, keySchema: null, key: null, valueSchema: null,
    value: new Map<string, unknown>([['region', `r${String(i % FIELD_VALUES).padStart(3, '0')}`], ['offset', offset], ['pad', 'x'.repeat(1000)]]),
    timestamp: null, headers: [], timestampType: 'CreateTime', originalTopic: 'wide', originalKafkaPartition: partition, originalKafkaOffset: offset,
  };
}

it('stays under s3.buffer.max.bytes with 500 encoded partitions open, rotating the largest partition early', async () => {
  const task = new S3SinkTask();
  await task.start({
    ...s3.connectorSettings('memory'), 'format.class': 'JsonFormat', 'flush.size': '1000000',
    'partitioner.class': 'FieldPartitioner', 'partition.field.name': 'region', 's3.buffer.max.bytes': String(CAP),
  }, context);
  let mostOpen = 0;
  for (let i = 0; i < RECORDS; i += 100) {
    await task.put(Array.from({ length: 100 }, (_, n) => record(i + n)));
    mostOpen = Math.max(mostOpen, task.openFileSets);
  }
  expect(mostOpen).toBeGreaterThanOrEqual(450);
  expect(task.peakBufferedBytes).toBeGreaterThan(CAP * 0.9);
  expect(task.peakBufferedBytes).toBeLessThanOrEqual(CAP + 1100);

  const committed = await task.flush(new Map());
  await task.stop();
  expect(committed.size).toBe(PARTITIONS);
  for (const { partition, offset } of committed.values()) {
    expect(offset).toBeGreaterThan(0);
    const files = (await storedObjects(s3.client, 'memory')).filter((o) => o.partition === partition.partition);
    const offsets: number[] = [];
    for (const file of files) {
      for (const line of await objectLines(s3.client, 'memory', file.key)) offsets.push((JSON.parse(line) as { offset: number }).offset);
    }
    expect(offsets.sort((a, b) => a - b)).toEqual(Array.from({ length: offset }, (_, o) => o));
  }
}, 120_000);
