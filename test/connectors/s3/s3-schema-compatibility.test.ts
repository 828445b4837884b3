/**
 * schema.compatibility with AvroFormat (a sink task in-process against s3rver): NONE starts a
 * file at every schema change; BACKWARD starts one at a higher version and projects records of a
 * lower version onto the open file's schema (missing optional fields null, defaults filled in);
 * FORWARD the other way round; a schema without a version is a data error outside NONE. Files
 * are read back with avsc's container decoder.
 */
import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SinkRecord } from '../../../connectors/sdk/connect-record.js';
import { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../connectors/sdk/data/struct.js';
import { S3SinkTask } from '../../../connectors/s3/sink/s3-sink-task.js';
import { createBucket, readObject, startS3rver, type S3rverProcess } from '../../helpers/s3rver.js';
import { until } from '../../helpers/until.js';
import { standaloneSinkContext, storedObjects } from './s3-test-kit.js';

let s3: S3rverProcess;

beforeAll(async () => {
  s3 = await startS3rver();
});

afterAll(async () => {
  await s3?.stop();
});


const V1 = SchemaBuilder.struct().name('Order').version(1).field('id', Schema.INT32_SCHEMA).build();
const V2 = SchemaBuilder.struct().name('Order').version(2).field('id', Schema.INT64_SCHEMA)
  .field('channel', Schema.OPTIONAL_STRING_SCHEMA).field('priority', SchemaBuilder.int32().defaultValue(5).build()).build();
const UNVERSIONED = SchemaBuilder.struct().name('Order').field('id', Schema.INT32_SCHEMA).field('x', Schema.OPTIONAL_STRING_SCHEMA).build();

function record(offset: number, schema: Schema): SinkRecord {
  const value = new Struct(schema).put('id', offset);
  if (schema === V2) value.put('channel', `c${offset}`).put('priority', 1);
  return {
    topic: 'orders', kafkaPartition: 0, kafkaOffset: offset, keySchema: null, key: null, valueSchema: schema, value,
    timestamp: null, headers: [], timestampType: 'CreateTime', originalTopic: 'orders', originalKafkaPartition: 0, originalKafkaOffset: offset,
  };
}

async function avscRecords(content: Buffer): Promise<unknown[]> {
  const decoder = new avro.streams.BlockDecoder({ codecs: { null: (buf: Buffer, cb: (err: Error | null, out?: Buffer) => void) => cb(null, buf) } });
  const records: unknown[] = [];
  const done = new Promise<void>((resolve, reject) => {
    decoder.on('data', (r: object) => records.push({ ...r }));
    decoder.on('end', resolve);
    decoder.on('error', reject);
  });
  decoder.end(content);
  await done;
  return records;
}

let buckets = 0;

/** Writes records of the given schemas at offsets 0, 1, ... and returns each object's start offset with its records, and the errant offsets. */
async function writeAll(compatibility: string, schemas: readonly Schema[]): Promise<{ files: [number, unknown[]][]; errant: number[] }> {
  const bucket = `compat-${++buckets}`;
  await createBucket(s3.client, bucket);
  const errant: number[] = [];
  const context = standaloneSinkContext((r) => errant.push(r.kafkaOffset));
  let now = Date.UTC(2024, 0, 1);
  const task = new S3SinkTask({ clock: () => now });
  await task.start({
    ...s3.connectorSettings(bucket), 'format.class': 'AvroFormat', 'flush.size': '1000', 'schema.compatibility': compatibility,
    'rotate.schedule.interval.ms': '60000', timezone: 'UTC',
  }, context);
  try {
    await task.put(schemas.map((schema, offset) => record(offset, schema)));
    now += 120_000; // the scheduled rotation completes the open files
    await until(async () => (await task.flush(new Map())).get('orders-0')?.offset === schemas.length || null, { what: 'every file completed' });
  } finally {
    await task.stop();
  }
  const files: [number, unknown[]][] = [];
  for (const object of (await storedObjects(s3.client, bucket)).sort((a, b) => a.startOffset - b.startOffset)) {
    files.push([object.startOffset, await avscRecords(await readObject(s3.client, bucket, object.key))]);
  }
  return { files, errant };
}

const v1 = (id: number) => ({ id });
const v2 = (id: number) => ({ id, channel: `c${id}`, priority: 1 });
const v1AsV2 = (id: number) => ({ id, channel: null, priority: 5 });

describe('schema.compatibility', () => {
  it('NONE starts a file at every schema change', async () => {
    const { files, errant } = await writeAll('NONE', [V1, V1, V2, V2, V1]);
    expect(files).toEqual([[0, [v1(0), v1(1)]], [2, [v2(2), v2(3)]], [4, [v1(4)]]]);
    expect(errant).toEqual([]);
  });

  it('BACKWARD starts a file at a higher version and projects a lower one onto the open file\'s schema', async () => {
    const { files, errant } = await writeAll('BACKWARD', [V1, V1, V2, V2, V1, V2]);
    expect(files).toEqual([[0, [v1(0), v1(1)]], [2, [v2(2), v2(3), v1AsV2(4), v2(5)]]]);
    expect(errant).toEqual([]);
  });

  it('FULL decides as BACKWARD does', async () => {
    const { files } = await writeAll('FULL', [V2, V1]);
    expect(files).toEqual([[0, [v2(0), v1AsV2(1)]]]);
  });

  it('FORWARD starts a file at a lower version; a higher one that does not fit the open file\'s schema is a data error', async () => {
    const { files, errant } = await writeAll('FORWARD', [V2, V1, V1]);
    expect(files).toEqual([[0, [v2(0)]], [1, [v1(1), v1(2)]]]);
    expect(errant).toEqual([]);
    const back = await writeAll('FORWARD', [V1, V2, V1]);
    // V2 onto V1: the extra fields would be dropped, but INT64 does not narrow to INT32.
    expect(back.errant).toEqual([1]);
    expect(back.files).toEqual([[0, [v1(0), v1(2)]]]);
  });

  it('outside NONE, a schema without a version is a data error (error tolerance and the DLQ apply)', async () => {
    const { files, errant } = await writeAll('BACKWARD', [V1, UNVERSIONED, V1]);
    expect(errant).toEqual([1]);
    expect(files).toEqual([[0, [v1(0), v1(2)]]]);
  });
});
