/**
 * Kafka's connect-worker-rebalance-metrics group. The group membership calls `started()` when
 * this worker begins (re)joining and `completed()` once it has its assignment; a single
 * worker never rebalances, so its series stay at 0 (`epoch` -1).
 */
import type { Counter, Gauge, MetricsRegistry, Summary } from './metrics-registry.js';

export interface RebalanceOutcome {
  /** The group generation joined (Kafka's `epoch`). */
  readonly generation: number;
  /** The leader's member id (`leader-name`). */
  readonly leader?: string;
  /** The connect protocol in use (`connect-protocol`): `compatible` or `sessioned`. */
  readonly protocol?: string;
}

export class RebalanceMetrics {
  readonly #clock: () => number;
  readonly #wallClock: () => number;
  readonly #completed: Counter;
  readonly #rebalancing: Gauge;
  readonly #epoch: Gauge;
  readonly #time: Summary;
  readonly #lastCompleted: Gauge;
  readonly #info: Gauge;
  #startedAt: number | undefined;

  constructor(registry: MetricsRegistry, wallClock: () => number = Date.now) {
    this.#clock = registry.clock;
    this.#completed = registry.counter({
      name: 'kafka_connect_worker_rebalance_completed_rebalances_total',
      help: 'Rebalances this worker completed (completed-rebalances-total).',
    });
    this.#rebalancing = registry.gauge({
      name: 'kafka_connect_worker_rebalance_rebalancing',
      help: '1 while this worker is rebalancing, else 0 (rebalancing).',
    });
    this.#epoch = registry.gauge({
      name: 'kafka_connect_worker_rebalance_epoch',
      help: 'The group generation of the last completed rebalance; -1 before any (epoch).',
    });
    this.#epoch.set(-1);
    this.#time = registry.summary({
      name: 'kafka_connect_worker_rebalance_seconds',
      help: 'Time rebalances took (rebalance-avg-time-ms, rebalance-max-time-ms).',
    });
    this.#lastCompleted = registry.gauge({
      name: 'kafka_connect_worker_rebalance_last_completed_timestamp_seconds',
      help: 'Unix time the last rebalance completed; 0 before any (time-since-last-rebalance-ms is time() minus this).',
    });
    this.#info = registry.gauge({
      name: 'kafka_connect_worker_rebalance_info',
      help: 'The leader and protocol of the current generation, as labels; the value is always 1 (leader-name, connect-protocol).',
      labelNames: ['leader_name', 'connect_protocol'],
    });
    this.#wallClock = wallClock;
  }

  started(): void {
    this.#startedAt ??= this.#clock();
    this.#rebalancing.set(1);
  }

  completed(outcome: RebalanceOutcome): void {
    if (this.#startedAt !== undefined) this.#time.observe((this.#clock() - this.#startedAt) / 1000);
    this.#startedAt = undefined;
    this.#rebalancing.set(0);
    this.#completed.inc();
    this.#epoch.set(outcome.generation);
    this.#lastCompleted.set(this.#wallClock() / 1000);
    this.#info.removeMatching({});
    if (outcome.leader !== undefined || outcome.protocol !== undefined) {
      this.#info.labels({ leader_name: outcome.leader ?? '', connect_protocol: outcome.protocol ?? '' }).set(1);
    }
  }
}
