/**
 * Fetch sessions (KIP-227) as a user with many partitions notices them: a sink consumer of 64
 * mostly idle partitions sends a fraction of the request bytes it sends without sessions, and
 * still gets every record.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConsumedRecord } from '../../../runtime/kafka/kafka-client.js';
import { startDelayProxy, type DelayProxy } from '../../helpers/delay-proxy.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';
import { createTopic, testClient, topicName } from './kafka-test-kit.js';

const PARTITIONS = 64;
const WINDOW_MS = 1500;

let cleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** Request bytes a sink consumer of 64 partitions sends while idle, and whether it got every record. */
async function idleRequestBytes(sessionSlots: number): Promise<{ bytesPerSecond: number; delivered: number }> {
  const proxy: DelayProxy = await startDelayProxy();
  cleanup.push(() => proxy.close());
  const broker: TestBroker = await startTestBroker({ advertisedPort: proxy.port, maxIncrementalFetchSessionCacheSlots: sessionSlots });
  cleanup.push(() => broker.close());
  proxy.target = { host: '127.0.0.1', port: broker.port };
  const client = testClient(proxy.address);
  cleanup.push(() => client.close());
  const admin = client.admin({ clientId: 'sessions-admin', role: 'connector' });
  const producer = client.producer({ clientId: 'sessions-producer', role: 'connector' });
  const topic = await createTopic(admin, topicName('sessions'), PARTITIONS);
  await producer.send(Array.from({ length: PARTITIONS }, (_, partition) => ({ topic, partition, key: null, value: Buffer.from(`v${partition}`), headers: [] })));
  const consumer = client.sinkConsumer({ groupId: topicName('connect-sessions'), clientId: 'sessions', subscription: { topics: [topic] } });
  const records: ConsumedRecord[] = [];
  await consumer.start(async (batch) => { records.push(...batch.records); });
  cleanup.push(() => consumer.stop());
  await until(() => records.length === PARTITIONS, { what: 'a record from every partition' });
  const before = proxy.stats.bytesToTarget;
  const started = Date.now();
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  const bytes = proxy.stats.bytesToTarget - before;
  await producer.send([{ topic, partition: 17, key: null, value: Buffer.from('late'), headers: [] }]);
  await until(() => records.length === PARTITIONS + 1, { what: 'the record produced after the idle window' });
  expect(records.at(-1)).toMatchObject({ partition: 17, offset: 1 });
  return { bytesPerSecond: (bytes * 1000) / (Date.now() - started), delivered: records.length };
}

describe('fetch sessions', () => {
  it('cut the request bytes of an idle consumer of many partitions to a fraction, delivering every record', async () => {
    const sessionless = await idleRequestBytes(0);
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
    const withSessions = await idleRequestBytes(1000);
    expect(withSessions.delivered).toBe(sessionless.delivered);
    expect(withSessions.bytesPerSecond).toBeLessThan(sessionless.bytesPerSecond / 4);
  });
});
