import { GroupCoordinator } from '../../../broker/groups/group-coordinator.js';
import type { GroupCoordinatorConfig } from '../../../broker/groups/group-coordinator.js';
import { InMemoryGroupStore } from '../../../broker/groups/in-memory-group-store.js';
import type { GroupStore } from '../../../broker/groups/group-store.js';
import type { JoinGroupRequest, JoinGroupResult } from '../../../broker/groups/group-types.js';
import { FakeTimers, track } from './fake-timers.js';

export function setup<S extends GroupStore = InMemoryGroupStore>(config: Partial<GroupCoordinatorConfig> = {}, store?: S) {
  const actualStore = (store ?? new InMemoryGroupStore()) as S;
  const timers = new FakeTimers();
  const coordinator = new GroupCoordinator({
    store: actualStore,
    clock: timers.clock,
    timers,
    config: { initialRebalanceDelayMs: 0, ...config },
  });
  return { timers, store: actualStore, coordinator };
}

export function joinRequest(over: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    groupId: 'g1',
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.from('sub') }],
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    requestVersion: 5,
    ...over,
  };
}

/** Joins a brand-new dynamic member, going through MEMBER_ID_REQUIRED as a v4+ client does. */
export async function joinNew(coordinator: GroupCoordinator, over: Partial<JoinGroupRequest> = {}): Promise<JoinGroupResult> {
  const first = await coordinator.joinGroup(joinRequest(over));
  if (first.errorCode !== 79) throw new Error(`expected MEMBER_ID_REQUIRED, got ${first.errorCode}`);
  return coordinator.joinGroup(joinRequest({ ...over, memberId: first.memberId }));
}

export interface FormedGroup {
  generationId: number;
  leader: string;
  memberIds: string[];
}

/**
 * Forms a Stable group of `clientIds.length` dynamic members (JoinGroup v3, so no
 * MEMBER_ID_REQUIRED) on a coordinator whose initial rebalance delay batches them, then syncs
 * with assignment `assign-<memberId>` for everyone.
 */
export async function formGroup(
  ctx: { coordinator: GroupCoordinator; timers: FakeTimers },
  clientIds: string[],
  over: Partial<JoinGroupRequest> = {},
): Promise<FormedGroup> {
  const { coordinator, timers } = ctx;
  const joins = clientIds.map((clientId) => coordinator.joinGroup(joinRequest({ clientId, requestVersion: 3, ...over })));
  const tracked = joins.map(track);
  for (let i = 0; i < 120 && !tracked.every((t) => t.done); i++) await timers.advance(500);
  const results = await Promise.all(joins);
  const leaderResult = results.find((r) => r.members.length > 0)!;
  const groupId = over.groupId ?? 'g1';
  const syncs = results.map((r) =>
    coordinator.syncGroup({
      groupId,
      generationId: r.generationId,
      memberId: r.memberId,
      assignments:
        r.memberId === r.leader
          ? leaderResult.members.map((m) => ({ memberId: m.memberId, assignment: Buffer.from(`assign-${m.memberId}`) }))
          : [],
    }),
  );
  await Promise.all(syncs);
  return { generationId: leaderResult.generationId, leader: leaderResult.leader, memberIds: results.map((r) => r.memberId) };
}
