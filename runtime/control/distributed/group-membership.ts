/**
 * A worker's membership in its Connect cluster: Kafka's classic group protocol with protocol
 * type `connect` (connect-protocol.ts). The group mechanics (rounds,
 * heartbeats, session-loss detection, LeaveGroup) are the shared engine in
 * runtime/kafka/wire/classic-group-member.ts; this module is what `connect` adds: member
 * metadata (URL, config offset, current allocation), the leader's plans, and revocations.
 *
 * Listener calls are made one at a time, in order (a queue): onRevoked, onAssignment,
 * onMembershipLost. Listeners should return promptly, except onRevoked, whose promise must
 * settle only once the revoked work has stopped: the member rejoins (and so lets the leader
 * hand that work to someone else) only after it settles.
 *
 * Zombie safety is the engine's (see its header): this member declares its membership lost
 * before the coordinator can have dropped it, and calls onMembershipLost, after which it owns
 * nothing and rejoins. A round during which the membership was lost is abandoned and redone,
 * so the leader never plans with an allocation this member no longer runs.
 *
 * Stopping: stop the work first, then call stop(), which sends LeaveGroup so the group
 * rebalances at once. kill() drops everything without LeaveGroup (what a crash looks like).
 *
 * Protocols: the member offers its sub-protocols (connect.protocol) and the coordinator picks
 * one every member offers. Under `compatible`/`sessioned` rebalancing is incremental: work is
 * revoked explicitly by the leader. Under `default` (eager, chosen as soon as one member offers
 * nothing else) the member gives up all its work before every JoinGroup (onRevoked with
 * everything, before the round starts) and each assignment is the member's complete work, as in
 * Kafka Connect. `protocol` tells which one the group uses now; request signing between workers
 * is only in force under `sessioned` (requestSigningEnabled in connect-protocol.ts).
 * Switching to eager: in the first eager round after incremental ones the members did not give
 * up their work before joining, and V0 metadata does not say what they run, so a leader whose
 * last round was not eager hands out nothing (every member stops everything it ran) and rejoins
 * at once; the next round, eager from the start, hands the work out. No unit ever runs twice.
 */
import type { Logger } from 'pino';
import {
  ClassicGroupMember, type GroupProtocolHandler, type GroupRound, type MembershipLoss, type MembershipPhase, type MembershipTimers,
} from '../../kafka/wire/classic-group-member.js';
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

export type { MembershipPhase, MembershipTimers } from '../../kafka/wire/classic-group-member.js';

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
  /** JoinGroup protocols, most preferred first (default FERRY_SUB_PROTOCOLS: sessioned, compatible, default). */
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

export class GroupMembership {
  readonly #member: ClassicGroupMember;
  readonly #cluster: WireCluster;
  readonly #options: GroupMembershipOptions;
  readonly #logger: Logger;
  readonly #protocols: readonly ConnectSubProtocol[];
  #owned: WorkSet = EMPTY_WORK;
  #lastAssignment: ConnectAssignment | null = null;
  /** The protocol of the last assignment applied (null before one, or after the membership was lost). */
  #appliedProtocol: ConnectSubProtocol | null = null;

  constructor(options: GroupMembershipOptions) {
    const protocols = options.subProtocols ?? FERRY_SUB_PROTOCOLS;
    if (protocols.length === 0) throw new Error('at least one connect sub-protocol is needed');
    this.#cluster = options.cluster;
    this.#options = options;
    this.#protocols = protocols;
    this.#logger = (options.logger ?? options.cluster.logger).child({ groupId: options.groupId });
    const handler: GroupProtocolHandler = {
      protocolType: CONNECT_PROTOCOL_TYPE,
      joinProtocols: () => this.#joinProtocols(),
      beforeJoin: () => this.#revokeAllIfEager(),
      assign: (round, members) => this.#leaderAssignments(round, members),
      apply: (round, assignment) => this.#apply(round, assignment),
      holdsWork: () => !isEmptyWork(this.#owned),
      membershipLost: (loss) => this.#lost(loss),
      fatal: (error) => options.listener?.onFatal?.(error),
    };
    this.#member = new ClassicGroupMember({
      cluster: options.cluster,
      groupId: options.groupId,
      handler,
      sessionTimeoutMs: options.sessionTimeoutMs,
      ...(options.sessionTimeoutFallbacksMs ? { sessionTimeoutFallbacksMs: options.sessionTimeoutFallbacksMs } : {}),
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      rebalanceTimeoutMs: options.rebalanceTimeoutMs,
      ...(options.lossMarginMs !== undefined ? { lossMarginMs: options.lossMarginMs } : {}),
      lanePrefix: 'connect-group',
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.timers ? { timers: options.timers } : {}),
    });
  }

  get phase(): MembershipPhase {
    return this.#member.phase;
  }

  /** '' until the coordinator gave one. */
  get memberId(): string {
    return this.#member.memberId;
  }

  /** The generation this member belongs to; -1 when it belongs to none. */
  get generation(): number {
    return this.#member.generation;
  }

  get leaderId(): string {
    return this.#member.leaderId;
  }

  get isLeader(): boolean {
    return this.#member.isLeader;
  }

  /** The leader's advertised URL from the last assignment ('' before one). */
  get leaderUrl(): string {
    return this.#lastAssignment?.leaderUrl ?? '';
  }

  /** The sub-protocol the coordinator chose at the last join (null before one). */
  get protocol(): ConnectSubProtocol | null {
    return this.#member.protocol as ConnectSubProtocol | null;
  }

  /** What this member offers in JoinGroup, most preferred first. */
  get offeredProtocols(): readonly ConnectSubProtocol[] {
    return this.#protocols;
  }

  /** The session timeout in use (after any fallback). */
  get sessionTimeoutMs(): number {
    return this.#member.sessionTimeoutMs;
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
    return this.#member.isActive();
  }

  /** Starts joining; events arrive through the listener. */
  start(): void {
    this.#member.start();
  }

  /** Asks for a rebalance (e.g. the leader saw connectors or task configs change). */
  requestRejoin(reason = 'requested'): void {
    this.#member.requestRejoin(reason);
  }

  /** Leaves the group (LeaveGroup) and stops. Stop the work first: the group reassigns it at once. */
  stop(): Promise<void> {
    return this.#member.stop();
  }

  /** Stops at once without LeaveGroup and without listener calls: to the group, a crash. */
  kill(): void {
    this.#member.kill();
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

  /**
   * Eager rebalancing (the last round chose `default`): everything is given up before joining,
   * as Kafka Connect's onJoinPrepare does, since the next assignment starts from scratch.
   */
  async #revokeAllIfEager(): Promise<void> {
    if (this.#member.protocol !== 'default' || isEmptyWork(this.#owned)) return;
    const revoked = this.#owned;
    await this.#member.enqueue(() => this.#options.listener?.onRevoked?.({
      generation: this.#member.generation, memberId: this.#member.memberId, leaderId: this.#member.leaderId, revoked,
    }));
    this.#owned = subtractWork(this.#owned, revoked);
  }

  #allocation(): ConnectAssignment | null {
    const last = this.#lastAssignment;
    if (!last) return null;
    return { ...last, error: ASSIGNMENT_OK, assigned: this.#owned, revoked: EMPTY_WORK, delay: 0 };
  }

  async #leaderAssignments(round: GroupRound, members: readonly { memberId: string; metadata: Buffer }[]): Promise<{ memberId: string; assignment: Buffer }[]> {
    const protocol = round.protocol as ConnectSubProtocol;
    const version = subProtocolVersion(protocol)!;
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
      if (protocol === 'default' && this.#appliedProtocol !== 'default') {
        this.#logger.info('the group switched to eager rebalancing: this round hands out nothing so every member gives up its work first');
        plans = new Map();
      } else {
        plans = await this.#options.assign({ generation: round.generation, leaderId: round.memberId, protocol, members: decoded });
      }
    } catch (err) {
      this.#logger.error({ err }, 'the leader could not compute assignments; every member gets an assignment error');
    }
    const configOffset = this.#options.configOffset();
    return decoded.map(({ memberId }) => {
      const plan = plans ? plans.get(memberId) : undefined;
      if (plans && plans.size > 0 && !plan) this.#logger.warn({ member: memberId }, 'no plan for member; it gets nothing this round');
      return {
        memberId,
        assignment: encodeAssignment({
          version,
          error: plans ? (plan?.error ?? ASSIGNMENT_OK) : CONFIG_MISMATCH,
          leader: round.memberId,
          leaderUrl: this.#options.url,
          configOffset,
          assigned: plan?.assigned ?? EMPTY_WORK,
          revoked: plan?.revoked ?? EMPTY_WORK,
          delay: plan?.delay ?? 0,
        }),
      };
    });
  }

  async #apply(round: GroupRound, bytes: Buffer): Promise<void> {
    let assignment: ConnectAssignment;
    try {
      assignment = decodeAssignment(bytes);
    } catch (err) {
      throw new Error(`undecodable connect assignment from the leader (${bytes.length} bytes): ${(err as Error).message}`, { cause: err });
    }
    const base = { generation: round.generation, memberId: round.memberId, leaderId: round.leaderId };
    const protocol = round.protocol as ConnectSubProtocol;
    if (assignment.error !== ASSIGNMENT_OK) {
      round.settle();
      this.#logger.warn({ error: assignment.error, leaderConfigOffset: assignment.configOffset }, 'the leader sent an assignment error; rejoining later');
      await this.#member.enqueue(() => this.#options.listener?.onAssignment?.({
        ...base, leaderUrl: assignment.leaderUrl, protocol, error: assignment.error,
        configOffset: assignment.configOffset, assignment: this.#owned, added: EMPTY_WORK, revoked: EMPTY_WORK, delay: 0,
      }));
      this.#member.scheduleRejoin(this.#options.errorBackoffMs ?? this.#cluster.retry.maxBackoffMs, 'assignment error');
      return;
    }
    // Eager: the assignment is the complete work; whatever else is still held is revoked.
    const eager = protocol === 'default';
    const revoked = eager ? subtractWork(this.#owned, assignment.assigned) : intersectWork(assignment.revoked, this.#owned);
    if (!isEmptyWork(revoked)) {
      await this.#member.enqueue(() => this.#options.listener?.onRevoked?.({ ...base, revoked }));
      this.#owned = subtractWork(this.#owned, revoked);
    }
    round.check();
    const before = this.#owned;
    this.#owned = eager ? assignment.assigned : unionWork(this.#owned, assignment.assigned);
    this.#lastAssignment = assignment;
    const switchedToEager = eager && this.#appliedProtocol !== 'default' && round.leaderId === round.memberId;
    this.#appliedProtocol = protocol;
    round.settle();
    const event: AssignmentEvent = {
      ...base,
      leaderUrl: assignment.leaderUrl,
      protocol,
      error: ASSIGNMENT_OK,
      configOffset: assignment.configOffset,
      assignment: this.#owned,
      added: eager ? subtractWork(assignment.assigned, before) : assignment.assigned,
      revoked,
      delay: assignment.delay,
    };
    this.#logger.debug({ generation: event.generation, added: event.added, revoked, delay: event.delay }, 'assignment received');
    await this.#member.enqueue(() => this.#options.listener?.onAssignment?.(event));
    if (switchedToEager) this.#member.requestRejoin('the group switched to eager rebalancing');
    else if (!eager && !isEmptyWork(assignment.revoked)) this.#member.requestRejoin('the leader revoked work');
    else if (assignment.delay > 0) this.#member.scheduleRejoin(assignment.delay, 'scheduled rebalance');
  }

  /** The engine found the membership gone: everything this member ran is lost at once. */
  #lost(loss: MembershipLoss): void {
    const event: MembershipLostEvent = { ...loss, lost: this.#owned };
    this.#owned = EMPTY_WORK;
    this.#lastAssignment = null;
    this.#appliedProtocol = null;
    void this.#member.enqueue(() => this.#options.listener?.onMembershipLost?.(event));
  }
}
