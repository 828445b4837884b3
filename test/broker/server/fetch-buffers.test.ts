/**
 * The fetch path reads segment bytes into pooled buffers and reuses them once a response
 * has been written. A response the socket has not taken yet must keep its bytes: a client
 * that stops reading while another connection fetches (and so borrows buffers) still
 * receives exactly the stored records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fetch } from '../../../broker/protocol/apis/fetch.js';
import { batchesIn, decodeBatch } from '../../../broker/protocol/record-batch.js';
import { kafkaClient } from '../../helpers/kafkajs-clients.js';
import { RawKafkaSocket } from '../../helpers/raw-kafka-socket.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';

const TOPIC = 'pooled-fetch';
const RECORDS = 8000;
const PER_SEND = 500;
const MiB = 1024 * 1024;

let broker: TestBroker;

const valueOf = (offset: number) => `${offset}:`.padEnd(1000, String.fromCharCode(97 + (offset % 26)));

beforeAll(async () => {
  broker = await startTestBroker();
  const kafka = kafkaClient(broker.bootstrap, 'pooled-fetch');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  for (let from = 0; from < RECORDS; from += PER_SEND) {
    await producer.send({
      topic: TOPIC,
      messages: Array.from({ length: PER_SEND }, (_, i) => ({ value: valueOf(from + i) })),
    });
  }
  await producer.disconnect();
});

afterAll(async () => {
  await broker.close();
});

function sendFetch(sock: RawKafkaSocket, fetchOffset: number): number {
  return sock.sendRequest(Fetch, 11, {
    replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 50 * MiB, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
    topics: [{ topic: TOPIC, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset, logStartOffset: -1, partitionMaxBytes: MiB }] }],
    forgottenTopicsData: [], rackId: '',
  });
}

/** Reads one Fetch response and checks every record in it against what was produced; returns its offsets. */
async function checkedResponse(sock: RawKafkaSocket, correlationId: number, fetchOffset: number): Promise<number[]> {
  const res = await sock.readResponse(Fetch, 11);
  expect(res.correlationId).toBe(correlationId);
  const part = res.body.responses[0]!.partitions[0]!;
  expect(part.errorCode).toBe(0);
  const records = part.records!;
  const offsets: number[] = [];
  for (const { at } of batchesIn(records)) {
    for (const r of decodeBatch(records, at).records) {
      expect(r.value!.toString()).toBe(valueOf(r.offset));
      offsets.push(r.offset);
    }
  }
  expect(offsets.length).toBeGreaterThan(0);
  expect(offsets[0]).toBeLessThanOrEqual(fetchOffset);
  expect(offsets.at(-1)).toBeGreaterThanOrEqual(fetchOffset);
  return offsets;
}

describe('fetch responses in pooled buffers', () => {
  it('keeps the bytes of responses a stalled client has not read while other connections fetch', async () => {
    const stalled = await RawKafkaSocket.connect(broker.port);
    const busy = await RawKafkaSocket.connect(broker.port);
    try {
      stalled.pause();
      // About 8 MiB of responses queue up behind a client that reads nothing.
      const starts = Array.from({ length: 8 }, (_, i) => i * 1000);
      const stalledIds = starts.map((offset) => sendFetch(stalled, offset));
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Meanwhile another connection keeps borrowing and returning buffers.
      for (let round = 0; round < 3; round++) {
        for (const offset of [7000, 3500, 0, 5200, 1234]) {
          await checkedResponse(busy, sendFetch(busy, offset), offset);
        }
      }
      stalled.resume();
      for (let i = 0; i < starts.length; i++) await checkedResponse(stalled, stalledIds[i]!, starts[i]!);
    } finally {
      stalled.destroy();
      busy.destroy();
    }
  });

  it('serves a consumer reading the whole partition in 1 MiB fetches, in order and without a gap', async () => {
    const sock = await RawKafkaSocket.connect(broker.port);
    try {
      let next = 0;
      while (next < RECORDS) {
        const offsets = await checkedResponse(sock, sendFetch(sock, next), next);
        const fresh = offsets.filter((o) => o >= next);
        expect(fresh).toEqual(Array.from({ length: fresh.length }, (_, i) => next + i));
        next = fresh.at(-1)! + 1;
      }
      expect(next).toBe(RECORDS);
    } finally {
      sock.destroy();
    }
  });
});
