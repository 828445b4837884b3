/**
 * kafkajs 2.2.4 transactions (InitProducerId v1, AddPartitionsToTxn/AddOffsetsToTxn/EndTxn v1,
 * TxnOffsetCommit v1 without member information) against the in-process broker: transactions
 * that write records and send a group's offsets, which stay invisible (and UNSTABLE_OFFSET_COMMIT
 * to OffsetFetch v7 require_stable) until the transaction commits, and survive a restart; and a
 * consume-transform-produce loop whose second run resumes from the offsets its transactions committed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OffsetFetch } from '../../../broker/protocol/apis/offset-fetch.js';
import { ERR } from '../../../broker/protocol/error-codes.js';
import { collect, kafkaClient } from '../../helpers/kafkajs-clients.js';
import { RawKafkaSocket } from '../../helpers/raw-kafka-socket.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';

let broker: TestBroker;

beforeAll(async () => {
  broker = await startTestBroker();
});

afterAll(async () => {
  await broker.close();
});

/** OffsetFetch v7 for partition 0, as librdkafka's read_committed consumers send it. */
async function offsetFetch(port: number, group: string, topic: string, requireStable: boolean) {
  const socket = await RawKafkaSocket.connect(port);
  try {
    socket.sendRequest(OffsetFetch, 7, { groupId: group, topics: [{ name: topic, partitionIndexes: [0] }], requireStable });
    const { body } = await socket.readResponse(OffsetFetch, 7);
    const p = body.topics[0]!.partitions[0]!;
    return { offset: p.committedOffset, errorCode: p.errorCode };
  } finally {
    socket.destroy();
  }
}

describe('kafkajs transactions', () => {
  it('transactions with sendOffsets: the group offsets become visible with the commit, aborted ones never', async () => {
    const kafka = kafkaClient(broker.bootstrap, 'kafkajs-eos');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'kjs-in', numPartitions: 1 }, { topic: 'kjs-out', numPartitions: 1 }] });
    const source = kafka.producer();
    await source.connect();
    await source.send({ topic: 'kjs-in', messages: Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) });
    await source.disconnect();

    const producer = kafka.producer({ transactionalId: 'kjs-ctp', maxInFlightRequests: 1, idempotent: true });
    await producer.connect();
    const group = 'kjs-ctp-group';
    try {
      // Three transactions of ten records each; the second one is aborted.
      for (const [i, outcome] of [[0, 'commit'], [1, 'abort'], [2, 'commit']] as const) {
        const txn = await producer.transaction();
        const from = i * 10;
        await txn.send({ topic: 'kjs-out', messages: Array.from({ length: 10 }, (_, j) => ({ key: `k${from + j}`, value: `V${from + j}` })) });
        await txn.sendOffsets({ consumerGroupId: group, topics: [{ topic: 'kjs-in', partitions: [{ partition: 0, offset: String(from + 10) }] }] });

        const [pending] = await admin.fetchOffsets({ groupId: group, topics: ['kjs-in'] });
        expect(pending!.partitions[0]!.offset).toBe(i === 0 ? '-1' : '10');
        expect(await offsetFetch(broker.port, group, 'kjs-in', true)).toEqual({ offset: -1, errorCode: ERR.UNSTABLE_OFFSET_COMMIT });
        expect(await offsetFetch(broker.port, group, 'kjs-in', false)).toEqual({ offset: i === 0 ? -1 : 10, errorCode: 0 });

        if (outcome === 'commit') await txn.commit();
        else await txn.abort();
        const [after] = await admin.fetchOffsets({ groupId: group, topics: ['kjs-in'] });
        expect(after!.partitions[0]!.offset).toBe(outcome === 'commit' ? String(from + 10) : '10');
        expect(await offsetFetch(broker.port, group, 'kjs-in', true)).toEqual({ offset: outcome === 'commit' ? from + 10 : 10, errorCode: 0 });
      }
    } finally {
      await producer.disconnect();
    }

    const out = await collect(kafka, { topics: ['kjs-out'], groupId: 'kjs-out-reader', done: (rs) => rs.length >= 20 });
    expect(out.map((r) => r.value)).toEqual([...Array.from({ length: 10 }, (_, j) => `V${j}`), ...Array.from({ length: 10 }, (_, j) => `V${20 + j}`)]);
    const all = await collect(kafka, { topics: ['kjs-out'], groupId: 'kjs-out-all', readUncommitted: true, done: (rs) => rs.length >= 30 });
    expect(all.map((r) => r.value)).toEqual(Array.from({ length: 30 }, (_, j) => `V${j}`));

    const described = await admin.fetchOffsets({ groupId: group, topics: ['kjs-in'] });
    expect(described[0]!.partitions[0]!.offset).toBe('30');
    await admin.disconnect();
  });

  it('consume-transform-produce: a group consumer copies through transactions with sendOffsets and a second run resumes exactly there', async () => {
    const kafka = kafkaClient(broker.bootstrap, 'kafkajs-ctp');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'ctp-src', numPartitions: 3 }, { topic: 'ctp-dst', numPartitions: 3 }] });
    const plain = kafka.producer();
    await plain.connect();
    const produce = (from: number, count: number) => plain.send({
      topic: 'ctp-src', messages: Array.from({ length: count }, (_, i) => ({ partition: (from + i) % 3, key: `k${from + i}`, value: `v${from + i}` })),
    });
    await produce(0, 60);

    const group = 'kjs-ctp-loop';
    const copyRound = async (transactionalId: string, expected: number): Promise<number> => {
      const producer = kafka.producer({ transactionalId, maxInFlightRequests: 1, idempotent: true });
      const consumer = kafka.consumer({ groupId: group, maxWaitTimeInMs: 100 });
      await producer.connect();
      await consumer.connect();
      let copied = 0;
      let done!: () => void;
      const finished = new Promise<void>((resolve) => { done = resolve; });
      await consumer.subscribe({ topics: ['ctp-src'], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          if (batch.messages.length === 0) return;
          const txn = await producer.transaction();
          await txn.send({
            topic: 'ctp-dst',
            messages: batch.messages.map((m) => ({ partition: batch.partition, key: m.key, value: m.value!.toString().toUpperCase() })),
          });
          await txn.sendOffsets({
            consumerGroupId: group,
            topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: String(Number(batch.lastOffset()) + 1) }] }],
          });
          await txn.commit();
          copied += batch.messages.length;
          if (copied >= expected) done();
        },
      });
      await finished;
      await consumer.disconnect();
      await producer.disconnect();
      return copied;
    };
    expect(await copyRound('kjs-ctp-1', 60)).toBe(60);
    const [afterFirst] = await admin.fetchOffsets({ groupId: group, topics: ['ctp-src'] });
    expect(afterFirst!.partitions.map((p) => p.offset).sort()).toEqual(['20', '20', '20']);

    await produce(60, 15);
    await plain.disconnect();
    expect(await copyRound('kjs-ctp-2', 15)).toBe(15);
    const [afterSecond] = await admin.fetchOffsets({ groupId: group, topics: ['ctp-src'] });
    expect(afterSecond!.partitions.map((p) => p.offset).sort()).toEqual(['25', '25', '25']);
    await admin.disconnect();

    const copied = await collect(kafka, { topics: ['ctp-dst'], groupId: 'ctp-dst-reader', done: (rs) => rs.length >= 75 });
    expect(copied.map((r) => r.value).sort()).toEqual(Array.from({ length: 75 }, (_, i) => `V${i}`).sort());
  });

  it('restores committed and pending transactional offsets after a restart', async () => {
    const restartable = await startTestBroker();
    const dataDir = restartable.dataDir;
    const kafka = kafkaClient(restartable.bootstrap, 'kafkajs-restart');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'r-in', numPartitions: 1 }, { topic: 'r-out', numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer({ transactionalId: 'kjs-restart', maxInFlightRequests: 1, idempotent: true, transactionTimeout: 60000 });
    await producer.connect();
    const committed = await producer.transaction();
    await committed.send({ topic: 'r-out', messages: [{ value: 'a' }] });
    await committed.sendOffsets({ consumerGroupId: 'rg', topics: [{ topic: 'r-in', partitions: [{ partition: 0, offset: '5' }] }] });
    await committed.commit();
    const open = await producer.transaction();
    await open.send({ topic: 'r-out', messages: [{ value: 'b' }] });
    await open.sendOffsets({ consumerGroupId: 'rg', topics: [{ topic: 'r-in', partitions: [{ partition: 0, offset: '9' }] }] });
    await producer.disconnect().catch(() => undefined);
    await restartable.close();

    const again = await startTestBroker({ dataDir, port: restartable.port });
    try {
      expect(await offsetFetch(again.port, 'rg', 'r-in', true)).toEqual({ offset: -1, errorCode: ERR.UNSTABLE_OFFSET_COMMIT });
      expect(await offsetFetch(again.port, 'rg', 'r-in', false)).toEqual({ offset: 5, errorCode: 0 });
      expect(again.topics.partition('r-out', 0)!.lastStableOffset).toBe(2);
    } finally {
      await again.close();
    }
  });
});
