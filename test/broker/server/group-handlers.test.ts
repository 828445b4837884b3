import { beforeEach, describe, expect, it } from 'vitest';
import { GroupCoordinator } from '../../../broker/groups/group-coordinator.js';
import { InMemoryGroupStore } from '../../../broker/groups/in-memory-group-store.js';
import {
  DeleteGroups,
  DescribeGroups,
  Heartbeat,
  JoinGroup,
  LeaveGroup,
  ListGroups,
  OffsetCommit,
  OffsetFetch,
  SyncGroup,
} from '../../../broker/protocol/apis/index.js';
import { Reader } from '../../../broker/protocol/reader.js';
import type { ApiDefinition, DecodedResponseOf, Encodable, Fields, Struct } from '../../../broker/protocol/schema.js';
import { Writer } from '../../../broker/protocol/writer.js';
import { NO_RESPONSE, type ApiHandler, type RequestContext } from '../../../broker/server/api-handler.js';
import type { BrokerContext } from '../../../broker/server/broker-context.js';
import { deleteGroupsHandler } from '../../../broker/server/handlers/delete-groups-handler.js';
import { describeGroupsHandler } from '../../../broker/server/handlers/describe-groups-handler.js';
import { heartbeatHandler } from '../../../broker/server/handlers/heartbeat-handler.js';
import { joinGroupHandler } from '../../../broker/server/handlers/join-group-handler.js';
import { leaveGroupHandler } from '../../../broker/server/handlers/leave-group-handler.js';
import { listGroupsHandler } from '../../../broker/server/handlers/list-groups-handler.js';
import { offsetCommitHandler } from '../../../broker/server/handlers/offset-commit-handler.js';
import { offsetFetchHandler } from '../../../broker/server/handlers/offset-fetch-handler.js';
import { syncGroupHandler } from '../../../broker/server/handlers/sync-group-handler.js';
import { FakeTimers, track } from '../groups/fake-timers.js';

type AnyApi = ApiDefinition<Fields, Fields>;
type RequestValue<A> = A extends ApiDefinition<infer Req, Fields> ? Encodable<Struct<Req>> : never;

const CLIENT_HOST = '/127.0.0.1';
const UNKNOWN_TOPIC_OR_PARTITION = 3;
const COORDINATOR_NOT_AVAILABLE = 15;
const UNKNOWN_MEMBER_ID = 25;
const NON_EMPTY_GROUP = 68;
const GROUP_ID_NOT_FOUND = 69;
const MEMBER_ID_REQUIRED = 79;
const NOT_PROVIDED = -2147483648;

/** Topics the fake registry hosts, with their partition counts. */
const HOSTED = new Map([['orders', 2]]);

let timers: FakeTimers;
let coordinator: GroupCoordinator;
let handlers: Map<AnyApi, ApiHandler>;

beforeEach(() => {
  timers = new FakeTimers();
  coordinator = new GroupCoordinator({
    store: new InMemoryGroupStore(),
    clock: timers.clock,
    timers,
    config: { initialRebalanceDelayMs: 0 },
  });
  const topics = {
    get: (name: string) => (HOSTED.has(name) ? { name } : undefined),
    partition: (name: string, index: number) => (index >= 0 && index < (HOSTED.get(name) ?? 0) ? { index } : undefined),
  };
  const ctx = { groups: coordinator, topics } as unknown as BrokerContext;
  handlers = new Map(
    [
      joinGroupHandler, syncGroupHandler, heartbeatHandler, leaveGroupHandler, offsetCommitHandler,
      offsetFetchHandler, describeGroupsHandler, listGroupsHandler, deleteGroupsHandler,
    ].map((make) => {
      const h = make(ctx);
      return [h.api, h];
    }),
  );
});

/**
 * Sends `request` as a client at `version` would: encoded and decoded at that version, handed
 * to the API's handler, the response encoded at that version and decoded back. Coordinator
 * timers are advanced while the request is parked.
 */
async function call<A extends AnyApi>(api: A, version: number, request: RequestValue<A>, clientId = 'client'): Promise<DecodedResponseOf<A>> {
  const h = handlers.get(api)!;
  const wire = api.request.encode(new Writer(), version, request as never).toBuffer();
  const decoded = api.request.decode(new Reader(wire), version);
  const ctx: RequestContext = {
    header: { apiKey: api.key, apiVersion: version, correlationId: 1, clientId },
    clientHost: CLIENT_HOST,
    connectionId: 1,
    signal: new AbortController().signal,
  };
  const pending = track(Promise.resolve(h.handle(decoded as never, ctx)));
  for (let i = 0; i < 100 && !pending.done; i++) await timers.advance(100);
  const response = await pending.promise;
  if (response === NO_RESPONSE) throw new Error(`${api.name} answered nothing`);
  const bytes = api.response.encode(new Writer(), version, response as never).toBuffer();
  return api.response.decode(new Reader(bytes), version) as DecodedResponseOf<A>;
}

const protocols = [{ name: 'range', metadata: Buffer.from('sub') }];

/** One member joins and syncs at the given versions; returns its member id and generation. */
async function formStableGroup(groupId: string, versions = { join: 3, sync: 3 }) {
  const join = await call(JoinGroup, versions.join, {
    groupId, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000, memberId: '', protocolType: 'consumer', protocols,
  });
  await call(SyncGroup, versions.sync, {
    groupId, generationId: join.generationId, memberId: join.memberId,
    assignments: [{ memberId: join.memberId, assignment: Buffer.from('assigned') }],
  });
  return { memberId: join.memberId, generationId: join.generationId };
}

describe('group membership handlers', () => {
  it('runs join, sync, heartbeat and leave for a v0 client', async () => {
    const join = await call(JoinGroup, 0, {
      groupId: 'g0', sessionTimeoutMs: 10_000, memberId: '', protocolType: 'consumer', protocols,
    }, 'legacy');
    expect(join.errorCode).toBe(0);
    expect(join.memberId).toMatch(/^legacy-/);
    expect(join).toMatchObject({ generationId: 1, protocolName: 'range', leader: join.memberId });
    expect(join.members).toEqual([{ memberId: join.memberId, groupInstanceId: null, metadata: Buffer.from('sub') }]);

    const sync = await call(SyncGroup, 0, {
      groupId: 'g0', generationId: 1, memberId: join.memberId,
      assignments: [{ memberId: join.memberId, assignment: Buffer.from('p0') }],
    });
    expect(sync).toMatchObject({ errorCode: 0, assignment: Buffer.from('p0') });

    expect(await call(Heartbeat, 0, { groupId: 'g0', generationId: 1, memberId: join.memberId })).toMatchObject({ errorCode: 0 });
    expect(await call(LeaveGroup, 0, { groupId: 'g0', memberId: join.memberId })).toMatchObject({ errorCode: 0 });
    expect(coordinator.groupState('g0')).toBe('Empty');
  });

  it('answers a v0 leave of an unknown member with that member’s error', async () => {
    await formStableGroup('g0');
    expect(await call(LeaveGroup, 0, { groupId: 'g0', memberId: 'ghost' })).toMatchObject({ errorCode: UNKNOWN_MEMBER_ID });
  });

  it('sends an empty protocol name in a failed join before v7 and null from v7', async () => {
    const request = { groupId: 'g0', sessionTimeoutMs: 10_000, memberId: '', protocolType: '', protocols };
    expect(await call(JoinGroup, 6, request)).toMatchObject({ errorCode: 23, generationId: -1, protocolName: '' });
    expect(await call(JoinGroup, 7, request)).toMatchObject({ errorCode: 23, protocolType: null, protocolName: null });
  });

  it('runs join (with MEMBER_ID_REQUIRED), sync, heartbeat and batched leave at the newest versions', async () => {
    const base = { groupId: 'g7', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000, protocolType: 'consumer', protocols };
    const first = await call(JoinGroup, 7, { ...base, memberId: '' }, 'modern');
    expect(first.errorCode).toBe(MEMBER_ID_REQUIRED);
    expect(first.memberId).toMatch(/^modern-/);

    const join = await call(JoinGroup, 7, { ...base, memberId: first.memberId }, 'modern');
    expect(join).toMatchObject({
      errorCode: 0, generationId: 1, protocolType: 'consumer', protocolName: 'range', leader: first.memberId, memberId: first.memberId,
    });
    expect(join.members).toHaveLength(1);

    const sync = await call(SyncGroup, 5, {
      groupId: 'g7', generationId: 1, memberId: join.memberId, protocolType: 'consumer', protocolName: 'range',
      assignments: [{ memberId: join.memberId, assignment: Buffer.from('p0,p1') }],
    });
    expect(sync).toEqual({ throttleTimeMs: 0, errorCode: 0, protocolType: 'consumer', protocolName: 'range', assignment: Buffer.from('p0,p1') });

    expect(await call(Heartbeat, 4, { groupId: 'g7', generationId: 1, memberId: join.memberId })).toEqual({ throttleTimeMs: 0, errorCode: 0 });

    const leave = await call(LeaveGroup, 4, {
      groupId: 'g7',
      members: [{ memberId: join.memberId, groupInstanceId: null }, { memberId: 'ghost', groupInstanceId: null }],
    });
    expect(leave.errorCode).toBe(0);
    expect(leave.members).toEqual([
      { memberId: join.memberId, groupInstanceId: null, errorCode: 0 },
      { memberId: 'ghost', groupInstanceId: null, errorCode: UNKNOWN_MEMBER_ID },
    ]);
    expect(coordinator.groupState('g7')).toBe('Empty');
  });

  it('joins a static member without MEMBER_ID_REQUIRED and reports its instance id', async () => {
    const join = await call(JoinGroup, 7, {
      groupId: 'gs', sessionTimeoutMs: 10_000, memberId: '', groupInstanceId: 'worker-1', protocolType: 'connect', protocols,
    });
    expect(join.errorCode).toBe(0);
    expect(join.memberId).toMatch(/^worker-1-/);
    expect(join.members).toEqual([{ memberId: join.memberId, groupInstanceId: 'worker-1', metadata: Buffer.from('sub') }]);
  });
});

describe('offset handlers', () => {
  it('answers unknown topics and partitions itself and commits the rest in request order', async () => {
    const commit = await call(OffsetCommit, 8, {
      groupId: 'simple', generationIdOrMemberEpoch: -1, memberId: '',
      topics: [
        { name: 'ghost', partitions: [{ partitionIndex: 0, committedOffset: 5, committedMetadata: null }] },
        {
          name: 'orders',
          partitions: [
            { partitionIndex: 1, committedOffset: 42, committedLeaderEpoch: 3, committedMetadata: 'm' },
            { partitionIndex: 7, committedOffset: 9, committedMetadata: null },
            { partitionIndex: 0, committedOffset: 10, committedMetadata: null },
          ],
        },
      ],
    });
    expect(commit.topics).toEqual([
      { name: 'ghost', partitions: [{ partitionIndex: 0, errorCode: UNKNOWN_TOPIC_OR_PARTITION }] },
      {
        name: 'orders',
        partitions: [
          { partitionIndex: 1, errorCode: 0 },
          { partitionIndex: 7, errorCode: UNKNOWN_TOPIC_OR_PARTITION },
          { partitionIndex: 0, errorCode: 0 },
        ],
      },
    ]);

    const fetched = await call(OffsetFetch, 7, { groupId: 'simple', topics: null });
    expect(fetched.errorCode).toBe(0);
    expect(fetched.topics).toEqual([
      {
        name: 'orders',
        partitions: [
          { partitionIndex: 0, committedOffset: 10, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
          { partitionIndex: 1, committedOffset: 42, committedLeaderEpoch: 3, metadata: 'm', errorCode: 0 },
        ],
      },
    ]);
  });

  it('does not create a group when every committed partition is unknown', async () => {
    const commit = await call(OffsetCommit, 2, {
      groupId: 'nowhere', generationIdOrMemberEpoch: -1, memberId: '',
      topics: [{ name: 'ghost', partitions: [{ partitionIndex: 0, committedOffset: 1, committedMetadata: null }] }],
    });
    expect(commit.topics[0]!.partitions[0]!.errorCode).toBe(UNKNOWN_TOPIC_OR_PARTITION);
    expect((await call(ListGroups, 0, {})).groups).toEqual([]);
  });

  it('commits with the generation of a group member', async () => {
    const { memberId, generationId } = await formStableGroup('g1');
    const commit = await call(OffsetCommit, 7, {
      groupId: 'g1', generationIdOrMemberEpoch: generationId, memberId,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 3, committedMetadata: null }] }],
    });
    expect(commit.topics[0]!.partitions[0]!.errorCode).toBe(0);
    const stale = await call(OffsetCommit, 7, {
      groupId: 'g1', generationIdOrMemberEpoch: generationId + 1, memberId,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 4, committedMetadata: null }] }],
    });
    expect(stale.topics[0]!.partitions[0]!.errorCode).toBe(22);
  });

  it('fetches offsets per requested partition in v1 and per group in v8', async () => {
    await call(OffsetCommit, 8, {
      groupId: 'g1', generationIdOrMemberEpoch: -1, memberId: '',
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 10, committedMetadata: 'x' }] }],
    });

    const v1 = await call(OffsetFetch, 1, { groupId: 'g1', topics: [{ name: 'orders', partitionIndexes: [0, 1] }] });
    expect(v1).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      groups: [],
      topics: [{
        name: 'orders',
        partitions: [
          { partitionIndex: 0, committedOffset: 10, committedLeaderEpoch: -1, metadata: 'x', errorCode: 0 },
          { partitionIndex: 1, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
        ],
      }],
    });

    const v8 = await call(OffsetFetch, 8, {
      groups: [
        { groupId: 'g1', topics: null },
        { groupId: 'other', topics: [{ name: 'orders', partitionIndexes: [0] }] },
      ],
      requireStable: true,
    });
    expect(v8.topics).toEqual([]);
    expect(v8.groups).toEqual([
      {
        groupId: 'g1',
        errorCode: 0,
        topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 10, committedLeaderEpoch: -1, metadata: 'x', errorCode: 0 }] }],
      },
      {
        groupId: 'other',
        errorCode: 0,
        topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: 0 }] }],
      },
    ]);
  });

  it('reports a group-level fetch error per partition in v1 and at top level from v2', async () => {
    coordinator.close();
    const topics = [{ name: 'orders', partitionIndexes: [0, 1] }];
    const v1 = await call(OffsetFetch, 1, { groupId: 'g1', topics });
    expect(v1.topics[0]!.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.errorCode])).toEqual([
      [0, -1, COORDINATOR_NOT_AVAILABLE],
      [1, -1, COORDINATOR_NOT_AVAILABLE],
    ]);
    expect((await call(OffsetFetch, 2, { groupId: 'g1', topics })).errorCode).toBe(COORDINATOR_NOT_AVAILABLE);
  });
});

describe('group admin handlers', () => {
  it('describes a stable group with its members, metadata and assignments', async () => {
    const { memberId } = await formStableGroup('g1');
    for (const version of [0, 5]) {
      const described = await call(DescribeGroups, version, { groups: ['g1', 'missing'], includeAuthorizedOperations: true });
      expect(described.groups).toEqual([
        {
          errorCode: 0, groupId: 'g1', groupState: 'Stable', protocolType: 'consumer', protocolData: 'range',
          members: [{
            memberId, groupInstanceId: null, clientId: 'client', clientHost: CLIENT_HOST,
            memberMetadata: Buffer.from('sub'), memberAssignment: Buffer.from('assigned'),
          }],
          authorizedOperations: NOT_PROVIDED,
        },
        {
          errorCode: 0, groupId: 'missing', groupState: 'Dead', protocolType: '', protocolData: '', members: [],
          authorizedOperations: NOT_PROVIDED,
        },
      ]);
    }
  });

  it('lists every group in v0 and filters by state in v4', async () => {
    await formStableGroup('active');
    await call(OffsetCommit, 8, {
      groupId: 'idle', generationIdOrMemberEpoch: -1, memberId: '',
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 1, committedMetadata: null }] }],
    });

    const all = await call(ListGroups, 0, {});
    expect(all.errorCode).toBe(0);
    expect(all.groups.map((g) => [g.groupId, g.protocolType]).sort()).toEqual([['active', 'consumer'], ['idle', '']]);

    const stable = await call(ListGroups, 4, { statesFilter: ['stable'] });
    expect(stable.groups).toEqual([{ groupId: 'active', protocolType: 'consumer', groupState: 'Stable' }]);
  });

  it('deletes empty groups with their offsets and refuses active or unknown ones', async () => {
    await formStableGroup('active');
    await call(OffsetCommit, 8, {
      groupId: 'idle', generationIdOrMemberEpoch: -1, memberId: '',
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 1, committedMetadata: null }] }],
    });

    const deleted = await call(DeleteGroups, 2, { groupsNames: ['idle', 'active', 'unknown'] });
    expect(deleted).toEqual({
      throttleTimeMs: 0,
      results: [
        { groupId: 'idle', errorCode: 0 },
        { groupId: 'active', errorCode: NON_EMPTY_GROUP },
        { groupId: 'unknown', errorCode: GROUP_ID_NOT_FOUND },
      ],
    });
    const fetched = await call(OffsetFetch, 2, { groupId: 'idle', topics: [{ name: 'orders', partitionIndexes: [0] }] });
    expect(fetched.topics[0]!.partitions[0]!.committedOffset).toBe(-1);

    expect((await call(DeleteGroups, 0, { groupsNames: ['idle'] })).results).toEqual([{ groupId: 'idle', errorCode: GROUP_ID_NOT_FOUND }]);
  });
});
