/**
 * Restore exactly once under SIGKILL (issues 9 and 13): a topic with keys, headers, timestamps
 * and three partitions is backed up to s3rver by the S3 sink, then restored by the S3 source on
 * a `ferry worker` with exactly.once.source.support=enabled, which is SIGKILLed three times
 * mid-restore and started again. Read with read_committed by kcat (librdkafka), the restored
 * topic holds every record exactly once, equal to the original in partition, order, key,
 * headers and timestamp; read_uncommitted shows the records of the transactions the kills cut
 * off, so the kills did land in open transactions.
 *
 * The restore reads s3rver through a TCP proxy that adds latency, so that it takes seconds
 * (one object of 100 records per few round trips) and the kills find it mid-way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { ListOffsets } from '../../../broker/protocol/apis/list-offsets.js';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { startDelayProxy, type DelayProxy } from '../../helpers/delay-proxy.js';
import { startFerryWorker, type FerryWorkerProcess } from '../../helpers/ferry-process.js';
import { headerPairs, type KcatMessage } from '../../helpers/kcat.js';
import { RawKafkaSocket } from '../../helpers/raw-kafka-socket.js';
import { runProcess } from '../../helpers/run-process.js';
import { createBucket, startS3rver, type S3rverProcess } from '../../helpers/s3rver.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';
import { committedOffsets, createTopic, produce, type TestRecord } from './s3-test-kit.js';

const BUCKET = 'eos-backups';
const PARTITIONS = 3;
const PER_PARTITION = 2_000;
const TOTAL = PARTITIONS * PER_PARTITION;
const KILLS = 3;
const T0 = Date.UTC(2024, 5, 1);

let broker: TestBroker;
let s3: S3rverProcess;
let slowS3: DelayProxy;

beforeAll(async () => {
  // Transactions a killed worker leaves open are aborted within a second of their timeout.
  broker = await startTestBroker({ transactionAbortTimedOutCleanupIntervalMs: 500 });
  s3 = await startS3rver();
  await createBucket(s3.client, BUCKET);
  slowS3 = await startDelayProxy({ target: { host: '127.0.0.1', port: s3.port }, delayMs: 15 });
});

afterAll(async () => {
  await slowS3?.close();
  await s3?.stop();
  await broker?.close();
});

function records(): TestRecord[] {
  return Array.from({ length: TOTAL }, (_, i) => ({
    partition: i % PARTITIONS,
    key: i % 7 === 0 ? null : `customer-${i % 13}`,
    value: `order ${i} ${'x'.repeat(i % 37)}`,
    headers: i % 3 === 0 ? {} : { source: 'shop', seq: String(i) },
    timestamp: T0 + i * 250,
  }));
}

/** Every record of `topic` as kcat -J prints it in the given isolation level, in partition and offset order. */
async function kcatRead(topic: string, isolation: 'read_committed' | 'read_uncommitted'): Promise<KcatMessage[]> {
  const result = await runProcess('kcat', ['-b', broker.bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-J',
    '-X', `isolation.level=${isolation}`], { timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(`kcat exited with ${result.code}: ${result.stderr}`);
  const messages = result.stdout.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as KcatMessage);
  return messages.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

/** High watermark and last stable offset of every partition (ListOffsets LATEST in isolation levels 0 and 1). */
async function endOffsets(port: number, topic: string, partitions: number): Promise<{ hw: number; lso: number }[]> {
  const socket = await RawKafkaSocket.connect(port);
  try {
    const latest = async (isolationLevel: number) => {
      socket.sendRequest(ListOffsets, 5, {
        replicaId: -1, isolationLevel,
        topics: [{ name: topic, partitions: Array.from({ length: partitions }, (_, partitionIndex) => ({ partitionIndex, timestamp: -1 })) }],
      });
      const answer = (await socket.readResponse(ListOffsets, 5)).body.topics[0]!.partitions;
      return answer.sort((a, b) => a.partitionIndex - b.partitionIndex).map((p) => Number(p.offset));
    };
    const hw = await latest(0);
    const lso = await latest(1);
    return hw.map((h, i) => ({ hw: h, lso: lso[i]! }));
  } finally {
    socket.destroy();
  }
}

/** What a consumer sees of a record that must survive the round trip. */
const essence = (m: KcatMessage) => ({ partition: m.partition, key: m.key, payload: m.payload, ts: m.ts, headers: headerPairs(m) });

it('restores every record exactly once, in its partition and order with key, headers and timestamp, while the worker is SIGKILLed mid-restore', async () => {
  const dir = tempDir('ferry-s3-eos-restore-');
  const properties = path.join(dir, 'worker.properties');
  fs.writeFileSync(properties, [
    `bootstrap.servers=${broker.bootstrap}`,
    'group.id=s3-eos',
    'config.storage.topic=s3-eos-configs', 'offset.storage.topic=s3-eos-offsets', 'status.storage.topic=s3-eos-status',
    'config.storage.replication.factor=1', 'offset.storage.replication.factor=1', 'status.storage.replication.factor=1',
    'key.converter=org.apache.kafka.connect.storage.StringConverter',
    'value.converter=org.apache.kafka.connect.storage.StringConverter',
    'offset.flush.interval.ms=500',
    'listeners=http://127.0.0.1:0',
    'exactly.once.source.support=enabled',
    // A killed task's open transaction ends at this timeout unless its successor's initTransactions ends it first.
    'producer.transaction.timeout.ms=5000',
    'session.timeout.ms=3000',
  ].join('\n'));

  await createTopic(broker.bootstrap, 'orders', PARTITIONS);
  await createTopic(broker.bootstrap, 'orders.restored', PARTITIONS);
  await produce(broker.bootstrap, 'orders', records());

  let worker: FerryWorkerProcess = await startFerryWorker(properties);
  onTestFinished(() => worker.kill());
  let rest = new ConnectRest(worker.restUrl);

  // Back the topic up: 20 objects of 100 records per partition, each with its key, header and metadata files.
  await rest.createConnector('orders-backup', {
    'connector.class': 'io.confluent.connect.s3.S3SinkConnector', topics: 'orders', ...s3.connectorSettings(BUCKET),
    'format.class': 'io.confluent.connect.s3.format.json.JsonFormat', 'flush.size': '100',
    'store.kafka.keys': 'true', 'store.kafka.headers': 'true', 'store.kafka.metadata': 'true',
  });
  await until(async () => {
    const offsets = await committedOffsets(worker.restUrl, 'orders-backup');
    return Array.from({ length: PARTITIONS }, (_, p) => offsets[`orders-${p}`]).every((o) => o === PER_PARTITION);
  }, { timeoutMs: 60_000, intervalMs: 200, what: 'the whole topic backed up' });
  expect((await rest.request('DELETE', '/connectors/orders-backup')).status).toBe(204);

  // Restore through the slow link, one object (100 records) per poll, in transactions of a
  // second that span several polls: a kill almost always finds one open, with records in it.
  await rest.createConnector('orders-restore', {
    'connector.class': 'io.confluent.connect.s3.source.S3SourceConnector', ...s3.connectorSettings(BUCKET),
    'store.url': `http://${slowS3.address}`, topics: 'orders', 'topic.rename.format': '${topic}.restored', 'batch.size': '100',
    'exactly.once.support': 'required', 'transaction.boundary': 'interval', 'transaction.boundary.interval.ms': '1000',
  });

  // Kill the worker at a quarter, half and three quarters of the restore, each time while a
  // transaction holds records: the high watermark of a partition is above its last stable offset.
  for (let kill = 1; kill <= KILLS; kill++) {
    const target = (TOTAL * kill) / (KILLS + 1);
    await until(async () => {
      const ends = await endOffsets(broker.port, 'orders.restored', PARTITIONS);
      const written = ends.reduce((sum, e) => sum + e.hw, 0);
      return written >= target && ends.some((e) => e.hw > e.lso) ? true : null;
    }, { timeoutMs: 60_000, intervalMs: 20, what: `${target} records restored and a transaction open before kill ${kill}` });
    await worker.kill();
    worker = await startFerryWorker(properties, { timeoutMs: 60_000 });
  }
  rest = new ConnectRest(worker.restUrl);
  const restored = await until(async () => {
    const committed = await kcatRead('orders.restored', 'read_committed');
    return committed.length >= TOTAL ? committed : null;
  }, { timeoutMs: 90_000, intervalMs: 250, what: `all ${TOTAL} records restored and committed` });
  expect(await rest.status('orders-restore')).toMatchObject({ connector: { state: 'RUNNING' }, tasks: [{ state: 'RUNNING' }] });
  // Nothing more comes once the restore is done: the task only lists the bucket again.
  await worker.stop();

  const original = (await kcatRead('orders', 'read_committed')).map(essence);
  expect(original).toHaveLength(TOTAL);
  const committed = (await kcatRead('orders.restored', 'read_committed')).map(essence);
  expect(committed).toHaveLength(TOTAL);
  expect(restored).toHaveLength(TOTAL);
  const firstWrong = committed.findIndex((record, i) => JSON.stringify(record) !== JSON.stringify(original[i]));
  expect(firstWrong, `restored record ${firstWrong}: ${JSON.stringify(committed[firstWrong])}`).toBe(-1);
  expect(committed).toEqual(original);

  // The kills did end transactions with records in them: those records are in the log, aborted.
  const all = await kcatRead('orders.restored', 'read_uncommitted');
  expect(all.length).toBeGreaterThan(TOTAL);
  console.log(`S3 restore exactly once: ${KILLS} kills, ${TOTAL} records committed once each; `
    + `${all.length - TOTAL} records of aborted transactions in the log`);
}, 300_000);
