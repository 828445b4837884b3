/**
 * A worker's membership in its Connect cluster: Kafka's classic group protocol (FindCoordinator,
 * JoinGroup, SyncGroup, Heartbeat, LeaveGroup) with protocol type `connect`, over the wire
 * client, rebalancing incrementally (connect-protocol.ts).
 *
 * One async loop runs the rounds (join → leader assigns → sync → apply) one at a time; a
 * heartbeat timer and a session-loss timer run beside it. Requests that park on the
 * coordinator (JoinGroup, SyncGroup) use their own connection (lane), heartbeats another, so a
 * parked join never delays a heartbeat.
 *
 * Listener calls are made one at a time, in order (a queue): onRevoked, onAssignment,
 * onMembershipLost. Listeners should return promptly, except onRevoked, whose promise must
 * settle only once the revoked work has stopped: the member rejoins (and so lets the leader
 * hand that work to someone else) only after it settles.
 *
 * Zombie safety. The coordinator drops a member session.timeout.ms after the last request of
 * that member it accepted. This member measures from the *send* time of its last request that
 * the coordinator accepted (a heartbeat answered 0 or REBALANCE_IN_PROGRESS, a successful join
 * or sync), so its own deadline never falls after the coordinator's; it declares the membership
 * lost `lossMarginMs` before that deadline and calls onMembershipLost, after which it owns
 * nothing and rejoins. UNKNOWN_MEMBER_ID from the coordinator means the same. Heartbeats keep
 * going while a JoinGroup is parked (the coordinator answers REBALANCE_IN_PROGRESS and
 * refreshes the session), so a long rebalance does not count as a lost session. A round
 * during which the membership was lost is abandoned and redone, so the leader never plans with
 * an allocation this member no longer runs.
 *
 * Stopping: stop the work first, then call stop(), which sends LeaveGroup so the group
 * rebalances at once. kill() drops everything without LeaveGroup (what a crash looks like).
 */
import type { Logger } from 'pino';
import { Heartbeat } from '../../../broker/protocol/apis/heartbeat.js';
import { JoinGroup } from '../../../broker/protocol/apis/join-group.js';
import { LeaveGroup } from '../../../broker/protocol/apis/leave-group.js';
import { SyncGroup } from '../../../broker/protocol/apis/sync-group.js';
import { KafkaError, UnsupportedApiError, WireConnectionError } from '../../kafka/wire/kafka-error.js';
import type { WireCluster } from '../../kafka/wire/wire-cluster.js';
import {
  ASSIGNMENT_OK,
  CONFIG_MISMATCH,
  CONNECT_PROTOCOL_TYPE,
  FERRY_SUB_PROTOCOLS,
  decodeAssignment,
  decodeMemberMetadata,
  encodeAssignment,
  encodeMemberMetadata,
  subProtocolVersion,
  type ConnectAssignment,
  type ConnectMemberMetadata,
  type ConnectSubProtocol,
} from './connect-protocol.js';
import type { MemberPlan } from './incremental-assignor.js';
import { EMPTY_WORK, intersectWork, isEmptyWork, subtractWork, unionWork, type WorkSet } from './work-set.js';
import { ERR as E } from '../../../broker/protocol/error-codes.js';

export interface MembershipTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemTimers: MembershipTimers = {
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

export interface LeaderRound {
  readonly generation: number;
  /** This member (the leader). */
  readonly leaderId: string;
  readonly protocol: ConnectSubProtocol;
  /** Every member of the generation, the leader included, with its decoded metadata. */
  readonly members: readonly { readonly memberId: string; readonly metadata: ConnectMemberMetadata }[];
}

export interface AssignmentEvent {
  readonly generation: number;
  readonly memberId: string;
  readonly leaderId: string;
  readonly leaderUrl: string;
  readonly protocol: ConnectSubProtocol;
  /** ASSIGNMENT_OK, or CONFIG_MISMATCH: nothing changed; the member rejoins after a backoff. */
  readonly error: number;
  /** The leader's config offset. */
  readonly configOffset: number;
  /** Everything this member should run now (after revocations and additions). */
  readonly assignment: WorkSet;
  /** What this round added. */
  readonly added: WorkSet;
  /** What this round revoked (already stopped: onRevoked ran first). */
  readonly revoked: WorkSet;
  /** ms until a rebalance the leader scheduled (lost work waiting); 0 for none. */
  readonly delay: number;
}

export interface RevocationEvent {
  readonly generation: number;
  readonly memberId: string;
  readonly leaderId: string;
  /** Work to stop now; the member rejoins once the listener's promise settles. */
  readonly revoked: WorkSet;
}

export interface MembershipLostEvent {
  /** The generation the member belonged to. */
  readonly generation: number;
  readonly memberId: string;
  readonly reason: string;
  /** What the member ran: stop all of it at once. */
  readonly lost: WorkSet;
}

export interface MembershipListener {
  onRevoked?(event: RevocationEvent): void | Promise<void>;
  onAssignment?(event: AssignmentEvent): void | Promise<void>;
  onMembershipLost?(event: MembershipLostEvent): void | Promise<void>;
  /** The membership stopped for good (e.g. INCONSISTENT_GROUP_PROTOCOL, GROUP_AUTHORIZATION_FAILED). */
  onFatal?(error: Error): void;
}

export interface GroupMembershipOptions {
  readonly cluster: WireCluster;
  /** group.id */
  readonly groupId: string;
  /** This worker's advertised REST URL (member metadata `url`). */
  readonly url: string;
  /** session.timeout.ms */
  readonly sessionTimeoutMs: number;
  /**
   * Session timeouts to try, in order, when the coordinator rejects sessionTimeoutMs with
   * INVALID_SESSION_TIMEOUT (outside its group.min/max.session.timeout.ms).
   */
  readonly sessionTimeoutFallbacksMs?: readonly number[];
  /** heartbeat.interval.ms */
  readonly heartbeatIntervalMs: number;
  /** rebalance.timeout.ms */
  readonly rebalanceTimeoutMs: number;
  /** JoinGroup protocols, most preferred first (default FERRY_SUB_PROTOCOLS); `default` (eager) is refused. */
  readonly subProtocols?: readonly ConnectSubProtocol[];
  /** How long before the session could expire the member gives up its work (default min(heartbeat, session/3)). */
  readonly lossMarginMs?: number;
  /** Delay before rejoining after an assignment error (default the cluster's retry.backoff.max.ms). */
  readonly errorBackoffMs?: number;
  /** The config offset this worker has read up to (member metadata `config-offset`); read at every join. */
  readonly configOffset: () => number;
  /** The leader's assignment: one plan per member id (members without one get an empty plan). */
  readonly assign: (round: LeaderRound) => ReadonlyMap<string, MemberPlan> | Promise<ReadonlyMap<string, MemberPlan>>;
  readonly listener?: MembershipListener;
  readonly logger?: Logger;
  readonly clock?: () => number;
  readonly timers?: MembershipTimers;
}

export type MembershipPhase = 'idle' | 'joining' | 'syncing' | 'stable' | 'stopped';


const FATAL = new Set<number>([
  E.INCONSISTENT_GROUP_PROTOCOL, E.INVALID_GROUP_ID, E.INVALID_SESSION_TIMEOUT, E.GROUP_AUTHORIZATION_FAILED,
  E.GROUP_MAX_SIZE_REACHED, E.FENCED_INSTANCE_ID,
]);

const COORDINATOR_MOVED = new Set<number>([E.COORDINATOR_LOAD_IN_PROGRESS, E.COORDINATOR_NOT_AVAILABLE, E.NOT_COORDINATOR]);

/** Kafka clients give parked JoinGroup/SyncGroup requests this much beyond the rebalance timeout. */
const PARKED_REQUEST_LAPSE_MS = 5000;
const LEAVE_TIMEOUT_MS = 5000;

let laneSeq = 0;

/** Signals "start the next round now" from inside a round. */
class RejoinNow extends Error {}

export class GroupMembership {
  readonly #cluster: WireCluster;
  readonly #options: GroupMembershipOptions;
  readonly #logger: Logger;
  readonly #clock: () => number;
  readonly #timers: MembershipTimers;
  readonly #protocols: readonly ConnectSubProtocol[];
  readonly #joinLane: string;
  readonly #heartbeatLane: string;
  readonly #sessionFallbacks: number[];
  #sessionTimeoutMs: number;

  #phase: MembershipPhase = 'idle';
  #stopped = false;
  #memberId = '';
  #generation = -1;
  #leaderId = '';
  #protocol: ConnectSubProtocol | null = null;
  #owned: WorkSet = EMPTY_WORK;
  #lastAssignment: ConnectAssignment | null = null;
  /** Bumped whenever the membership is lost; a round that sees it change is redone. */
  #epoch = 0;
  #rejoinNeeded = true;
  #lastContact = -Infinity;

  #heartbeatTimer: unknown = null;
  #heartbeatInFlight = false;
  #heartbeatKick = false;
  #lossTimer: unknown = null;
  #rejoinTimer: unknown = null;
  #wakers: (() => void)[] = [];
  #listenerQueue: Promise<void> = Promise.resolve();
  #loop: Promise<void> | null = null;

  constructor(options: GroupMembershipOptions) {
    const protocols = options.subProtocols ?? FERRY_SUB_PROTOCOLS;
    if (protocols.length === 0) throw new Error('at least one connect sub-protocol is needed');
    if (protocols.includes('default')) throw new Error('the eager connect protocol ("default") is not supported: ferry rebalances incrementally');
    if (options.heartbeatIntervalMs <= 0 || options.sessionTimeoutMs <= 0) throw new Error('session and heartbeat intervals must be positive');
    this.#cluster = options.cluster;
    this.#options = options;
    this.#protocols = protocols;
    this.#logger = (options.logger ?? options.cluster.logger).child({ groupId: options.groupId });
    this.#clock = options.clock ?? Date.now;
    this.#timers = options.timers ?? systemTimers;
    this.#sessionTimeoutMs = options.sessionTimeoutMs;
    this.#sessionFallbacks = [...(options.sessionTimeoutFallbacksMs ?? [])];
    const seq = ++laneSeq;
    this.#joinLane = `connect-group-join#${seq}`;
    this.#heartbeatLane = `connect-group-heartbeat#${seq}`;
  }

  get phase(): MembershipPhase {
    return this.#phase;
  }

  /** '' until the coordinator gave one. */
  get memberId(): string {
    return this.#memberId;
  }

  /** The generation this member belongs to; -1 when it belongs to none. */
  get generation(): number {
    return this.#generation;
  }

  get leaderId(): string {
    return this.#leaderId;
  }

  get isLeader(): boolean {
    return this.#generation >= 0 && this.#leaderId !== '' && this.#leaderId === this.#memberId;
  }

  /** The leader's advertised URL from the last assignment ('' before one). */
  get leaderUrl(): string {
    return this.#lastAssignment?.leaderUrl ?? '';
  }

  get protocol(): ConnectSubProtocol | null {
    return this.#protocol;
  }

  /** The session timeout in use (after any fallback). */
  get sessionTimeoutMs(): number {
    return this.#sessionTimeoutMs;
  }

  /** What this member runs according to the group. */
  get owned(): WorkSet {
    return this.#owned;
  }

  /**
   * True while this member safely belongs to a generation: the coordinator cannot have dropped
   * it yet. Work with side effects (status writes, commits) can check this synchronously.
   */
  isActive(): boolean {
    return !this.#stopped && this.#generation >= 0 && this.#clock() < this.#lossDeadline();
  }

  /** Starts joining; events arrive through the listener. */
  start(): void {
    if (this.#loop || this.#stopped) return;
    this.#loop = this.#run();
  }

  /** Asks for a rebalance (e.g. the leader saw connectors or task configs change). */
  requestRejoin(reason = 'requested'): void {
    if (this.#stopped) return;
    this.#logger.debug({ reason }, 'rejoin requested');
    this.#rejoinNeeded = true;
    this.#wake();
  }

  /** Leaves the group (LeaveGroup) and stops. Stop the work first: the group reassigns it at once. */
  async stop(): Promise<void> {
    if (this.#stopped) {
      await this.#settled();
      return;
    }
    const memberId = this.#memberId;
    this.#halt();
    this.#cluster.closeLane(this.#joinLane);
    if (memberId !== '') {
      try {
        const coordinator = await this.#cluster.coordinatorFor(this.#options.groupId);
        const response = await this.#cluster.sendToNode(coordinator, LeaveGroup, {
          groupId: this.#options.groupId,
          memberId,
          members: [{ memberId, groupInstanceId: null }],
        }, { lane: this.#heartbeatLane, timeoutMs: LEAVE_TIMEOUT_MS });
        const code = response.errorCode || (response.members[0]?.errorCode ?? 0);
        if (code !== 0) this.#logger.debug({ code }, 'LeaveGroup answered with an error');
      } catch (err) {
        this.#logger.debug({ err }, 'LeaveGroup failed; the session timeout will remove this member');
      }
    }
    this.#cluster.closeLane(this.#heartbeatLane);
    await this.#settled();
  }

  /** Stops at once without LeaveGroup and without listener calls: to the group, a crash. */
  kill(): void {
    if (this.#stopped) return;
    this.#halt();
    this.#cluster.closeLane(this.#joinLane);
    this.#cluster.closeLane(this.#heartbeatLane);
  }

  #halt(): void {
    this.#stopped = true;
    this.#phase = 'stopped';
    this.#generation = -1;
    this.#clearTimer('heartbeat');
    this.#clearTimer('loss');
    this.#clearTimer('rejoin');
    this.#wake();
  }

  async #settled(): Promise<void> {
    await this.#loop?.catch(() => {});
    await this.#listenerQueue;
  }

  // ------------------------------------------------------------------ rounds

  async #run(): Promise<void> {
    const retry = this.#cluster.retry;
    let backoff = retry.backoffMs;
    while (!this.#stopped) {
      if (!this.#rejoinNeeded) {
        await this.#sleep(Number.POSITIVE_INFINITY);
        continue;
      }
      try {
        await this.#round();
        backoff = retry.backoffMs;
      } catch (err) {
        if (this.#stopped) break;
        this.#rejoinNeeded = true;
        if (err instanceof RejoinNow) continue;
        if (err instanceof WireConnectionError) this.#cluster.forgetCoordinator(this.#options.groupId);
        if (isFatal(err)) {
          await this.#fail(err as Error);
          break;
        }
        this.#logger.warn({ err }, 'group round failed; retrying');
        await this.#sleep(backoff);
        backoff = Math.min(backoff * 2, retry.maxBackoffMs);
      }
    }
    this.#phase = 'stopped';
  }

  async #round(): Promise<void> {
    this.#rejoinNeeded = false;
    this.#clearTimer('rejoin');
    this.#phase = 'joining';
    const epoch = this.#epoch;
    const groupId = this.#options.groupId;
    const coordinator = await this.#coordinator();
    const parked = { lane: this.#joinLane, timeoutMs: this.#options.rebalanceTimeoutMs + PARKED_REQUEST_LAPSE_MS };

    const joinSentAt = this.#clock();
    const join = await this.#cluster.sendToNode(coordinator, JoinGroup, {
      groupId,
      sessionTimeoutMs: this.#sessionTimeoutMs,
      rebalanceTimeoutMs: this.#options.rebalanceTimeoutMs,
      memberId: this.#memberId,
      groupInstanceId: null,
      protocolType: CONNECT_PROTOCOL_TYPE,
      protocols: this.#joinProtocols(),
    }, parked);
    this.#checkRound(epoch);
    this.#onGroupError(join.errorCode, 'JoinGroup', join.memberId);

    const protocol = join.protocolName;
    if (protocol === null || !this.#protocols.includes(protocol as ConnectSubProtocol)) {
      throw new KafkaError(E.INCONSISTENT_GROUP_PROTOCOL, `JoinGroup for group ${groupId}`, `coordinator chose protocol ${protocol}`);
    }
    this.#memberId = join.memberId;
    this.#generation = join.generationId;
    this.#leaderId = join.leader;
    this.#protocol = protocol as ConnectSubProtocol;
    this.#phase = 'syncing';
    this.#contact(joinSentAt);
    this.#kickHeartbeat();
    this.#logger.debug({ generation: this.#generation, memberId: this.#memberId, leader: this.#leaderId, protocol }, 'joined group');

    const assignments = this.isLeader ? await this.#leaderAssignments(join.members) : [];
    this.#checkRound(epoch);

    const syncSentAt = this.#clock();
    const sync = await this.#cluster.sendToNode(coordinator, SyncGroup, {
      groupId,
      generationId: this.#generation,
      memberId: this.#memberId,
      groupInstanceId: null,
      protocolType: CONNECT_PROTOCOL_TYPE,
      protocolName: protocol,
      assignments,
    }, parked);
    this.#checkRound(epoch);
    this.#onGroupError(sync.errorCode, 'SyncGroup');
    this.#contact(syncSentAt);

    let assignment: ConnectAssignment;
    try {
      assignment = decodeAssignment(Buffer.from(sync.assignment));
    } catch (err) {
      throw new Error(`undecodable connect assignment from the leader (${sync.assignment.length} bytes): ${(err as Error).message}`, { cause: err });
    }
    await this.#apply(assignment, epoch);
  }

  /** Throws RejoinNow when the membership was lost or stopped during the round. */
  #checkRound(epoch: number): void {
    if (this.#stopped || this.#epoch !== epoch) throw new RejoinNow();
  }

  async #coordinator(): Promise<number> {
    try {
      return await this.#cluster.coordinatorFor(this.#options.groupId);
    } catch (err) {
      if (err instanceof KafkaError && err.staleCoordinator) this.#cluster.forgetCoordinator(this.#options.groupId);
      throw err;
    }
  }

  #joinProtocols(): { name: string; metadata: Buffer }[] {
    const configOffset = this.#options.configOffset();
    return this.#protocols.map((name) => {
      const version = subProtocolVersion(name)!;
      return {
        name,
        metadata: encodeMemberMetadata({ version, url: this.#options.url, configOffset, allocation: version >= 1 ? this.#allocation() : null }),
      };
    });
  }

  #allocation(): ConnectAssignment | null {
    const last = this.#lastAssignment;
    if (!last) return null;
    return { ...last, error: ASSIGNMENT_OK, assigned: this.#owned, revoked: EMPTY_WORK, delay: 0 };
  }

  /** Handles a JoinGroup/SyncGroup error code: returns on success, throws otherwise. */
  #onGroupError(code: number, api: string, memberId?: string): void {
    if (code === E.NONE) return;
    const groupId = this.#options.groupId;
    switch (code) {
      case E.MEMBER_ID_REQUIRED:
        this.#memberId = memberId ?? '';
        throw new RejoinNow();
      case E.UNKNOWN_MEMBER_ID:
        this.#loseMembership(`${api}: the coordinator no longer knows this member`);
        this.#memberId = '';
        throw new RejoinNow();
      case E.ILLEGAL_GENERATION:
      case E.REBALANCE_IN_PROGRESS:
        throw new RejoinNow();
      case E.INVALID_SESSION_TIMEOUT: {
        const next = this.#sessionFallbacks.shift();
        if (next === undefined) break;
        this.#logger.warn({ rejected: this.#sessionTimeoutMs, next },
          'the coordinator rejected session.timeout.ms (outside group.min/max.session.timeout.ms); trying another');
        this.#sessionTimeoutMs = next;
        throw new RejoinNow();
      }
      default:
        if (COORDINATOR_MOVED.has(code)) this.#cluster.forgetCoordinator(groupId);
    }
    throw new KafkaError(code, `${api} for group ${groupId}`);
  }

  async #leaderAssignments(members: readonly { memberId: string; metadata: Buffer }[]): Promise<{ memberId: string; assignment: Buffer }[]> {
    const version = subProtocolVersion(this.#protocol!)!;
    const decoded: { memberId: string; metadata: ConnectMemberMetadata }[] = [];
    for (const m of members) {
      try {
        decoded.push({ memberId: m.memberId, metadata: decodeMemberMetadata(Buffer.from(m.metadata)) });
      } catch (err) {
        this.#logger.warn({ err, member: m.memberId }, 'undecodable member metadata; treating the member as running nothing');
        decoded.push({ memberId: m.memberId, metadata: { version: 0, url: '', configOffset: -1, allocation: null } });
      }
    }
    let plans: ReadonlyMap<string, MemberPlan> | null = null;
    try {
      plans = await this.#options.assign({ generation: this.#generation, leaderId: this.#memberId, protocol: this.#protocol!, members: decoded });
    } catch (err) {
      this.#logger.error({ err }, 'the leader could not compute assignments; every member gets an assignment error');
    }
    const configOffset = this.#options.configOffset();
    return decoded.map(({ memberId }) => {
      const plan = plans ? plans.get(memberId) : undefined;
      if (plans && !plan) this.#logger.warn({ member: memberId }, 'no plan for member; it gets nothing this round');
      return {
        memberId,
        assignment: encodeAssignment({
          version,
          error: plans ? (plan?.error ?? ASSIGNMENT_OK) : CONFIG_MISMATCH,
          leader: this.#memberId,
          leaderUrl: this.#options.url,
          configOffset,
          assigned: plan?.assigned ?? EMPTY_WORK,
          revoked: plan?.revoked ?? EMPTY_WORK,
          delay: plan?.delay ?? 0,
        }),
      };
    });
  }

  async #apply(assignment: ConnectAssignment, epoch: number): Promise<void> {
    const base = {
      generation: this.#generation,
      memberId: this.#memberId,
      leaderId: this.#leaderId,
    };
    if (assignment.error !== ASSIGNMENT_OK) {
      this.#phase = 'stable';
      this.#logger.warn({ error: assignment.error, leaderConfigOffset: assignment.configOffset }, 'the leader sent an assignment error; rejoining later');
      await this.#emit(() => this.#options.listener?.onAssignment?.({
        ...base, leaderUrl: assignment.leaderUrl, protocol: this.#protocol!, error: assignment.error,
        configOffset: assignment.configOffset, assignment: this.#owned, added: EMPTY_WORK, revoked: EMPTY_WORK, delay: 0,
      }));
      this.#scheduleRejoin(this.#options.errorBackoffMs ?? this.#cluster.retry.maxBackoffMs, 'assignment error');
      return;
    }
    const revoked = intersectWork(assignment.revoked, this.#owned);
    if (!isEmptyWork(revoked)) {
      await this.#emit(() => this.#options.listener?.onRevoked?.({ ...base, revoked }));
      this.#owned = subtractWork(this.#owned, revoked);
    }
    this.#checkRound(epoch);
    this.#owned = unionWork(this.#owned, assignment.assigned);
    this.#lastAssignment = assignment;
    this.#phase = 'stable';
    const event: AssignmentEvent = {
      ...base,
      leaderUrl: assignment.leaderUrl,
      protocol: this.#protocol!,
      error: ASSIGNMENT_OK,
      configOffset: assignment.configOffset,
      assignment: this.#owned,
      added: assignment.assigned,
      revoked,
      delay: assignment.delay,
    };
    this.#logger.debug({ generation: event.generation, added: event.added, revoked, delay: event.delay }, 'assignment received');
    await this.#emit(() => this.#options.listener?.onAssignment?.(event));
    if (!isEmptyWork(assignment.revoked)) this.#rejoinNeeded = true;
    else if (assignment.delay > 0) this.#scheduleRejoin(assignment.delay, 'scheduled rebalance');
  }

  async #fail(error: Error): Promise<void> {
    this.#logger.error({ err: error }, 'group membership failed');
    if (this.#generation >= 0 || !isEmptyWork(this.#owned)) this.#loseMembership(`membership failed: ${error.message}`);
    this.#halt();
    await this.#listenerQueue;
    this.#options.listener?.onFatal?.(error);
  }

  // ------------------------------------------------------------------ liveness

  #lossDeadline(): number {
    return this.#lastContact + this.#sessionTimeoutMs - this.#lossMargin();
  }

  #lossMargin(): number {
    return this.#options.lossMarginMs ?? Math.min(this.#options.heartbeatIntervalMs, Math.floor(this.#sessionTimeoutMs / 3));
  }

  /** The coordinator accepted a request of this member sent at `sentAt`. */
  #contact(sentAt: number): void {
    if (sentAt <= this.#lastContact) return;
    this.#lastContact = sentAt;
    this.#armLossTimer();
  }

  #armLossTimer(): void {
    this.#clearTimer('loss');
    if (this.#stopped || this.#generation < 0) return;
    const wait = Math.max(0, this.#lossDeadline() - this.#clock());
    this.#lossTimer = this.#timers.setTimeout(() => {
      this.#lossTimer = null;
      if (this.#stopped || this.#generation < 0) return;
      if (this.#clock() < this.#lossDeadline()) {
        this.#armLossTimer();
        return;
      }
      // A member that runs nothing and is mid-round has nothing to give up: a long-parked first
      // JoinGroup lands here, and the round's SyncGroup tells whether it is still a member.
      if (this.#phase !== 'stable' && isEmptyWork(this.#owned)) return;
      this.#loseMembership('no heartbeat was answered within the session timeout');
    }, wait);
  }

  /** This member may have been dropped: it gives up all work at once and rejoins. */
  #loseMembership(reason: string): void {
    const event: MembershipLostEvent = { generation: this.#generation, memberId: this.#memberId, reason, lost: this.#owned };
    const hadSomething = this.#generation >= 0 || !isEmptyWork(this.#owned);
    this.#epoch++;
    this.#generation = -1;
    this.#leaderId = '';
    this.#owned = EMPTY_WORK;
    this.#lastAssignment = null;
    this.#clearTimer('heartbeat');
    this.#clearTimer('loss');
    this.#clearTimer('rejoin');
    if (!hadSomething) return;
    this.#logger.warn({ reason, generation: event.generation }, 'group membership lost; giving up all work');
    void this.#emit(() => this.#options.listener?.onMembershipLost?.(event));
    this.requestRejoin('membership lost');
  }

  #kickHeartbeat(): void {
    if (this.#heartbeatInFlight) {
      this.#heartbeatKick = true;
      return;
    }
    this.#scheduleHeartbeat(0);
  }

  #scheduleHeartbeat(ms: number): void {
    this.#clearTimer('heartbeat');
    if (this.#stopped || this.#generation < 0) return;
    this.#heartbeatTimer = this.#timers.setTimeout(() => {
      this.#heartbeatTimer = null;
      void this.#heartbeat();
    }, ms);
  }

  async #heartbeat(): Promise<void> {
    if (this.#stopped || this.#generation < 0 || this.#memberId === '') return;
    const generation = this.#generation;
    const memberId = this.#memberId;
    const groupId = this.#options.groupId;
    const sentAt = this.#clock();
    let code: number | null = null;
    this.#heartbeatInFlight = true;
    this.#heartbeatKick = false;
    try {
      const coordinator = await this.#coordinator();
      const response = await this.#cluster.sendToNode(coordinator, Heartbeat, { groupId, generationId: generation, memberId, groupInstanceId: null },
        { lane: this.#heartbeatLane, timeoutMs: this.#sessionTimeoutMs });
      code = response.errorCode;
    } catch (err) {
      if (err instanceof WireConnectionError) this.#cluster.forgetCoordinator(groupId);
      this.#logger.debug({ err }, 'heartbeat failed');
    } finally {
      this.#heartbeatInFlight = false;
    }
    if (this.#stopped) return;
    const current = generation === this.#generation && memberId === this.#memberId;
    switch (code) {
      case E.NONE:
        if (current) this.#contact(sentAt);
        break;
      case E.REBALANCE_IN_PROGRESS:
        if (memberId === this.#memberId) this.#contact(sentAt);
        if (current && this.#phase !== 'joining') this.requestRejoin('the group is rebalancing');
        break;
      case E.ILLEGAL_GENERATION:
        if (current && this.#phase !== 'joining') this.requestRejoin('heartbeat: stale generation');
        break;
      case E.UNKNOWN_MEMBER_ID:
        if (memberId === this.#memberId && this.#phase !== 'joining') {
          this.#loseMembership('heartbeat: the coordinator no longer knows this member');
          this.#memberId = '';
        }
        break;
      case null:
        break;
      default:
        if (COORDINATOR_MOVED.has(code)) this.#cluster.forgetCoordinator(groupId);
        this.#logger.debug({ code }, 'heartbeat answered with an error');
    }
    const next = code === E.NONE || code === E.REBALANCE_IN_PROGRESS || code === E.ILLEGAL_GENERATION
      ? Math.max(0, sentAt + this.#options.heartbeatIntervalMs - this.#clock())
      : Math.min(this.#cluster.retry.backoffMs, this.#options.heartbeatIntervalMs);
    this.#scheduleHeartbeat(this.#heartbeatKick ? 0 : next);
  }

  // ------------------------------------------------------------------ plumbing

  #scheduleRejoin(ms: number, reason: string): void {
    this.#clearTimer('rejoin');
    if (this.#stopped) return;
    this.#rejoinTimer = this.#timers.setTimeout(() => {
      this.#rejoinTimer = null;
      this.requestRejoin(reason);
    }, ms);
  }

  #clearTimer(which: 'heartbeat' | 'loss' | 'rejoin'): void {
    const handle = which === 'heartbeat' ? this.#heartbeatTimer : which === 'loss' ? this.#lossTimer : this.#rejoinTimer;
    if (handle !== null) this.#timers.clearTimeout(handle);
    if (which === 'heartbeat') this.#heartbeatTimer = null;
    else if (which === 'loss') this.#lossTimer = null;
    else this.#rejoinTimer = null;
  }

  #emit(call: () => void | Promise<void> | undefined): Promise<void> {
    const run = this.#listenerQueue.then(call).catch((err: unknown) => {
      this.#logger.error({ err }, 'group membership listener failed');
    });
    this.#listenerQueue = run;
    return run;
  }

  #wake(): void {
    const wakers = this.#wakers;
    this.#wakers = [];
    for (const w of wakers) w();
  }

  /** Waits `ms`, or until woken (rejoin requested, stop). */
  #sleep(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      let handle: unknown = null;
      const done = () => {
        if (handle !== null) this.#timers.clearTimeout(handle);
        resolve();
      };
      this.#wakers.push(done);
      if (Number.isFinite(ms)) handle = this.#timers.setTimeout(done, ms);
    });
  }
}

function isFatal(err: unknown): boolean {
  return (err instanceof KafkaError && FATAL.has(err.code)) || err instanceof UnsupportedApiError;
}
