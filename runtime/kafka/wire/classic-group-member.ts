/**
 * A member of a group on Kafka's classic group protocol (FindCoordinator, JoinGroup,
 * SyncGroup, Heartbeat, LeaveGroup) over the wire client. What the member offers, how the
 * leader assigns and what an assignment means belong to a GroupProtocolHandler: Connect's
 * worker protocol (runtime/control/distributed/group-membership.ts) and the consumer protocol
 * of sink tasks (wire-sink-consumer.ts) both run on this one engine.
 *
 * One async loop runs the rounds (before-join → join → leader assigns → sync → apply) one at a
 * time; a heartbeat timer and a session-loss timer run beside it. Requests that park on the
 * coordinator (JoinGroup, SyncGroup) use their own connection (lane), heartbeats another, so a
 * parked join never delays a heartbeat.
 *
 * Listener calls the handler makes through `enqueue` run one at a time, in order; stop()
 * waits for them.
 *
 * Zombie safety. The coordinator drops a member session.timeout.ms after the last request of
 * that member it accepted. This member measures from the *send* time of its last request that
 * the coordinator accepted (a heartbeat answered 0 or REBALANCE_IN_PROGRESS, a successful join
 * or sync), so its own deadline never falls after the coordinator's; it declares the membership
 * lost `lossMarginMs` before that deadline and tells the handler (membershipLost), after which
 * it owns nothing and rejoins. UNKNOWN_MEMBER_ID from the coordinator means the same.
 * Heartbeats keep going while a JoinGroup is parked (the coordinator answers
 * REBALANCE_IN_PROGRESS and refreshes the session), so a long rebalance does not count as a
 * lost session. A round during which the membership was lost is abandoned and redone, so a
 * leader never plans with an allocation this member no longer runs.
 *
 * Stopping: stop the work first, then call stop(), which sends LeaveGroup so the group
 * rebalances at once. kill() drops everything without LeaveGroup (what a crash looks like).
 */
import type { Logger } from 'pino';
import { Heartbeat } from '../../../broker/protocol/apis/heartbeat.js';
import { JoinGroup } from '../../../broker/protocol/apis/join-group.js';
import { LeaveGroup } from '../../../broker/protocol/apis/leave-group.js';
import { SyncGroup } from '../../../broker/protocol/apis/sync-group.js';
import { systemTimers, type Timers } from '../../../broker/groups/timers.js';
import { ERR as E } from '../../../broker/protocol/error-codes.js';
import { KafkaError, UnsupportedApiError, WireConnectionError } from './kafka-error.js';
import type { WireCluster } from './wire-cluster.js';

/** Injectable timers (a fake clock in tests); by default Node's, unref'd, as the broker's group coordinator uses. */
export type MembershipTimers = Timers;

export type MembershipPhase = 'idle' | 'joining' | 'syncing' | 'stable' | 'stopped';

/** The round a handler assigns or applies for; check() throws if the round was abandoned since. */
export interface GroupRound {
  readonly generation: number;
  readonly memberId: string;
  readonly leaderId: string;
  /** The protocol the coordinator chose. */
  readonly protocol: string;
  /** Throws (ending the round, which is redone) once the membership was lost or the member stopped. */
  check(): void;
  /** The member holds its assignment now (phase 'stable'); listeners that follow see it so. */
  settle(): void;
}

export interface MembershipLoss {
  /** The generation the member belonged to. */
  readonly generation: number;
  readonly memberId: string;
  readonly reason: string;
}

export interface GroupProtocolHandler {
  /** JoinGroup protocol type: `connect`, `consumer`. */
  readonly protocolType: string;
  /** JoinGroup protocols, most preferred first; read at every join. */
  joinProtocols(): { name: string; metadata: Buffer }[];
  /** Runs before each JoinGroup while the member may still belong to its last generation (eager protocols give their work up here). */
  beforeJoin?(): Promise<void>;
  /** The leader's assignments: one per member of the round. */
  assign(round: GroupRound, members: readonly { memberId: string; metadata: Buffer }[]): Promise<{ memberId: string; assignment: Buffer }[]>;
  /** Applies this member's assignment from SyncGroup; calls round.settle() once it holds it. */
  apply(round: GroupRound, assignment: Buffer): Promise<void>;
  /** True while the member holds work the group could hand to someone else. */
  holdsWork(): boolean;
  /** The membership is gone: give up everything at once (bookkeeping now; listener calls through enqueue). */
  membershipLost(loss: MembershipLoss): void;
  /** The membership stopped for good (e.g. INCONSISTENT_GROUP_PROTOCOL, GROUP_AUTHORIZATION_FAILED). */
  fatal?(error: Error): void;
}

export interface ClassicGroupMemberOptions {
  readonly cluster: WireCluster;
  /** group.id */
  readonly groupId: string;
  readonly handler: GroupProtocolHandler;
  /** session.timeout.ms */
  readonly sessionTimeoutMs: number;
  /**
   * Session timeouts to try, in order, when the coordinator rejects sessionTimeoutMs with
   * INVALID_SESSION_TIMEOUT (outside its group.min/max.session.timeout.ms).
   */
  readonly sessionTimeoutFallbacksMs?: readonly number[];
  /** heartbeat.interval.ms */
  readonly heartbeatIntervalMs: number;
  /** rebalance.timeout.ms (max.poll.interval.ms for consumers) */
  readonly rebalanceTimeoutMs: number;
  /** How long before the session could expire the member gives up its work (default min(heartbeat, session/3)). */
  readonly lossMarginMs?: number;
  /** Names the member's two connections (lanes) in logs: `${lanePrefix}-join#n`, `${lanePrefix}-heartbeat#n`. */
  readonly lanePrefix: string;
  readonly logger?: Logger;
  readonly clock?: () => number;
  readonly timers?: MembershipTimers;
}

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

export class ClassicGroupMember {
  readonly #cluster: WireCluster;
  readonly #options: ClassicGroupMemberOptions;
  readonly #handler: GroupProtocolHandler;
  readonly #logger: Logger;
  readonly #clock: () => number;
  readonly #timers: MembershipTimers;
  readonly #joinLane: string;
  readonly #heartbeatLane: string;
  readonly #sessionFallbacks: number[];
  #sessionTimeoutMs: number;

  #phase: MembershipPhase = 'idle';
  #stopped = false;
  #memberId = '';
  #generation = -1;
  #leaderId = '';
  #protocol: string | null = null;
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

  constructor(options: ClassicGroupMemberOptions) {
    if (options.heartbeatIntervalMs <= 0 || options.sessionTimeoutMs <= 0) throw new Error('session and heartbeat intervals must be positive');
    this.#cluster = options.cluster;
    this.#options = options;
    this.#handler = options.handler;
    this.#logger = (options.logger ?? options.cluster.logger).child({ groupId: options.groupId });
    this.#clock = options.clock ?? Date.now;
    this.#timers = options.timers ?? systemTimers;
    this.#sessionTimeoutMs = options.sessionTimeoutMs;
    this.#sessionFallbacks = [...(options.sessionTimeoutFallbacksMs ?? [])];
    const seq = ++laneSeq;
    this.#joinLane = `${options.lanePrefix}-join#${seq}`;
    this.#heartbeatLane = `${options.lanePrefix}-heartbeat#${seq}`;
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

  /** The protocol the coordinator chose at the last join (null before one). */
  get protocol(): string | null {
    return this.#protocol;
  }

  /** The session timeout in use (after any fallback). */
  get sessionTimeoutMs(): number {
    return this.#sessionTimeoutMs;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /**
   * True while this member safely belongs to a generation: the coordinator cannot have dropped
   * it yet. Work with side effects (status writes, commits) can check this synchronously.
   */
  isActive(): boolean {
    return !this.#stopped && this.#generation >= 0 && this.#clock() < this.#lossDeadline();
  }

  /** Starts joining. */
  start(): void {
    if (this.#loop || this.#stopped) return;
    this.#loop = this.#run();
  }

  /** Asks for a rebalance (e.g. the subscription or the work to share changed). */
  requestRejoin(reason = 'requested'): void {
    if (this.#stopped) return;
    this.#logger.debug({ reason }, 'rejoin requested');
    this.#rejoinNeeded = true;
    this.#wake();
  }

  /** Rejoins after `ms` (a rebalance the leader scheduled, or after an assignment error). */
  scheduleRejoin(ms: number, reason: string): void {
    this.#clearTimer('rejoin');
    if (this.#stopped) return;
    this.#rejoinTimer = this.#timers.setTimeout(() => {
      this.#rejoinTimer = null;
      this.requestRejoin(reason);
    }, ms);
  }

  /** Runs a listener call after the earlier ones; a failing call is logged, never thrown. */
  enqueue(call: () => void | Promise<void> | undefined): Promise<void> {
    const run = this.#listenerQueue.then(call).catch((err: unknown) => {
      this.#logger.error({ err }, 'group membership listener failed');
    });
    this.#listenerQueue = run;
    return run;
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
    if (this.#handler.beforeJoin) {
      await this.#handler.beforeJoin();
      if (this.#stopped) throw new RejoinNow();
    }
    this.#phase = 'joining';
    const epoch = this.#epoch;
    const groupId = this.#options.groupId;
    const coordinator = await this.#coordinator();
    const parked = { lane: this.#joinLane, timeoutMs: this.#options.rebalanceTimeoutMs + PARKED_REQUEST_LAPSE_MS };
    const protocols = this.#handler.joinProtocols();
    if (protocols.length === 0) throw new Error('a group member must offer at least one protocol');

    const joinSentAt = this.#clock();
    const join = await this.#cluster.sendToNode(coordinator, JoinGroup, {
      groupId,
      sessionTimeoutMs: this.#sessionTimeoutMs,
      rebalanceTimeoutMs: this.#options.rebalanceTimeoutMs,
      memberId: this.#memberId,
      groupInstanceId: null,
      protocolType: this.#handler.protocolType,
      protocols,
    }, parked);
    this.#checkRound(epoch);
    this.#onGroupError(join.errorCode, 'JoinGroup', join.memberId);

    const protocol = join.protocolName;
    if (protocol === null || !protocols.some((p) => p.name === protocol)) {
      throw new KafkaError(E.INCONSISTENT_GROUP_PROTOCOL, `JoinGroup for group ${groupId}`, `coordinator chose protocol ${protocol}`);
    }
    this.#memberId = join.memberId;
    this.#generation = join.generationId;
    this.#leaderId = join.leader;
    this.#protocol = protocol;
    this.#phase = 'syncing';
    this.#contact(joinSentAt);
    this.#kickHeartbeat();
    this.#logger.debug({ generation: this.#generation, memberId: this.#memberId, leader: this.#leaderId, protocol }, 'joined group');

    const round: GroupRound = {
      generation: this.#generation,
      memberId: this.#memberId,
      leaderId: this.#leaderId,
      protocol,
      check: () => this.#checkRound(epoch),
      settle: () => {
        this.#checkRound(epoch);
        this.#phase = 'stable';
      },
    };
    const assignments = this.isLeader ? await this.#handler.assign(round, join.members) : [];
    this.#checkRound(epoch);

    const syncSentAt = this.#clock();
    const sync = await this.#cluster.sendToNode(coordinator, SyncGroup, {
      groupId,
      generationId: this.#generation,
      memberId: this.#memberId,
      groupInstanceId: null,
      protocolType: this.#handler.protocolType,
      protocolName: protocol,
      assignments,
    }, parked);
    this.#checkRound(epoch);
    this.#onGroupError(sync.errorCode, 'SyncGroup');
    this.#contact(syncSentAt);
    await this.#handler.apply(round, Buffer.from(sync.assignment));
    this.#phase = 'stable';
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

  async #fail(error: Error): Promise<void> {
    this.#logger.error({ err: error }, 'group membership failed');
    if (this.#generation >= 0 || this.#handler.holdsWork()) this.#loseMembership(`membership failed: ${error.message}`);
    this.#halt();
    await this.#listenerQueue;
    this.#handler.fatal?.(error);
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
      // A member that holds nothing and is mid-round has nothing to give up: a long-parked first
      // JoinGroup lands here, and the round's SyncGroup tells whether it is still a member.
      if (this.#phase !== 'stable' && !this.#handler.holdsWork()) return;
      this.#loseMembership('no heartbeat was answered within the session timeout');
    }, wait);
  }

  /** This member may have been dropped: it gives up all work at once and rejoins. */
  #loseMembership(reason: string): void {
    const loss: MembershipLoss = { generation: this.#generation, memberId: this.#memberId, reason };
    const hadSomething = this.#generation >= 0 || this.#handler.holdsWork();
    this.#epoch++;
    this.#generation = -1;
    this.#leaderId = '';
    this.#clearTimer('heartbeat');
    this.#clearTimer('loss');
    this.#clearTimer('rejoin');
    if (!hadSomething) return;
    this.#logger.warn({ reason, generation: loss.generation }, 'group membership lost; giving up all work');
    this.#handler.membershipLost(loss);
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

  #clearTimer(which: 'heartbeat' | 'loss' | 'rejoin'): void {
    const handle = which === 'heartbeat' ? this.#heartbeatTimer : which === 'loss' ? this.#lossTimer : this.#rejoinTimer;
    if (handle !== null) this.#timers.clearTimeout(handle);
    if (which === 'heartbeat') this.#heartbeatTimer = null;
    else if (which === 'loss') this.#lossTimer = null;
    else this.#rejoinTimer = null;
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
