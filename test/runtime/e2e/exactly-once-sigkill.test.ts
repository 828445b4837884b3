import path from 'node:path';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { startFerryWorker, type FerryWorkerProcess } from '../../helpers/ferry-process.js';
import { kafkaClient } from '../../helpers/kafkajs-clients.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';
import { exactlyOnceWorkerProperties, GrowingFile, kcatLines, lineFor } from './exactly-once-harness.js';

const TOTAL_LINES = 20_000;
const KILLS = 3;

let broker: TestBroker;

beforeAll(async () => {
  // Transactions a killed worker leaves open are aborted within a second of their timeout.
  broker = await startTestBroker({ transactionAbortTimedOutCleanupIntervalMs: 500 });
});

afterAll(async () => {
  await broker.close();
});

it('writes every line of a file exactly once for read_committed readers while the worker is SIGKILLed again and again', async () => {
  const dir = tempDir('ferry-eos-sigkill-');
  const input = path.join(dir, 'input.txt');
  const properties = exactlyOnceWorkerProperties(dir, broker.bootstrap, 'eos-e2e');

  let worker: FerryWorkerProcess = await startFerryWorker(properties);
  onTestFinished(() => worker.kill());
  await new ConnectRest(worker.restUrl).createConnector('lines-in', {
    // Transactions of a second: a kill almost always finds one open, with records in it.
    'connector.class': 'FileStreamSource', file: input, topic: 'lines', 'transaction.boundary': 'interval',
    'transaction.boundary.interval.ms': '1000',
  });

  const lines = new GrowingFile(input, TOTAL_LINES);
  onTestFinished(() => { lines.stopped = true; });

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
    await until(async () => (lines.written >= writtenTarget && (await highWatermark()) > before ? true : null), {
      timeoutMs: 60_000, intervalMs: 50, what: `${writtenTarget} lines written and new records produced before kill ${kill}`,
    });
    await worker.kill();
    before = await highWatermark();
    worker = await startFerryWorker(properties, { timeoutMs: 60_000 });
  }
  expect(lines.written).toBeLessThan(TOTAL_LINES);
  await lines.done;
  await until(async () => ((await kcatLines(broker.bootstrap, 'lines', 'read_committed')).length >= TOTAL_LINES ? true : null), {
    timeoutMs: 90_000, intervalMs: 200, what: `all ${TOTAL_LINES} lines committed`,
  });
  await worker.stop();

  const committed = await kcatLines(broker.bootstrap, 'lines', 'read_committed');
  expect(committed.length).toBe(TOTAL_LINES);
  const firstWrong = committed.findIndex((line, i) => line !== lineFor(i));
  expect(firstWrong, `committed line ${firstWrong}: ${committed[firstWrong]}`).toBe(-1);
  const all = await kcatLines(broker.bootstrap, 'lines', 'read_uncommitted');
  // The kills did end transactions with records in them: those records are in the log, aborted.
  expect(all.length).toBeGreaterThan(TOTAL_LINES);
  console.log(`exactly-once SIGKILL loop: ${KILLS} kills, ${TOTAL_LINES} lines committed once each; `
    + `${all.length - TOTAL_LINES} records of aborted transactions in the log`);
}, 300_000);
