import { describe, expect, it } from 'vitest';
import { GroupErrorCode as E } from '../../../broker/groups/group-errors.js';
import { formGroup, joinNew, joinRequest, setup } from './helpers.js';
import { track } from './fake-timers.js';

describe('GroupCoordinator membership', () => {
  it('two members join (the v5 one after MEMBER_ID_REQUIRED), the leader gets the member list and sync hands out assignments', async () => {
    const { coordinator, timers } = setup({ initialRebalanceDelayMs: 3000 });

    const first = await coordinator.joinGroup(joinRequest({ clientId: 'a', requestVersion: 5 }));
    expect(first.errorCode).toBe(E.MEMBER_ID_REQUIRED);
    expect(first.memberId).toMatch(/^a-/);
    expect(first.generationId).toBe(-1);

    const joinA = track(coordinator.joinGroup(joinRequest({ clientId: 'a', memberId: first.memberId, requestVersion: 5 })));
    const joinB = track(
      coordinator.joinGroup(
        joinRequest({ clientId: 'b', requestVersion: 3, protocols: [{ name: 'range', metadata: Buffer.from('sub-b') }] }),
      ),
    );
    await timers.advance(2999);
    expect(joinA.done).toBe(false);
    expect(joinB.done).toBe(false);
    await timers.advance(3001);

    const a = await joinA.promise;
    const b = await joinB.promise;
    expect(a.errorCode).toBe(E.NONE);
    expect(b.errorCode).toBe(E.NONE);
    expect(a.generationId).toBe(1);
    expect(b.generationId).toBe(1);
    expect(a.leader).toBe(a.memberId);
    expect(b.leader).toBe(a.memberId);
    expect(a.protocolName).toBe('range');
    expect(a.protocolType).toBe('consumer');
    expect(a.members.map((m) => [m.memberId, m.metadata.toString()])).toEqual([
      [a.memberId, 'sub'],
      [b.memberId, 'sub-b'],
    ]);
    expect(b.members).toEqual([]);

    const syncB = track(coordinator.syncGroup({ groupId: 'g1', generationId: 1, memberId: b.memberId, assignments: [] }));
    await timers.advance(0);
    expect(syncB.done).toBe(false);
    const syncA = await coordinator.syncGroup({
      groupId: 'g1',
      generationId: 1,
      memberId: a.memberId,
      assignments: [
        { memberId: a.memberId, assignment: Buffer.from('p0') },
        { memberId: b.memberId, assignment: Buffer.from('p1') },
      ],
    });
    expect(syncA.errorCode).toBe(E.NONE);
    expect(syncA.assignment.toString()).toBe('p0');
    expect(syncA.protocolName).toBe('range');
    const sb = await syncB.promise;
    expect(sb.errorCode).toBe(E.NONE);
    expect(sb.assignment.toString()).toBe('p1');

    const [described] = await coordinator.describeGroups(['g1']);
    expect(described!.groupState).toBe('Stable');
    expect(described!.protocolData).toBe('range');
    expect(described!.members.map((m) => [m.clientId, m.memberAssignment.toString()])).toEqual([
      ['a', 'p0'],
      ['b', 'p1'],
    ]);
  });

  it('never answers MEMBER_ID_REQUIRED to JoinGroup below v4', async () => {
    const { coordinator } = setup();
    const r = await coordinator.joinGroup(joinRequest({ requestVersion: 3 }));
    expect(r.errorCode).toBe(E.NONE);
    expect(r.generationId).toBe(1);
    expect(r.leader).toBe(r.memberId);
  });

  it('a third member joining makes existing members see REBALANCE_IN_PROGRESS on heartbeat, and they rejoin into the next generation', async () => {
    const ctx = setup({ initialRebalanceDelayMs: 3000 });
    const { coordinator } = ctx;
    const g = await formGroup(ctx, ['a', 'b']);
    expect(g.generationId).toBe(1);

    const joinC = track(joinNew(coordinator, { clientId: 'c' }));
    await ctx.timers.advance(0);
    expect(joinC.done).toBe(false);
    expect(coordinator.groupState('g1')).toBe('PreparingRebalance');

    for (const memberId of g.memberIds) {
      const hb = await coordinator.heartbeat({ groupId: 'g1', generationId: 1, memberId });
      expect(hb.errorCode).toBe(E.REBALANCE_IN_PROGRESS);
    }
    const rejoins = g.memberIds.map((memberId) => coordinator.joinGroup(joinRequest({ memberId, requestVersion: 3 })));
    const results = [...(await Promise.all(rejoins)), await joinC.promise];
    expect(results.map((r) => r.errorCode)).toEqual([0, 0, 0]);
    expect(new Set(results.map((r) => r.generationId))).toEqual(new Set([2]));
    const leader = results.find((r) => r.memberId === g.leader)!;
    expect(leader.members).toHaveLength(3);
    expect(coordinator.groupState('g1')).toBe('CompletingRebalance');
  });

  it('a member whose session expires is removed, a new leader is chosen and the others rebalance without it', async () => {
    const ctx = setup({ initialRebalanceDelayMs: 3000 });
    const { coordinator, timers } = ctx;
    const g = await formGroup(ctx, ['a', 'b', 'c']);
    const [leader, b, c] = g.memberIds as [string, string, string];
    expect(g.leader).toBe(leader);

    for (let t = 0; t < 2; t++) {
      await timers.advance(4000);
      expect((await coordinator.heartbeat({ groupId: 'g1', generationId: 1, memberId: b })).errorCode).toBe(E.NONE);
      expect((await coordinator.heartbeat({ groupId: 'g1', generationId: 1, memberId: c })).errorCode).toBe(E.NONE);
    }
    expect(coordinator.groupState('g1')).toBe('Stable');
    await timers.advance(3000);
    expect(coordinator.groupState('g1')).toBe('PreparingRebalance');
    expect((await coordinator.heartbeat({ groupId: 'g1', generationId: 1, memberId: leader })).errorCode).toBe(E.UNKNOWN_MEMBER_ID);
    expect((await coordinator.heartbeat({ groupId: 'g1', generationId: 1, memberId: b })).errorCode).toBe(E.REBALANCE_IN_PROGRESS);

    const [rb, rc] = await Promise.all([
      coordinator.joinGroup(joinRequest({ memberId: b, requestVersion: 3 })),
      coordinator.joinGroup(joinRequest({ memberId: c, requestVersion: 3 })),
    ]);
    expect(rb!.generationId).toBe(2);
    expect(rb!.leader).toBe(b);
    expect(rc!.leader).toBe(b);
    expect(rb!.members.map((m) => m.memberId)).toEqual([b, c]);
  });

  it('a session ends exactly its timeout after the member was last heard from, however often heartbeats and commits moved it', async () => {
    const ctx = setup({ initialRebalanceDelayMs: 3000 });
    const { coordinator, timers } = ctx;
    const g = await formGroup(ctx, ['a', 'b'], { sessionTimeoutMs: 10_000 });
    const [a, b] = g.memberIds as [string, string];
    const generationId = g.generationId;
    for (let t = 0; t < 50; t++) {
      await timers.advance(700);
      await coordinator.heartbeat({ groupId: 'g1', generationId, memberId: a });
      const commit = await coordinator.commitOffsets({
        groupId: 'g1', generationId, memberId: b, groupInstanceId: null,
        topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: t, committedLeaderEpoch: -1, committedMetadata: null }] }],
      });
      expect(commit.topics[0]!.partitions[0]!.errorCode).toBe(E.NONE);
      await coordinator.heartbeat({ groupId: 'g1', generationId, memberId: b });
    }
    await timers.advance(9_999);
    expect(coordinator.groupState('g1')).toBe('Stable');
    await timers.advance(1);
    expect(coordinator.groupState('g1')).not.toBe('Stable');
    expect((await coordinator.heartbeat({ groupId: 'g1', generationId, memberId: a })).errorCode).toBe(E.UNKNOWN_MEMBER_ID);
  });

  it('the rebalance timeout ends a join phase and drops members that did not rejoin', async () => {
    const ctx = setup({ initialRebalanceDelayMs: 3000 });
    const { coordinator, timers } = ctx;
    const g = await formGroup(ctx, ['a', 'b'], { sessionTimeoutMs: 60_000, rebalanceTimeoutMs: 20_000 });
    const [a, b] = g.memberIds as [string, string];

    const rejoinA = track(coordinator.joinGroup(joinRequest({ memberId: a, requestVersion: 3, sessionTimeoutMs: 60_000, rebalanceTimeoutMs: 20_000 })));
    await timers.advance(19_999);
    expect(rejoinA.done).toBe(false);
    await timers.advance(1);
    const r = await rejoinA.promise;
    expect(r.errorCode).toBe(E.NONE);
    expect(r.generationId).toBe(2);
    expect(r.members.map((m) => m.memberId)).toEqual([a]);
    expect((await coordinator.heartbeat({ groupId: 'g1', generationId: 1, memberId: b })).errorCode).toBe(E.UNKNOWN_MEMBER_ID);
  });

  it('member ids handed out with MEMBER_ID_REQUIRED expire after the session timeout', async () => {
    const { coordinator, timers } = setup();
    const first = await coordinator.joinGroup(joinRequest({ requestVersion: 4 }));
    expect(first.errorCode).toBe(E.MEMBER_ID_REQUIRED);
    await timers.advance(10_000);
    const late = await coordinator.joinGroup(joinRequest({ requestVersion: 4, memberId: first.memberId }));
    expect(late.errorCode).toBe(E.UNKNOWN_MEMBER_ID);
  });

  it('leaving members trigger a rebalance and the last one leaves the group Empty with a new generation', async () => {
    const ctx = setup({ initialRebalanceDelayMs: 3000 });
    const { coordinator } = ctx;
    const g = await formGroup(ctx, ['a', 'b']);
    const [a, b] = g.memberIds as [string, string];

    const left = await coordinator.leaveGroup({ groupId: 'g1', members: [{ memberId: a }] });
    expect(left).toEqual({ errorCode: 0, members: [{ memberId: a, groupInstanceId: null, errorCode: 0 }] });
    expect((await coordinator.heartbeat({ groupId: 'g1', generationId: 1, memberId: b })).errorCode).toBe(E.REBALANCE_IN_PROGRESS);
    const rb = await coordinator.joinGroup(joinRequest({ memberId: b, requestVersion: 3 }));
    expect(rb.generationId).toBe(2);
    expect(rb.leader).toBe(b);

    const again = await coordinator.leaveGroup({ groupId: 'g1', members: [{ memberId: a }] });
    expect(again.members[0]!.errorCode).toBe(E.UNKNOWN_MEMBER_ID);

    await coordinator.leaveGroup({ groupId: 'g1', members: [{ memberId: b }] });
    const [d] = await coordinator.describeGroups(['g1']);
    expect(d!.groupState).toBe('Empty');
    expect(d!.members).toEqual([]);
    const rejoin = coordinator.joinGroup(joinRequest({ requestVersion: 3 }));
    await ctx.timers.advance(3000);
    expect((await rejoin).generationId).toBe(4);
  });

  it('rejects a protocol type that differs from the group, or protocols no member shares, with INCONSISTENT_GROUP_PROTOCOL', async () => {
    const { coordinator } = setup();
    const a = await coordinator.joinGroup(joinRequest({ requestVersion: 3 }));
    expect(a.errorCode).toBe(E.NONE);
    const wrongType = await coordinator.joinGroup(joinRequest({ requestVersion: 3, protocolType: 'connect' }));
    expect(wrongType.errorCode).toBe(E.INCONSISTENT_GROUP_PROTOCOL);
    const noCommon = await coordinator.joinGroup(
      joinRequest({ requestVersion: 3, protocols: [{ name: 'roundrobin', metadata: Buffer.alloc(0) }] }),
    );
    expect(noCommon.errorCode).toBe(E.INCONSISTENT_GROUP_PROTOCOL);
    const emptyType = await coordinator.joinGroup(joinRequest({ groupId: 'other', requestVersion: 3, protocolType: '' }));
    expect(emptyType.errorCode).toBe(E.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('answers ILLEGAL_GENERATION to heartbeat, sync and commit with a stale generation', async () => {
    const ctx = setup({ initialRebalanceDelayMs: 3000 });
    const { coordinator } = ctx;
    const g = await formGroup(ctx, ['a']);
    const memberId = g.memberIds[0]!;
    expect((await coordinator.heartbeat({ groupId: 'g1', generationId: 0, memberId })).errorCode).toBe(E.ILLEGAL_GENERATION);
    expect((await coordinator.syncGroup({ groupId: 'g1', generationId: 7, memberId, assignments: [] })).errorCode).toBe(
      E.ILLEGAL_GENERATION,
    );
    const commit = await coordinator.commitOffsets({
      groupId: 'g1',
      generationId: 0,
      memberId,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 5 }] }],
    });
    expect(commit.topics[0]!.partitions[0]!.errorCode).toBe(E.ILLEGAL_GENERATION);
  });

  it('answers UNKNOWN_MEMBER_ID to requests from member ids the group does not know', async () => {
    const ctx = setup({ initialRebalanceDelayMs: 3000 });
    const { coordinator } = ctx;
    await formGroup(ctx, ['a']);
    expect((await coordinator.heartbeat({ groupId: 'g1', generationId: 1, memberId: 'ghost' })).errorCode).toBe(E.UNKNOWN_MEMBER_ID);
    expect((await coordinator.syncGroup({ groupId: 'g1', generationId: 1, memberId: 'ghost', assignments: [] })).errorCode).toBe(
      E.UNKNOWN_MEMBER_ID,
    );
    expect((await coordinator.joinGroup(joinRequest({ memberId: 'ghost' }))).errorCode).toBe(E.UNKNOWN_MEMBER_ID);
    expect((await coordinator.joinGroup(joinRequest({ groupId: 'nope', memberId: 'ghost' }))).errorCode).toBe(E.UNKNOWN_MEMBER_ID);
    expect((await coordinator.heartbeat({ groupId: 'nope', generationId: 1, memberId: 'ghost' })).errorCode).toBe(
      E.UNKNOWN_MEMBER_ID,
    );
  });

  it('validates group id and session timeout bounds', async () => {
    const { coordinator } = setup();
    expect((await coordinator.joinGroup(joinRequest({ groupId: '' }))).errorCode).toBe(E.INVALID_GROUP_ID);
    expect((await coordinator.joinGroup(joinRequest({ sessionTimeoutMs: 5999 }))).errorCode).toBe(E.INVALID_SESSION_TIMEOUT);
    expect((await coordinator.joinGroup(joinRequest({ sessionTimeoutMs: 1_800_001 }))).errorCode).toBe(E.INVALID_SESSION_TIMEOUT);
  });

  it('runs a "connect" group with opaque protocol names exactly like a consumer group', async () => {
    const { coordinator, timers } = setup({ initialRebalanceDelayMs: 3000 });
    const protocols = (tag: string) => [
      { name: 'sessioned', metadata: Buffer.from(`s-${tag}`) },
      { name: 'compatible', metadata: Buffer.from(`c-${tag}`) },
      { name: 'default', metadata: Buffer.from(`d-${tag}`) },
    ];
    const w1 = joinNew(coordinator, { groupId: 'connect-cluster', protocolType: 'connect', clientId: 'w1', protocols: protocols('1') });
    const w2 = joinNew(coordinator, {
      groupId: 'connect-cluster',
      protocolType: 'connect',
      clientId: 'w2',
      protocols: [{ name: 'default', metadata: Buffer.from('d-2') }, ...protocols('2').slice(0, 2)],
    });
    const p1 = track(w1);
    const p2 = track(w2);
    await timers.advance(6000);
    const r1 = await p1.promise;
    const r2 = await p2.promise;
    expect(r1.protocolType).toBe('connect');
    expect(['sessioned', 'default']).toContain(r1.protocolName);
    expect(r2.protocolName).toBe(r1.protocolName);
    const leader = r1.members.length > 0 ? r1 : r2;
    expect(leader.members.map((m) => m.metadata.toString()).sort()).toEqual(
      r1.protocolName === 'sessioned' ? ['s-1', 's-2'] : ['d-1', 'd-2'],
    );

    const follower = leader === r1 ? r2 : r1;
    const syncF = coordinator.syncGroup({
      groupId: 'connect-cluster',
      generationId: 1,
      memberId: follower.memberId,
      protocolType: 'connect',
      protocolName: follower.protocolName,
      assignments: [],
    });
    const syncL = await coordinator.syncGroup({
      groupId: 'connect-cluster',
      generationId: 1,
      memberId: leader.memberId,
      protocolType: 'connect',
      protocolName: leader.protocolName,
      assignments: [{ memberId: follower.memberId, assignment: Buffer.from('tasks') }],
    });
    expect(syncL.errorCode).toBe(E.NONE);
    expect(syncL.assignment.length).toBe(0);
    expect((await syncF).assignment.toString()).toBe('tasks');
    const wrongName = await coordinator.syncGroup({
      groupId: 'connect-cluster',
      generationId: 1,
      memberId: follower.memberId,
      protocolType: 'connect',
      protocolName: 'bogus',
      assignments: [],
    });
    expect(wrongName.errorCode).toBe(E.INCONSISTENT_GROUP_PROTOCOL);
    const list = await coordinator.listGroups();
    expect(list.groups).toEqual([{ groupId: 'connect-cluster', protocolType: 'connect', groupState: 'Stable', groupType: 'classic' }]);
  });

  it('the initial rebalance delay batches members joining a new group and is capped by the rebalance timeout', async () => {
    const { coordinator, timers } = setup({ initialRebalanceDelayMs: 3000 });
    const req = (clientId: string) => joinRequest({ clientId, requestVersion: 3, rebalanceTimeoutMs: 10_000 });
    const joins = [track(coordinator.joinGroup(req('m0')))];
    for (let i = 1; i <= 4; i++) {
      await timers.advance(2000);
      joins.push(track(coordinator.joinGroup(req(`m${i}`))));
      expect(joins.some((j) => j.done)).toBe(false);
    }
    // Joins keep arriving every 2 s, but the phase may not outlast the rebalance timeout (10 s).
    await timers.advance(1999);
    expect(joins.some((j) => j.done)).toBe(false);
    await timers.advance(1);
    const results = await Promise.all(joins.map((j) => j.promise));
    expect(new Set(results.map((r) => r.generationId))).toEqual(new Set([1]));
    expect(results.find((r) => r.members.length > 0)!.members).toHaveLength(5);
  });

  it('a static member rejoining with an unknown member id replaces its old id without a rebalance', async () => {
    const ctx = setup({ initialRebalanceDelayMs: 3000 });
    const { coordinator } = ctx;
    const first = coordinator.joinGroup(joinRequest({ clientId: 'a', groupInstanceId: 'inst-a' }));
    const second = coordinator.joinGroup(joinRequest({ clientId: 'b', groupInstanceId: 'inst-b' }));
    await ctx.timers.advance(6000);
    const [ra, rb] = await Promise.all([first, second]);
    expect(ra!.memberId).toMatch(/^inst-a-/);
    const leaderId = ra!.leader;
    const leaderFirst = leaderId === ra!.memberId;
    await Promise.all([
      coordinator.syncGroup({ groupId: 'g1', generationId: 1, memberId: rb!.memberId, groupInstanceId: 'inst-b', assignments: [] }),
      coordinator.syncGroup({
        groupId: 'g1',
        generationId: 1,
        memberId: ra!.memberId,
        groupInstanceId: 'inst-a',
        assignments: [
          { memberId: ra!.memberId, assignment: Buffer.from('for-a') },
          { memberId: rb!.memberId, assignment: Buffer.from('for-b') },
        ],
      }),
    ]);
    expect(leaderFirst).toBe(true);

    const replaced = await coordinator.joinGroup(joinRequest({ clientId: 'a', groupInstanceId: 'inst-a' }));
    expect(replaced.errorCode).toBe(E.NONE);
    expect(replaced.memberId).not.toBe(ra!.memberId);
    expect(replaced.generationId).toBe(1);
    expect(replaced.leader).toBe(ra!.memberId);
    expect(replaced.members).toEqual([]);
    expect(coordinator.groupState('g1')).toBe('Stable');

    const other = await coordinator.heartbeat({ groupId: 'g1', generationId: 1, memberId: rb!.memberId, groupInstanceId: 'inst-b' });
    expect(other.errorCode).toBe(E.NONE);
    const fenced = await coordinator.heartbeat({ groupId: 'g1', generationId: 1, memberId: ra!.memberId, groupInstanceId: 'inst-a' });
    expect(fenced.errorCode).toBe(E.FENCED_INSTANCE_ID);
    const sync = await coordinator.syncGroup({
      groupId: 'g1',
      generationId: 1,
      memberId: replaced.memberId,
      groupInstanceId: 'inst-a',
      assignments: [],
    });
    expect(sync.assignment.toString()).toBe('for-a');
  });

  it('a static leader rejoining with JoinGroup v9 learns it leads but is told to skip the assignment', async () => {
    const { coordinator, timers } = setup({ initialRebalanceDelayMs: 3000 });
    const join = coordinator.joinGroup(joinRequest({ groupInstanceId: 'inst', requestVersion: 9 }));
    await timers.advance(3000);
    const r = await join;
    await coordinator.syncGroup({ groupId: 'g1', generationId: 1, memberId: r.memberId, assignments: [] });
    const again = await coordinator.joinGroup(joinRequest({ groupInstanceId: 'inst', requestVersion: 9 }));
    expect(again.skipAssignment).toBe(true);
    expect(again.leader).toBe(again.memberId);
    expect(again.members.map((m) => m.groupInstanceId)).toEqual(['inst']);
  });

  it('removes members that got a JoinGroup answer but never sent SyncGroup within the rebalance timeout', async () => {
    const { coordinator, timers } = setup({ initialRebalanceDelayMs: 3000 });
    const ja = coordinator.joinGroup(joinRequest({ clientId: 'a', requestVersion: 3, sessionTimeoutMs: 60_000, rebalanceTimeoutMs: 20_000 }));
    const jb = coordinator.joinGroup(joinRequest({ clientId: 'b', requestVersion: 3, sessionTimeoutMs: 60_000, rebalanceTimeoutMs: 20_000 }));
    await timers.advance(6000);
    const [a, b] = await Promise.all([ja, jb]);
    const syncA = await coordinator.syncGroup({ groupId: 'g1', generationId: 1, memberId: a!.memberId, assignments: [] });
    expect(syncA.errorCode).toBe(E.NONE);
    await timers.advance(20_000);
    expect((await coordinator.heartbeat({ groupId: 'g1', generationId: 1, memberId: b!.memberId })).errorCode).toBe(E.UNKNOWN_MEMBER_ID);
    expect((await coordinator.heartbeat({ groupId: 'g1', generationId: 1, memberId: a!.memberId })).errorCode).toBe(E.REBALANCE_IN_PROGRESS);
  });

  it('a follower re-sending an unchanged JoinGroup while the group completes its rebalance gets the current generation back', async () => {
    const ctx = setup({ initialRebalanceDelayMs: 3000 });
    const ja = ctx.coordinator.joinGroup(joinRequest({ clientId: 'a', requestVersion: 3 }));
    const jb = ctx.coordinator.joinGroup(joinRequest({ clientId: 'b', requestVersion: 3 }));
    await ctx.timers.advance(6000);
    const [, b] = await Promise.all([ja, jb]);
    const again = await ctx.coordinator.joinGroup(joinRequest({ memberId: b!.memberId, requestVersion: 3 }));
    expect(again).toMatchObject({ errorCode: 0, generationId: 1, memberId: b!.memberId, members: [] });
    expect(ctx.coordinator.groupState('g1')).toBe('CompletingRebalance');
  });

  it('an admin can remove a static member by its instance id alone', async () => {
    const { coordinator, timers } = setup({ initialRebalanceDelayMs: 3000 });
    const j = coordinator.joinGroup(joinRequest({ groupInstanceId: 'inst' }));
    await timers.advance(3000);
    const r = await j;
    const left = await coordinator.leaveGroup({ groupId: 'g1', members: [{ memberId: '', groupInstanceId: 'inst' }] });
    expect(left.members).toEqual([{ memberId: '', groupInstanceId: 'inst', errorCode: 0 }]);
    expect((await coordinator.heartbeat({ groupId: 'g1', generationId: r.generationId, memberId: r.memberId })).errorCode).toBe(
      E.UNKNOWN_MEMBER_ID,
    );
    expect(coordinator.groupState('g1')).toBe('Empty');
  });

  it('close answers parked joins with NOT_COORDINATOR and later requests with COORDINATOR_NOT_AVAILABLE', async () => {
    const { coordinator, timers } = setup({ initialRebalanceDelayMs: 3000 });
    const parked = coordinator.joinGroup(joinRequest({ requestVersion: 3 }));
    coordinator.close();
    expect((await parked).errorCode).toBe(E.NOT_COORDINATOR);
    expect(timers.pending).toBe(0);
    expect((await coordinator.heartbeat({ groupId: 'g1', generationId: 1, memberId: 'x' })).errorCode).toBe(E.COORDINATOR_NOT_AVAILABLE);
  });
});
