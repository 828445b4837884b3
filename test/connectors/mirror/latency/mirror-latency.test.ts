/**
 * MirrorMaker over a link with latency (issue 11, "Done when"): the worker runs next to region
 * B and reaches region A through the delay proxy (test/helpers/delay-proxy.ts; A advertises the
 * proxy's port, so every connection to A goes through it). The same topic is replicated twice
 * by MirrorSourceConnector, once with the proxy passing chunks straight through and once with
 * 20 ms added each way, and the second must keep at least half the first one's throughput
 * (after a first, unmeasured replication that warms the worker up).
 *
 * Throughput is the drain rate: record bytes over the time from the first record on B to the
 * last. The connector's start-up (a few dozen round trips to A, each 40 ms slower with the
 * delay) is printed but not compared: the issue is about the rate over a slow link.
 */
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reapAfterFile } from '../../../helpers/child-reaper.js';
import { startDelayProxy, type DelayProxy } from '../../../helpers/delay-proxy.js';
import { kafkaClient } from '../../../helpers/kafkajs-clients.js';
import { tempDir } from '../../../helpers/temp-dir.js';
import { spawnBroker } from '../../../helpers/test-broker.js';
import { flowConfig, runConnector, startMirrorWorker, startRegion, type MirrorWorker, type Region } from '../mirror-harness.js';
import { createTopic, endOffsets } from '../mirror-topics.js';

const DELAY_MS = 20;
const PARTITIONS = 6;
const RECORDS = 90_000;
const VALUE_BYTES = 1024;
const POLL_MS = 20;

let proxy: DelayProxy;
let A: Region;
let B: Region;
let worker: MirrorWorker;
let adminB: Admin;

/** Region A behind the proxy: its broker advertises the proxy's port, and its bootstrap is the proxy. */
async function startRegionBehindProxy(alias: string): Promise<Region> {
  proxy = await startDelayProxy({ delayMs: 0 });
  const dataDir = tempDir(`ferry-region-${alias}-`);
  const broker = await spawnBroker(dataDir, 0, ['--advertised-port', String(proxy.port)]);
  reapAfterFile(broker.child);
  proxy.target = { host: '127.0.0.1', port: broker.port };
  return { alias, dataDir, broker, bootstrap: proxy.address, kafka: kafkaClient(proxy.address, `test-${alias}`), brokerArgs: [] };
}

/** RECORDS records of VALUE_BYTES with keys and a header, spread evenly over the partitions. */
async function fill(region: Region, topic: string): Promise<void> {
  const producer = region.kafka.producer();
  await producer.connect();
  try {
    const value = Buffer.alloc(VALUE_BYTES, 'm');
    const perSend = 2000;
    const sends: Promise<unknown>[] = [];
    for (let from = 0; from < RECORDS; from += perSend) {
      sends.push(producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: Math.min(perSend, RECORDS - from) }, (_, j) => ({
          partition: (from + j) % PARTITIONS, key: `k${from + j}`, value, headers: { h: `h${from + j}` },
        })),
      }));
      if (sends.length === 4) await sends.shift();
    }
    await Promise.all(sends);
  } finally {
    await producer.disconnect();
  }
}

async function endTotal(admin: Admin, topic: string): Promise<number> {
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
  } catch {
    return 0;
  }
}

interface Replication {
  /** Seconds from creating the connector to the last record on B. */
  totalSeconds: number;
  /** Seconds from the first record on B to the last. */
  drainSeconds: number;
  /** Record value MB (10^6 bytes) per drain second. */
  mbPerSec: number;
}

/** Replicates `events` from A as source alias `alias` (remote topic `<alias>.events`) with the proxy at `delayMs`. */
async function replicate(alias: string, delayMs: number): Promise<Replication> {
  proxy.delayMs = delayMs;
  const remote = `${alias}.events`;
  const start = performance.now();
  await runConnector(worker.rest, `mirror-${alias}`, {
    'connector.class': 'MirrorSourceConnector', topics: 'events', 'tasks.max': '1', ...flowConfig(A, B, { 'source.cluster.alias': alias }),
  });
  let first: number | undefined;
  for (;;) {
    const n = await endTotal(adminB, remote);
    const now = performance.now();
    if (n > 0 && first === undefined) first = now;
    if (n >= RECORDS) {
      expect(n).toBe(RECORDS);
      const drainSeconds = (now - first!) / 1000;
      await worker.rest.request('DELETE', `/connectors/mirror-${alias}`);
      return { totalSeconds: (now - start) / 1000, drainSeconds, mbPerSec: (RECORDS * VALUE_BYTES) / 1e6 / drainSeconds };
    }
    if (now - start > 90_000) throw new Error(`${remote} holds ${n} of ${RECORDS} records after 90 s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

beforeAll(async () => {
  [A, B] = await Promise.all([startRegionBehindProxy('A'), startRegion('B')]);
  worker = await startMirrorWorker(B);
  adminB = B.kafka.admin();
  await adminB.connect();
  await createTopic(A.kafka, 'events', PARTITIONS);
  await fill(A, 'events');
}, 60_000);

afterAll(async () => {
  await adminB?.disconnect();
  await worker?.process.stop();
  await proxy?.close();
});

describe('MirrorSourceConnector over a link with latency', () => {
  it(`keeps at least half its throughput with ${DELAY_MS} ms added each way between the worker and the source`, async () => {
    // The worker's first replication also warms its code up (JIT); measured ones come after it.
    await replicate('warmup', 0);
    const direct = await replicate('direct', 0);
    const delayed = await replicate('delayed', DELAY_MS);
    const line = (name: string, r: Replication) =>
      `${name}: ${r.mbPerSec.toFixed(1)} MB/s over ${r.drainSeconds.toFixed(2)} s of draining, ${r.totalSeconds.toFixed(2)} s from the connector's creation`;
    console.info(`mirror latency, ${RECORDS} records of ${VALUE_BYTES} B:\n  ${line('no delay', direct)}\n  ${line(`+${DELAY_MS} ms each way`, delayed)}`
      + `\n  ratio ${(delayed.mbPerSec / direct.mbPerSec).toFixed(2)}`);
    // Every connection to A went through the proxy, and every partition arrived whole both times.
    expect(proxy.stats.bytesToClients).toBeGreaterThan(3 * RECORDS * VALUE_BYTES);
    const sourceEnds = await endOffsets(A.kafka, 'events');
    for (const remote of ['direct.events', 'delayed.events']) expect(await endOffsets(B.kafka, remote)).toEqual(sourceEnds);
    expect(delayed.mbPerSec).toBeGreaterThanOrEqual(0.5 * direct.mbPerSec);
  }, 180_000);
});
