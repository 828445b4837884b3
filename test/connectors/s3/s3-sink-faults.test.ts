/**
 * The S3 sink when things go wrong, through a worker: S3 answering 500 and 503 SlowDown for a
 * while (a fault proxy in front of s3rver) loses and doubles nothing; a missing bucket or
 * refused credentials fail the task with S3's message and the bucket's name; a bad config is a
 * 400 naming every bad key; a record the sink cannot write goes to the dead-letter topic.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { startFerry, type FerryProcess } from '../../helpers/ferry-process.js';
import { kcatReadJson } from '../../helpers/kcat.js';
import { INTERNAL_ERROR, SLOW_DOWN, startS3FaultProxy, type S3FaultProxy } from '../../helpers/s3-fault-proxy.js';
import { createBucket, startS3rver, type S3rverProcess } from '../../helpers/s3rver.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';
import { committedOffsets, createTopic, exactlyOnceLines, objectLines, produce, storedObjects, STRING_CONVERTERS } from './s3-test-kit.js';

let s3: S3rverProcess;
let proxy: S3FaultProxy;
let ferry: FerryProcess;
let rest: ConnectRest;

beforeAll(async () => {
  s3 = await startS3rver();
  proxy = await startS3FaultProxy(s3.url);
  ferry = await startFerry({ dataDir: path.join(tempDir('ferry-s3-faults-'), 'data'), settings: { 'offset.flush.interval.ms': '300' } });
  rest = new ConnectRest(ferry.restUrl);
});

afterAll(async () => {
  await ferry?.stop();
  await proxy?.close();
  await s3?.stop();
});

const value = (partition: number, i: number) => `p${partition} record ${i} ${'x'.repeat(200)}`;

it('rides out S3 answering 500 InternalError and then 503 SlowDown for a while, losing and doubling nothing', async () => {
  const bucket = 'flaky';
  await createBucket(s3.client, bucket);
  await createTopic(ferry.bootstrap, 'flaky', 2);
  await rest.createConnector('flaky-sink', {
    'connector.class': 'S3Sink', topics: 'flaky', ...s3.connectorSettings(bucket), 'store.url': proxy.url,
    ...STRING_CONVERTERS, 'format.class': 'JsonFormat', 'flush.size': '25', 's3.part.retries': '2', 's3.retry.backoff.ms': '20',
    'errors.retry.delay.max.ms': '200', 'store.kafka.keys': 'true',
  });
  await rest.untilStates('flaky-sink', { connector: 'RUNNING', tasks: ['RUNNING'] });
  const perPartition = 400;
  const batch = async (from: number, to: number) => {
    const records = [];
    for (let i = from; i < to; i++) for (const p of [0, 1]) records.push({ partition: p, key: `k${i}`, value: value(p, i) });
    await produce(ferry.bootstrap, 'flaky', records);
  };
  await batch(0, 100);
  await until(async () => (await storedObjects(s3.client, bucket)).length > 0, { what: 'a first object' });
  proxy.fail(INTERNAL_ERROR);
  await batch(100, 200);
  await until(() => proxy.counts.failed >= 10, { what: '10 requests answered 500' });
  proxy.fail(SLOW_DOWN);
  await batch(200, 300);
  const failedBefore = proxy.counts.failed;
  await until(() => proxy.counts.failed >= failedBefore + 10, { what: '10 requests answered SlowDown' });
  proxy.heal();
  await batch(300, perPartition);

  await until(async () => {
    const offsets = await committedOffsets(ferry.restUrl, 'flaky-sink');
    return offsets['flaky-0'] === perPartition && offsets['flaky-1'] === perPartition;
  }, { timeoutMs: 60_000, intervalMs: 200, what: `offset ${perPartition} committed on both partitions` });
  for (const p of [0, 1]) {
    const lines = await exactlyOnceLines(s3.client, bucket, 'flaky', p, perPartition);
    expect(lines).toEqual(Array.from({ length: perPartition }, (_, i) => JSON.stringify(value(p, i))));
  }
  expect(await rest.status('flaky-sink')).toMatchObject({ tasks: [{ state: 'RUNNING' }] });
});

it('fails the task with S3\'s message and the bucket\'s name when the bucket does not exist', async () => {
  await rest.createConnector('nobucket-sink', {
    'connector.class': 'S3Sink', topics: 'flaky', ...s3.connectorSettings('no-such-bucket'), ...STRING_CONVERTERS,
    'format.class': 'JsonFormat', 'flush.size': '10',
  });
  const status = await rest.untilStates('nobucket-sink', { connector: 'RUNNING', tasks: ['FAILED'] });
  expect(status.tasks[0]!.trace).toContain('bucket "no-such-bucket"');
  expect(status.tasks[0]!.trace).toContain('NoSuchBucket');
  expect(status.tasks[0]!.trace).toContain('The specified bucket does not exist');
});

it('fails the task with S3\'s message and the bucket\'s name when the credentials are refused', async () => {
  await createBucket(s3.client, 'locked');
  await rest.createConnector('badkey-sink', {
    'connector.class': 'S3Sink', topics: 'flaky', ...s3.connectorSettings('locked'), 'aws.access.key.id': 'AKIAWRONG',
    'aws.secret.access.key': 'wrong', ...STRING_CONVERTERS, 'format.class': 'JsonFormat', 'flush.size': '10',
  });
  const status = await rest.untilStates('badkey-sink', { connector: 'RUNNING', tasks: ['FAILED'] });
  expect(status.tasks[0]!.trace).toContain('bucket "locked"');
  expect(status.tasks[0]!.trace).toMatch(/InvalidAccessKeyId \(HTTP 403\): The AWS Access Key Id you provided does not exist/);
  expect(status.tasks[0]!.trace).not.toContain('wrong');
});

it('answers 400 naming every bad key of an invalid config', async () => {
  const created = await rest.request<{ message: string }>('POST', '/connectors', {
    name: 'bad-config', config: {
      'connector.class': 'S3Sink', topics: 'flaky', 's3.bucket.name': 'x', 'format.class': 'io.confluent.connect.s3.format.orc.OrcFormat',
      'flush.size': '0', 's3.part.size': '1024', 'partitioner.class': 'TimeBasedPartitioner', 'path.format': "'h'=HH", timezone: 'Mars/Olympus',
    },
  });
  expect(created.status).toBe(400);
  for (const key of ['s3.bucket.name', 'format.class', 'flush.size', 's3.part.size', 'partition.duration.ms', 'timezone', 'locale']) {
    expect(created.body.message).toContain(key);
  }
  expect(created.body.message).toMatch(/format\.class.*Must be one of: .*ParquetFormat/);
});

it('sends a record it cannot write (a null value under behavior.on.null.values=fail) to the dead-letter topic and writes the rest', async () => {
  await createBucket(s3.client, 'tombstones');
  await createTopic(ferry.bootstrap, 'tombstones', 1);
  await produce(ferry.bootstrap, 'tombstones', [
    { partition: 0, key: 'a', value: 'first' }, { partition: 0, key: 'b', value: null }, { partition: 0, key: 'c', value: 'third' },
  ]);
  await rest.createConnector('tombstones-sink', {
    'connector.class': 'S3Sink', topics: 'tombstones', ...s3.connectorSettings('tombstones'), ...STRING_CONVERTERS,
    'format.class': 'JsonFormat', 'flush.size': '2', 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'tombstones-dlq',
    'errors.deadletterqueue.topic.replication.factor': '1',
  });
  const objects = await until(async () => {
    const found = await storedObjects(s3.client, 'tombstones');
    return found.length > 0 ? found : null;
  }, { what: 'an object in tombstones' });
  expect(objects.map((o) => o.key)).toEqual(['topics/tombstones/partition=0/tombstones+0+0000000000.json']);
  expect(await objectLines(s3.client, 'tombstones', objects[0]!.key)).toEqual(['"first"', '"third"']);
  const dead = await until(async () => {
    const messages = await kcatReadJson(ferry.bootstrap, 'tombstones-dlq').catch(() => []);
    return messages.length > 0 ? messages : null;
  }, { what: 'a record in tombstones-dlq' });
  expect(dead.map((m) => [m.key, m.payload])).toEqual([['b', null]]);
});
