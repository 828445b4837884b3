/**
 * `__transaction_state` is compacted like any compacted topic (latest record per transactional
 * id kept) and a broker restarted on the compacted log knows every id as it was: state, producer
 * id and epoch, so the next InitProducerId continues the epoch sequence.
 */
import { describe, expect, it } from 'vitest';
import { DescribeTransactions } from '../../../broker/protocol/apis/describe-transactions.js';
import { kafkaClient } from '../../helpers/kafkajs-clients.js';
import { RawKafkaSocket } from '../../helpers/raw-kafka-socket.js';
import { partitionDir, readStoredRecords, segmentBases } from '../../helpers/stored-log.js';
import { startTestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';

const IDS = ['compact-a', 'compact-b', 'compact-c'];
const ROUNDS = 40;

async function describeAll(port: number) {
  const socket = await RawKafkaSocket.connect(port);
  try {
    socket.sendRequest(DescribeTransactions, 0, { transactionalIds: IDS });
    return (await socket.readResponse(DescribeTransactions, 0)).body.transactionStates
      .map((t) => ({ id: t.transactionalId, state: t.transactionState, producerId: t.producerId, epoch: t.producerEpoch, errorCode: t.errorCode }));
  } finally {
    socket.destroy();
  }
}

describe('__transaction_state compaction', () => {
  it('keeps the latest record per transactional id, and a restart on the compacted log resumes every id', async () => {
    const settings = {
      transactionStateLogNumPartitions: 1,
      transactionStateLogSegmentBytes: 2048,
      logSettings: { 'log.cleaner.backoff.ms': '100', 'log.cleaner.min.cleanable.ratio': '0.01' },
    };
    const broker = await startTestBroker(settings);
    const dir = partitionDir(broker.dataDir, '__transaction_state', 0);
    const kafka = kafkaClient(broker.bootstrap, 'compaction');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'data', numPartitions: 1 }] });
    await admin.disconnect();
    const producers = IDS.map((transactionalId) => kafka.producer({ transactionalId, maxInFlightRequests: 1, idempotent: true }));
    for (const p of producers) await p.connect();
    for (let round = 0; round < ROUNDS; round++) {
      for (const p of producers) {
        const txn = await p.transaction();
        await txn.send({ topic: 'data', messages: [{ value: `r${round}` }] });
        if (round % 2 === 0) await txn.commit();
        else await txn.abort();
      }
    }
    for (const p of producers) await p.disconnect();
    const written = broker.topics.partition('__transaction_state', 0)!.logEndOffset;
    expect(written).toBeGreaterThan(IDS.length * ROUNDS * 3);
    // The cleaner works on closed segments: everything but the active one ends up one record per id.
    await until(() => readStoredRecords(dir).length <= IDS.length * 2 + 8, { timeoutMs: 20_000, what: 'the cleaner' });
    const kept = readStoredRecords(dir).length;
    console.log(`__transaction_state: ${written} records written, ${kept} after compaction, ${segmentBases(dir).length} segments`);
    const before = await describeAll(broker.port);
    expect(before.map((t) => [t.errorCode, t.state, t.epoch])).toEqual(IDS.map(() => [0, 'CompleteAbort', 0]));
    await broker.close();

    const restarted = await startTestBroker({ ...settings, dataDir: broker.dataDir });
    try {
      expect(await describeAll(restarted.port)).toEqual(before);
      const kafka2 = kafkaClient(restarted.bootstrap, 'compaction-2');
      const again = kafka2.producer({ transactionalId: IDS[0], maxInFlightRequests: 1, idempotent: true });
      await again.connect();
      const txn = await again.transaction();
      await txn.send({ topic: 'data', messages: [{ value: 'after' }] });
      await txn.commit();
      await again.disconnect();
      // The id kept its producer id and its epoch continued.
      const [first] = await describeAll(restarted.port);
      expect(first).toEqual({ ...before[0], state: 'CompleteCommit', epoch: 1 });
    } finally {
      await restarted.close();
    }
  });
});
