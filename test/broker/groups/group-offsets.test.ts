import { describe, expect, it } from 'vitest';
import { GroupErrorCode as E } from '../../../broker/groups/group-errors.js';
import { GroupCoordinator } from '../../../broker/groups/group-coordinator.js';
import type { GroupStore, GroupStoreWrite } from '../../../broker/groups/group-store.js';
import type { OffsetCommitRequest } from '../../../broker/groups/group-types.js';
import { formGroup, joinRequest, setup } from './helpers.js';
import { track } from './fake-timers.js';

function commit(groupId: string, generationId: number, memberId: string, offsets: Record<string, number>): OffsetCommitRequest {
  const byTopic = new Map<string, { partitionIndex: number; committedOffset: number; committedMetadata: string }[]>();
  for (const [tp, offset] of Object.entries(offsets)) {
    const [topic, p] = tp.split(':') as [string, string];
    if (!byTopic.has(topic)) byTopic.set(topic, []);
    byTopic.get(topic)!.push({ partitionIndex: Number(p), committedOffset: offset, committedMetadata: `m${offset}` });
  }
  return { groupId, generationId, memberId, topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })) };
}

function errors(result: { topics: { partitions: { errorCode: number }[] }[] }): number[] {
  return result.topics.flatMap((t) => t.partitions.map((p) => p.errorCode));
}

describe('GroupCoordinator offsets', () => {
  it('accepts simple commits with generation -1 for an unknown group and fetches them back, -1 for never-committed partitions', async () => {
    const { coordinator } = setup();
    const r = await coordinator.commitOffsets(commit('simple', -1, '', { 't:0': 42, 't:1': 7, 'u:3': 100 }));
    expect(errors(r)).toEqual([0, 0, 0]);

    const fetched = await coordinator.fetchOffsets({ groupId: 'simple', topics: [{ name: 't', partitionIndexes: [0, 1, 2] }] });
    expect(fetched).toEqual({
      errorCode: 0,
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: -1, metadata: 'm42', errorCode: 0 },
            { partitionIndex: 1, committedOffset: 7, committedLeaderEpoch: -1, metadata: 'm7', errorCode: 0 },
            { partitionIndex: 2, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
          ],
        },
      ],
    });
    const all = await coordinator.fetchOffsets({ groupId: 'simple', topics: null });
    expect(all.topics.map((t) => [t.name, t.partitions.map((p) => p.committedOffset)])).toEqual([
      ['t', [42, 7]],
      ['u', [100]],
    ]);
    const unknown = await coordinator.fetchOffsets({ groupId: 'nobody', topics: [{ name: 't', partitionIndexes: [0] }] });
    expect(unknown.topics[0]!.partitions[0]!.committedOffset).toBe(-1);
    expect((await coordinator.fetchOffsets({ groupId: 'nobody', topics: null })).topics).toEqual([]);

    const [d] = await coordinator.describeGroups(['simple']);
    expect(d!.groupState).toBe('Empty');
    expect(d!.protocolType).toBe('');
  });

  it('rejects a non-simple commit to an unknown group with ILLEGAL_GENERATION', async () => {
    const { coordinator } = setup();
    expect(errors(await coordinator.commitOffsets(commit('g', 3, 'm', { 't:0': 1 })))).toEqual([E.ILLEGAL_GENERATION]);
  });

  it('lets members of the current generation commit, and refuses outsiders of an active group', async () => {
    const ctx = setup({ initialRebalanceDelayMs: 3000 });
    const { coordinator } = ctx;
    const g = await formGroup(ctx, ['a']);
    const member = g.memberIds[0]!;
    expect(errors(await coordinator.commitOffsets(commit('g1', 1, member, { 't:0': 10 })))).toEqual([0]);
    expect(errors(await coordinator.commitOffsets(commit('g1', -1, '', { 't:0': 11 })))).toEqual([E.UNKNOWN_MEMBER_ID]);
    expect(errors(await coordinator.commitOffsets(commit('g1', 1, 'stranger', { 't:0': 11 })))).toEqual([E.UNKNOWN_MEMBER_ID]);
    const fetched = await coordinator.fetchOffsets({ groupId: 'g1', topics: [{ name: 't', partitionIndexes: [0] }] });
    expect(fetched.topics[0]!.partitions[0]!.committedOffset).toBe(10);
  });

  it('answers REBALANCE_IN_PROGRESS to commits while the group awaits its assignment', async () => {
    const { coordinator } = setup();
    const r = await coordinator.joinGroup(joinRequest({ requestVersion: 3 }));
    expect(coordinator.groupState('g1')).toBe('CompletingRebalance');
    expect(errors(await coordinator.commitOffsets(commit('g1', r.generationId, r.memberId, { 't:0': 1 })))).toEqual([
      E.REBALANCE_IN_PROGRESS,
    ]);
  });

  it('refuses commit metadata longer than offset.metadata.max.bytes but stores the other partitions', async () => {
    const { coordinator } = setup({ maxMetadataBytes: 4 });
    const r = await coordinator.commitOffsets({
      groupId: 'g',
      generationId: -1,
      memberId: '',
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, committedOffset: 1, committedMetadata: 'toolong' },
            { partitionIndex: 1, committedOffset: 2, committedMetadata: null, committedLeaderEpoch: 5 },
          ],
        },
      ],
    });
    expect(errors(r)).toEqual([E.OFFSET_METADATA_TOO_LARGE, 0]);
    const f = await coordinator.fetchOffsets({ groupId: 'g', topics: [{ name: 't', partitionIndexes: [0, 1] }] });
    expect(f.topics[0]!.partitions.map((p) => [p.committedOffset, p.committedLeaderEpoch, p.metadata])).toEqual([
      [-1, -1, ''],
      [2, 5, ''],
    ]);
  });

  it('answers UNSTABLE_OFFSET_COMMIT to require_stable fetches while a commit is being written', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const store: GroupStore = { append: () => gate };
    const { coordinator } = setup({}, store);
    const pending = track(coordinator.commitOffsets(commit('g', -1, '', { 't:0': 5 })));
    await Promise.resolve();
    const f = await coordinator.fetchOffsets({ groupId: 'g', topics: [{ name: 't', partitionIndexes: [0] }], requireStable: true });
    expect(f.topics[0]!.partitions[0]!.errorCode).toBe(E.UNSTABLE_OFFSET_COMMIT);
    release();
    expect(errors(await pending.promise)).toEqual([0]);
    const after = await coordinator.fetchOffsets({ groupId: 'g', topics: [{ name: 't', partitionIndexes: [0] }], requireStable: true });
    expect(after.topics[0]!.partitions[0]!.committedOffset).toBe(5);
  });

  it('reports COORDINATOR_NOT_AVAILABLE when the store cannot persist a commit, and keeps the old offset', async () => {
    let fail = false;
    const records: GroupStoreWrite[] = [];
    const store: GroupStore = {
      append: async (r) => {
        if (fail) throw new Error('disk full');
        records.push(...r);
      },
    };
    const { coordinator } = setup({}, store);
    await coordinator.commitOffsets(commit('g', -1, '', { 't:0': 5 }));
    fail = true;
    expect(errors(await coordinator.commitOffsets(commit('g', -1, '', { 't:0': 6 })))).toEqual([E.COORDINATOR_NOT_AVAILABLE]);
    const f = await coordinator.fetchOffsets({ groupId: 'g', topics: [{ name: 't', partitionIndexes: [0] }] });
    expect(f.topics[0]!.partitions[0]!.committedOffset).toBe(5);
  });

  it('after a restart, a coordinator loaded from the appended records returns the committed offsets and an Empty group that keeps its generation', async () => {
    const ctx = setup({ initialRebalanceDelayMs: 3000 });
    const { coordinator, store } = ctx;
    const g = await formGroup(ctx, ['a', 'b']);
    expect(
      errors(await coordinator.commitOffsets(commit('g1', g.generationId, g.memberIds[0]!, { 'orders:0': 15, 'orders:1': 30 }))),
    ).toEqual([0, 0]);
    expect(errors(await coordinator.commitOffsets(commit('g1', g.generationId, g.memberIds[1]!, { 'orders:1': 31 })))).toEqual([0]);
    await coordinator.commitOffsets(commit('simple', -1, '', { 'x:0': 9 }));
    coordinator.close();
    expect(new Set(store.records.map((r) => r.groupId))).toEqual(new Set(['g1', 'simple']));

    const restarted = setup({ initialRebalanceDelayMs: 0 });
    const summary = restarted.coordinator.loadFrom(store.records);
    expect(summary).toEqual({ groups: 2, offsets: 3, skippedRecords: 0 });
    const c2 = restarted.coordinator;

    const f = await c2.fetchOffsets({ groupId: 'g1', topics: [{ name: 'orders', partitionIndexes: [0, 1, 2] }] });
    expect(f.topics[0]!.partitions.map((p) => [p.committedOffset, p.metadata])).toEqual([
      [15, 'm15'],
      [31, 'm31'],
      [-1, ''],
    ]);
    expect((await c2.fetchOffsets({ groupId: 'simple', topics: null })).topics[0]!.partitions[0]!.committedOffset).toBe(9);

    const [d] = await c2.describeGroups(['g1']);
    expect(d).toMatchObject({ errorCode: 0, groupState: 'Empty', protocolType: 'consumer', members: [] });
    expect((await c2.heartbeat({ groupId: 'g1', generationId: 1, memberId: g.memberIds[0]! })).errorCode).toBe(E.UNKNOWN_MEMBER_ID);
    expect(
      errors(await c2.commitOffsets(commit('g1', g.generationId, g.memberIds[0]!, { 'orders:0': 99 }))),
    ).toEqual([E.UNKNOWN_MEMBER_ID]);

    const rejoin = await c2.joinGroup(joinRequest({ requestVersion: 3 }));
    expect(rejoin.generationId).toBe(g.generationId + 1);
    const takeOver = await c2.joinGroup(joinRequest({ groupId: 'simple', requestVersion: 3, protocolType: 'connect' }));
    expect(takeOver.errorCode).toBe(E.NONE);
  });

  it('deletes only Empty groups: NON_EMPTY_GROUP while members exist, GROUP_ID_NOT_FOUND when unknown, and deletion survives a restart', async () => {
    const ctx = setup({ initialRebalanceDelayMs: 3000 });
    const { coordinator, store } = ctx;
    const g = await formGroup(ctx, ['a']);
    await coordinator.commitOffsets(commit('g1', 1, g.memberIds[0]!, { 't:0': 1 }));
    await coordinator.commitOffsets(commit('idle', -1, '', { 't:0': 2, 't:1': 3 }));

    expect(await coordinator.deleteGroups(['g1', 'missing', 'idle'])).toEqual([
      { groupId: 'g1', errorCode: E.NON_EMPTY_GROUP },
      { groupId: 'missing', errorCode: E.GROUP_ID_NOT_FOUND },
      { groupId: 'idle', errorCode: 0 },
    ]);
    const [d] = await coordinator.describeGroups(['idle']);
    expect(d!.groupState).toBe('Dead');
    const f = await coordinator.fetchOffsets({ groupId: 'idle', topics: [{ name: 't', partitionIndexes: [0] }] });
    expect(f.topics[0]!.partitions[0]!.committedOffset).toBe(-1);
    expect(store.records.filter((r) => r.value === null)).toHaveLength(3);

    const restarted = setup();
    restarted.coordinator.loadFrom(store.records);
    expect((await restarted.coordinator.listGroups()).groups.map((x) => x.groupId)).toEqual(['g1']);
  });

  it('describes an unknown group as Dead with no error', async () => {
    const { coordinator } = setup();
    expect(await coordinator.describeGroups(['ghost'])).toEqual([
      { errorCode: 0, groupId: 'ghost', groupState: 'Dead', protocolType: '', protocolData: '', members: [] },
    ]);
  });

  it('lists groups with their exact state strings and filters by state case-insensitively', async () => {
    const ctx = setup({ initialRebalanceDelayMs: 3000 });
    const { coordinator } = ctx;
    await formGroup(ctx, ['a']);
    await coordinator.commitOffsets(commit('simple', -1, '', { 't:0': 1 }));
    expect((await coordinator.listGroups()).groups).toEqual([
      { groupId: 'g1', protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' },
      { groupId: 'simple', protocolType: '', groupState: 'Empty', groupType: 'classic' },
    ]);
    expect((await coordinator.listGroups({ statesFilter: ['empty'] })).groups.map((x) => x.groupId)).toEqual(['simple']);
    expect((await coordinator.listGroups({ typesFilter: ['consumer'] })).groups).toEqual([]);
  });

  it('expires offsets of a group that has been Empty for the retention period, then forgets the group', async () => {
    const ctx = setup({ initialRebalanceDelayMs: 3000, offsetsRetentionMs: 60_000, offsetsRetentionCheckIntervalMs: 10_000 });
    const { coordinator, timers } = ctx;
    const g = await formGroup(ctx, ['a'], { sessionTimeoutMs: 30_000 });
    await coordinator.commitOffsets(commit('g1', 1, g.memberIds[0]!, { 't:0': 1 }));
    await timers.advance(20_000);
    await coordinator.leaveGroup({ groupId: 'g1', members: [{ memberId: g.memberIds[0]! }] });
    expect(coordinator.groupState('g1')).toBe('Empty');
    await timers.advance(50_000);
    const kept = await coordinator.fetchOffsets({ groupId: 'g1', topics: [{ name: 't', partitionIndexes: [0] }] });
    expect(kept.topics[0]!.partitions[0]!.committedOffset).toBe(1);
    await timers.advance(20_000);
    const gone = await coordinator.fetchOffsets({ groupId: 'g1', topics: [{ name: 't', partitionIndexes: [0] }] });
    expect(gone.topics[0]!.partitions[0]!.committedOffset).toBe(-1);
    expect(coordinator.groupState('g1')).toBe('Dead');
    coordinator.close();
  });
});

describe('GroupCoordinator.loadFrom', () => {
  it('ignores records of other key versions and malformed values when loading', () => {
    const c = new GroupCoordinator({ store: { append: async () => {} }, config: { offsetsRetentionCheckIntervalMs: 0 } });
    const summary = c.loadFrom([
      { key: Buffer.from([0, 3, 0, 1, 0x67]), value: Buffer.from([0, 0]) },
      { key: Buffer.from([0, 1, 0, 1, 0x67, 0, 1, 0x74, 0, 0, 0, 0]), value: Buffer.from([0, 9]) },
    ]);
    expect(summary).toEqual({ groups: 0, offsets: 0, skippedRecords: 2 });
    c.close();
  });
});
