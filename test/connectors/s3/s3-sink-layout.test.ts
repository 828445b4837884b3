/**
 * The S3 sink through a worker (`ferry start`, bundled broker) into s3rver: object keys exactly
 * as Confluent names them, file contents of each format, side files, every partitioner, and
 * rotation by size, by record time and on schedule.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { startFerry, type FerryProcess } from '../../helpers/ferry-process.js';
import { createBucket, startS3rver, type S3rverProcess } from '../../helpers/s3rver.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';
import {
  committedOffsets, createTopic, objectLines, produce, SCHEMALESS_JSON_CONVERTERS, storedObjects, STRING_CONVERTERS,
} from './s3-test-kit.js';

let s3: S3rverProcess;
let ferry: FerryProcess;
let rest: ConnectRest;

beforeAll(async () => {
  s3 = await startS3rver();
  ferry = await startFerry({ dataDir: path.join(tempDir('ferry-s3-layout-'), 'data'), settings: { 'offset.flush.interval.ms': '500' } });
  rest = new ConnectRest(ferry.restUrl);
});

afterAll(async () => {
  await ferry?.stop();
  await s3?.stop();
});

/** Creates a bucket, a topic and a sink connector writing the topic into the bucket. */
async function sinkInto(name: string, partitions: number, config: Record<string, string>): Promise<string> {
  const bucket = `${name}-bucket`;
  await createBucket(s3.client, bucket);
  await createTopic(ferry.bootstrap, name, partitions);
  await rest.createConnector(`${name}-sink`, {
    'connector.class': 'S3Sink', topics: name, ...s3.connectorSettings(bucket), ...config,
  });
  await rest.untilStates(`${name}-sink`, { connector: 'RUNNING', tasks: ['RUNNING'] });
  return bucket;
}

async function untilObjects(bucket: string, count: number) {
  return until(async () => {
    const objects = await storedObjects(s3.client, bucket);
    return objects.length >= count ? objects : null;
  }, { timeoutMs: 30_000, intervalMs: 100, what: `${count} objects in ${bucket}` });
}

const keysOf = async (bucket: string) => (await storedObjects(s3.client, bucket)).map((o) => o.key).sort();
const lines = (bucket: string, key: string) => objectLines(s3.client, bucket, key);
/** 2024-06-10T13:15:00Z and neighbours, for time-based layouts. */
const T = Date.UTC(2024, 5, 10, 13, 15);
const HOUR = 3_600_000;

describe('DefaultPartitioner', () => {
  it('writes JsonFormat files of flush.size records under partition=<p>, with key, header and metadata side files, and commits only completed files', async () => {
    const bucket = await sinkInto('orders', 2, {
      ...STRING_CONVERTERS, 'format.class': 'io.confluent.connect.s3.format.json.JsonFormat', 'flush.size': '3',
      'store.kafka.keys': 'true', 'store.kafka.headers': 'true', 'store.kafka.metadata': 'true',
    });
    const records = Array.from({ length: 7 }, (_, i) => ({
      partition: i % 2, key: `k${i}`, value: `order ${i}`, headers: { trace: `t${i}` }, timestamp: T + i,
    }));
    await produce(ferry.bootstrap, 'orders', records);

    await untilObjects(bucket, 8);
    await until(async () => (await committedOffsets(ferry.restUrl, 'orders-sink'))['orders-1'] === 3, { what: 'offset 3 committed for orders-1' });
    // Partition 0 got orders 0,2,4,6 (offsets 0-3): a file of 3 records, and order 6 still open; partition 1 got 1,3,5.
    expect(await keysOf(bucket)).toEqual([
      'topics/orders/partition=0/orders+0+0000000000.headers.json',
      'topics/orders/partition=0/orders+0+0000000000.json',
      'topics/orders/partition=0/orders+0+0000000000.keys.json',
      'topics/orders/partition=0/orders+0+0000000000.metadata.json',
      'topics/orders/partition=1/orders+1+0000000000.headers.json',
      'topics/orders/partition=1/orders+1+0000000000.json',
      'topics/orders/partition=1/orders+1+0000000000.keys.json',
      'topics/orders/partition=1/orders+1+0000000000.metadata.json',
    ]);
    expect(await lines(bucket, 'topics/orders/partition=0/orders+0+0000000000.json')).toEqual(['"order 0"', '"order 2"', '"order 4"']);
    expect(await lines(bucket, 'topics/orders/partition=0/orders+0+0000000000.keys.json')).toEqual(['"k0"', '"k2"', '"k4"']);
    expect(await lines(bucket, 'topics/orders/partition=1/orders+1+0000000000.headers.json'))
      .toEqual(['[{"key":"trace","value":"t1"}]', '[{"key":"trace","value":"t3"}]', '[{"key":"trace","value":"t5"}]']);
    expect(await lines(bucket, 'topics/orders/partition=1/orders+1+0000000000.metadata.json'))
      .toEqual([0, 1, 2].map((o) => `{"offset":${o},"timestamp":${T + 1 + 2 * o}}`));
    expect(await committedOffsets(ferry.restUrl, 'orders-sink')).toEqual({ 'orders-0': 3, 'orders-1': 3 });
  });

  it('writes ByteArrayFormat with a custom separator, extension and topics.dir, gzip-compressed (.bin.gz)', async () => {
    const bucket = await sinkInto('raw', 1, {
      'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
      'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
      'format.class': 'io.confluent.connect.s3.format.bytearray.ByteArrayFormat', 'format.bytearray.separator': '\\u001e',
      'format.bytearray.extension': '.dat', 's3.compression.type': 'gzip', 'topics.dir': 'backup/v1', 'flush.size': '2',
    });
    await produce(ferry.bootstrap, 'raw', ['α', 'b\nc', 'd', 'e'].map((value) => ({ partition: 0, key: null, value })));
    await untilObjects(bucket, 2);
    expect(await keysOf(bucket)).toEqual(['backup/v1/raw/partition=0/raw+0+0000000000.dat.gz', 'backup/v1/raw/partition=0/raw+0+0000000002.dat.gz']);
    const content = (await lines(bucket, 'backup/v1/raw/partition=0/raw+0+0000000000.dat.gz')).join('\n');
    expect(content).toBe('α\u001eb\nc\u001e');
  });
});

describe('FieldPartitioner', () => {
  it('writes <field>=<value> directories (nested fields, null for missing), file names keeping the Kafka partition and first offset', async () => {
    const bucket = await sinkInto('events', 1, {
      ...SCHEMALESS_JSON_CONVERTERS, 'format.class': 'JsonFormat', 'flush.size': '4',
      'partitioner.class': 'io.confluent.connect.storage.partitioner.FieldPartitioner', 'partition.field.name': 'region,meta.kind',
    });
    const values = [
      { region: 'eu', meta: { kind: 'a' }, n: 0 }, { region: 'us', meta: { kind: 'a' }, n: 1 },
      { region: 'eu', meta: { kind: 'a' }, n: 2 }, { region: 'eu', n: 3 },
    ];
    await produce(ferry.bootstrap, 'events', values.map((v) => ({ partition: 0, key: null, value: JSON.stringify(v) })));
    await untilObjects(bucket, 3);
    expect(await keysOf(bucket)).toEqual([
      'topics/events/region=eu/meta.kind=a/events+0+0000000000.json',
      'topics/events/region=eu/meta.kind=null/events+0+0000000003.json',
      'topics/events/region=us/meta.kind=a/events+0+0000000001.json',
    ]);
    expect(await lines(bucket, 'topics/events/region=eu/meta.kind=a/events+0+0000000000.json'))
      .toEqual(['{"region":"eu","meta":{"kind":"a"},"n":0}', '{"region":"eu","meta":{"kind":"a"},"n":2}']);
  });
});

describe('time-based partitioners', () => {
  it('TimeBasedPartitioner formats path.format in timezone and rotates by record time (rotate.interval.ms)', async () => {
    const bucket = await sinkInto('clicks', 1, {
      ...STRING_CONVERTERS, 'format.class': 'JsonFormat', 'flush.size': '100',
      'partitioner.class': 'TimeBasedPartitioner', 'path.format': "'dt'=YYYY-MM-dd/'hour'=HH", 'partition.duration.ms': '3600000',
      locale: 'en-US', timezone: 'Europe/Paris', 'timestamp.extractor': 'Record', 'rotate.interval.ms': '600000',
    });
    // 13:15Z is 15:15 in Paris (CEST). Records at +0, +5 min stay in one file; +11 min rotates it (10 min of record
    // time); +1 h lands in the next hour's directory and rotates again.
    const times = [T, T + 300_000, T + 660_000, T + HOUR, T + HOUR + 60_000];
    await produce(ferry.bootstrap, 'clicks', times.map((timestamp, i) => ({ partition: 0, key: null, value: `c${i}`, timestamp })));
    await untilObjects(bucket, 2);
    expect(await keysOf(bucket)).toEqual([
      'topics/clicks/dt=2024-06-10/hour=15/clicks+0+0000000000.json',
      'topics/clicks/dt=2024-06-10/hour=15/clicks+0+0000000002.json',
    ]);
    expect(await lines(bucket, 'topics/clicks/dt=2024-06-10/hour=15/clicks+0+0000000000.json')).toEqual(['"c0"', '"c1"']);
  });

  it('DailyPartitioner and HourlyPartitioner write Confluent\'s year=/month=/day=(/hour=) paths from a RecordField timestamp', async () => {
    const daily = await sinkInto('daily', 1, {
      ...SCHEMALESS_JSON_CONVERTERS, 'format.class': 'JsonFormat', 'flush.size': '2',
      'partitioner.class': 'io.confluent.connect.storage.partitioner.DailyPartitioner', locale: 'en_US', timezone: 'UTC',
      'timestamp.extractor': 'RecordField', 'timestamp.field': 'at',
    });
    const hourly = await sinkInto('hourly', 1, {
      ...SCHEMALESS_JSON_CONVERTERS, 'format.class': 'JsonFormat', 'flush.size': '2',
      'partitioner.class': 'HourlyPartitioner', locale: 'en-US', timezone: 'America/New_York',
      'timestamp.extractor': 'RecordField', 'timestamp.field': 'at',
    });
    const values = [{ at: T }, { at: new Date(T + HOUR).toISOString() }];
    for (const topic of ['daily', 'hourly']) {
      await produce(ferry.bootstrap, topic, values.map((v) => ({ partition: 0, key: null, value: JSON.stringify(v) })));
    }
    await untilObjects(daily, 1);
    await untilObjects(hourly, 2);
    expect(await keysOf(daily)).toEqual(['topics/daily/year=2024/month=06/day=10/daily+0+0000000000.json']);
    expect(await keysOf(hourly)).toEqual([
      'topics/hourly/year=2024/month=06/day=10/hour=09/hourly+0+0000000000.json',
      'topics/hourly/year=2024/month=06/day=10/hour=10/hourly+0+0000000001.json',
    ]);
  });
});

describe('scheduled rotation', () => {
  it('completes the open file of an idle partition on wall-clock time (rotate.schedule.interval.ms) without a new record', async () => {
    const bucket = await sinkInto('idle', 2, {
      ...STRING_CONVERTERS, 'format.class': 'JsonFormat', 'flush.size': '1000',
      'rotate.schedule.interval.ms': '2000', timezone: 'UTC',
    });
    await produce(ferry.bootstrap, 'idle', [{ partition: 1, key: null, value: 'lonely' }]);
    const objects = await untilObjects(bucket, 1);
    expect(objects.map((o) => o.key)).toEqual(['topics/idle/partition=1/idle+1+0000000000.json']);
    expect(await lines(bucket, objects[0]!.key)).toEqual(['"lonely"']);
    await until(async () => (await committedOffsets(ferry.restUrl, 'idle-sink'))['idle-1'] === 1, { what: 'offset 1 committed for idle-1' });
  });
});
