/**
 * The transaction APIs on the wire (exactly-once reference §1.4, §2.5-2.10, §10): what ApiVersions
 * advertises, FindCoordinator for transactional ids, PRODUCER_FENCED down-converted for old
 * versions, AddPartitionsToTxn with unknown partitions, produce verification, DescribeProducers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddPartitionsToTxn } from '../../../broker/protocol/apis/add-partitions-to-txn.js';
import { ApiVersions } from '../../../broker/protocol/apis/api-versions.js';
import { DescribeProducers } from '../../../broker/protocol/apis/describe-producers.js';
import { EndTxn } from '../../../broker/protocol/apis/end-txn.js';
import { Fetch } from '../../../broker/protocol/apis/fetch.js';
import { FindCoordinator } from '../../../broker/protocol/apis/find-coordinator.js';
import { InitProducerId } from '../../../broker/protocol/apis/init-producer-id.js';
import { ListTransactions } from '../../../broker/protocol/apis/list-transactions.js';
import { AddOffsetsToTxn } from '../../../broker/protocol/apis/add-offsets-to-txn.js';
import { TxnOffsetCommit } from '../../../broker/protocol/apis/txn-offset-commit.js';
import { OffsetFetch } from '../../../broker/protocol/apis/offset-fetch.js';
import { Produce } from '../../../broker/protocol/apis/produce.js';
import type { ApiDefinition, DecodedResponseOf, Fields } from '../../../broker/protocol/schema.js';
import { ERR } from '../../../broker/protocol/error-codes.js';
import { encodeBatch } from '../../../broker/protocol/record-batch.js';
import { RawKafkaSocket } from '../../helpers/raw-kafka-socket.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';

let broker: TestBroker;
let socket: RawKafkaSocket;

beforeAll(async () => {
  broker = await startTestBroker();
  broker.topics.createTopic('t', { partitions: 2 });
  socket = await RawKafkaSocket.connect(broker.port);
});

afterAll(async () => {
  socket.destroy();
  await broker.close();
});

async function call<A extends ApiDefinition<Fields, Fields>>(api: A, version: number, body: Parameters<RawKafkaSocket['sendRequest']>[2]): Promise<DecodedResponseOf<A>> {
  socket.sendRequest(api, version, body as never);
  return (await socket.readResponse(api, version)).body;
}

async function initTxn(id: string, version = 4) {
  return call(InitProducerId, version, { transactionalId: id, transactionTimeoutMs: 60000, producerId: -1, producerEpoch: -1 });
}

function txnBatch(producerId: number, producerEpoch: number, baseSequence = 0): Buffer {
  return encodeBatch({ records: [{ key: null, value: Buffer.from('v') }], producerId, producerEpoch, baseSequence, transactional: true });
}

describe('transaction APIs', () => {
  it('advertises the transaction APIs with version 0 and no transaction.version feature', async () => {
    const { apiKeys, finalizedFeatures } = await call(ApiVersions, 3, { clientSoftwareName: 'test', clientSoftwareVersion: '1' });
    const range = (key: number) => {
      const k = apiKeys.find((a) => a.apiKey === key);
      return k && [k.minVersion, k.maxVersion];
    };
    expect({
      InitProducerId: range(22), AddPartitionsToTxn: range(24), AddOffsetsToTxn: range(25), EndTxn: range(26),
      WriteTxnMarkers: range(27), TxnOffsetCommit: range(28), DescribeProducers: range(61), DescribeTransactions: range(65),
      ListTransactions: range(66), FindCoordinator: range(10), Produce: range(0), OffsetFetch: range(9),
    }).toEqual({
      InitProducerId: [0, 4], AddPartitionsToTxn: [0, 3], AddOffsetsToTxn: [0, 3], EndTxn: [0, 3], WriteTxnMarkers: undefined,
      TxnOffsetCommit: [0, 3], DescribeProducers: [0, 0], DescribeTransactions: [0, 0], ListTransactions: [0, 1],
      FindCoordinator: [0, 4], Produce: [0, 8], OffsetFetch: [1, 8],
    });
    expect(finalizedFeatures).toEqual([]);
  });

  it('FindCoordinator answers transactional ids with this broker, v1-3 and batched v4; an empty id is INVALID_REQUEST', async () => {
    const one = await call(FindCoordinator, 2, { key: 'txn-a', keyType: 1 });
    expect(one).toMatchObject({ errorCode: 0, nodeId: 1, port: broker.port });
    const batched = await call(FindCoordinator, 4, { keyType: 1, coordinatorKeys: ['txn-a', ''] });
    expect(batched.coordinators).toMatchObject([
      { key: 'txn-a', errorCode: 0, nodeId: 1, port: broker.port },
      { key: '', errorCode: ERR.INVALID_REQUEST, nodeId: -1 },
    ]);
  });

  it('sends PRODUCER_FENCED only to versions that know it (InitProducerId 4+, EndTxn and AddPartitionsToTxn 2+)', async () => {
    const { producerId } = await initTxn('fenced');
    await initTxn('fenced');
    const stale = { transactionalId: 'fenced', producerId, producerEpoch: 0, committed: true };
    expect((await call(EndTxn, 1, stale)).errorCode).toBe(ERR.INVALID_PRODUCER_EPOCH);
    expect((await call(EndTxn, 2, stale)).errorCode).toBe(ERR.PRODUCER_FENCED);
    const add = (version: number) => call(AddPartitionsToTxn, version, {
      v3AndBelowTransactionalId: 'fenced', v3AndBelowProducerId: producerId, v3AndBelowProducerEpoch: 0,
      v3AndBelowTopics: [{ name: 't', partitions: [0] }],
    });
    expect((await add(0)).resultsByTopicV3AndBelow[0]!.resultsByPartition[0]!.partitionErrorCode).toBe(ERR.INVALID_PRODUCER_EPOCH);
    expect((await add(3)).resultsByTopicV3AndBelow[0]!.resultsByPartition[0]!.partitionErrorCode).toBe(ERR.PRODUCER_FENCED);
    const resume = (version: number) => call(InitProducerId, version, { transactionalId: 'fenced', transactionTimeoutMs: 60000, producerId, producerEpoch: 7 });
    expect(await resume(3)).toMatchObject({ errorCode: ERR.INVALID_PRODUCER_EPOCH, producerId: -1, producerEpoch: -1 });
    expect((await resume(4)).errorCode).toBe(ERR.PRODUCER_FENCED);
    expect((await call(InitProducerId, 4, { transactionalId: 'fenced', transactionTimeoutMs: 60000, producerId, producerEpoch: -1 })).errorCode)
      .toBe(ERR.INVALID_REQUEST);
    expect((await call(InitProducerId, 4, { transactionalId: 'fenced', transactionTimeoutMs: 900001, producerId: -1, producerEpoch: -1 })).errorCode)
      .toBe(ERR.INVALID_TRANSACTION_TIMEOUT);
  });

  it('AddPartitionsToTxn with an unknown partition adds nothing: UNKNOWN_TOPIC_OR_PARTITION there, OPERATION_NOT_ATTEMPTED elsewhere', async () => {
    const { producerId, producerEpoch } = await initTxn('unknown-partition');
    const result = await call(AddPartitionsToTxn, 1, {
      v3AndBelowTransactionalId: 'unknown-partition', v3AndBelowProducerId: producerId, v3AndBelowProducerEpoch: producerEpoch,
      v3AndBelowTopics: [{ name: 't', partitions: [0, 7] }, { name: 'nope', partitions: [0] }],
    });
    expect(result.resultsByTopicV3AndBelow.map((t) => t.resultsByPartition.map((p) => p.partitionErrorCode)))
      .toEqual([[ERR.OPERATION_NOT_ATTEMPTED, ERR.UNKNOWN_TOPIC_OR_PARTITION], [ERR.UNKNOWN_TOPIC_OR_PARTITION]]);
    expect(broker.topics.partition('t', 0)!.lastStableOffset).toBe(broker.topics.partition('t', 0)!.highWatermark);
  });

  it('verifies the first transactional batch of a producer on a partition against its transaction', async () => {
    const { producerId, producerEpoch } = await initTxn('verify');
    const produce = (transactionalId: string | null, partition: number, records: Buffer) => call(Produce, 7, {
      transactionalId, acks: -1, timeoutMs: 5000, topicData: [{ name: 't', partitionData: [{ index: partition, records }] }],
    }).then((r) => r.responses[0]!.partitionResponses[0]!);
    expect((await produce(null, 1, txnBatch(producerId, producerEpoch))).errorCode).toBe(ERR.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    const twoProducers = await call(Produce, 7, {
      transactionalId: 'verify', acks: -1, timeoutMs: 5000,
      topicData: [{ name: 't', partitionData: [{ index: 0, records: txnBatch(producerId, producerEpoch) }, { index: 1, records: txnBatch(producerId + 1, 0) }] }],
    });
    expect(twoProducers.responses[0]!.partitionResponses.map((p) => p.errorCode)).toEqual([ERR.INVALID_PRODUCER_ID_MAPPING, ERR.INVALID_PRODUCER_ID_MAPPING]);
    expect((await produce('verify', 1, txnBatch(producerId, producerEpoch))).errorCode).toBe(ERR.INVALID_TXN_STATE);
    await call(AddPartitionsToTxn, 0, {
      v3AndBelowTransactionalId: 'verify', v3AndBelowProducerId: producerId, v3AndBelowProducerEpoch: producerEpoch,
      v3AndBelowTopics: [{ name: 't', partitions: [1] }],
    });
    expect((await produce('verify', 1, txnBatch(producerId, producerEpoch - 1))).errorCode).toBe(ERR.INVALID_PRODUCER_EPOCH);
    expect((await produce('verify', 1, txnBatch(producerId + 100, 0))).errorCode).toBe(ERR.INVALID_PRODUCER_ID_MAPPING);
    const ok = await produce('verify', 1, txnBatch(producerId, producerEpoch));
    expect(ok.errorCode).toBe(0);
    const plain = encodeBatch({ records: [{ key: null, value: Buffer.from('p') }], producerId, producerEpoch, baseSequence: 1 });
    expect((await produce('verify', 1, plain)).errorCode).toBe(ERR.INVALID_TXN_STATE);
    const log = broker.topics.partition('t', 1)!;
    expect(log.lastStableOffset).toBe(ok.baseOffset);

    const described = await call(DescribeProducers, 0, { topics: [{ name: 't', partitionIndexes: [1, 9] }] });
    expect(described.topics[0]!.partitions).toEqual([
      {
        partitionIndex: 1, errorCode: 0, errorMessage: null,
        activeProducers: [expect.objectContaining({ producerId, producerEpoch, lastSequence: 0, currentTxnStartOffset: ok.baseOffset })],
      },
      { partitionIndex: 9, errorCode: ERR.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null, activeProducers: [] },
    ]);
    const listed = await call(ListTransactions, 1, { stateFilters: ['Ongoing'], producerIdFilters: [], durationFilter: -1 });
    expect(listed.transactionStates).toEqual([{ transactionalId: 'verify', producerId, transactionState: 'Ongoing' }]);

    expect((await call(EndTxn, 3, { transactionalId: 'verify', producerId, producerEpoch, committed: false })).errorCode).toBe(0);
    expect(log.lastStableOffset).toBe(log.highWatermark);
    expect(log.abortedTransactions(0, log.highWatermark)).toEqual([{ producerId, firstOffset: ok.baseOffset }]);
  });

  it('read_committed fetches list exactly the aborted transactions overlapping the batches they return', async () => {
    broker.topics.createTopic('exact', { partitions: 1 });
    const log = broker.topics.partition('exact', 0)!;
    const run = async (id: string, commit: boolean, records: number) => {
      const { producerId, producerEpoch } = await initTxn(id);
      await call(AddPartitionsToTxn, 3, {
        v3AndBelowTransactionalId: id, v3AndBelowProducerId: producerId, v3AndBelowProducerEpoch: producerEpoch,
        v3AndBelowTopics: [{ name: 'exact', partitions: [0] }],
      });
      const batch = encodeBatch({
        records: Array.from({ length: records }, () => ({ key: null, value: Buffer.alloc(100) })), producerId, producerEpoch, baseSequence: 0, transactional: true,
      });
      await call(Produce, 7, { transactionalId: id, acks: -1, timeoutMs: 5000, topicData: [{ name: 'exact', partitionData: [{ index: 0, records: batch }] }] });
      await call(EndTxn, 3, { transactionalId: id, producerId, producerEpoch, committed: commit });
      return producerId;
    };
    await run('exact-a', true, 3); // offsets 0-2, marker 3
    const aborted = await run('exact-b', false, 3); // offsets 4-6, abort marker 7
    await run('exact-c', true, 1); // offset 8, marker 9
    const fetch = async (fetchOffset: number, maxBytes: number) => {
      const r = await call(Fetch, 11, {
        replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes, isolationLevel: 1, sessionId: 0, sessionEpoch: -1,
        topics: [{ topic: 'exact', partitions: [{ partition: 0, fetchOffset, partitionMaxBytes: maxBytes }] }], rackId: '',
      });
      const p = r.responses[0]!.partitions[0]!;
      return { aborted: p.abortedTransactions, lso: p.lastStableOffset, bytes: p.records?.length ?? 0 };
    };
    expect(log.highWatermark).toBe(10);
    // The first batch alone (max bytes below two batches): the later abort is not listed.
    expect(await fetch(0, 100)).toMatchObject({ aborted: [], lso: 10 });
    expect((await fetch(0, 1 << 20)).aborted).toEqual([{ producerId: aborted, firstOffset: 4 }]);
    expect((await fetch(4, 100)).aborted).toEqual([{ producerId: aborted, firstOffset: 4 }]);
    // From the abort marker on, the aborted transaction is behind the fetch.
    expect((await fetch(7, 1 << 20)).aborted).toEqual([{ producerId: aborted, firstOffset: 4 }]);
    expect((await fetch(8, 1 << 20)).aborted).toEqual([]);
  });

  it('wakes a read_committed fetch parked at the last stable offset when the transaction commits', async () => {
    broker.topics.createTopic('parked', { partitions: 1 });
    const { producerId, producerEpoch } = await initTxn('parked');
    await call(AddPartitionsToTxn, 3, {
      v3AndBelowTransactionalId: 'parked', v3AndBelowProducerId: producerId, v3AndBelowProducerEpoch: producerEpoch,
      v3AndBelowTopics: [{ name: 'parked', partitions: [0] }],
    });
    await call(Produce, 7, { transactionalId: 'parked', acks: -1, timeoutMs: 5000, topicData: [{ name: 'parked', partitionData: [{ index: 0, records: txnBatch(producerId, producerEpoch) }] }] });
    const fetcher = await RawKafkaSocket.connect(broker.port);
    try {
      fetcher.sendRequest(Fetch, 11, {
        replicaId: -1, maxWaitMs: 20_000, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 1, sessionId: 0, sessionEpoch: -1,
        topics: [{ topic: 'parked', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }], rackId: '',
      });
      let settled = false;
      const answered = fetcher.readResponse(Fetch, 11).finally(() => { settled = true; });
      const parkedAt = Date.now();
      // A round trip on the other connection: the fetch, sent first, is parked by now.
      expect((await call(ListTransactions, 0, { stateFilters: ['Ongoing'], producerIdFilters: [producerId] })).transactionStates).toHaveLength(1);
      expect(settled).toBe(false);
      expect((await call(EndTxn, 3, { transactionalId: 'parked', producerId, producerEpoch, committed: true })).errorCode).toBe(0);
      const { body } = await answered;
      expect(Date.now() - parkedAt).toBeLessThan(5000);
      const p = body.responses[0]!.partitions[0]!;
      expect({ lso: p.lastStableOffset, hw: p.highWatermark, aborted: p.abortedTransactions }).toEqual({ lso: 2, hw: 2, aborted: [] });
      expect(p.records!.length).toBeGreaterThan(0);
    } finally {
      fetcher.destroy();
    }
  });

  it('TxnOffsetCommit needs the group\'s offsets partition in the transaction (AddOffsetsToTxn) and the current epoch', async () => {
    const { producerId, producerEpoch } = await initTxn('offsets');
    const commit = (version: number, epoch = producerEpoch) => call(TxnOffsetCommit, version, {
      transactionalId: 'offsets', groupId: 'og', producerId, producerEpoch: epoch, generationId: -1, memberId: '', groupInstanceId: null,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 3, committedLeaderEpoch: -1, committedMetadata: null },
        { partitionIndex: 5, committedOffset: 3, committedLeaderEpoch: -1, committedMetadata: null }] }],
    }).then((r) => r.topics[0]!.partitions.map((p) => p.errorCode));
    expect(await commit(3)).toEqual([ERR.INVALID_TXN_STATE, ERR.INVALID_TXN_STATE]);
    expect((await call(AddOffsetsToTxn, 0, { transactionalId: 'offsets', producerId, producerEpoch, groupId: 'og' })).errorCode).toBe(0);
    expect(await commit(3, producerEpoch + 1)).toEqual([ERR.INVALID_PRODUCER_EPOCH, ERR.INVALID_PRODUCER_EPOCH]);
    expect(await commit(1)).toEqual([ERR.NONE, ERR.UNKNOWN_TOPIC_OR_PARTITION]);
    expect((await call(AddOffsetsToTxn, 1, { transactionalId: 'offsets', producerId, producerEpoch: producerEpoch + 1, groupId: 'og' })).errorCode)
      .toBe(ERR.INVALID_PRODUCER_EPOCH);
    expect((await call(AddOffsetsToTxn, 2, { transactionalId: 'offsets', producerId, producerEpoch: producerEpoch + 1, groupId: 'og' })).errorCode)
      .toBe(ERR.PRODUCER_FENCED);
    expect((await call(EndTxn, 0, { transactionalId: 'offsets', producerId, producerEpoch, committed: true })).errorCode).toBe(0);
    const fetched = await call(OffsetFetch, 7, { groupId: 'og', topics: [{ name: 't', partitionIndexes: [0] }], requireStable: true });
    expect(fetched.topics[0]!.partitions[0]).toMatchObject({ committedOffset: 3, errorCode: 0 });
  });
});
