/**
 * Backup and restore: topics with keys, headers, several partitions and timestamps on one
 * bundled broker → S3 sink → s3rver → S3 source → a second bundled broker. Every record must
 * arrive equal, in its partition and in order; a restarted restore continues with what was
 * backed up since, without writing anything twice. Records are read back with kcat.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { startFerry, type FerryProcess } from '../../helpers/ferry-process.js';
import { headerPairs, kcatReadJson, type KcatMessage } from '../../helpers/kcat.js';
import { createBucket, startS3rver, type S3rverProcess } from '../../helpers/s3rver.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';
import { createTopic, produce, STRING_CONVERTERS, type TestRecord } from './s3-test-kit.js';

const BUCKET = 'backups';
const TOPICS = { orders: 3, users: 2 } as const;
const T0 = Date.UTC(2024, 0, 1);
const dir = tempDir('ferry-s3-restore-');
let s3: S3rverProcess;
let origin: FerryProcess;
let target: FerryProcess;

beforeAll(async () => {
  s3 = await startS3rver();
  await createBucket(s3.client, BUCKET);
  origin = await startFerry({ dataDir: path.join(dir, 'origin'), settings: { 'offset.flush.interval.ms': '500' } });
  target = await startFerry({ dataDir: path.join(dir, 'target'), settings: { 'offset.flush.interval.ms': '500' } });
});

afterAll(async () => {
  await origin?.stop();
  await target?.stop();
  await s3?.stop();
});

function records(topic: string, partitions: number, from: number, count: number): TestRecord[] {
  return Array.from({ length: count }, (_, n) => {
    const i = from + n;
    return {
      partition: i % partitions,
      key: i % 7 === 0 ? null : `${topic}-key-${i % 5}`,
      value: i % 11 === 5 ? `${topic} ünïcödé "quoted" ${i}` : `${topic} value ${i}`,
      headers: i % 3 === 0 ? {} : { source: 'test', seq: String(i) },
      timestamp: T0 + i * 1000,
    };
  });
}

/** What a consumer sees of a record that must survive the round trip. */
const essence = (m: KcatMessage) => ({ partition: m.partition, key: m.key, payload: m.payload, ts: m.ts, headers: headerPairs(m) });

async function untilTopicHas(ferry: FerryProcess, topic: string, count: number): Promise<KcatMessage[]> {
  return until(async () => {
    const messages = await kcatReadJson(ferry.bootstrap, topic).catch(() => []);
    return messages.length >= count ? messages : null;
  }, { timeoutMs: 60_000, intervalMs: 250, what: `${count} records in ${topic}` });
}

it('restores every record of several topics with its key, headers, timestamp, partition and order, and continues after a restart without doubles', async () => {
  const originRest = new ConnectRest(origin.restUrl);
  for (const [topic, partitions] of Object.entries(TOPICS)) {
    await createTopic(origin.bootstrap, topic, partitions);
    await createTopic(target.bootstrap, `${topic}.restored`, partitions);
    await produce(origin.bootstrap, topic, records(topic, partitions, 0, 200));
  }
  await originRest.createConnector('backup', {
    'connector.class': 'io.confluent.connect.s3.S3SinkConnector', topics: Object.keys(TOPICS).join(','), ...s3.connectorSettings(BUCKET),
    ...STRING_CONVERTERS, 'format.class': 'io.confluent.connect.s3.format.json.JsonFormat', 'flush.size': '16',
    'rotate.schedule.interval.ms': '1000', timezone: 'UTC',
    'store.kafka.keys': 'true', 'store.kafka.headers': 'true', 'store.kafka.metadata': 'true',
  });

  let targetRest = new ConnectRest(target.restUrl);
  await targetRest.createConnector('restore', {
    'connector.class': 'S3Source', ...s3.connectorSettings(BUCKET), ...STRING_CONVERTERS, 'tasks.max': '2',
    'topic.rename.format': '${topic}.restored', 's3.poll.interval.ms': '500',
  });

  for (const topic of Object.keys(TOPICS)) {
    const original = (await kcatReadJson(origin.bootstrap, topic)).map(essence);
    const restored = (await untilTopicHas(target, `${topic}.restored`, original.length)).map(essence);
    expect(restored).toEqual(original);
  }
  expect(await targetRest.status('restore')).toMatchObject({ connector: { state: 'RUNNING' }, tasks: [{ state: 'RUNNING' }, { state: 'RUNNING' }] });

  // Stop the target worker, back up more, start it again: only the new records arrive.
  expect(await target.stop()).toBe(0);
  await produce(origin.bootstrap, 'orders', records('orders', TOPICS.orders, 200, 100));
  target = await startFerry({ dataDir: path.join(dir, 'target'), brokerPort: target.brokerPort, settings: { 'offset.flush.interval.ms': '500' } });
  targetRest = new ConnectRest(target.restUrl);
  const original = (await kcatReadJson(origin.bootstrap, 'orders')).map(essence);
  expect(original).toHaveLength(300);
  const restored = (await untilTopicHas(target, 'orders.restored', 300)).map(essence);
  await until(async () => (await targetRest.status('restore'))?.connector.state === 'RUNNING', { what: 'restore running again' });
  // Give a double a chance to show: the source polls the bucket every 500 ms.
  const again = await until(async () => {
    const now = await kcatReadJson(target.bootstrap, 'orders.restored');
    return now.length === restored.length ? now : null;
  }, { timeoutMs: 5_000, what: 'a stable restored topic' });
  expect(again.map(essence)).toEqual(original);
}, 180_000);
