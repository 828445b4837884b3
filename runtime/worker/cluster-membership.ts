/**
 * Joins the worker to its Connect cluster (group.id, protocol type `connect`) and feeds the
 * group's decisions to WorkerControl: revoked work is stopped before the member rejoins,
 * added work is started after the assignment, and a lost membership stops everything at once
 * (zombie safety, see group-membership.ts and docs/distributed-mode.md).
 *
 * `start()` resolves once the first assignment has been applied (a worker alone leads and
 * runs everything), or after `firstAssignmentTimeoutMs` with a warning, so a worker whose
 * broker has no group coordinator yet still serves its REST API.
 */
import type { Logger } from 'pino';
import type { DistributedWorkerConfig } from '../config/worker-config.js';
import type { WorkerControl } from '../control/worker-control.js';
import { SESSION_TIMEOUT_FALLBACKS_MS } from '../control/distributed/distributed-defaults.js';
import { GroupMembership } from '../control/distributed/group-membership.js';
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

export class ClusterMembership {
  readonly membership: GroupMembership;
  #current: WorkSet = EMPTY_WORK;
  #first: () => void = () => undefined;
  readonly #firstAssignment = new Promise<void>((resolve) => { this.#first = resolve; });

  constructor(private readonly opts: ClusterMembershipOptions) {
    const { config, configs, logger } = opts;
    this.membership = new GroupMembership({
      cluster: opts.cluster,
      groupId: config.groupId,
      url: opts.url,
      sessionTimeoutMs: config.sessionTimeoutMs,
      ...(opts.sessionTimeoutExplicit ? {} : { sessionTimeoutFallbacksMs: SESSION_TIMEOUT_FALLBACKS_MS }),
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      rebalanceTimeoutMs: config.rebalanceTimeoutMs,
      configOffset: () => configs.snapshot().offset,
      assign: createLeaderAssign({
        connectors: () => {
          const snap = configs.snapshot();
          return snap.connectors().sort().map((connector) => ({ connector, tasks: snap.taskIds(connector).length }));
        },
        maxDelayMs: config.scheduledRebalanceMaxDelayMs,
      }),
      logger,
      listener: {
        onRevoked: async (event) => {
          opts.metrics.started();
          this.#current = subtractWork(this.#current, event.revoked);
          await opts.control().setAssignment(this.#current);
        },
        onAssignment: (event) => {
          this.#current = event.assignment;
          opts.metrics.completed({ generation: event.generation, leader: event.leaderId, protocol: event.protocol });
          logger.info({
            generation: event.generation, leader: event.leaderUrl, connectors: event.assignment.connectors.length,
            tasks: event.assignment.tasks.length, added: event.added.tasks.length, revoked: event.revoked.tasks.length,
          }, 'joined the group with an assignment');
          void this.#leadOrFollow()
            .then(() => opts.afterAssignment?.())
            .then(() => opts.control().setAssignment(this.#current)).then(() => this.#first());
        },
        onMembershipLost: async (event) => {
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

  get isLeader(): boolean {
    return this.membership.isLeader;
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
    this.membership.requestRejoin(reason);
  }

  /** Leaves the group (LeaveGroup): call after the work stopped. */
  stop(): Promise<void> {
    return this.membership.stop();
  }
}
