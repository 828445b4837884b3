/**
 * State of one classic group: membership, protocol votes, generation, committed offsets.
 *
 * Pure bookkeeping; the coordinator owns timers, persistence and the request algorithms.
 * Members are kept in join order, which decides the fallback leader and tie-breaks protocol
 * votes. `numAwaitingJoin` always equals the number of members with a parked JoinGroup.
 */
import type { GroupMember, JoinCallback } from './group-member.js';
import type { GroupState, JoinGroupProtocol, JoinGroupResponseMember, JoinGroupResult, SyncGroupResult } from './group-types.js';
import type { TimerHandle } from './timers.js';

const VALID_PREVIOUS: Record<GroupState, readonly GroupState[]> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
};

export interface CommittedOffset {
  offset: number;
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  expireTimestamp: number;
  /** Order of the commit in the store; a later write never loses to an earlier one. */
  seq: number;
}

export interface PendingTxnOffset {
  topic: string;
  partition: number;
  value: CommittedOffset;
}

export interface JoinPhaseTimer {
  handle: TimerHandle;
  /** Initial-delay phase of a group that was Empty (never completes early). */
  initial: boolean;
  remainingMs: number;
}

export class ClassicGroup {
  state: GroupState = 'Empty';
  stateTimestamp: number;
  protocolType: string | null = null;
  protocolName: string | null = null;
  generationId = 0;
  leaderId: string | null = null;
  readonly members = new Map<string, GroupMember>();
  /** groupInstanceId -> memberId */
  readonly staticMembers = new Map<string, string>();
  /** Member ids handed out with MEMBER_ID_REQUIRED, with their expiry timers. */
  readonly pendingMembers = new Map<string, TimerHandle>();
  /** Members that got a JoinGroup answer but have not sent SyncGroup yet. */
  readonly pendingSyncMembers = new Set<string>();
  newMemberAdded = false;
  joinTimer: JoinPhaseTimer | null = null;
  syncTimer: TimerHandle | null = null;
  /** topic -> partition -> committed offset */
  readonly offsets = new Map<string, Map<number, CommittedOffset>>();
  /** "topic\0partition" -> number of commits whose append is in flight */
  readonly pendingOffsetCommits = new Map<string, number>();
  /**
   * Offsets of TxnOffsetCommit requests waiting for their transaction's marker, by producer id
   * then "topic\0partition": applied on COMMIT, dropped on ABORT (timeouts and fences abort).
   */
  readonly pendingTxnOffsets = new Map<number, Map<string, PendingTxnOffset>>();
  private readonly supportedProtocols = new Map<string, number>();
  private numAwaitingJoin = 0;

  constructor(readonly groupId: string, now: number) {
    this.stateTimestamp = now;
  }

  is(state: GroupState): boolean {
    return this.state === state;
  }

  has(memberId: string): boolean {
    return this.members.has(memberId);
  }

  get size(): number {
    return this.members.size;
  }

  get numAwaiting(): number {
    return this.numAwaitingJoin;
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  transitionTo(next: GroupState, now: number): void {
    if (!VALID_PREVIOUS[next].includes(this.state)) {
      throw new Error(`group ${this.groupId}: illegal transition ${this.state} -> ${next}`);
    }
    this.state = next;
    this.stateTimestamp = now;
  }

  get canRebalance(): boolean {
    return VALID_PREVIOUS.PreparingRebalance.includes(this.state);
  }

  add(member: GroupMember, callback: JoinCallback | null): void {
    if (member.groupInstanceId !== null) {
      if (this.staticMembers.has(member.groupInstanceId)) {
        throw new Error(`static member ${member.groupInstanceId} is already in group ${this.groupId}`);
      }
      this.staticMembers.set(member.groupInstanceId, member.memberId);
    }
    if (this.members.size === 0) this.protocolType = member.protocolType;
    if (this.leaderId === null) this.leaderId = member.memberId;
    this.members.set(member.memberId, member);
    this.countProtocols(member.protocols, 1);
    member.awaitingJoin = callback;
    if (callback) this.numAwaitingJoin++;
    this.pendingMembers.delete(member.memberId);
  }

  remove(memberId: string): GroupMember | undefined {
    const member = this.members.get(memberId);
    if (member) {
      this.members.delete(memberId);
      this.countProtocols(member.protocols, -1);
      if (member.awaitingJoin) this.numAwaitingJoin--;
      if (member.groupInstanceId !== null) this.staticMembers.delete(member.groupInstanceId);
    }
    if (this.isLeader(memberId)) this.leaderId = this.members.keys().next().value ?? null;
    this.pendingMembers.delete(memberId);
    this.pendingSyncMembers.delete(memberId);
    return member;
  }

  updateMember(
    member: GroupMember,
    protocols: JoinGroupProtocol[],
    rebalanceTimeoutMs: number,
    sessionTimeoutMs: number,
    callback: JoinCallback | null,
  ): void {
    this.countProtocols(member.protocols, -1);
    member.protocols = protocols;
    this.countProtocols(protocols, 1);
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    member.sessionTimeoutMs = sessionTimeoutMs;
    this.setAwaitingJoin(member, callback);
  }

  setAwaitingJoin(member: GroupMember, callback: JoinCallback | null): void {
    if (callback && !member.awaitingJoin) this.numAwaitingJoin++;
    else if (!callback && member.awaitingJoin) this.numAwaitingJoin--;
    member.awaitingJoin = callback;
  }

  /** Answers the member's parked JoinGroup, if any. */
  invokeJoin(member: GroupMember, result: JoinGroupResult): boolean {
    const cb = member.awaitingJoin;
    if (!cb) return false;
    this.setAwaitingJoin(member, null);
    cb(result);
    return true;
  }

  /** Answers the member's parked SyncGroup, if any. */
  invokeSync(member: GroupMember, result: SyncGroupResult): boolean {
    const cb = member.awaitingSync;
    if (!cb) return false;
    member.awaitingSync = null;
    cb(result);
    return true;
  }

  /**
   * Gives the member a new id (static member rejoining with an unknown member id). Parked
   * requests of the old incarnation are answered through `fence` before the swap.
   */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string, fence: (m: GroupMember) => void): GroupMember {
    const member = this.members.get(oldMemberId);
    if (!member) throw new Error(`cannot replace unknown member ${oldMemberId}`);
    fence(member);
    this.members.delete(oldMemberId);
    member.memberId = newMemberId;
    this.members.set(newMemberId, member);
    if (this.isLeader(oldMemberId)) this.leaderId = newMemberId;
    if (this.pendingSyncMembers.delete(oldMemberId)) this.pendingSyncMembers.add(newMemberId);
    this.staticMembers.set(groupInstanceId, newMemberId);
    return member;
  }

  /**
   * If the leader has not rejoined, makes the first rejoined member leader. False when no
   * member rejoined (or there is no leader at all).
   */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false;
    const leader = this.members.get(this.leaderId);
    if (leader?.awaitingJoin) return true;
    for (const m of this.members.values()) {
      if (m.awaitingJoin) {
        this.leaderId = m.memberId;
        return true;
      }
    }
    return false;
  }

  get hasAllMembersJoined(): boolean {
    return this.members.size === this.numAwaitingJoin && this.pendingMembers.size === 0;
  }

  notYetRejoinedMembers(): GroupMember[] {
    return [...this.members.values()].filter((m) => !m.awaitingJoin);
  }

  get rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  supportsProtocols(protocolType: string, protocols: JoinGroupProtocol[]): boolean {
    if (this.is('Empty')) return protocolType.length > 0 && protocols.length > 0;
    return this.protocolType === protocolType && protocols.some((p) => this.supportedProtocols.get(p.name) === this.members.size);
  }

  selectProtocol(): string {
    const candidates = new Set<string>();
    for (const [name, count] of this.supportedProtocols) if (count === this.members.size) candidates.add(name);
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const v = m.vote(candidates);
      if (v !== undefined) votes.set(v, (votes.get(v) ?? 0) + 1);
    }
    let best: string | undefined;
    let bestVotes = 0;
    for (const [name, n] of votes) {
      if (n > bestVotes) {
        best = name;
        bestVotes = n;
      }
    }
    if (best === undefined) throw new Error(`group ${this.groupId}: no protocol supported by all members`);
    return best;
  }

  currentMemberMetadata(): JoinGroupResponseMember[] {
    const protocol = this.protocolName ?? '';
    return [...this.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadata(protocol),
    }));
  }

  initNextGeneration(now: number): void {
    this.generationId++;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.transitionTo('CompletingRebalance', now);
    } else {
      this.protocolName = null;
      this.transitionTo('Empty', now);
    }
    this.pendingSyncMembers.clear();
  }

  getOffset(topic: string, partition: number): CommittedOffset | undefined {
    return this.offsets.get(topic)?.get(partition);
  }

  /** Stores the commit unless a later-sequenced one is already there. */
  putOffset(topic: string, partition: number, value: CommittedOffset): void {
    let byPartition = this.offsets.get(topic);
    if (!byPartition) {
      byPartition = new Map();
      this.offsets.set(topic, byPartition);
    }
    const current = byPartition.get(partition);
    if (!current || current.seq < value.seq) byPartition.set(partition, value);
  }

  deleteOffset(topic: string, partition: number): void {
    const byPartition = this.offsets.get(topic);
    if (!byPartition) return;
    byPartition.delete(partition);
    if (byPartition.size === 0) this.offsets.delete(topic);
  }

  get hasOffsets(): boolean {
    return this.offsets.size > 0 || this.pendingOffsetCommits.size > 0 || this.pendingTxnOffsets.size > 0;
  }

  /** A plain commit is being appended or a transaction holds a commit for the partition. */
  hasPendingOffset(topic: string, partition: number): boolean {
    const k = `${topic}\0${partition}`;
    if (this.pendingOffsetCommits.has(k)) return true;
    for (const byPartition of this.pendingTxnOffsets.values()) if (byPartition.has(k)) return true;
    return false;
  }

  /** Stages a transactional commit of `producerId` (a later one for the same partition replaces it). */
  stageTxnOffset(producerId: number, pending: PendingTxnOffset): void {
    let byPartition = this.pendingTxnOffsets.get(producerId);
    if (!byPartition) {
      byPartition = new Map();
      this.pendingTxnOffsets.set(producerId, byPartition);
    }
    byPartition.set(`${pending.topic}\0${pending.partition}`, pending);
  }

  /** Ends the producer's transaction here: its staged commits are applied (commit) or dropped. */
  completeTxn(producerId: number, commit: boolean): boolean {
    const byPartition = this.pendingTxnOffsets.get(producerId);
    if (!byPartition) return false;
    this.pendingTxnOffsets.delete(producerId);
    if (commit) for (const p of byPartition.values()) this.putOffset(p.topic, p.partition, p.value);
    return true;
  }

  private countProtocols(protocols: JoinGroupProtocol[], delta: number): void {
    for (const p of protocols) {
      const n = (this.supportedProtocols.get(p.name) ?? 0) + delta;
      if (n === 0) this.supportedProtocols.delete(p.name);
      else this.supportedProtocols.set(p.name, n);
    }
  }
}
