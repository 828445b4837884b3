/**
 * MirrorMaker 2 exactly-once in connector mode (issue 13, exactly-once.md §8), end to end: two
 * regions (`ferry broker` processes), a `ferry worker` next to B with
 * exactly.once.source.support=enabled running MirrorSourceConnector with a read_committed
 * source consumer, SIGKILLed three times while a producer writes to A through committed and
 * aborted transactions and plain sends. Read committed (kcat), B's remote topic then equals A's
 * topic: every record once, in order per partition, and nothing of A's aborted transactions.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  flowConfig, restartMirrorWorker, runConnector, startExactlyOnceRegion, startMirrorWorker, startRegion, stopRegion, type MirrorWorker, type Region,
} from '../mirror-harness.js';
import { createTopic } from '../mirror-topics.js';
import { expectMirroredExactlyOnce, killLoop, progressOf, TransactionalSourceWriter } from '../exactly-once-kit.js';

const PARTITIONS = 3;
const KILLS = 3;

let A: Region;
let B: Region;
let worker: MirrorWorker | undefined;

beforeAll(async () => {
  [A, B] = await Promise.all([startRegion('A'), startExactlyOnceRegion('B')]);
}, 60_000);

afterAll(async () => {
  await worker?.process.stop();
  await Promise.all([A, B].filter(Boolean).map(stopRegion));
});

it('replicates every committed record exactly once while the worker is SIGKILLed again and again', async () => {
  await createTopic(A.kafka, 'orders', PARTITIONS);
  const writer = new TransactionalSourceWriter(A.kafka, 'orders', PARTITIONS);
  await writer.start();
  worker = await startMirrorWorker(B, {
    groupId: 'mm2-eos',
    properties: {
      'exactly.once.source.support': 'enabled',
      // A killed worker leaves the group quickly, so its restarted self gets the tasks; the
      // transactions it left open end within seconds (its successor reads past them at start).
      'session.timeout.ms': '3000',
      'producer.transaction.timeout.ms': '5000',
    },
  });
  await runConnector(worker.rest, 'MirrorSourceConnector', {
    'connector.class': 'org.apache.kafka.connect.mirror.MirrorSourceConnector',
    ...flowConfig(A, B),
    topics: 'orders',
    'tasks.max': '2',
    'source.consumer.isolation.level': 'read_committed',
    'exactly.once.support': 'required',
    // Transactions of a second: a kill almost always finds one open, with records in it.
    'transaction.boundary': 'interval',
    'transaction.boundary.interval.ms': '1000',
  }, 2);

  await killLoop({
    kills: KILLS,
    progress: progressOf(B.kafka, 'A.orders'),
    restart: async () => { worker = await restartMirrorWorker(worker!, 'kill'); },
  });
  await writer.stop();

  const outcome = await expectMirroredExactlyOnce({
    source: A, target: B, topic: 'orders', remoteTopic: 'A.orders', offsetSyncsTopic: 'mm2-offset-syncs.B.internal',
  });
  // The kills did end transactions with records in them: those records are on B, aborted.
  expect(outcome.abortedOnTarget).toBeGreaterThan(0);
  console.log(`MirrorMaker exactly-once, connector mode: ${KILLS} kills, ${outcome.sourceCommitted} committed source records `
    + `(${writer.aborted} aborted source transactions) replicated once each; ${outcome.abortedOnTarget} records of aborted target `
    + `transactions; ${outcome.syncs} offset syncs, all pointing at committed records`);
}, 300_000);
