/**
 * Joins the worker to its Connect cluster (group.id, protocol type `connect`) and feeds the
 * group's decisions to WorkerControl: revoked work is stopped before the member rejoins,
 * added work is started after the assignment, and a lost membership stops everything at once
 * (zombie safety, see group-membership.ts and docs/distributed-mode.md).
 *
 * `start()` resolves once the first assignment has been applied (a worker alone leads and
 * runs everything), or after `firstAssignmentTimeoutMs` with a warning, so a worker whose
 * broker has no group coordinator yet still serves its REST API.
 *
 * Config offsets, as Kafka Connect's DistributedHerder handles them:
 * - a leader that finds a member ahead of it on the config topic (member metadata
 *   `config-offset`) reads the topic up to that offset before assigning; if it cannot within
 *   worker.sync.timeout.ms every member gets CONFIG_MISMATCH and the group retries;
 * - a member behind the assignment's config offset reads up to it before it starts any of the
 *   assigned work; if it cannot within worker.sync.timeout.ms it starts nothing and rejoins;
 * - after an assignment error the leader, or a member behind the leader, reads the topic to its
 *   end before rejoining.
 *
 * `protocol` is the connect sub-protocol the group chose at the last join (connect.protocol
 * decides what this worker offers); `requestSigningEnabled` is true only under `sessioned`, the
 * one protocol under which workers sign and verify internal requests (KIP-507).
 * `rebalanceInProgress` is true from the moment a rebalance is asked for or under way until this
 * worker applied its assignment: the REST API then answers the requests Kafka Connect refuses
 * with a stale configuration (409).
 */
import type { Logger } from 'pino';
import type { DistributedWorkerConfig } from '../config/worker-config.js';
import type { WorkerControl } from '../control/worker-control.js';
import { ASSIGNMENT_OK, offeredSubProtocols, requestSigningEnabled, type ConnectProtocolMode, type ConnectSubProtocol } from '../control/distributed/connect-protocol.js';
import { SESSION_TIMEOUT_FALLBACKS_MS } from '../control/distributed/distributed-defaults.js';
import { GroupMembership, type AssignmentEvent } from '../control/distributed/group-membership.js';
import { createLeaderAssign } from '../control/distributed/leader-assignment.js';
import { EMPTY_WORK, subtractWork, type WorkSet } from '../control/distributed/work-set.js';
import type { WireCluster } from '../kafka/wire/wire-cluster.js';
import type { RebalanceMetrics } from '../metrics/rebalance-metrics.js';
import type { ConfigStore } from '../stores/config-store.js';

export interface ClusterMembershipOptions {
  readonly cluster: WireCluster;
  readonly config: DistributedWorkerConfig;
  /** Whether session.timeout.ms was set explicitly (then no fallback is tried). */
  readonly sessionTimeoutExplicit: boolean;
  readonly url: string;
  readonly configs: ConfigStore;
  readonly control: () => WorkerControl;
  readonly metrics: RebalanceMetrics;
  readonly logger: Logger;
  readonly firstAssignmentTimeoutMs?: number;
  /** Called after each assignment, once a leader holds the config topic's write privileges (the session key's check). */
  readonly afterAssignment?: () => void | Promise<void>;
}

/**
 * How long a request that meets a rebalance waits for it before it is refused with 409: long
 * enough for an ordinary rebalance (a join/sync round, a few ms to a few hundred), so requests
 * right after a config change do not fail; a rebalance that takes longer (a member slow to
 * rejoin) answers 409 as Kafka Connect's pending-rebalance check does.
 */
export const REBALANCE_WAIT_MS = 1000;

export class ClusterMembership {
  readonly membership: GroupMembership;
  #current: WorkSet = EMPTY_WORK;
  /** A rebalance was asked for, is under way, or its assignment is not applied yet. */
  #resolving = true;
  #lastProtocol: ConnectSubProtocol | null = null;
  /** Callers of settled() waiting for the pending rebalance to be applied. */
  readonly #settledWaiters = new Set<() => void>();
  #first: () => void = () => undefined;
  readonly #firstAssignment = new Promise<void>((resolve) => { this.#first = resolve; });

  constructor(private readonly opts: ClusterMembershipOptions) {
    const { config, configs, logger } = opts;
    const leaderAssign = createLeaderAssign({
      connectors: () => {
        const snap = configs.snapshot();
        return snap.connectors().sort().map((connector) => ({ connector, tasks: snap.taskIds(connector).length }));
      },
      maxDelayMs: config.scheduledRebalanceMaxDelayMs,
      configOffset: () => configs.snapshot().offset,
    });
    this.membership = new GroupMembership({
      cluster: opts.cluster,
      groupId: config.groupId,
      url: opts.url,
      sessionTimeoutMs: config.sessionTimeoutMs,
      ...(opts.sessionTimeoutExplicit ? {} : { sessionTimeoutFallbacksMs: SESSION_TIMEOUT_FALLBACKS_MS }),
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      rebalanceTimeoutMs: config.rebalanceTimeoutMs,
      subProtocols: offeredSubProtocols(String(config.connectProtocol).toLowerCase() as ConnectProtocolMode),
      configOffset: () => configs.snapshot().offset,
      assign: async (round) => {
        const ahead = Math.max(-1, ...round.members.map((m) => m.metadata.configOffset));
        if (configs.snapshot().offset < ahead) {
          logger.info({ leaderConfigOffset: configs.snapshot().offset, memberConfigOffset: ahead },
            'a member is ahead of the leader on the config topic: reading it up to that offset before assigning');
          await this.#readConfigUpTo(ahead);
        }
        // Still behind: the assignor answers every member CONFIG_MISMATCH and the group retries.
        return leaderAssign(round);
      },
      logger,
      listener: {
        onRevoked: async (event) => {
          this.#resolving = true;
          opts.metrics.started();
          this.#current = subtractWork(this.#current, event.revoked);
          await opts.control().setAssignment(this.#current);
        },
        onAssignment: (event) => {
          this.#current = event.assignment;
          this.#noteProtocol(event.protocol);
          opts.metrics.completed({ generation: event.generation, leader: event.leaderId, protocol: event.protocol });
          logger.info({
            generation: event.generation, leader: event.leaderUrl, protocol: event.protocol, connectors: event.assignment.connectors.length,
            tasks: event.assignment.tasks.length, added: event.added.tasks.length, revoked: event.revoked.tasks.length,
          }, 'joined the group with an assignment');
          void this.#resolve(event);
        },
        onMembershipLost: async (event) => {
          this.#resolving = true;
          logger.warn({ reason: event.reason, generation: event.generation }, 'lost the group membership: stopping all work');
          this.#current = EMPTY_WORK;
          await opts.control().dropAll();
          await configs.releaseWritePrivileges().catch((err: unknown) => logger.warn({ err }, 'closing the config topic writer failed'));
        },
        onFatal: (err) => logger.error({ err }, 'the group membership stopped for good; this worker runs nothing'),
      },
    });
  }

  /**
   * With exactly-once source support (preparing or enabled) the leader writes the config topic
   * through its transactional producer (ConfigStore privileged writes): an elected leader claims
   * it before applying the assignment, a follower lets it go. Without a privileged writer both
   * calls only note whether this worker leads.
   */
  async #leadOrFollow(): Promise<void> {
    const { configs, logger } = this.opts;
    if (!this.membership.isLeader) {
      await configs.releaseWritePrivileges().catch((err: unknown) => logger.warn({ err }, 'closing the config topic writer failed'));
      return;
    }
    await configs.claimWritePrivileges().catch((err: unknown) => logger.error({ err },
      'Unable to claim write privileges for config topic after being elected leader during rebalance'));
  }

  /**
   * Brings this worker to the assignment's config offset and starts its work (Kafka Connect's
   * handleRebalanceCompleted); after an assignment error only catches up, as the group retries.
   */
  async #resolve(event: AssignmentEvent): Promise<void> {
    const { configs, logger } = this.opts;
    try {
      if (event.error !== ASSIGNMENT_OK) {
        if (this.membership.isLeader || configs.snapshot().offset < event.configOffset) {
          logger.warn({ configOffset: configs.snapshot().offset, leaderConfigOffset: event.configOffset },
            'the assignment failed and this worker is the leader or behind: reading the config topic to its end before rejoining');
          await this.#readConfigUpTo(event.configOffset);
        }
        return;
      }
      if (configs.snapshot().offset < event.configOffset) {
        logger.warn({ configOffset: configs.snapshot().offset, assignmentConfigOffset: event.configOffset },
          'behind the assignment on the config topic: catching up before starting work');
        if (!await this.#readConfigUpTo(event.configOffset)) {
          logger.warn({ configOffset: configs.snapshot().offset, assignmentConfigOffset: event.configOffset, timeoutMs: this.opts.config.workerSyncTimeoutMs },
            'could not catch up with the config topic in time: starting no work and rejoining');
          this.membership.requestRejoin('behind the assignment on the config topic');
          return;
        }
      }
      await this.#leadOrFollow();
      await this.opts.afterAssignment?.();
      await this.opts.control().setAssignment(this.#current);
      if (this.membership.phase === 'stable' && this.membership.generation === event.generation) {
        this.#resolving = false;
        for (const wake of [...this.#settledWaiters]) wake();
      }
    } catch (err) {
      logger.error({ err }, 'applying the group assignment failed');
    } finally {
      this.#first();
    }
  }

  /** Reads the config topic to its end, bounded by worker.sync.timeout.ms; true once at or past `offset`. */
  async #readConfigUpTo(offset: number): Promise<boolean> {
    const { configs, config, logger } = this.opts;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => { timer = setTimeout(resolve, config.workerSyncTimeoutMs); });
    try {
      await Promise.race([configs.readToEnd(), timedOut]);
    } catch (err) {
      logger.warn({ err }, 'reading the config topic failed');
    } finally {
      clearTimeout(timer);
    }
    return configs.snapshot().offset >= offset;
  }

  #noteProtocol(protocol: ConnectSubProtocol): void {
    const before = this.#lastProtocol;
    this.#lastProtocol = protocol;
    if (before === null || before === protocol) return;
    if (requestSigningEnabled(before) && !requestSigningEnabled(protocol)) {
      this.opts.logger.warn({ before, now: protocol },
        'the group\'s connect protocol was downgraded, so internal request signing is now off; most likely a worker with an older '
        + 'connect.protocol joined the group (set connect.protocol=sessioned on every worker to keep signing)');
    } else {
      this.opts.logger.info({ before, now: protocol }, 'the group\'s connect protocol changed');
    }
  }

  get isLeader(): boolean {
    return this.membership.isLeader;
  }

  /** The connect sub-protocol the group uses (`default` = eager, `compatible`, `sessioned`); null before the first join. */
  get protocol(): ConnectSubProtocol | null {
    return this.membership.protocol;
  }

  /** True while the group uses `sessioned`: internal requests (POST /connectors/{c}/tasks, PUT .../fence) are signed and verified. */
  get requestSigningEnabled(): boolean {
    return requestSigningEnabled(this.membership.protocol);
  }

  /** A rebalance was asked for or is under way and this worker has not applied its outcome yet. */
  get rebalanceInProgress(): boolean {
    const phase = this.membership.phase;
    return this.#resolving || phase === 'joining' || phase === 'syncing' || phase === 'idle';
  }

  /**
   * Resolves true at once when no rebalance is pending, else as soon as this worker applied the
   * pending rebalance's assignment; false when one is still pending after `waitMs` (then the
   * REST API answers 409, as Kafka Connect does for requests that meet a pending rebalance).
   */
  async settled(waitMs = REBALANCE_WAIT_MS): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    // A later rebalance can start right after one settles: wait until none is pending, or the time is up.
    while (this.rebalanceInProgress) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.#settledWaiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, left);
        this.#settledWaiters.add(done);
      });
    }
    return true;
  }

  /** The leader's REST URL, or null while unknown (rebalancing). */
  get leaderUrl(): string | null {
    return this.membership.leaderUrl || null;
  }

  get generation(): number {
    return Math.max(0, this.membership.generation);
  }

  async start(): Promise<void> {
    this.opts.metrics.started();
    this.membership.start();
    const timeoutMs = this.opts.firstAssignmentTimeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(true), timeoutMs); });
    const late = await Promise.race([this.#firstAssignment.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) this.opts.logger.warn({ timeoutMs }, 'no group assignment yet; the worker keeps trying');
  }

  requestRejoin(reason: string): void {
    this.#resolving = true;
    this.membership.requestRejoin(reason);
  }

  /** Leaves the group (LeaveGroup): call after the work stopped. */
  stop(): Promise<void> {
    return this.membership.stop();
  }
}
