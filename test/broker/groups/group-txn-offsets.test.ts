/**
 * TxnOffsetCommit in the group coordinator (exactly-once reference §5): KIP-447 member checks,
 * commits pending per (group, producer) until the transaction's marker, OffsetFetch
 * require_stable answering UNSTABLE_OFFSET_COMMIT meanwhile, and the replay of pending commits
 * and markers on load.
 */
import { describe, expect, it } from 'vitest';
import { GroupErrorCode as E } from '../../../broker/groups/group-errors.js';
import type { GroupStoreEntry } from '../../../broker/groups/group-store.js';
import { partitionFor } from '../../../broker/groups/partition-for.js';
import type { TxnOffsetCommitRequest } from '../../../broker/groups/group-types.js';
import { formGroup, setup } from './helpers.js';

const PARTITIONS = 50;
const PID = 4000;

function txnCommit(over: Partial<TxnOffsetCommitRequest> & { offset?: number } = {}): TxnOffsetCommitRequest {
  const { offset = 10, ...rest } = over;
  return {
    transactionalId: 'tx', groupId: 'g1', producerId: PID, producerEpoch: 0, generationId: -1, memberId: '', groupInstanceId: null,
    topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: offset, committedMetadata: null }] }],
    ...rest,
  };
}

function codes(result: { topics: { partitions: { errorCode: number }[] }[] }): number[] {
  return result.topics.flatMap((t) => t.partitions.map((p) => p.errorCode));
}

async function fetched(coordinator: ReturnType<typeof setup>['coordinator'], groupId = 'g1', requireStable = true) {
  const r = await coordinator.fetchOffsets({ groupId, topics: [{ name: 't', partitionIndexes: [0] }], requireStable });
  const p = r.topics[0]!.partitions[0]!;
  return { offset: p.committedOffset, errorCode: p.errorCode };
}

describe('GroupCoordinator transactional offset commits', () => {
  it('keeps a commit pending until the COMMIT marker reaches the group\'s offsets partition', async () => {
    const { coordinator, store } = setup({ offsetsTopicPartitions: PARTITIONS });
    expect(codes(await coordinator.commitTxnOffsets(txnCommit()))).toEqual([E.NONE]);
    expect(store.records.at(-1)!.producer).toEqual({ producerId: PID, producerEpoch: 0 });
    expect(await fetched(coordinator)).toEqual({ offset: -1, errorCode: E.UNSTABLE_OFFSET_COMMIT });
    expect(await fetched(coordinator, 'g1', false)).toEqual({ offset: -1, errorCode: E.NONE });
    // A marker in another offsets partition, or of another producer, changes nothing.
    const own = partitionFor('g1', PARTITIONS);
    expect(coordinator.completeTransaction(PID, (own + 1) % PARTITIONS, true)).toBe(0);
    expect(coordinator.completeTransaction(PID + 1, own, true)).toBe(0);
    expect(coordinator.completeTransaction(PID, own, true)).toBe(1);
    expect(await fetched(coordinator)).toEqual({ offset: 10, errorCode: E.NONE });
  });

  it('drops a pending commit on ABORT (timeouts and fences abort too)', async () => {
    const { coordinator } = setup({ offsetsTopicPartitions: PARTITIONS });
    await coordinator.commitTxnOffsets(txnCommit({ offset: 5 }));
    coordinator.completeTransaction(PID, partitionFor('g1', PARTITIONS), true);
    await coordinator.commitTxnOffsets(txnCommit({ offset: 9 }));
    coordinator.completeTransaction(PID, partitionFor('g1', PARTITIONS), false);
    expect(await fetched(coordinator)).toEqual({ offset: 5, errorCode: E.NONE });
  });

  it('applies KIP-447 checks only when the request names a member, instance or generation', async () => {
    const ctx = setup({ offsetsTopicPartitions: PARTITIONS });
    const { coordinator } = ctx;
    const group = await formGroup(ctx, ['c1']);
    const member = group.memberIds[0]!;
    // No member information (kafkajs, assign() consumers): accepted although the group is Stable.
    expect(codes(await coordinator.commitTxnOffsets(txnCommit()))).toEqual([E.NONE]);
    expect(codes(await coordinator.commitTxnOffsets(txnCommit({ generationId: group.generationId, memberId: member })))).toEqual([E.NONE]);
    expect(codes(await coordinator.commitTxnOffsets(txnCommit({ generationId: group.generationId + 1, memberId: member }))))
      .toEqual([E.ILLEGAL_GENERATION]);
    expect(codes(await coordinator.commitTxnOffsets(txnCommit({ generationId: group.generationId, memberId: 'zombie' }))))
      .toEqual([E.UNKNOWN_MEMBER_ID]);
    expect(codes(await coordinator.commitTxnOffsets(txnCommit({ generationId: group.generationId, memberId: member, groupInstanceId: 'i1' }))))
      .toEqual([E.UNKNOWN_MEMBER_ID]);
    expect(codes(await coordinator.commitTxnOffsets(txnCommit({ groupId: '' })))).toEqual([E.INVALID_GROUP_ID]);
  });

  it('answers INVALID_PRODUCER_EPOCH when the log refuses a stale epoch, and forgets the staged commit', async () => {
    const refusing = { append: () => Promise.reject(Object.assign(new Error('stale'), { errorCode: E.INVALID_PRODUCER_EPOCH })) };
    const { coordinator } = setup({ offsetsTopicPartitions: PARTITIONS }, refusing);
    expect(codes(await coordinator.commitTxnOffsets(txnCommit()))).toEqual([E.INVALID_PRODUCER_EPOCH]);
    expect(await fetched(coordinator)).toEqual({ offset: -1, errorCode: E.NONE });
  });

  it('replays pending commits and markers on load: decided ones applied or dropped, open ones still pending', async () => {
    const { coordinator, store } = setup({ offsetsTopicPartitions: PARTITIONS });
    await coordinator.commitOffsets({ groupId: 'g1', generationId: -1, memberId: '', topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 1 }] }] });
    await coordinator.commitTxnOffsets(txnCommit({ offset: 20 }));
    await coordinator.commitTxnOffsets(txnCommit({ groupId: 'g2', producerId: PID + 1, offset: 30 }));
    await coordinator.commitTxnOffsets(txnCommit({ groupId: 'g3', producerId: PID + 2, offset: 40 }));
    const partition = (g: string) => partitionFor(g, PARTITIONS);
    const entries: GroupStoreEntry[] = store.records.map((r) => ({
      key: r.key, value: r.value, ...(r.producer && { txn: { producerId: r.producer.producerId, partition: partition(r.groupId) } }),
    }));
    entries.push({ marker: { producerId: PID, partition: partition('g1'), commit: true } });
    entries.push({ marker: { producerId: PID + 1, partition: partition('g2'), commit: false } });

    const restarted = setup({ offsetsTopicPartitions: PARTITIONS });
    expect(restarted.coordinator.loadFrom(entries)).toEqual({ groups: 2, offsets: 1, skippedRecords: 0 });
    expect(await fetched(restarted.coordinator, 'g1')).toEqual({ offset: 20, errorCode: E.NONE });
    expect(await fetched(restarted.coordinator, 'g2')).toEqual({ offset: -1, errorCode: E.NONE });
    expect(await fetched(restarted.coordinator, 'g3')).toEqual({ offset: -1, errorCode: E.UNSTABLE_OFFSET_COMMIT });
    restarted.coordinator.completeTransaction(PID + 2, partition('g3'), true);
    expect(await fetched(restarted.coordinator, 'g3')).toEqual({ offset: 40, errorCode: E.NONE });
  });
});
