/**
 * Incremental fetch sessions (KIP-227) over TCP against an in-process broker: a full fetch
 * opens a session, incremental fetches list only partitions with records, errors or moved
 * offsets, forgotten partitions stop being served, epochs are checked, epoch -1 closes, a
 * parked incremental fetch wakes on an append, and the cache is bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Producer } from 'kafkajs';
import { Fetch } from '../../../broker/protocol/apis/fetch.js';
import { batchesIn, decodeBatch } from '../../../broker/protocol/record-batch.js';
import { kafkaClient } from '../../helpers/kafkajs-clients.js';
import { RawKafkaSocket } from '../../helpers/raw-kafka-socket.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';

const MiB = 1024 * 1024;
const VERSION = 11;

interface FetchOpts {
  sessionId: number;
  sessionEpoch: number;
  /** [partition, fetchOffset] pairs of `topic`. */
  partitions?: [number, number][];
  forgotten?: number[];
  maxWaitMs?: number;
  maxBytes?: number;
}

async function fetch(sock: RawKafkaSocket, topic: string, opts: FetchOpts, version = VERSION) {
  sock.sendRequest(Fetch, version, {
    replicaId: -1, maxWaitMs: opts.maxWaitMs ?? 0, minBytes: 1, maxBytes: opts.maxBytes ?? 50 * MiB,
    isolationLevel: 0, sessionId: opts.sessionId, sessionEpoch: opts.sessionEpoch,
    topics: opts.partitions?.length
      ? [{
        topic,
        partitions: opts.partitions.map(([partition, fetchOffset]) => ({
          partition, currentLeaderEpoch: -1, fetchOffset, logStartOffset: -1, partitionMaxBytes: MiB,
        })),
      }]
      : [],
    forgottenTopicsData: opts.forgotten?.length ? [{ topic, partitions: opts.forgotten }] : [],
    rackId: '',
  });
  const { body } = await sock.readResponse(Fetch, version);
  const listed = new Map<number, { offsets: number[]; highWatermark: number; errorCode: number }>();
  for (const t of body.responses) {
    expect(t.topic).toBe(topic);
    for (const p of t.partitions) {
      const offsets: number[] = [];
      const records = p.records ?? Buffer.alloc(0);
      for (const { at } of batchesIn(records)) offsets.push(...decodeBatch(records, at).records.map((r) => r.offset));
      listed.set(p.partitionIndex, { offsets, highWatermark: p.highWatermark, errorCode: p.errorCode });
    }
  }
  return { errorCode: body.errorCode, sessionId: body.sessionId, listed };
}

async function withSocket<T>(broker: TestBroker, fn: (sock: RawKafkaSocket) => Promise<T>): Promise<T> {
  const sock = await RawKafkaSocket.connect(broker.port);
  try {
    return await fn(sock);
  } finally {
    sock.destroy();
  }
}

async function createTopic(broker: TestBroker, topic: string, numPartitions: number): Promise<void> {
  const admin = kafkaClient(broker.bootstrap, 'fetch-sessions-admin').admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions }] });
  await admin.disconnect();
}

let broker: TestBroker;
let producer: Producer;

const produce = (topic: string, partition: number, count = 1) => producer.send({
  topic, messages: Array.from({ length: count }, (_, i) => ({ partition, value: `v${i}` })),
});

beforeAll(async () => {
  broker = await startTestBroker();
  producer = kafkaClient(broker.bootstrap, 'fetch-sessions').producer();
  await producer.connect();
});

afterAll(async () => {
  await producer.disconnect();
  await broker.close();
});

describe('incremental fetch sessions', () => {
  it('lists only partitions with records or moved watermarks after the full fetch', async () => {
    const topic = 'sessions-incremental';
    await createTopic(broker, topic, 3);
    await produce(topic, 0);
    await produce(topic, 1);
    await withSocket(broker, async (sock) => {
      const full = await fetch(sock, topic, { sessionId: 0, sessionEpoch: 0, partitions: [[0, 0], [1, 0], [2, 0]] });
      expect(full.errorCode).toBe(0);
      expect(full.sessionId).not.toBe(0);
      expect([...full.listed.keys()]).toEqual([0, 1, 2]);
      expect(full.listed.get(0)!.offsets).toEqual([0]);
      expect(full.listed.get(2)).toEqual({ offsets: [], highWatermark: 0, errorCode: 0 });
      const id = full.sessionId;

      // The client names the partitions whose offsets moved; nothing else changed.
      const quiet = await fetch(sock, topic, { sessionId: id, sessionEpoch: 1, partitions: [[0, 1], [1, 1]] });
      expect(quiet).toEqual({ errorCode: 0, sessionId: id, listed: new Map() });

      await produce(topic, 2, 2);
      const fresh = await fetch(sock, topic, { sessionId: id, sessionEpoch: 2 });
      expect([...fresh.listed.keys()]).toEqual([2]);
      expect(fresh.listed.get(2)!.offsets).toEqual([0, 1]);

      // Under a 1-byte max_bytes only the first partition with data gets records; the other
      // is listed for its moved high watermark, without records.
      await produce(topic, 0);
      await produce(topic, 1);
      const limited = await fetch(sock, topic, { sessionId: id, sessionEpoch: 3, partitions: [[2, 2]], maxBytes: 1 });
      expect([...limited.listed.keys()]).toEqual([0, 1]);
      expect(limited.listed.get(0)).toEqual({ offsets: [1], highWatermark: 2, errorCode: 0 });
      expect(limited.listed.get(1)).toEqual({ offsets: [], highWatermark: 2, errorCode: 0 });

      // Partition 0 had records, so it went to the back: partition 1 is served first now.
      const next = await fetch(sock, topic, { sessionId: id, sessionEpoch: 4, partitions: [[0, 2]], maxBytes: 1 });
      expect([...next.listed.keys()]).toEqual([1]);
      expect(next.listed.get(1)!.offsets).toEqual([1]);
    });
  });

  it('stops serving forgotten partitions and lists a partition again when it is added back', async () => {
    const topic = 'sessions-forget';
    await createTopic(broker, topic, 2);
    await withSocket(broker, async (sock) => {
      const { sessionId: id } = await fetch(sock, topic, { sessionId: 0, sessionEpoch: 0, partitions: [[0, 0], [1, 0]] });
      const forget = await fetch(sock, topic, { sessionId: id, sessionEpoch: 1, forgotten: [1] });
      expect(forget.listed.size).toBe(0);

      await produce(topic, 1);
      const after = await fetch(sock, topic, { sessionId: id, sessionEpoch: 2 });
      expect(after).toEqual({ errorCode: 0, sessionId: id, listed: new Map() });

      const back = await fetch(sock, topic, { sessionId: id, sessionEpoch: 3, partitions: [[1, 0]] });
      expect([...back.listed.keys()]).toEqual([1]);
      expect(back.listed.get(1)!.offsets).toEqual([0]);

      // Forgetting every partition ends the session; that response is sessionless.
      const none = await fetch(sock, topic, { sessionId: id, sessionEpoch: 4, forgotten: [0, 1] });
      expect(none).toEqual({ errorCode: 0, sessionId: 0, listed: new Map() });
      expect((await fetch(sock, topic, { sessionId: id, sessionEpoch: 5 })).errorCode).toBe(70);
    });
  });

  it('answers 71 to a wrong epoch (the session stays usable) and 70 to an unknown id', async () => {
    const topic = 'sessions-epochs';
    await createTopic(broker, topic, 1);
    await withSocket(broker, async (sock) => {
      const { sessionId: id } = await fetch(sock, topic, { sessionId: 0, sessionEpoch: 0, partitions: [[0, 0]] });
      expect(await fetch(sock, topic, { sessionId: id, sessionEpoch: 2 }))
        .toEqual({ errorCode: 71, sessionId: 0, listed: new Map() });
      expect((await fetch(sock, topic, { sessionId: id, sessionEpoch: 1 })).errorCode).toBe(0);
      // Epoch 1 was used: repeating it is wrong too.
      expect((await fetch(sock, topic, { sessionId: id, sessionEpoch: 1 })).errorCode).toBe(71);
      expect((await fetch(sock, topic, { sessionId: id, sessionEpoch: 2 })).errorCode).toBe(0);

      const unknown = id === 2147483646 ? 1 : id + 1;
      expect(await fetch(sock, topic, { sessionId: unknown, sessionEpoch: 1 }))
        .toEqual({ errorCode: 70, sessionId: 0, listed: new Map() });
    });
  });

  it('closes the session on epoch -1 and answers that fetch sessionless; epoch 0 replaces it', async () => {
    const topic = 'sessions-close';
    await createTopic(broker, topic, 2);
    await produce(topic, 0);
    await withSocket(broker, async (sock) => {
      const first = await fetch(sock, topic, { sessionId: 0, sessionEpoch: 0, partitions: [[0, 0], [1, 0]] });
      const closing = await fetch(sock, topic, { sessionId: first.sessionId, sessionEpoch: -1, partitions: [[0, 0], [1, 0]] });
      expect(closing.errorCode).toBe(0);
      expect(closing.sessionId).toBe(0);
      expect([...closing.listed.keys()]).toEqual([0, 1]);
      expect((await fetch(sock, topic, { sessionId: first.sessionId, sessionEpoch: 1 })).errorCode).toBe(70);

      const second = await fetch(sock, topic, { sessionId: 0, sessionEpoch: 0, partitions: [[0, 1]] });
      const third = await fetch(sock, topic, { sessionId: second.sessionId, sessionEpoch: 0, partitions: [[0, 1]] });
      expect(third.sessionId).not.toBe(0);
      expect(third.sessionId).not.toBe(second.sessionId);
      expect((await fetch(sock, topic, { sessionId: second.sessionId, sessionEpoch: 1 })).errorCode).toBe(70);
      expect((await fetch(sock, topic, { sessionId: third.sessionId, sessionEpoch: 1 })).errorCode).toBe(0);
    });
  });

  it('serves sessionless fetches as before', async () => {
    const topic = 'sessions-none';
    await createTopic(broker, topic, 2);
    await produce(topic, 1);
    await withSocket(broker, async (sock) => {
      for (const version of [4, 7, 11, 12]) {
        const res = await fetch(sock, topic, { sessionId: 0, sessionEpoch: -1, partitions: [[0, 0], [1, 0]] }, version);
        expect(res.errorCode).toBe(0);
        expect(res.sessionId).toBe(0);
        expect([...res.listed.keys()]).toEqual([0, 1]);
        expect(res.listed.get(1)!.offsets).toEqual([0]);
      }
    });
  });

  it('wakes a parked incremental fetch on an append and lists only that partition', async () => {
    const topic = 'sessions-parked';
    await createTopic(broker, topic, 3);
    await withSocket(broker, async (sock) => {
      const { sessionId: id } = await fetch(sock, topic, { sessionId: 0, sessionEpoch: 0, partitions: [[0, 0], [1, 0], [2, 0]] });
      const started = Date.now();
      const parked = fetch(sock, topic, { sessionId: id, sessionEpoch: 1, maxWaitMs: 10000 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await produce(topic, 1, 3);
      const res = await parked;
      expect(Date.now() - started).toBeLessThan(5000);
      expect(res.sessionId).toBe(id);
      expect([...res.listed.keys()]).toEqual([1]);
      expect(res.listed.get(1)).toEqual({ offsets: [0, 1, 2], highWatermark: 3, errorCode: 0 });

      // What the parked fetch sent is what the session remembers.
      const quiet = await fetch(sock, topic, { sessionId: id, sessionEpoch: 2, partitions: [[1, 3]] });
      expect(quiet.listed.size).toBe(0);
    });
  });
});

describe('fetch session cache', () => {
  it('evicts the least recently used session when full', async () => {
    const small = await startTestBroker({ maxIncrementalFetchSessionCacheSlots: 2 });
    try {
      await createTopic(small, 'evict', 1);
      await withSocket(small, async (sock) => {
        const open = async () =>
          (await fetch(sock, 'evict', { sessionId: 0, sessionEpoch: 0, partitions: [[0, 0]] })).sessionId;
        const a = await open();
        const b = await open();
        expect((await fetch(sock, 'evict', { sessionId: a, sessionEpoch: 1 })).errorCode).toBe(0);
        const c = await open();
        expect(new Set([a, b, c]).size).toBe(3);
        expect((await fetch(sock, 'evict', { sessionId: b, sessionEpoch: 1 })).errorCode).toBe(70);
        expect((await fetch(sock, 'evict', { sessionId: a, sessionEpoch: 2 })).errorCode).toBe(0);
        expect((await fetch(sock, 'evict', { sessionId: c, sessionEpoch: 1 })).errorCode).toBe(0);
      });
    } finally {
      await small.close();
    }
  });

  it('drops idle sessions, and creates none with 0 slots', async () => {
    const idle = await startTestBroker({ minIncrementalFetchSessionEvictionMs: 200 });
    const off = await startTestBroker({ maxIncrementalFetchSessionCacheSlots: 0 });
    try {
      await createTopic(idle, 'idle', 1);
      await withSocket(idle, async (sock) => {
        const { sessionId: id } = await fetch(sock, 'idle', { sessionId: 0, sessionEpoch: 0, partitions: [[0, 0]] });
        expect((await fetch(sock, 'idle', { sessionId: id, sessionEpoch: 1 })).errorCode).toBe(0);
        await new Promise((resolve) => setTimeout(resolve, 400));
        expect((await fetch(sock, 'idle', { sessionId: id, sessionEpoch: 2 })).errorCode).toBe(70);
      });
      await createTopic(off, 'off', 1);
      await withSocket(off, async (sock) => {
        const res = await fetch(sock, 'off', { sessionId: 0, sessionEpoch: 0, partitions: [[0, 0]] });
        expect(res).toEqual({ errorCode: 0, sessionId: 0, listed: new Map([[0, { offsets: [], highWatermark: 0, errorCode: 0 }]]) });
      });
    } finally {
      await idle.close();
      await off.close();
    }
  });
});
