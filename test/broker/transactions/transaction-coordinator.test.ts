/**
 * The transaction coordinator's state machine and decision tables (exactly-once reference
 * §2.5-2.10) on an in-memory store, a recording marker writer and a manual clock.
 */
import { describe, expect, it } from 'vitest';
import { ERR } from '../../../broker/protocol/error-codes.js';
import {
  TRANSACTION_ABORTABLE, TransactionCoordinator, type MarkerWriter, type TransactionCoordinatorOptions,
} from '../../../broker/transactions/transaction-coordinator.js';
import { decodeTxnValue, encodeTxnKey, encodeTxnValue } from '../../../broker/transactions/transaction-log.js';
import { TXN_STATE_NAMES, TxnState, type TxnSnapshot } from '../../../broker/transactions/transaction-state.js';
import type { StoredTxnRecord, TransactionStore } from '../../../broker/transactions/transaction-store.js';
import { FakeTimers } from '../groups/fake-timers.js';

class MemoryStore implements TransactionStore {
  readonly records: StoredTxnRecord[] = [];
  hold: Promise<void> | null = null;

  async append(transactionalId: string, value: TxnSnapshot | null): Promise<void> {
    this.records.push({ key: encodeTxnKey(transactionalId), value: value === null ? null : encodeTxnValue(value) });
    if (this.hold) await this.hold;
  }

  states(): string[] {
    return this.records.map((r) => (r.value === null ? 'tombstone' : TXN_STATE_NAMES[decodeTxnValue(r.value).state]));
  }
}

interface Marker { topic: string; partition: number; producerId: number; producerEpoch: number; commit: boolean }

class RecordingMarkers implements MarkerWriter {
  readonly written: Marker[] = [];
  refuse: number | null = null;

  async writeMarker(topic: string, partition: number, producerId: number, producerEpoch: number, commit: boolean): Promise<number> {
    if (this.refuse !== null) return this.refuse;
    this.written.push({ topic, partition, producerId, producerEpoch, commit });
    return 0;
  }
}

function setup(options: Partial<TransactionCoordinatorOptions> = {}) {
  const timers = new FakeTimers();
  const store = new MemoryStore();
  const markers = new RecordingMarkers();
  let next = 1000;
  const coordinator = new TransactionCoordinator({
    store, markers, producerIds: { allocate: () => next++ }, clock: timers.clock, timers, ...options,
  });
  return { timers, store, markers, coordinator };
}

const TP = [{ topic: 'a', partitions: [0, 1] }, { topic: 'b', partitions: [0] }];

describe('TransactionCoordinator', () => {
  it('InitProducerId: a new id gets a fresh producer id at epoch 0 and each later call bumps the epoch', async () => {
    const { coordinator, store } = setup();
    expect(await coordinator.initProducerId('t', 60000, -1, -1)).toEqual({ errorCode: 0, producerId: 1000, producerEpoch: 0 });
    expect(await coordinator.initProducerId('t', 60000, -1, -1)).toEqual({ errorCode: 0, producerId: 1000, producerEpoch: 1 });
    expect(store.states()).toEqual(['Empty', 'Empty']);
  });

  it('InitProducerId refuses timeouts above transaction.max.timeout.ms, non-positive ones and the empty id', async () => {
    const { coordinator } = setup();
    expect((await coordinator.initProducerId('t', 900001, -1, -1)).errorCode).toBe(ERR.INVALID_TRANSACTION_TIMEOUT);
    expect((await coordinator.initProducerId('t', 0, -1, -1)).errorCode).toBe(ERR.INVALID_TRANSACTION_TIMEOUT);
    expect((await coordinator.initProducerId('t', 900000, -1, -1)).errorCode).toBe(ERR.NONE);
    expect((await coordinator.initProducerId('', 1000, -1, -1)).errorCode).toBe(ERR.INVALID_REQUEST);
  });

  it('KIP-360: resuming with the current pair bumps once, a retry of it gets the same answer, another epoch is fenced', async () => {
    const { coordinator } = setup();
    await coordinator.initProducerId('t', 60000, -1, -1);
    await coordinator.initProducerId('t', 60000, -1, -1);
    expect(await coordinator.initProducerId('t', 60000, 1000, 1)).toEqual({ errorCode: 0, producerId: 1000, producerEpoch: 2 });
    expect(await coordinator.initProducerId('t', 60000, 1000, 1)).toEqual({ errorCode: 0, producerId: 1000, producerEpoch: 2 });
    expect((await coordinator.initProducerId('t', 60000, 1000, 0)).errorCode).toBe(ERR.PRODUCER_FENCED);
    expect((await coordinator.initProducerId('t', 60000, 7, 2)).errorCode).toBe(ERR.PRODUCER_FENCED);
  });

  it('commits: Ongoing, PrepareCommit, markers on every partition, CompleteCommit, all before EndTxn resolves', async () => {
    const { coordinator, store, markers } = setup();
    const { producerId, producerEpoch } = await coordinator.initProducerId('t', 60000, -1, -1);
    expect(await coordinator.addPartitions('t', producerId, producerEpoch, [TP[0]!])).toBe(ERR.NONE);
    expect(await coordinator.addPartitions('t', producerId, producerEpoch, [{ topic: 'a', partitions: [1] }])).toBe(ERR.NONE);
    expect(await coordinator.addPartitions('t', producerId, producerEpoch, [TP[1]!])).toBe(ERR.NONE);
    expect(store.states()).toEqual(['Empty', 'Ongoing', 'Ongoing']);
    expect(coordinator.describe(['t'])[0]!.topics).toEqual(TP);
    expect(await coordinator.endTransaction('t', producerId, producerEpoch, true)).toBe(ERR.NONE);
    expect(store.states()).toEqual(['Empty', 'Ongoing', 'Ongoing', 'PrepareCommit', 'CompleteCommit']);
    expect(decodeTxnValue(store.records[3]!.value!).partitions).toEqual(TP);
    expect(markers.written).toEqual([
      { topic: 'a', partition: 0, producerId, producerEpoch, commit: true },
      { topic: 'a', partition: 1, producerId, producerEpoch, commit: true },
      { topic: 'b', partition: 0, producerId, producerEpoch, commit: true },
    ]);
    // A retried EndTxn is answered again; the opposite result or an empty transaction is not.
    expect(await coordinator.endTransaction('t', producerId, producerEpoch, true)).toBe(ERR.NONE);
    expect(await coordinator.endTransaction('t', producerId, producerEpoch, false)).toBe(ERR.INVALID_TXN_STATE);
    expect(coordinator.stateOf('t')).toBe('CompleteCommit');
    await coordinator.initProducerId('t', 60000, -1, -1);
    expect(await coordinator.endTransaction('t', producerId, producerEpoch + 1, false)).toBe(ERR.INVALID_TXN_STATE);
  });

  it('EndTxn and AddPartitionsToTxn check the producer id and epoch', async () => {
    const { coordinator } = setup();
    const { producerId } = await coordinator.initProducerId('t', 60000, -1, -1);
    expect(await coordinator.addPartitions('t', producerId + 1, 0, TP)).toBe(ERR.INVALID_PRODUCER_ID_MAPPING);
    expect(await coordinator.addPartitions('unknown', producerId, 0, TP)).toBe(ERR.INVALID_PRODUCER_ID_MAPPING);
    expect(await coordinator.addPartitions('t', producerId, 1, TP)).toBe(ERR.PRODUCER_FENCED);
    expect(await coordinator.endTransaction('t', producerId, 1, true)).toBe(ERR.PRODUCER_FENCED);
    expect(await coordinator.endTransaction('t', producerId + 1, 0, true)).toBe(ERR.INVALID_PRODUCER_ID_MAPPING);
  });

  it('a request meeting an append in flight gets CONCURRENT_TRANSACTIONS', async () => {
    const { coordinator, store } = setup();
    const { producerId, producerEpoch } = await coordinator.initProducerId('t', 60000, -1, -1);
    let release!: () => void;
    store.hold = new Promise((resolve) => { release = resolve; });
    const adding = coordinator.addPartitions('t', producerId, producerEpoch, TP);
    expect(await coordinator.addPartitions('t', producerId, producerEpoch, TP)).toBe(ERR.CONCURRENT_TRANSACTIONS);
    expect(await coordinator.endTransaction('t', producerId, producerEpoch, true)).toBe(ERR.CONCURRENT_TRANSACTIONS);
    expect((await coordinator.initProducerId('t', 60000, -1, -1)).errorCode).toBe(ERR.CONCURRENT_TRANSACTIONS);
    store.hold = null;
    release();
    expect(await adding).toBe(ERR.NONE);
  });

  it('InitProducerId against an Ongoing transaction fences it: abort markers with epoch + 1, CONCURRENT_TRANSACTIONS, then epoch + 2 on retry', async () => {
    const { coordinator, store, markers } = setup();
    const first = await coordinator.initProducerId('t', 60000, -1, -1);
    await coordinator.addPartitions('t', first.producerId, first.producerEpoch, TP);
    expect((await coordinator.initProducerId('t', 60000, -1, -1)).errorCode).toBe(ERR.CONCURRENT_TRANSACTIONS);
    expect(markers.written.every((m) => !m.commit && m.producerEpoch === first.producerEpoch + 1)).toBe(true);
    expect(markers.written).toHaveLength(3);
    expect(store.states().slice(-2)).toEqual(['PrepareAbort', 'CompleteAbort']);
    expect(await coordinator.initProducerId('t', 60000, -1, -1)).toEqual({ errorCode: 0, producerId: first.producerId, producerEpoch: 2 });
    expect(await coordinator.endTransaction('t', first.producerId, first.producerEpoch, true)).toBe(ERR.PRODUCER_FENCED);
  });

  it('verifies produce: NONE for partitions of the Ongoing transaction, TRANSACTION_ABORTABLE otherwise, fenced and unknown producers', async () => {
    const { coordinator } = setup();
    const { producerId, producerEpoch } = await coordinator.initProducerId('t', 60000, -1, -1);
    expect(coordinator.verify('t', producerId, producerEpoch, 'a', 0)).toBe(TRANSACTION_ABORTABLE);
    await coordinator.addPartitions('t', producerId, producerEpoch, [TP[0]!]);
    expect(coordinator.verify('t', producerId, producerEpoch, 'a', 0)).toBe(ERR.NONE);
    expect(coordinator.verify('t', producerId, producerEpoch, 'b', 0)).toBe(TRANSACTION_ABORTABLE);
    expect(coordinator.verify('t', producerId, producerEpoch - 1, 'a', 0)).toBe(ERR.PRODUCER_FENCED);
    expect(coordinator.verify('t', producerId + 1, producerEpoch, 'a', 0)).toBe(ERR.INVALID_PRODUCER_ID_MAPPING);
  });

  it('aborts Ongoing transactions past their timeout on the periodic scan, bumping the epoch', async () => {
    const { coordinator, markers, timers } = setup({ config: { abortTimedOutTransactionCleanupIntervalMs: 1000 } });
    coordinator.start();
    const { producerId, producerEpoch } = await coordinator.initProducerId('t', 5000, -1, -1);
    await coordinator.addPartitions('t', producerId, producerEpoch, TP);
    await timers.advance(5000);
    expect(coordinator.stateOf('t')).toBe('Ongoing');
    await timers.advance(1000);
    expect(coordinator.stateOf('t')).toBe('CompleteAbort');
    expect(markers.written.map((m) => m.producerEpoch)).toEqual([1, 1, 1]);
    expect(await coordinator.addPartitions('t', producerId, producerEpoch, TP)).toBe(ERR.PRODUCER_FENCED);
    coordinator.close();
  });

  it('rotates the producer id when the epoch is exhausted', async () => {
    const { coordinator, store } = setup();
    await coordinator.initProducerId('t', 60000, -1, -1);
    const exhausted = { ...decodeTxnValue(store.records[0]!.value!), producerId: 500, producerEpoch: 32766 };
    const reloaded = setup();
    reloaded.coordinator.loadFrom([{ key: encodeTxnKey('t'), value: encodeTxnValue(exhausted) }]);
    expect(await reloaded.coordinator.initProducerId('t', 60000, -1, -1)).toEqual({ errorCode: 0, producerId: 1000, producerEpoch: 0 });
    // KIP-360 resume by the producer that exhausted the epoch: the answer is the rotated pair.
    const resumed = setup();
    resumed.coordinator.loadFrom([{ key: encodeTxnKey('t'), value: encodeTxnValue(exhausted) }]);
    expect(await resumed.coordinator.initProducerId('t', 60000, 500, 32766)).toEqual({ errorCode: 0, producerId: 1000, producerEpoch: 0 });
    expect(await resumed.coordinator.initProducerId('t', 60000, 500, 32766)).toEqual({ errorCode: 0, producerId: 1000, producerEpoch: 0 });
  });

  it('reloads its state, completes transactions found prepared and lets Ongoing ones time out', async () => {
    const { coordinator, store } = setup();
    for (const id of ['committing', 'aborting', 'open', 'idle']) {
      const { producerId, producerEpoch } = await coordinator.initProducerId(id, 3000, -1, -1);
      if (id !== 'idle') await coordinator.addPartitions(id, producerId, producerEpoch, [{ topic: id, partitions: [0] }]);
    }
    const prepared = (id: string, state: TxnState) => {
      const last = store.records.filter((r) => r.key.equals(encodeTxnKey(id))).at(-1)!;
      return { key: last.key, value: encodeTxnValue({ ...decodeTxnValue(last.value!), state }) };
    };
    const records = [...store.records, prepared('committing', TxnState.PrepareCommit), prepared('aborting', TxnState.PrepareAbort),
      { key: encodeTxnKey('gone'), value: store.records[0]!.value }, { key: encodeTxnKey('gone'), value: null }];

    const restarted = setup({ config: { abortTimedOutTransactionCleanupIntervalMs: 500 } });
    expect(restarted.coordinator.loadFrom(records)).toEqual({ transactionalIds: 4, skippedRecords: 0 });
    expect(await restarted.coordinator.completePrepared()).toBe(2);
    expect(restarted.markers.written.map((m) => `${m.topic}:${m.commit}`)).toEqual(['committing:true', 'aborting:false']);
    expect(restarted.coordinator.stateOf('committing')).toBe('CompleteCommit');
    expect(restarted.coordinator.stateOf('aborting')).toBe('CompleteAbort');
    expect(restarted.coordinator.stateOf('open')).toBe('Ongoing');
    expect(restarted.coordinator.stateOf('gone')).toBeUndefined();
    restarted.coordinator.start();
    await restarted.timers.advance(3500);
    expect(restarted.coordinator.stateOf('open')).toBe('CompleteAbort');
    restarted.coordinator.close();
  });

  it('leaves a transaction prepared when a partition refuses the marker epoch', async () => {
    const { coordinator, markers } = setup();
    const { producerId, producerEpoch } = await coordinator.initProducerId('t', 60000, -1, -1);
    await coordinator.addPartitions('t', producerId, producerEpoch, TP);
    markers.refuse = ERR.INVALID_PRODUCER_EPOCH;
    expect(await coordinator.endTransaction('t', producerId, producerEpoch, true)).toBe(ERR.NONE);
    expect(coordinator.stateOf('t')).toBe('PrepareCommit');
    expect(await coordinator.endTransaction('t', producerId, producerEpoch, true)).toBe(ERR.CONCURRENT_TRANSACTIONS);
    expect((await coordinator.initProducerId('t', 60000, -1, -1)).errorCode).toBe(ERR.CONCURRENT_TRANSACTIONS);
  });

  it('retries a marker the partition could not take every second, and answers EndTxn once all are written', async () => {
    const { coordinator, markers, timers } = setup();
    const { producerId, producerEpoch } = await coordinator.initProducerId('t', 60000, -1, -1);
    await coordinator.addPartitions('t', producerId, producerEpoch, TP);
    markers.refuse = ERR.KAFKA_STORAGE_ERROR;
    let answer: number | undefined;
    const ending = coordinator.endTransaction('t', producerId, producerEpoch, true).then((code) => { answer = code; });
    await timers.advance(999);
    expect(answer).toBeUndefined();
    expect(coordinator.stateOf('t')).toBe('PrepareCommit');
    markers.refuse = null;
    await timers.advance(1);
    await ending;
    expect(answer).toBe(ERR.NONE);
    expect(coordinator.stateOf('t')).toBe('CompleteCommit');
    expect(markers.written).toHaveLength(3);

    // Closing the coordinator ends a retry loop too, leaving the transaction prepared for the next start.
    await coordinator.addPartitions('t', producerId, producerEpoch, TP);
    markers.refuse = ERR.KAFKA_STORAGE_ERROR;
    const stuck = coordinator.endTransaction('t', producerId, producerEpoch, false);
    await timers.advance(10);
    coordinator.close();
    expect(await stuck).toBe(ERR.NONE);
    expect(coordinator.stateOf('t')).toBe('PrepareAbort');
  });

  it('expires idle transactional ids with a tombstone', async () => {
    const { coordinator, store, timers } = setup({ config: { transactionalIdExpirationMs: 10_000 } });
    await coordinator.initProducerId('t', 60000, -1, -1);
    await timers.advance(10_001);
    expect(await coordinator.expireTransactionalIds()).toBe(1);
    expect(store.states().at(-1)).toBe('tombstone');
    expect(coordinator.describe(['t'])[0]!.errorCode).toBe(ERR.TRANSACTIONAL_ID_NOT_FOUND);
  });

  it('describes and lists transactions with state, producer id and duration filters', async () => {
    const { coordinator, timers } = setup();
    const a = await coordinator.initProducerId('a', 60000, -1, -1);
    await coordinator.initProducerId('b', 60000, -1, -1);
    await coordinator.addPartitions('a', a.producerId, a.producerEpoch, TP);
    await timers.advance(2000);
    expect(coordinator.describe(['a', 'x', ''])).toEqual([
      {
        errorCode: 0, transactionalId: 'a', transactionState: 'Ongoing', transactionTimeoutMs: 60000,
        transactionStartTimeMs: timers.now - 2000, producerId: a.producerId, producerEpoch: 0, topics: TP,
      },
      expect.objectContaining({ transactionalId: 'x', errorCode: ERR.TRANSACTIONAL_ID_NOT_FOUND }),
      expect.objectContaining({ transactionalId: '', errorCode: ERR.INVALID_REQUEST }),
    ]);
    const names = (r: { transactionStates: { transactionalId: string }[] }) => r.transactionStates.map((s) => s.transactionalId).sort();
    expect(names(coordinator.list([], []))).toEqual(['a', 'b']);
    expect(names(coordinator.list(['Ongoing'], []))).toEqual(['a']);
    expect(names(coordinator.list([], [a.producerId + 1]))).toEqual(['b']);
    expect(names(coordinator.list([], [], 1000))).toEqual(['a']);
    expect(names(coordinator.list([], [], 5000))).toEqual([]);
    expect(coordinator.list(['Ongoing', 'Bogus'], []).unknownStateFilters).toEqual(['Bogus']);
  });
});
