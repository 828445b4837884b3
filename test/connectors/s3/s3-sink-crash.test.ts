/**
 * Exactly once across a crash: a `ferry start` running the S3 sink is SIGKILLed while a
 * multipart upload is in flight (seen at the proxy in front of s3rver), then started again on
 * the same data directory. Afterwards the bucket holds every offset exactly once: per
 * partition, the value files sorted by start offset are contiguous and disjoint. Scheduled
 * (wall-clock) rotation and a low memory cap make rotations depend on timing, so the replay
 * splits files differently from the first run: what the first run uploaded after its last
 * commit must not survive as a differently split duplicate.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { startFerry, type FerryProcess } from '../../helpers/ferry-process.js';
import { startS3FaultProxy, type S3FaultProxy } from '../../helpers/s3-fault-proxy.js';
import { createBucket, startS3rver, type S3rverProcess } from '../../helpers/s3rver.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';
import { committedOffsets, createTopic, exactlyOnceLines, produce, storedObjects, STRING_CONVERTERS } from './s3-test-kit.js';

const BUCKET = 'crash';
const PER_PARTITION = 600;
const VALUE_BYTES = 32 * 1024;
const dir = tempDir('ferry-s3-crash-');
let s3: S3rverProcess;
let proxy: S3FaultProxy;
let ferry: FerryProcess;

beforeAll(async () => {
  s3 = await startS3rver();
  proxy = await startS3FaultProxy(s3.url);
  await createBucket(s3.client, BUCKET);
});

afterAll(async () => {
  await ferry?.stop();
  await proxy?.close();
  await s3?.stop();
});

const value = (p: number, i: number) => `${p}:${String(i).padStart(6, '0')}:${String.fromCharCode(97 + (i % 26)).repeat(VALUE_BYTES)}`;

it('leaves every offset in the bucket exactly once after a SIGKILL in the middle of a multipart upload and a restart', async () => {
  const settings = { 'offset.flush.interval.ms': '1000' };
  ferry = await startFerry({ dataDir: path.join(dir, 'data'), settings });
  const brokerPort = ferry.brokerPort;
  await createTopic(ferry.bootstrap, 'crash', 2);
  const rest = new ConnectRest(ferry.restUrl);
  await rest.createConnector('crash-sink', {
    'connector.class': 'S3Sink', topics: 'crash', ...s3.connectorSettings(BUCKET), 'store.url': proxy.url, ...STRING_CONVERTERS,
    'format.class': 'JsonFormat', 'flush.size': '300', 'rotate.schedule.interval.ms': '2000', timezone: 'UTC', 's3.part.size': String(5 * 1024 * 1024), 's3.buffer.max.bytes': String(12 * 1024 * 1024),
  });
  let partsSeen = 0;
  let completedBeforePart = false;
  proxy.onRequest((method, url) => {
    if (method === 'PUT' && url.includes('partNumber=')) {
      partsSeen++;
      if (partsSeen >= 3) completedBeforePart = true;
    }
  });
  for (let from = 0; from < PER_PARTITION; from += 20) {
    const records = [];
    for (let i = from; i < from + 20; i++) for (const p of [0, 1]) records.push({ partition: p, key: null, value: value(p, i) });
    await produce(ferry.bootstrap, 'crash', records);
  }
  await until(() => completedBeforePart, { timeoutMs: 60_000, intervalMs: 5, what: 'a part upload after some objects completed' });
  await ferry.kill();
  const before = await storedObjects(s3.client, BUCKET);
  expect(before.length).toBeGreaterThan(0);

  ferry = await startFerry({ dataDir: path.join(dir, 'data'), brokerPort, settings });
  await until(async () => {
    const offsets = await committedOffsets(ferry.restUrl, 'crash-sink').catch(() => ({} as Record<string, number>));
    return offsets['crash-0'] === PER_PARTITION && offsets['crash-1'] === PER_PARTITION;
  }, { timeoutMs: 120_000, intervalMs: 250, what: 'every offset committed after the restart' });
  for (const p of [0, 1]) {
    const lines = await exactlyOnceLines(s3.client, BUCKET, 'crash', p, PER_PARTITION);
    expect(lines.map((l) => (JSON.parse(l) as string).slice(0, 9))).toEqual(Array.from({ length: PER_PARTITION }, (_, i) => value(p, i).slice(0, 9)));
  }
}, 240_000);
