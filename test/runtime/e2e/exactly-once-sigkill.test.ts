import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { startFerryWorker, type FerryWorkerProcess } from '../../helpers/ferry-process.js';
import { kafkaClient } from '../../helpers/kafkajs-clients.js';
import { appendLines } from '../../helpers/line-files.js';
import { runProcess } from '../../helpers/run-process.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';

const TOTAL_LINES = 20_000;
const LINES_PER_TICK = 50;
const TICK_MS = 50;
const KILLS = 3;

const lineFor = (i: number) => `${String(i).padStart(6, '0')} exactly once ${'y'.repeat(i % 29)}`;

let broker: TestBroker;

beforeAll(async () => {
  // Transactions a killed worker leaves open are aborted within a second of their timeout.
  broker = await startTestBroker({ transactionAbortTimedOutCleanupIntervalMs: 500 });
});

afterAll(async () => {
  await broker.close();
});

/** Every record of `topic` as kcat (librdkafka) reads it in the given isolation level, one line per record. */
async function kcatLines(topic: string, isolation: 'read_committed' | 'read_uncommitted'): Promise<string[]> {
  const result = await runProcess('kcat', ['-b', broker.bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q',
    '-X', `isolation.level=${isolation}`, '-f', '%s\n'], { timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(`kcat exited with ${result.code}: ${result.stderr}`);
  return result.stdout.split('\n').filter((line) => line !== '');
}

it('writes every line of a file exactly once for read_committed readers while the worker is SIGKILLed again and again', async () => {
  const dir = tempDir('ferry-eos-sigkill-');
  const input = path.join(dir, 'input.txt');
  const properties = path.join(dir, 'worker.properties');
  fs.writeFileSync(input, '');
  fs.writeFileSync(properties, [
    `bootstrap.servers=${broker.bootstrap}`,
    'group.id=eos-e2e',
    'config.storage.topic=eos-e2e-configs', 'offset.storage.topic=eos-e2e-offsets', 'status.storage.topic=eos-e2e-status',
    'config.storage.replication.factor=1', 'offset.storage.replication.factor=1', 'status.storage.replication.factor=1',
    'key.converter=org.apache.kafka.connect.storage.StringConverter',
    'value.converter=org.apache.kafka.connect.storage.StringConverter',
    'listeners=http://127.0.0.1:0',
    'exactly.once.source.support=enabled',
    // A killed task's open transaction ends at this timeout unless its successor's initTransactions ends it first.
    'producer.transaction.timeout.ms=5000',
    'session.timeout.ms=3000',
  ].join('\n'));

  let worker: FerryWorkerProcess = await startFerryWorker(properties);
  onTestFinished(() => worker.kill());
  await new ConnectRest(worker.restUrl).createConnector('lines-in', {
    // Transactions of a second: a kill almost always finds one open, with records in it.
    'connector.class': 'FileStreamSource', file: input, topic: 'lines', 'transaction.boundary': 'interval',
    'transaction.boundary.interval.ms': '1000',
  });

  let written = 0;
  let stopped = false;
  onTestFinished(() => { stopped = true; });
  const writing = (async () => {
    while (written < TOTAL_LINES && !stopped) {
      const end = Math.min(TOTAL_LINES, written + LINES_PER_TICK);
      appendLines(input, Array.from({ length: end - written }, (_, k) => lineFor(written + k)));
      written = end;
      await delay(TICK_MS);
    }
  })();

  // Kill the worker mid-stream, at a quarter, half and three quarters of the input, each time once
  // the restarted task has written something new (committed or not: kcat's read to the end cannot
  // finish while transactions keep committing, so progress is the topic's high watermark).
  const admin = kafkaClient(broker.bootstrap, 'eos-e2e-probe').admin();
  await admin.connect();
  onTestFinished(() => admin.disconnect());
  const highWatermark = async () => {
    const topics = await admin.listTopics();
    if (!topics.includes('lines')) return 0;
    return Number((await admin.fetchTopicOffsets('lines'))[0]?.high ?? 0);
  };
  let before = 0;
  for (let kill = 1; kill <= KILLS; kill++) {
    const writtenTarget = (TOTAL_LINES * kill) / (KILLS + 1);
    await until(async () => (written >= writtenTarget && (await highWatermark()) > before ? true : null), {
      timeoutMs: 60_000, intervalMs: 50, what: `${writtenTarget} lines written and new records produced before kill ${kill}`,
    });
    await worker.kill();
    before = await highWatermark();
    worker = await startFerryWorker(properties, { timeoutMs: 60_000 });
  }
  expect(written).toBeLessThan(TOTAL_LINES);
  await writing;
  await until(async () => ((await kcatLines('lines', 'read_committed')).length >= TOTAL_LINES ? true : null), {
    timeoutMs: 90_000, intervalMs: 200, what: `all ${TOTAL_LINES} lines committed`,
  });
  await worker.stop();

  const committed = await kcatLines('lines', 'read_committed');
  expect(committed.length).toBe(TOTAL_LINES);
  const firstWrong = committed.findIndex((line, i) => line !== lineFor(i));
  expect(firstWrong, `committed line ${firstWrong}: ${committed[firstWrong]}`).toBe(-1);
  const all = await kcatLines('lines', 'read_uncommitted');
  // The kills did end transactions with records in them: those records are in the log, aborted.
  expect(all.length).toBeGreaterThan(TOTAL_LINES);
  console.log(`exactly-once SIGKILL loop: ${KILLS} kills, ${TOTAL_LINES} lines committed once each; `
    + `${all.length - TOTAL_LINES} records of aborted transactions in the log`);
}, 300_000);
