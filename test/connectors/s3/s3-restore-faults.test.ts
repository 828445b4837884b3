/**
 * A restore through S3 failures: mid-restore every request of the S3 source is answered with
 * 500 InternalError for longer than its own retries last, so its poll fails with a retriable
 * error and the worker polls again after a back-off. Once S3 is back, the restored topic holds
 * every record of the backup exactly once, in its partition and order (read with kcat): the
 * object whose read failed, and the records already taken in the failed poll, are not skipped.
 * A damaged object, on the other hand, is skipped under errors.tolerance=all, once.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { startFerry, type FerryProcess } from '../../helpers/ferry-process.js';
import { headerPairs, kcatRead, kcatReadJson, type KcatMessage } from '../../helpers/kcat.js';
import { INTERNAL_ERROR, startS3FaultProxy, type S3FaultProxy } from '../../helpers/s3-fault-proxy.js';
import { createBucket, startS3rver, type S3rverProcess } from '../../helpers/s3rver.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';
import { committedOffsets, createTopic, produce, STRING_CONVERTERS, type TestRecord } from './s3-test-kit.js';

const BUCKET = 'flaky-backups';
const PARTITIONS = 3;
const PER_PARTITION = 300;
const TOTAL = PARTITIONS * PER_PARTITION;
const T0 = Date.UTC(2024, 2, 1);

let s3: S3rverProcess;
let proxy: S3FaultProxy;
let ferry: FerryProcess;

beforeAll(async () => {
  s3 = await startS3rver();
  await createBucket(s3.client, BUCKET);
  proxy = await startS3FaultProxy(s3.url);
  ferry = await startFerry({ dataDir: tempDir('ferry-s3-restore-faults-'), settings: { 'offset.flush.interval.ms': '500' } });
});

afterAll(async () => {
  await ferry?.stop();
  await proxy?.close();
  await s3?.stop();
});

const essence = (m: KcatMessage) => ({ partition: m.partition, key: m.key, payload: m.payload, ts: m.ts, headers: headerPairs(m) });

it('restores every record once when S3 fails mid-restore for longer than the source retries', async () => {
  const rest = new ConnectRest(ferry.restUrl);
  await createTopic(ferry.bootstrap, 'payments', PARTITIONS);
  await createTopic(ferry.bootstrap, 'payments.restored', PARTITIONS);
  await produce(ferry.bootstrap, 'payments', Array.from({ length: TOTAL }, (_, i): TestRecord => ({
    partition: i % PARTITIONS, key: `account-${i % 17}`, value: `payment ${i}`, headers: { seq: String(i) }, timestamp: T0 + i,
  })));
  await rest.createConnector('payments-backup', {
    'connector.class': 'S3Sink', topics: 'payments', ...s3.connectorSettings(BUCKET), ...STRING_CONVERTERS,
    'format.class': 'JsonFormat', 'flush.size': '20',
    'store.kafka.keys': 'true', 'store.kafka.headers': 'true', 'store.kafka.metadata': 'true',
  });
  await until(async () => {
    const offsets = await committedOffsets(ferry.restUrl, 'payments-backup');
    return Array.from({ length: PARTITIONS }, (_, p) => offsets[`payments-${p}`]).every((o) => o === PER_PARTITION);
  }, { timeoutMs: 60_000, what: 'the whole topic backed up' });

  // S3 starts failing at the 60th object read of the restore (15 objects of 45 read, with their side files).
  let reads = 0;
  proxy.onRequest((method, url) => {
    if (method === 'GET' && !url.includes('list-type') && ++reads === 60) proxy.fail(INTERNAL_ERROR);
  });
  await rest.createConnector('payments-restore', {
    'connector.class': 'S3Source', ...s3.connectorSettings(BUCKET), 'store.url': proxy.url, ...STRING_CONVERTERS,
    topics: 'payments', 'topic.rename.format': '${topic}.restored', 'batch.size': '50',
    's3.part.retries': '1', 's3.retry.backoff.ms': '10',
  });
  await until(() => proxy.counts.failed >= 6 && ferry.output().includes('Source task poll failed with a retriable error'), {
    timeoutMs: 30_000, what: 'the restore polls failing on S3 errors',
  });
  const during = await kcatReadJson(ferry.bootstrap, 'payments.restored');
  expect(during.length).toBeGreaterThan(0);
  expect(during.length).toBeLessThan(TOTAL);
  proxy.heal();

  const original = (await kcatReadJson(ferry.bootstrap, 'payments')).map(essence);
  const restored = await until(async () => {
    const now = await kcatReadJson(ferry.bootstrap, 'payments.restored');
    return now.length >= TOTAL ? now : null;
  }, { timeoutMs: 60_000, intervalMs: 250, what: `${TOTAL} restored records` });
  expect(restored.map(essence)).toEqual(original);
  expect(await rest.status('payments-restore')).toMatchObject({ connector: { state: 'RUNNING' }, tasks: [{ state: 'RUNNING' }] });
}, 120_000);

it('skips a damaged object once under errors.tolerance=all and restores the objects after it', async () => {
  const rest = new ConnectRest(ferry.restUrl);
  const put = (name: string, body: string) => s3.client.send(new PutObjectCommand({
    Bucket: BUCKET, Key: `topics/ledger/partition=0/ledger+0+${name}`, Body: body,
  }));
  await put('0000000000.json', '"first"\n"second"\n');
  await put('0000000000.keys.json', '"k1"\n"k2"\n');
  // Three values but one key: the backup is damaged.
  await put('0000000002.json', '"third"\n"fourth"\n"fifth"\n');
  await put('0000000002.keys.json', '"k3"\n');
  await put('0000000005.json', '"sixth"\n');
  await put('0000000005.keys.json', '"k6"\n');
  await createTopic(ferry.bootstrap, 'ledger.restored', 1);
  await rest.createConnector('ledger-restore', {
    'connector.class': 'S3Source', ...s3.connectorSettings(BUCKET), ...STRING_CONVERTERS,
    topics: 'ledger', 'topic.rename.format': '${topic}.restored', 'errors.tolerance': 'all', 'errors.log.enable': 'true',
  });
  const restored = await until(async () => {
    const lines = (await kcatRead(ferry.bootstrap, 'ledger.restored', '%k=%s\n')).split('\n').filter((l) => l !== '');
    return lines.length >= 3 ? lines : null;
  }, { timeoutMs: 10_000, what: 'the objects around the damaged one restored' });
  expect(restored).toEqual(['k1=first', 'k2=second', 'k6=sixth']);
  const damaged = ferry.output().split('\n').filter((line) => line.includes('ledger+0+0000000002.json holds 3 records but its keys file 1'));
  expect(damaged).toHaveLength(1);
  expect(await rest.status('ledger-restore')).toMatchObject({ tasks: [{ state: 'RUNNING' }] });
}, 60_000);
