import { describe, expect, it } from 'vitest';
import { GroupErrorCode as E } from '../../../broker/groups/group-errors.js';
import { formGroup, setup } from './helpers.js';

describe('GroupCoordinator offset deletion', () => {
  it('deletes committed offsets of an empty group so they read back as never committed, and the deletion survives a reload', async () => {
    const { coordinator, store } = setup();
    await coordinator.commitOffsets({
      groupId: 'connect-sink', generationId: -1, memberId: '',
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 5, committedMetadata: '' }, { partitionIndex: 1, committedOffset: 9, committedMetadata: '' }] }],
    });
    const result = await coordinator.deleteOffsets('connect-sink', [{ name: 't', partitions: [0] }]);
    expect(result).toEqual({ errorCode: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 0 }] }] });

    const fetched = await coordinator.fetchOffsets({ groupId: 'connect-sink', topics: [{ name: 't', partitionIndexes: [0, 1] }] });
    expect(fetched.topics[0]!.partitions.map((p) => p.committedOffset)).toEqual([-1, 9]);

    const reloaded = setup();
    reloaded.coordinator.loadFrom(store.records);
    const again = await reloaded.coordinator.fetchOffsets({ groupId: 'connect-sink', topics: [{ name: 't', partitionIndexes: [0, 1] }] });
    expect(again.topics[0]!.partitions.map((p) => p.committedOffset)).toEqual([-1, 9]);
  });

  it('refuses to delete offsets of a group with live members and reports an unknown group', async () => {
    const ctx = setup();
    await formGroup(ctx, ['a']);
    const busy = await ctx.coordinator.deleteOffsets('g1', [{ name: 't', partitions: [0] }]);
    expect(busy.topics[0]!.partitions[0]!.errorCode).toBe(E.GROUP_SUBSCRIBED_TO_TOPIC);
    expect((await ctx.coordinator.deleteOffsets('nobody', [{ name: 't', partitions: [0] }])).errorCode).toBe(E.GROUP_ID_NOT_FOUND);
  });
});
