/**
 * Classic (pre-KIP-848) group coordinator of the single-node broker (broker-notes §5).
 *
 * Concurrency: every state change happens synchronously inside one method call or timer
 * callback, so no two of them interleave. The only awaits are store appends; code that runs
 * after one re-checks that the group is still the registered object in the expected state and
 * generation before touching it. Parked JoinGroup/SyncGroup requests are promises whose
 * resolvers sit on the member (awaitingJoin/awaitingSync); every path that drops a member or
 * replaces a resolver answers the old one, so no request stays parked forever.
 *
 * Timers (all via the injected Timers): member session expiry, pending member id expiry (the
 * MEMBER_ID_REQUIRED flow), the join phase (initial delay for groups that were Empty, else the
 * rebalance timeout), the pending-sync deadline after a join phase, and the periodic offset
 * retention sweep.
 */
import { randomUUID } from 'node:crypto';
import { ClassicGroup } from './classic-group.js';
import type { CommittedOffset } from './classic-group.js';
import { GroupMember } from './group-member.js';
import type { JoinCallback } from './group-member.js';
import { GroupErrorCode as E } from './group-errors.js';
import {
  decodeGroupRecord,
  encodeGroupMetadataKey,
  encodeGroupMetadataValue,
  encodeOffsetCommitKey,
  encodeOffsetCommitValue,
} from './group-records.js';
import type { GroupMetadataValue, OffsetCommitValue } from './group-records.js';
import type { GroupStore, GroupStoreEntry, GroupStoreWrite } from './group-store.js';
import { partitionFor } from './partition-for.js';
import { systemTimers } from './timers.js';
import type { TimerHandle, Timers } from './timers.js';
import type {
  DeleteGroupResult,
  DescribedGroup,
  GroupState,
  HeartbeatRequest,
  HeartbeatResult,
  JoinGroupProtocol,
  JoinGroupRequest,
  JoinGroupResult,
  LeaveGroupMemberResult,
  LeaveGroupRequest,
  LeaveGroupResult,
  ListGroupsFilter,
  ListGroupsResult,
  OffsetCommitRequest,
  OffsetCommitResult,
  OffsetCommitTopic,
  OffsetFetchPartition,
  OffsetFetchRequest,
  OffsetFetchResult,
  SyncGroupRequest,
  SyncGroupResult,
  TxnOffsetCommitRequest,
} from './group-types.js';

export interface GroupCoordinatorConfig {
  /** `group.initial.rebalance.delay.ms` */
  initialRebalanceDelayMs: number;
  /** `group.min.session.timeout.ms` */
  minSessionTimeoutMs: number;
  /** `group.max.session.timeout.ms` */
  maxSessionTimeoutMs: number;
  /** `group.max.size` */
  maxGroupSize: number;
  /** How long a new member may wait in a join phase before it is dropped (Kafka: 5 min). */
  newMemberJoinTimeoutMs: number;
  /** `offsets.retention.minutes` in ms */
  offsetsRetentionMs: number;
  /** `offsets.retention.check.interval.ms`; 0 disables the periodic sweep. */
  offsetsRetentionCheckIntervalMs: number;
  /** `offset.metadata.max.bytes` (compared with the string length, as Kafka does) */
  maxMetadataBytes: number;
  /** `offsets.topic.num.partitions`: decides which groups a transaction marker concerns. */
  offsetsTopicPartitions: number;
}

export const DEFAULT_GROUP_COORDINATOR_CONFIG: GroupCoordinatorConfig = {
  initialRebalanceDelayMs: 3000,
  minSessionTimeoutMs: 6000,
  maxSessionTimeoutMs: 1_800_000,
  maxGroupSize: Number.POSITIVE_INFINITY,
  newMemberJoinTimeoutMs: 300_000,
  offsetsRetentionMs: 7 * 24 * 60 * 60 * 1000,
  offsetsRetentionCheckIntervalMs: 600_000,
  maxMetadataBytes: 4096,
  offsetsTopicPartitions: 50,
};

/** Structurally compatible with a pino logger. */
export interface GroupLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface GroupCoordinatorOptions {
  store: GroupStore;
  clock?: () => number;
  timers?: Timers;
  config?: Partial<GroupCoordinatorConfig>;
  logger?: GroupLogger;
}

export interface LoadSummary {
  groups: number;
  offsets: number;
  skippedRecords: number;
}

interface JoinParams {
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  protocolType: string;
  protocols: JoinGroupProtocol[];
  requireKnownMemberId: boolean;
  supportSkippingAssignment: boolean;
}

const EMPTY = Buffer.alloc(0);
const NO_LOGGER: GroupLogger = { warn() {} };

function joinError(memberId: string, errorCode: number): JoinGroupResult {
  return {
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: '',
    skipAssignment: false,
    memberId,
    members: [],
  };
}

function syncError(errorCode: number): SyncGroupResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: EMPTY };
}

/** Copies metadata out of the request frame and drops repeated protocol names. */
function normalizeProtocols(protocols: JoinGroupProtocol[]): JoinGroupProtocol[] {
  const seen = new Set<string>();
  const out: JoinGroupProtocol[] = [];
  for (const p of protocols) {
    if (seen.has(p.name)) continue;
    seen.add(p.name);
    out.push({ name: p.name, metadata: Buffer.from(p.metadata) });
  }
  return out;
}

function tpKey(topic: string, partition: number): string {
  return `${topic}\0${partition}`;
}

export class GroupCoordinator {
  private readonly store: GroupStore;
  private readonly clock: () => number;
  private readonly timers: Timers;
  private readonly config: GroupCoordinatorConfig;
  private readonly logger: GroupLogger;
  private readonly groups = new Map<string, ClassicGroup>();
  private closed = false;
  private commitSeq = 0;
  private retentionTimer: TimerHandle | null = null;

  constructor(options: GroupCoordinatorOptions) {
    this.store = options.store;
    this.clock = options.clock ?? Date.now;
    this.timers = options.timers ?? systemTimers;
    this.config = { ...DEFAULT_GROUP_COORDINATOR_CONFIG, ...options.config };
    this.logger = options.logger ?? NO_LOGGER;
    this.scheduleRetentionCheck();
  }

  // ---------------------------------------------------------------- JoinGroup

  joinGroup(req: JoinGroupRequest): Promise<JoinGroupResult> {
    return new Promise((resolve) => this.handleJoin(req, resolve));
  }

  private handleJoin(req: JoinGroupRequest, respond: JoinCallback): void {
    const memberId = req.memberId ?? '';
    if (this.closed) return respond(joinError(memberId, E.COORDINATOR_NOT_AVAILABLE));
    if (!req.groupId) return respond(joinError(memberId, E.INVALID_GROUP_ID));
    if (req.sessionTimeoutMs < this.config.minSessionTimeoutMs || req.sessionTimeoutMs > this.config.maxSessionTimeoutMs) {
      return respond(joinError(memberId, E.INVALID_SESSION_TIMEOUT));
    }
    const params: JoinParams = {
      groupInstanceId: req.groupInstanceId ?? null,
      clientId: req.clientId,
      clientHost: req.clientHost,
      rebalanceTimeoutMs:
        req.rebalanceTimeoutMs === undefined || req.rebalanceTimeoutMs < 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs,
      sessionTimeoutMs: req.sessionTimeoutMs,
      protocolType: req.protocolType,
      protocols: normalizeProtocols(req.protocols),
      requireKnownMemberId: req.requestVersion >= 4,
      supportSkippingAssignment: req.requestVersion >= 9,
    };
    const isUnknownMember = memberId === '';
    let group = this.groups.get(req.groupId);
    if (!group) {
      if (!isUnknownMember) return respond(joinError(memberId, E.UNKNOWN_MEMBER_ID));
      if (!params.protocolType || params.protocols.length === 0) {
        return respond(joinError('', E.INCONSISTENT_GROUP_PROTOCOL));
      }
      group = new ClassicGroup(req.groupId, this.clock());
      this.groups.set(req.groupId, group);
    }

    if (!this.acceptJoiningMember(group, memberId)) {
      const member = group.members.get(memberId);
      if (member) this.removeMemberAndUpdateGroup(group, member);
      respond(joinError('', E.GROUP_MAX_SIZE_REACHED));
    } else if (isUnknownMember) {
      this.doNewMemberJoin(group, params, respond);
    } else {
      this.doCurrentMemberJoin(group, memberId, params, respond);
    }
    if (group.is('PreparingRebalance')) this.tryCompleteJoin(group);
  }

  private acceptJoiningMember(group: ClassicGroup, memberId: string): boolean {
    const max = this.config.maxGroupSize;
    switch (group.state) {
      case 'Empty':
      case 'Dead':
        return true;
      case 'PreparingRebalance':
        return group.members.get(memberId)?.awaitingJoin != null || group.numAwaiting < max;
      case 'CompletingRebalance':
      case 'Stable':
        return group.has(memberId) || group.size < max;
    }
  }

  private doNewMemberJoin(group: ClassicGroup, p: JoinParams, respond: JoinCallback): void {
    if (group.is('Dead')) return respond(joinError('', E.COORDINATOR_NOT_AVAILABLE));
    if (!group.supportsProtocols(p.protocolType, p.protocols)) return respond(joinError('', E.INCONSISTENT_GROUP_PROTOCOL));
    const newMemberId = `${p.groupInstanceId ?? p.clientId}-${randomUUID()}`;
    if (p.groupInstanceId !== null) {
      const oldMemberId = group.staticMembers.get(p.groupInstanceId);
      if (oldMemberId !== undefined) this.updateStaticMemberAndRebalance(group, oldMemberId, newMemberId, p, respond);
      else this.addMemberAndRebalance(group, newMemberId, p, respond);
    } else if (p.requireKnownMemberId) {
      const handle = this.timers.setTimeout(() => this.onPendingMemberExpired(group, newMemberId), p.sessionTimeoutMs);
      group.pendingMembers.set(newMemberId, handle);
      respond(joinError(newMemberId, E.MEMBER_ID_REQUIRED));
    } else {
      this.addMemberAndRebalance(group, newMemberId, p, respond);
    }
  }

  private doCurrentMemberJoin(group: ClassicGroup, memberId: string, p: JoinParams, respond: JoinCallback): void {
    if (group.is('Dead')) return respond(joinError(memberId, E.COORDINATOR_NOT_AVAILABLE));
    if (!group.supportsProtocols(p.protocolType, p.protocols)) {
      return respond(joinError(memberId, E.INCONSISTENT_GROUP_PROTOCOL));
    }
    const pending = group.pendingMembers.get(memberId);
    if (pending !== undefined) {
      if (p.groupInstanceId !== null) return respond(joinError(memberId, E.UNKNOWN_MEMBER_ID));
      this.timers.clearTimeout(pending);
      this.addMemberAndRebalance(group, memberId, p, respond);
      return;
    }
    const error = this.validateCurrentMember(group, memberId, p.groupInstanceId);
    if (error !== E.NONE) return respond(joinError(memberId, error));
    const member = group.members.get(memberId)!;
    switch (group.state) {
      case 'PreparingRebalance':
        this.updateMemberAndRebalance(group, member, p, respond);
        return;
      case 'CompletingRebalance':
        if (member.matches(p.protocols)) {
          this.scheduleSession(group, member);
          respond(this.currentJoinResult(group, memberId, group.isLeader(memberId)));
        } else {
          this.updateMemberAndRebalance(group, member, p, respond);
        }
        return;
      case 'Stable':
        if (group.isLeader(memberId) || !member.matches(p.protocols)) {
          this.updateMemberAndRebalance(group, member, p, respond);
        } else {
          this.scheduleSession(group, member);
          respond(this.currentJoinResult(group, memberId, false));
        }
        return;
      case 'Empty':
      case 'Dead':
        respond(joinError(memberId, E.UNKNOWN_MEMBER_ID));
    }
  }

  private currentJoinResult(group: ClassicGroup, memberId: string, withMembers: boolean): JoinGroupResult {
    return {
      errorCode: E.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: group.leaderId ?? '',
      skipAssignment: false,
      memberId,
      members: withMembers ? group.currentMemberMetadata() : [],
    };
  }

  private addMemberAndRebalance(group: ClassicGroup, memberId: string, p: JoinParams, respond: JoinCallback): void {
    const member = new GroupMember(
      memberId,
      p.groupInstanceId,
      p.clientId,
      p.clientHost,
      p.rebalanceTimeoutMs,
      p.sessionTimeoutMs,
      p.protocolType,
      p.protocols,
    );
    member.isNew = true;
    if (group.is('PreparingRebalance') && group.generationId === 0) group.newMemberAdded = true;
    group.add(member, respond);
    this.scheduleSession(group, member, this.config.newMemberJoinTimeoutMs);
    this.maybePrepareRebalance(group);
  }

  private updateMemberAndRebalance(group: ClassicGroup, member: GroupMember, p: JoinParams, respond: JoinCallback): void {
    this.replaceJoinCallback(group, member);
    group.updateMember(member, p.protocols, p.rebalanceTimeoutMs, p.sessionTimeoutMs, respond);
    this.maybePrepareRebalance(group);
  }

  /** A member that re-sends JoinGroup while parked: the older request gets an answer too. */
  private replaceJoinCallback(group: ClassicGroup, member: GroupMember): void {
    group.invokeJoin(member, joinError(member.memberId, E.REBALANCE_IN_PROGRESS));
  }

  private updateStaticMemberAndRebalance(
    group: ClassicGroup,
    oldMemberId: string,
    newMemberId: string,
    p: JoinParams,
    respond: JoinCallback,
  ): void {
    const instanceId = p.groupInstanceId!;
    const currentLeader = group.leaderId ?? '';
    const member = group.replaceStaticMember(instanceId, oldMemberId, newMemberId, (old) => {
      group.invokeJoin(old, joinError(oldMemberId, E.FENCED_INSTANCE_ID));
      group.invokeSync(old, syncError(E.FENCED_INSTANCE_ID));
    });
    this.scheduleSession(group, member);
    const oldProtocols = member.protocols;
    const oldRebalanceTimeoutMs = member.rebalanceTimeoutMs;
    const oldSessionTimeoutMs = member.sessionTimeoutMs;
    group.updateMember(member, p.protocols, p.rebalanceTimeoutMs, p.sessionTimeoutMs, respond);

    switch (group.state) {
      case 'Stable': {
        if (group.protocolName !== group.selectProtocol()) {
          this.maybePrepareRebalance(group);
          return;
        }
        const assignments = new Map([...group.members.values()].map((m) => [m.memberId, m.assignment]));
        const generation = group.generationId;
        void this.storeGroup(group, assignments).then((ok) => {
          const unchanged =
            this.groups.get(group.groupId) === group &&
            group.is('Stable') &&
            group.generationId === generation &&
            group.members.get(newMemberId) === member;
          if (!ok) {
            if (!unchanged) return;
            const parked = member.awaitingJoin;
            group.updateMember(member, oldProtocols, oldRebalanceTimeoutMs, oldSessionTimeoutMs, null);
            group.replaceStaticMember(instanceId, newMemberId, oldMemberId, () => {});
            this.scheduleSession(group, member);
            parked?.(joinError('', E.COORDINATOR_NOT_AVAILABLE));
            return;
          }
          let answered: boolean;
          if (p.supportSkippingAssignment) {
            const isLeader = group.isLeader(newMemberId);
            answered = group.invokeJoin(member, {
              ...this.currentJoinResult(group, newMemberId, isLeader),
              skipAssignment: isLeader,
            });
          } else {
            // The old leader id is returned so a rejoining static leader does not run a
            // trivial assignment that a Stable group would never broadcast.
            answered = group.invokeJoin(member, { ...this.currentJoinResult(group, newMemberId, false), leader: currentLeader });
          }
          if (answered && group.members.get(newMemberId) === member) this.scheduleSession(group, member);
        });
        return;
      }
      case 'CompletingRebalance':
        this.prepareRebalance(group);
        return;
      case 'PreparingRebalance':
      case 'Empty':
      case 'Dead':
        return;
    }
  }

  private maybePrepareRebalance(group: ClassicGroup): void {
    if (group.canRebalance) this.prepareRebalance(group);
  }

  private prepareRebalance(group: ClassicGroup): void {
    if (group.is('CompletingRebalance')) this.resetAndPropagateAssignmentError(group, E.REBALANCE_IN_PROGRESS);
    this.clearSyncExpiration(group);
    const wasEmpty = group.is('Empty');
    group.newMemberAdded = false;
    group.transitionTo('PreparingRebalance', this.clock());
    const delay = this.config.initialRebalanceDelayMs;
    if (wasEmpty && delay > 0) {
      this.scheduleJoinPhase(group, delay, true, Math.max(group.rebalanceTimeoutMs - delay, 0));
    } else {
      this.scheduleJoinPhase(group, group.rebalanceTimeoutMs, false, 0);
      this.tryCompleteJoin(group);
    }
  }

  private scheduleJoinPhase(group: ClassicGroup, delayMs: number, initial: boolean, remainingMs: number): void {
    this.clearJoinPhase(group);
    if (this.closed) return;
    const timer = {
      handle: null as TimerHandle,
      initial,
      remainingMs,
    };
    timer.handle = this.timers.setTimeout(() => {
      if (this.closed || group.joinTimer !== timer) return;
      group.joinTimer = null;
      this.onJoinPhaseTimeout(group, timer.initial, timer.remainingMs);
    }, delayMs);
    group.joinTimer = timer;
  }

  private clearJoinPhase(group: ClassicGroup): void {
    if (group.joinTimer) {
      this.timers.clearTimeout(group.joinTimer.handle);
      group.joinTimer = null;
    }
  }

  private onJoinPhaseTimeout(group: ClassicGroup, initial: boolean, remainingMs: number): void {
    if (!group.is('PreparingRebalance')) return;
    if (initial && group.newMemberAdded && remainingMs > 0) {
      group.newMemberAdded = false;
      const delay = Math.min(this.config.initialRebalanceDelayMs, remainingMs);
      this.scheduleJoinPhase(group, delay, true, remainingMs - delay);
      return;
    }
    this.completeJoin(group);
  }

  private tryCompleteJoin(group: ClassicGroup): void {
    if (!group.is('PreparingRebalance')) return;
    if (group.joinTimer?.initial) return;
    if (group.hasAllMembersJoined) this.completeJoin(group);
  }

  private completeJoin(group: ClassicGroup): void {
    this.clearJoinPhase(group);
    for (const m of group.notYetRejoinedMembers()) {
      if (m.isStatic) continue;
      this.clearSession(m);
      group.remove(m.memberId);
    }
    if (group.is('Dead')) return;
    if (!group.maybeElectNewJoinedLeader() && group.size > 0) {
      // Only static members that did not rejoin are left: wait another round for them.
      this.scheduleJoinPhase(group, group.rebalanceTimeoutMs, false, 0);
      return;
    }
    group.initNextGeneration(this.clock());
    if (group.is('Empty')) {
      void this.storeGroup(group, new Map());
      return;
    }
    for (const member of group.members.values()) {
      group.invokeJoin(member, this.currentJoinResult(group, member.memberId, group.isLeader(member.memberId)));
      this.scheduleSession(group, member);
      member.isNew = false;
      group.pendingSyncMembers.add(member.memberId);
    }
    this.schedulePendingSync(group);
  }

  // ---------------------------------------------------------------- SyncGroup

  syncGroup(req: SyncGroupRequest): Promise<SyncGroupResult> {
    return new Promise((resolve) => this.handleSync(req, resolve));
  }

  private handleSync(req: SyncGroupRequest, respond: (r: SyncGroupResult) => void): void {
    if (this.closed) return respond(syncError(E.COORDINATOR_NOT_AVAILABLE));
    if (!req.groupId) return respond(syncError(E.INVALID_GROUP_ID));
    const group = this.groups.get(req.groupId);
    if (!group) return respond(syncError(E.UNKNOWN_MEMBER_ID));
    if (group.is('Dead')) return respond(syncError(E.COORDINATOR_NOT_AVAILABLE));
    let error = this.validateCurrentMember(group, req.memberId, req.groupInstanceId ?? null);
    if (error === E.NONE && req.generationId !== group.generationId) error = E.ILLEGAL_GENERATION;
    if (error === E.NONE && req.protocolType != null && req.protocolType !== group.protocolType) {
      error = E.INCONSISTENT_GROUP_PROTOCOL;
    }
    if (error === E.NONE && req.protocolName != null && req.protocolName !== group.protocolName) {
      error = E.INCONSISTENT_GROUP_PROTOCOL;
    }
    if (error !== E.NONE) return respond(syncError(error));

    const member = group.members.get(req.memberId)!;
    switch (group.state) {
      case 'Empty':
        return respond(syncError(E.UNKNOWN_MEMBER_ID));
      case 'PreparingRebalance':
        return respond(syncError(E.REBALANCE_IN_PROGRESS));
      case 'Stable':
        this.removePendingSyncMember(group, member.memberId);
        this.scheduleSession(group, member);
        return respond({
          errorCode: E.NONE,
          protocolType: group.protocolType,
          protocolName: group.protocolName,
          assignment: member.assignment,
        });
      case 'CompletingRebalance':
        break;
      case 'Dead':
        return respond(syncError(E.COORDINATOR_NOT_AVAILABLE));
    }

    group.invokeSync(member, syncError(E.REBALANCE_IN_PROGRESS));
    member.awaitingSync = respond;
    this.scheduleSession(group, member);
    this.removePendingSyncMember(group, member.memberId);
    if (!group.isLeader(member.memberId)) return;

    const assignments = new Map<string, Buffer>();
    for (const a of req.assignments) {
      if (group.has(a.memberId)) assignments.set(a.memberId, Buffer.from(a.assignment));
    }
    for (const id of group.members.keys()) if (!assignments.has(id)) assignments.set(id, EMPTY);
    const generation = group.generationId;
    void this.storeGroup(group, assignments).then((ok) => {
      if (this.closed || !group.is('CompletingRebalance') || group.generationId !== generation) return;
      if (!ok) {
        this.resetAndPropagateAssignmentError(group, E.COORDINATOR_NOT_AVAILABLE);
        this.maybePrepareRebalance(group);
        return;
      }
      for (const m of group.members.values()) m.assignment = assignments.get(m.memberId) ?? EMPTY;
      this.propagateAssignment(group, E.NONE);
      group.transitionTo('Stable', this.clock());
    });
  }

  private resetAndPropagateAssignmentError(group: ClassicGroup, errorCode: number): void {
    for (const m of group.members.values()) m.assignment = EMPTY;
    this.propagateAssignment(group, errorCode);
  }

  private propagateAssignment(group: ClassicGroup, errorCode: number): void {
    for (const m of group.members.values()) {
      const answered = group.invokeSync(m, {
        errorCode,
        protocolType: errorCode === E.NONE ? group.protocolType : null,
        protocolName: errorCode === E.NONE ? group.protocolName : null,
        assignment: m.assignment,
      });
      if (answered) this.scheduleSession(group, m);
    }
  }

  private schedulePendingSync(group: ClassicGroup): void {
    this.clearSyncTimer(group);
    if (this.closed) return;
    const generation = group.generationId;
    const handle = this.timers.setTimeout(() => {
      if (this.closed || group.syncTimer !== handle) return;
      group.syncTimer = null;
      this.onPendingSyncExpired(group, generation);
    }, group.rebalanceTimeoutMs);
    group.syncTimer = handle;
  }

  private onPendingSyncExpired(group: ClassicGroup, generation: number): void {
    if (generation !== group.generationId) return;
    if (!group.is('CompletingRebalance') && !group.is('Stable')) return;
    if (group.pendingSyncMembers.size === 0) return;
    for (const id of [...group.pendingSyncMembers]) {
      const m = group.members.get(id);
      if (m) {
        group.invokeJoin(m, joinError('', E.UNKNOWN_MEMBER_ID));
        group.invokeSync(m, syncError(E.UNKNOWN_MEMBER_ID));
        this.clearSession(m);
      }
      group.remove(id);
    }
    this.prepareRebalance(group);
  }

  private removePendingSyncMember(group: ClassicGroup, memberId: string): void {
    group.pendingSyncMembers.delete(memberId);
    if (group.pendingSyncMembers.size === 0) this.clearSyncTimer(group);
  }

  private clearSyncExpiration(group: ClassicGroup): void {
    group.pendingSyncMembers.clear();
    this.clearSyncTimer(group);
  }

  private clearSyncTimer(group: ClassicGroup): void {
    if (group.syncTimer !== null) {
      this.timers.clearTimeout(group.syncTimer);
      group.syncTimer = null;
    }
  }

  // ---------------------------------------------------------------- Heartbeat / LeaveGroup

  async heartbeat(req: HeartbeatRequest): Promise<HeartbeatResult> {
    return { errorCode: this.handleHeartbeat(req) };
  }

  private handleHeartbeat(req: HeartbeatRequest): number {
    if (this.closed) return E.COORDINATOR_NOT_AVAILABLE;
    if (!req.groupId) return E.INVALID_GROUP_ID;
    const group = this.groups.get(req.groupId);
    if (!group) return E.UNKNOWN_MEMBER_ID;
    if (group.is('Dead')) return E.COORDINATOR_NOT_AVAILABLE;
    const error = this.validateCurrentMember(group, req.memberId, req.groupInstanceId ?? null);
    if (error !== E.NONE) return error;
    if (req.generationId !== group.generationId) return E.ILLEGAL_GENERATION;
    const member = group.members.get(req.memberId)!;
    switch (group.state) {
      case 'Empty':
        return E.UNKNOWN_MEMBER_ID;
      case 'PreparingRebalance':
        this.scheduleSession(group, member);
        return E.REBALANCE_IN_PROGRESS;
      case 'CompletingRebalance':
      case 'Stable':
        this.scheduleSession(group, member);
        return E.NONE;
      case 'Dead':
        return E.COORDINATOR_NOT_AVAILABLE;
    }
  }

  async leaveGroup(req: LeaveGroupRequest): Promise<LeaveGroupResult> {
    if (this.closed) return { errorCode: E.COORDINATOR_NOT_AVAILABLE, members: [] };
    if (!req.groupId) return { errorCode: E.INVALID_GROUP_ID, members: [] };
    const group = this.groups.get(req.groupId);
    const result = (m: { memberId: string; groupInstanceId?: string | null }, errorCode: number): LeaveGroupMemberResult => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId ?? null,
      errorCode,
    });
    if (!group) return { errorCode: E.NONE, members: req.members.map((m) => result(m, E.UNKNOWN_MEMBER_ID)) };
    if (group.is('Dead')) return { errorCode: E.COORDINATOR_NOT_AVAILABLE, members: [] };

    const members = req.members.map((leaving) => {
      const instanceId = leaving.groupInstanceId ?? null;
      if (leaving.memberId === '') {
        const currentId = instanceId === null ? undefined : group.staticMembers.get(instanceId);
        if (currentId === undefined) return result(leaving, E.UNKNOWN_MEMBER_ID);
        this.removeMemberAndUpdateGroup(group, group.members.get(currentId)!);
        return result(leaving, E.NONE);
      }
      const pending = group.pendingMembers.get(leaving.memberId);
      if (pending !== undefined) {
        this.timers.clearTimeout(pending);
        group.pendingMembers.delete(leaving.memberId);
        this.tryCompleteJoin(group);
        return result(leaving, E.NONE);
      }
      const error = this.validateCurrentMember(group, leaving.memberId, instanceId);
      if (error !== E.NONE) return result(leaving, error);
      this.removeMemberAndUpdateGroup(group, group.members.get(leaving.memberId)!);
      return result(leaving, E.NONE);
    });
    return { errorCode: E.NONE, members };
  }

  private removeMemberAndUpdateGroup(group: ClassicGroup, member: GroupMember): void {
    group.invokeJoin(member, joinError('', E.UNKNOWN_MEMBER_ID));
    group.invokeSync(member, syncError(E.UNKNOWN_MEMBER_ID));
    this.clearSession(member);
    group.remove(member.memberId);
    switch (group.state) {
      case 'Stable':
      case 'CompletingRebalance':
        this.maybePrepareRebalance(group);
        return;
      case 'PreparingRebalance':
        this.tryCompleteJoin(group);
        return;
      case 'Empty':
      case 'Dead':
        return;
    }
  }

  /** 82 if the instance id is bound to another member id, 25 if the member is unknown. */
  private validateCurrentMember(group: ClassicGroup, memberId: string, groupInstanceId: string | null): number {
    if (groupInstanceId !== null) {
      const current = group.staticMembers.get(groupInstanceId);
      if (current === undefined) return E.UNKNOWN_MEMBER_ID;
      if (current !== memberId) return E.FENCED_INSTANCE_ID;
      return E.NONE;
    }
    return group.has(memberId) ? E.NONE : E.UNKNOWN_MEMBER_ID;
  }

  // ---------------------------------------------------------------- session timers

  /**
   * Moves the member's session deadline to now + timeoutMs. Heartbeats and commits move it on
   * every request, so the armed timer is left alone when it is due no later than the new
   * deadline: when it fires before the deadline it re-arms for the rest (one timer per session
   * timeout instead of a clear and a set per request). A deadline earlier than the armed timer
   * (a shorter timeout) re-arms at once.
   */
  private scheduleSession(group: ClassicGroup, member: GroupMember, timeoutMs = member.sessionTimeoutMs): void {
    if (this.closed) {
      this.clearSession(member);
      return;
    }
    const deadline = this.clock() + timeoutMs;
    member.sessionDeadline = deadline;
    if (member.sessionTimer !== null && member.sessionTimerDue <= deadline) return;
    this.clearSession(member);
    this.armSession(group, member, deadline);
  }

  private armSession(group: ClassicGroup, member: GroupMember, due: number): void {
    member.sessionTimerDue = due;
    member.sessionTimer = this.timers.setTimeout(() => {
      member.sessionTimer = null;
      if (this.closed) return;
      if (this.clock() < member.sessionDeadline) {
        this.armSession(group, member, member.sessionDeadline);
        return;
      }
      this.onSessionExpired(group, member);
    }, Math.max(0, due - this.clock()));
  }

  private clearSession(member: GroupMember): void {
    if (member.sessionTimer !== null) {
      this.timers.clearTimeout(member.sessionTimer);
      member.sessionTimer = null;
    }
  }

  private onSessionExpired(group: ClassicGroup, member: GroupMember): void {
    if (group.is('Dead') || group.members.get(member.memberId) !== member) return;
    // Members parked in a join or sync phase are alive until that phase ends; new members
    // are not, so a client that gave up on its first JoinGroup does not linger.
    if (!member.isNew && (member.awaitingJoin || member.awaitingSync)) return;
    this.removeMemberAndUpdateGroup(group, member);
  }

  private onPendingMemberExpired(group: ClassicGroup, memberId: string): void {
    if (this.closed || !group.pendingMembers.has(memberId)) return;
    group.pendingMembers.delete(memberId);
    this.tryCompleteJoin(group);
  }

  // ---------------------------------------------------------------- offsets

  async commitOffsets(req: OffsetCommitRequest): Promise<OffsetCommitResult> {
    const all = (errorCode: number): OffsetCommitResult => offsetAnswer(req.topics, () => errorCode);
    if (this.closed) return all(E.COORDINATOR_NOT_AVAILABLE);
    const memberId = req.memberId ?? '';
    const instanceId = req.groupInstanceId ?? null;
    let group = this.groups.get(req.groupId);
    if (!group) {
      if (req.generationId >= 0) return all(E.ILLEGAL_GENERATION);
      group = new ClassicGroup(req.groupId, this.clock());
      this.groups.set(req.groupId, group);
    }
    const error = this.validateOffsetCommit(group, req.generationId, memberId, instanceId);
    if (error !== E.NONE) return all(error);
    if (group.is('CompletingRebalance')) return all(E.REBALANCE_IN_PROGRESS);
    if (group.is('Stable') || group.is('PreparingRebalance')) {
      const member = group.members.get(memberId);
      if (member) this.scheduleSession(group, member);
    }

    const { records, staged, errors } = this.offsetRecords(group.groupId, req.topics);
    if (records.length > 0) {
      for (const s of staged) group.pendingOffsetCommits.set(s.key, (group.pendingOffsetCommits.get(s.key) ?? 0) + 1);
      let ok = true;
      try {
        await this.store.append(records);
      } catch (err) {
        ok = false;
        this.logger.warn({ err, groupId: group.groupId }, 'offset commit append failed');
      }
      const live = this.groups.get(group.groupId) === group;
      for (const s of staged) {
        const n = (group.pendingOffsetCommits.get(s.key) ?? 1) - 1;
        if (n > 0) group.pendingOffsetCommits.set(s.key, n);
        else group.pendingOffsetCommits.delete(s.key);
        if (ok && live) group.putOffset(s.topic, s.partition, s.value);
        if (!ok) errors.set(s.key, E.COORDINATOR_NOT_AVAILABLE);
      }
    }
    return offsetAnswerWith(req.topics, errors);
  }

  /** The offset-commit records of a commit request, the offsets they stage and per-partition refusals. */
  private offsetRecords(groupId: string, topics: OffsetCommitTopic[]) {
    const now = this.clock();
    const records: GroupStoreWrite[] = [];
    const staged: { topic: string; partition: number; key: string; value: CommittedOffset }[] = [];
    const errors = new Map<string, number>();
    for (const t of topics) {
      for (const p of t.partitions) {
        const metadata = p.committedMetadata ?? '';
        if (metadata.length > this.config.maxMetadataBytes) {
          errors.set(tpKey(t.name, p.partitionIndex), E.OFFSET_METADATA_TOO_LARGE);
          continue;
        }
        const value: CommittedOffset = {
          offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch ?? -1, metadata, commitTimestamp: now, expireTimestamp: -1,
          seq: ++this.commitSeq,
        };
        records.push({
          groupId,
          key: encodeOffsetCommitKey({ group: groupId, topic: t.name, partition: p.partitionIndex }),
          value: encodeOffsetCommitValue(value),
        });
        staged.push({ topic: t.name, partition: p.partitionIndex, key: tpKey(t.name, p.partitionIndex), value });
      }
    }
    return { records, staged, errors };
  }

  private validateOffsetCommit(group: ClassicGroup, generationId: number, memberId: string, instanceId: string | null): number {
    if (group.is('Dead')) return E.COORDINATOR_NOT_AVAILABLE;
    if (generationId < 0 && group.is('Empty')) return E.NONE;
    if (generationId >= 0 || memberId !== '' || instanceId !== null) {
      const error = this.validateCurrentMember(group, memberId, instanceId);
      if (error !== E.NONE) return error;
      return generationId === group.generationId ? E.NONE : E.ILLEGAL_GENERATION;
    }
    return group.is('Empty') ? E.NONE : E.UNKNOWN_MEMBER_ID;
  }

  /**
   * TxnOffsetCommit (exactly-once reference §5.2): validated like an OffsetCommit except that a
   * commit without member information is accepted whatever the group's state (KIP-447 checks
   * apply only when the request names a member, instance or generation). The records are
   * appended as a transactional batch of the producer (a stale epoch is refused by the log with
   * INVALID_PRODUCER_EPOCH) and stay pending for (group, producer) until `completeTransaction`.
   * The caller has checked that the group's offsets partition is in the producer's transaction.
   */
  async commitTxnOffsets(req: TxnOffsetCommitRequest): Promise<OffsetCommitResult> {
    const all = (errorCode: number): OffsetCommitResult => offsetAnswer(req.topics, () => errorCode);
    if (this.closed) return all(E.COORDINATOR_NOT_AVAILABLE);
    if (!req.groupId) return all(E.INVALID_GROUP_ID);
    let group = this.groups.get(req.groupId);
    if (!group) {
      group = new ClassicGroup(req.groupId, this.clock());
      this.groups.set(req.groupId, group);
    }
    const instanceId = req.groupInstanceId ?? null;
    let error: number = E.NONE;
    if (group.is('Dead')) error = E.COORDINATOR_NOT_AVAILABLE;
    else if (req.memberId !== '' || instanceId !== null) error = this.validateCurrentMember(group, req.memberId, instanceId);
    if (error === E.NONE && req.generationId >= 0 && req.generationId !== group.generationId) error = E.ILLEGAL_GENERATION;
    if (error !== E.NONE) return all(error);

    const { records, staged, errors } = this.offsetRecords(group.groupId, req.topics);
    if (records.length > 0) {
      // Staged first: the append is synchronous up to its flush, and a marker that lands while
      // the flush runs must find these commits.
      for (const s of staged) group.stageTxnOffset(req.producerId, s);
      try {
        await this.store.append(records, { producerId: req.producerId, producerEpoch: req.producerEpoch });
      } catch (err) {
        const byPartition = group.pendingTxnOffsets.get(req.producerId);
        for (const s of staged) {
          if (byPartition?.get(s.key)?.value === s.value) byPartition.delete(s.key);
          errors.set(s.key, txnAppendError(err));
        }
        if (byPartition?.size === 0) group.pendingTxnOffsets.delete(req.producerId);
        this.logger.warn({ err, groupId: group.groupId }, 'transactional offset commit append failed');
      }
    }
    return offsetAnswerWith(req.topics, errors);
  }

  /**
   * The transaction marker of `producerId` reached offsets partition `offsetsPartition`: the
   * producer's pending commits of the groups in that partition are applied (commit) or dropped.
   * Returns the number of groups affected.
   */
  completeTransaction(producerId: number, offsetsPartition: number, commit: boolean): number {
    let n = 0;
    for (const group of this.groups.values()) {
      if (!group.pendingTxnOffsets.has(producerId)) continue;
      if (partitionFor(group.groupId, this.config.offsetsTopicPartitions) !== offsetsPartition) continue;
      if (group.completeTxn(producerId, commit)) n++;
    }
    return n;
  }

  async fetchOffsets(req: OffsetFetchRequest): Promise<OffsetFetchResult> {
    if (this.closed) return { errorCode: E.COORDINATOR_NOT_AVAILABLE, topics: [] };
    const group = this.groups.get(req.groupId);
    const entry = (partition: number, topic: string): OffsetFetchPartition => {
      if (req.requireStable && group?.hasPendingOffset(topic, partition)) {
        return { partitionIndex: partition, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: E.UNSTABLE_OFFSET_COMMIT };
      }
      const o = group?.getOffset(topic, partition);
      return o
        ? { partitionIndex: partition, committedOffset: o.offset, committedLeaderEpoch: o.leaderEpoch, metadata: o.metadata, errorCode: E.NONE }
        : { partitionIndex: partition, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: E.NONE };
    };
    if (req.topics === null) {
      if (!group) return { errorCode: E.NONE, topics: [] };
      return {
        errorCode: E.NONE,
        topics: [...group.offsets].map(([name, byPartition]) => ({
          name,
          partitions: [...byPartition.keys()].sort((a, b) => a - b).map((p) => entry(p, name)),
        })),
      };
    }
    return {
      errorCode: E.NONE,
      topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((p) => entry(p, t.name)) })),
    };
  }

  /**
   * Drops committed offsets past retention (all offsets of an Empty group once it has been
   * Empty for the retention period; per commit for groups that never used group management),
   * then removes Empty groups left without offsets. Runs periodically; returns the number of
   * offsets removed.
   */
  async expireOffsets(): Promise<number> {
    if (this.closed) return 0;
    const now = this.clock();
    const retention = this.config.offsetsRetentionMs;
    const tombstones: GroupStoreWrite[] = [];
    let removed = 0;
    for (const group of [...this.groups.values()]) {
      const simple = group.protocolType === null;
      if (group.is('Empty') || simple) {
        for (const [topic, byPartition] of [...group.offsets]) {
          for (const [partition, o] of [...byPartition]) {
            if (group.hasPendingOffset(topic, partition)) continue;
            const base = simple || group.stateTimestamp < 0 ? o.commitTimestamp : group.stateTimestamp;
            const expired = o.expireTimestamp >= 0 ? now >= o.expireTimestamp : now - base >= retention;
            if (!expired) continue;
            group.deleteOffset(topic, partition);
            tombstones.push({ groupId: group.groupId, key: encodeOffsetCommitKey({ group: group.groupId, topic, partition }), value: null });
            removed++;
          }
        }
      }
      if (group.is('Empty') && !group.hasOffsets && group.pendingMembers.size === 0) {
        this.markDead(group);
        tombstones.push({ groupId: group.groupId, key: encodeGroupMetadataKey(group.groupId), value: null });
      }
    }
    if (tombstones.length > 0) {
      try {
        await this.store.append(tombstones);
      } catch (err) {
        this.logger.warn({ err }, 'offset expiration append failed');
      }
    }
    return removed;
  }

  private scheduleRetentionCheck(): void {
    const interval = this.config.offsetsRetentionCheckIntervalMs;
    if (interval <= 0 || this.closed) return;
    this.retentionTimer = this.timers.setTimeout(() => {
      this.retentionTimer = null;
      if (this.closed) return;
      void this.expireOffsets().finally(() => this.scheduleRetentionCheck());
    }, interval);
  }

  // ---------------------------------------------------------------- admin

  describeGroups(groupIds: string[], requestVersion = 0): Promise<DescribedGroup[]> {
    return Promise.resolve(groupIds.map((id) => this.describeGroup(id, requestVersion)));
  }

  private describeGroup(groupId: string, requestVersion: number): DescribedGroup {
    const base = { groupId, protocolType: '', protocolData: '', members: [] };
    if (this.closed) return { ...base, errorCode: E.COORDINATOR_NOT_AVAILABLE, groupState: '' };
    const group = this.groups.get(groupId);
    if (!group) {
      return { ...base, errorCode: requestVersion >= 6 ? E.GROUP_ID_NOT_FOUND : E.NONE, groupState: 'Dead' };
    }
    const stable = group.is('Stable');
    const protocol = stable ? (group.protocolName ?? '') : '';
    return {
      errorCode: E.NONE,
      groupId,
      groupState: group.state,
      protocolType: group.protocolType ?? '',
      protocolData: protocol,
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: stable ? m.metadata(protocol) : EMPTY,
        memberAssignment: stable ? m.assignment : EMPTY,
      })),
    };
  }

  listGroups(filter: ListGroupsFilter = {}): Promise<ListGroupsResult> {
    if (this.closed) return Promise.resolve({ errorCode: E.COORDINATOR_NOT_AVAILABLE, groups: [] });
    const states = new Set((filter.statesFilter ?? []).map((s) => s.toLowerCase()));
    const types = (filter.typesFilter ?? []).map((t) => t.toLowerCase());
    if (types.length > 0 && !types.includes('classic')) return Promise.resolve({ errorCode: E.NONE, groups: [] });
    const groups = [...this.groups.values()]
      .filter((g) => states.size === 0 || states.has(g.state.toLowerCase()))
      .map((g) => ({
        groupId: g.groupId,
        protocolType: g.protocolType ?? '',
        groupState: g.state,
        groupType: 'classic' as const,
      }));
    return Promise.resolve({ errorCode: E.NONE, groups });
  }

  async deleteGroups(groupIds: string[]): Promise<DeleteGroupResult[]> {
    const ids = [...new Set(groupIds)];
    if (this.closed) return ids.map((groupId) => ({ groupId, errorCode: E.COORDINATOR_NOT_AVAILABLE }));
    const results = new Map<string, number>();
    const deleted: string[] = [];
    const tombstones: GroupStoreWrite[] = [];
    for (const id of ids) {
      const group = this.groups.get(id);
      if (!group || group.is('Dead')) {
        results.set(id, E.GROUP_ID_NOT_FOUND);
      } else if (!group.is('Empty')) {
        results.set(id, E.NON_EMPTY_GROUP);
      } else {
        for (const [topic, byPartition] of group.offsets) {
          for (const partition of byPartition.keys()) {
            tombstones.push({ groupId: id, key: encodeOffsetCommitKey({ group: id, topic, partition }), value: null });
          }
        }
        tombstones.push({ groupId: id, key: encodeGroupMetadataKey(id), value: null });
        this.markDead(group);
        deleted.push(id);
      }
    }
    if (tombstones.length > 0) {
      let code: number = E.NONE;
      try {
        await this.store.append(tombstones);
      } catch (err) {
        code = E.COORDINATOR_NOT_AVAILABLE;
        this.logger.warn({ err, groups: deleted }, 'group deletion append failed');
      }
      for (const id of deleted) results.set(id, code);
    }
    return ids.map((groupId) => ({ groupId, errorCode: results.get(groupId)! }));
  }

  /**
   * OffsetDelete: removes committed offsets of some partitions. Allowed while the group has
   * no members; a group with live members may still be consuming those partitions, so every
   * partition is refused with GROUP_SUBSCRIBED_TO_TOPIC (Kafka checks subscriptions; ferry
   * is conservative because protocol metadata is opaque to it).
   */
  async deleteOffsets(groupId: string, topics: { name: string; partitions: number[] }[]):
    Promise<{ errorCode: number; topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[] }> {
    if (this.closed) return { errorCode: E.COORDINATOR_NOT_AVAILABLE, topics: [] };
    const group = this.groups.get(groupId);
    if (!group || group.is('Dead')) return { errorCode: E.GROUP_ID_NOT_FOUND, topics: [] };
    const live = !group.is('Empty');
    const tombstones: GroupStoreWrite[] = [];
    const answer = topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((partitionIndex) => {
        if (live) return { partitionIndex, errorCode: E.GROUP_SUBSCRIBED_TO_TOPIC as number };
        if (group.offsets.get(t.name)?.delete(partitionIndex)) {
          tombstones.push({ groupId, key: encodeOffsetCommitKey({ group: groupId, topic: t.name, partition: partitionIndex }), value: null });
        }
        return { partitionIndex, errorCode: E.NONE as number };
      }),
    }));
    if (tombstones.length > 0) {
      try {
        await this.store.append(tombstones);
      } catch (err) {
        this.logger.warn({ err, groupId }, 'offset deletion append failed');
        return { errorCode: E.COORDINATOR_NOT_AVAILABLE, topics: [] };
      }
    }
    return { errorCode: E.NONE, topics: answer };
  }

  /** Removes an Empty group from the coordinator and stops its timers. */
  private markDead(group: ClassicGroup): void {
    for (const handle of group.pendingMembers.values()) this.timers.clearTimeout(handle);
    group.pendingMembers.clear();
    this.clearJoinPhase(group);
    this.clearSyncExpiration(group);
    group.transitionTo('Dead', this.clock());
    this.groups.delete(group.groupId);
  }

  // ---------------------------------------------------------------- persistence

  private async storeGroup(group: ClassicGroup, assignments: Map<string, Buffer>): Promise<boolean> {
    const protocol = group.protocolName;
    const value: GroupMetadataValue = {
      protocolType: group.protocolType ?? '',
      generation: group.generationId,
      protocol,
      leader: group.leaderId,
      currentStateTimestamp: group.stateTimestamp,
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeout: m.rebalanceTimeoutMs,
        sessionTimeout: m.sessionTimeoutMs,
        subscription: protocol === null ? EMPTY : m.metadata(protocol),
        assignment: assignments.get(m.memberId) ?? EMPTY,
      })),
    };
    try {
      await this.store.append([
        { groupId: group.groupId, key: encodeGroupMetadataKey(group.groupId), value: encodeGroupMetadataValue(value) },
      ]);
      return true;
    } catch (err) {
      this.logger.warn({ err, groupId: group.groupId }, 'group metadata append failed');
      return false;
    }
  }

  /**
   * Rebuilds state from the records previously appended to the store, in append order
   * (latest value per key wins, null values delete). Groups come back Empty with their
   * generation and protocol type; their members must rejoin. Call before serving requests.
   */
  loadFrom(records: Iterable<GroupStoreEntry>): LoadSummary {
    for (const g of this.groups.values()) {
      if (g.size > 0 || g.pendingMembers.size > 0) throw new Error('loadFrom called while groups have live members');
    }
    for (const g of [...this.groups.values()]) this.markDead(g);
    const metadata = new Map<string, GroupMetadataValue | null>();
    type Loaded = { topic: string; partition: number; value: OffsetCommitValue; seq: number };
    const offsets = new Map<string, Map<string, Loaded>>();
    /** offsets partition -> producer id -> transactional commits not yet decided by a marker */
    const pending = new Map<number, Map<number, { group: string; loaded: Loaded }[]>>();
    const put = (group: string, o: Loaded): void => {
      let byKey = offsets.get(group);
      if (!byKey) {
        byKey = new Map();
        offsets.set(group, byKey);
      }
      const current = byKey.get(tpKey(o.topic, o.partition));
      if (!current || current.seq < o.seq) byKey.set(tpKey(o.topic, o.partition), o);
    };
    let skippedRecords = 0;
    for (const record of records) {
      if ('marker' in record) {
        const { producerId, partition, commit } = record.marker;
        const list = pending.get(partition)?.get(producerId);
        pending.get(partition)?.delete(producerId);
        if (commit) for (const p of list ?? []) put(p.group, p.loaded);
        continue;
      }
      let decoded;
      try {
        decoded = decodeGroupRecord(record.key, record.value);
      } catch (err) {
        skippedRecords++;
        this.logger.warn({ err }, 'skipping malformed __consumer_offsets record');
        continue;
      }
      if (decoded.type === 'unknown') {
        skippedRecords++;
      } else if (decoded.type === 'group') {
        metadata.set(decoded.group, decoded.value);
      } else {
        const { group, topic, partition } = decoded.key;
        if (decoded.value === null) {
          offsets.get(group)?.delete(tpKey(topic, partition));
          continue;
        }
        const loaded = { topic, partition, value: decoded.value, seq: ++this.commitSeq };
        if (record.txn) {
          let byProducer = pending.get(record.txn.partition);
          if (!byProducer) {
            byProducer = new Map();
            pending.set(record.txn.partition, byProducer);
          }
          const list = byProducer.get(record.txn.producerId) ?? [];
          list.push({ group, loaded });
          byProducer.set(record.txn.producerId, list);
        } else {
          put(group, loaded);
        }
      }
    }

    const now = this.clock();
    let offsetCount = 0;
    const ids = new Set<string>();
    for (const [id, value] of metadata) if (value !== null) ids.add(id);
    for (const [id, byKey] of offsets) if (byKey.size > 0) ids.add(id);
    for (const byProducer of pending.values()) for (const list of byProducer.values()) for (const p of list) ids.add(p.group);
    for (const id of ids) {
      const group = new ClassicGroup(id, now);
      const value = metadata.get(id);
      if (value) {
        group.generationId = value.generation;
        group.protocolType = value.protocolType === '' ? null : value.protocolType;
        group.stateTimestamp = value.members.length > 0 ? now : value.currentStateTimestamp;
      }
      for (const o of offsets.get(id)?.values() ?? []) {
        group.putOffset(o.topic, o.partition, { ...o.value, seq: o.seq });
        offsetCount++;
      }
      this.groups.set(id, group);
    }
    for (const byProducer of pending.values()) {
      for (const [producerId, list] of byProducer) {
        for (const p of list) {
          this.groups.get(p.group)!.stageTxnOffset(producerId, { topic: p.loaded.topic, partition: p.loaded.partition, value: { ...p.loaded.value, seq: p.loaded.seq } });
        }
      }
    }
    return { groups: ids.size, offsets: offsetCount, skippedRecords };
  }

  // ---------------------------------------------------------------- shutdown

  /**
   * Stops every timer and answers parked JoinGroup/SyncGroup requests with NOT_COORDINATOR
   * (as Kafka does when a coordinator unloads a group). Later calls answer
   * COORDINATOR_NOT_AVAILABLE.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.retentionTimer !== null) {
      this.timers.clearTimeout(this.retentionTimer);
      this.retentionTimer = null;
    }
    for (const group of this.groups.values()) {
      for (const m of group.members.values()) {
        group.invokeJoin(m, joinError(m.memberId, E.NOT_COORDINATOR));
        group.invokeSync(m, syncError(E.NOT_COORDINATOR));
        this.clearSession(m);
      }
      for (const handle of group.pendingMembers.values()) this.timers.clearTimeout(handle);
      this.clearJoinPhase(group);
      this.clearSyncExpiration(group);
    }
  }

  /** The group's state, or 'Dead' if unknown (for metrics and tests). */
  groupState(groupId: string): GroupState {
    return this.groups.get(groupId)?.state ?? 'Dead';
  }
}

function offsetAnswer(topics: OffsetCommitTopic[], code: (topic: string, partition: number) => number): OffsetCommitResult {
  return {
    topics: topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: code(t.name, p.partitionIndex) })),
    })),
  };
}

/** The answer to a commit whose refused partitions are in `errors` (by tpKey); the rest succeeded. */
function offsetAnswerWith(topics: OffsetCommitTopic[], errors: Map<string, number>): OffsetCommitResult {
  if (errors.size === 0) return offsetAnswer(topics, () => E.NONE);
  return offsetAnswer(topics, (topic, partition) => errors.get(tpKey(topic, partition)) ?? E.NONE);
}

/** The TxnOffsetCommit answer for a failed append (reference §5.2, append errors). */
function txnAppendError(err: unknown): number {
  const code = (err as { errorCode?: unknown }).errorCode;
  if (code === E.INVALID_PRODUCER_EPOCH) return E.INVALID_PRODUCER_EPOCH;
  if (code === E.KAFKA_STORAGE_ERROR) return E.NOT_COORDINATOR;
  if (code === E.MESSAGE_TOO_LARGE || code === E.INVALID_RECORD) return E.INVALID_COMMIT_OFFSET_SIZE;
  return E.COORDINATOR_NOT_AVAILABLE;
}
