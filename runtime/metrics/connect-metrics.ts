/**
 * A Connect worker's metrics: Kafka Connect's JMX groups (connect-worker-metrics,
 * connect-worker-rebalance-metrics, connector-metrics, connector-task-metrics,
 * source-task-metrics, sink-task-metrics, task-error-metrics) as Prometheus families, plus
 * process figures. docs/metrics.md maps every name to Kafka's.
 *
 * Sources: task counters come from the recorders handed to runners (`task()`), removed when
 * the runner stops; statuses come from the status store at scrape time, limited to the
 * statuses this worker wrote, so a deleted connector's or task's series vanish with its
 * status and a cluster's workers never report the same instance twice.
 */
import type { TaskErrorMetrics } from '../pipeline/error-handling/error-metrics.js';
import type { TaskId } from '../stores/task-id.js';
import type { Labels, MetricFamily, MetricSample } from './metric-family.js';
import { MetricsRegistry, summaryFamilies, type Counter } from './metrics-registry.js';
import { processMetrics, type ProcessMetrics } from './process-metrics.js';
import { RebalanceMetrics } from './rebalance-metrics.js';
import type { SummaryStat } from './summary-stat.js';
import { TaskMetrics, type TaskKind, type TaskMetricsFactory } from './task-metrics.js';

/** The status store's reads the metrics need. */
export interface StatusView {
  connectors(): string[];
  get(connector: string): { readonly state: string; readonly workerId: string } | undefined;
  listForConnector(connector: string): readonly { readonly task: number; readonly state: string; readonly workerId: string }[];
}

export interface ConnectorDescription {
  /** As configured in `connector.class`. */
  readonly className: string;
  readonly type: string;
  readonly version: string;
}

export interface WorkerMetricsSources {
  /** Statuses written with this id are this worker's. */
  readonly workerId: string;
  readonly statuses: StatusView;
  /** Connectors this worker runs. */
  connectorNames(): readonly string[];
  describeConnector?(name: string): ConnectorDescription | undefined;
}

export interface ConnectMetricsOptions {
  /** A new registry when absent. */
  readonly registry?: MetricsRegistry;
  /** process_* and nodejs_* families; on when absent. */
  readonly processMetrics?: boolean;
  /** Exposed as kafka_connect_app_info labels. */
  readonly appInfo?: { readonly version: string; readonly commitId: string };
}

/** Kafka's status values as its JMX `status` attributes spell them; every one gets a 1/0 series. */
export const STATUS_STATES = ['unassigned', 'running', 'paused', 'stopped', 'failed', 'restarting'] as const;

/** Kafka's per-connector task counts (connector-<state>-task-count); `destroyed` is never stored, so it stays 0. */
const TASK_COUNT_STATES = ['running', 'paused', 'failed', 'unassigned', 'destroyed', 'restarting'] as const;

const ERROR_COUNTERS: readonly (readonly [Exclude<keyof TaskErrorMetrics, 'last-error-timestamp'>, string, string])[] = [
  ['total-record-failures', 'kafka_connect_task_error_total_record_failures', 'Failed attempts to process a record, retries included (total-record-failures).'],
  ['total-record-errors', 'kafka_connect_task_error_total_record_errors', 'Records that failed for good (total-record-errors).'],
  ['total-records-skipped', 'kafka_connect_task_error_total_records_skipped', 'Records skipped under errors.tolerance=all (total-records-skipped).'],
  ['total-retries', 'kafka_connect_task_error_total_retries', 'Retries after a retriable failure (total-retries).'],
  ['total-errors-logged', 'kafka_connect_task_error_total_errors_logged', 'Errors written to the log (total-errors-logged).'],
  ['deadletterqueue-produce-requests', 'kafka_connect_task_error_deadletterqueue_produce_requests', 'Records sent to the dead letter queue (deadletterqueue-produce-requests).'],
  ['deadletterqueue-produce-failures', 'kafka_connect_task_error_deadletterqueue_produce_failures', 'Dead letter queue sends that failed (deadletterqueue-produce-failures).'],
];

const NO_ERRORS: TaskErrorMetrics = Object.freeze({
  'total-record-failures': 0,
  'total-record-errors': 0,
  'total-records-skipped': 0,
  'total-retries': 0,
  'total-errors-logged': 0,
  'deadletterqueue-produce-requests': 0,
  'deadletterqueue-produce-failures': 0,
  'last-error-timestamp': 0,
});

const MS = 0.001;

export class ConnectMetrics implements TaskMetricsFactory {
  readonly registry: MetricsRegistry;
  readonly rebalance: RebalanceMetrics;
  readonly #tasks = new Map<string, TaskMetrics>();
  readonly #startup: { startAttempted(): void; startSucceeded(): void; startFailed(): void };
  readonly #process: ProcessMetrics | undefined;
  #sources: WorkerMetricsSources | undefined;

  constructor(options: ConnectMetricsOptions = {}) {
    const registry = options.registry ?? new MetricsRegistry();
    this.registry = registry;
    if (options.appInfo !== undefined) {
      registry.gauge({
        name: 'kafka_connect_app_info',
        help: 'The worker\'s version, as labels; the value is always 1 (app-info version, commit-id).',
        labelNames: ['version', 'commit_id'],
      }).labels({ version: options.appInfo.version, commit_id: options.appInfo.commitId }).set(1);
    }
    const startupCounter = (outcome: string, help: string): Counter =>
      registry.counter({ name: `kafka_connect_worker_task_startup_${outcome}_total`, help });
    const attempts = startupCounter('attempts', 'Task starts this worker attempted (task-startup-attempts-total).');
    const successes = startupCounter('success', 'Task starts that succeeded (task-startup-success-total).');
    const failures = startupCounter('failure', 'Task starts that failed (task-startup-failure-total).');
    this.#startup = {
      startAttempted: () => attempts.inc(),
      startSucceeded: () => successes.inc(),
      startFailed: () => failures.inc(),
    };
    this.rebalance = new RebalanceMetrics(registry);
    registry.addCollector(() => this.#collect());
    if (options.processMetrics !== false) {
      this.#process = processMetrics();
      registry.addCollector(this.#process.collect);
    }
  }

  /** Connects the status- and worker-derived families; until then they have no samples. */
  bindWorker(sources: WorkerMetricsSources): void {
    this.#sources = sources;
  }

  /** A new recorder for a task's runner; it replaces an older one of the same task. */
  task(id: TaskId, kind: TaskKind): TaskMetrics {
    const key = `${id.connector}\u0000${id.task}`;
    const metrics = new TaskMetrics({ connector: id.connector, task: id.task }, kind, {
      clock: this.registry.clock,
      maxWindowMs: this.registry.maxWindowMs,
      startup: this.#startup,
      onClose: (closed) => {
        if (this.#tasks.get(key) === closed) this.#tasks.delete(key);
      },
    });
    this.#tasks.set(key, metrics);
    return metrics;
  }

  /** The scrape, in the text exposition format. */
  exposition(): string {
    return this.registry.exposition();
  }

  close(): void {
    this.#process?.close();
  }

  #collect(): MetricFamily[] {
    const tasks = [...this.#tasks.values()].sort((a, b) => (a.id.connector < b.id.connector ? -1 : a.id.connector > b.id.connector ? 1 : a.id.task - b.id.task));
    const labelled = tasks.map((t) => [{ connector: t.id.connector, task: String(t.id.task) }, t] as const);
    const sources = labelled.filter(([, t]) => t.kind === 'source');
    const sinks = labelled.filter(([, t]) => t.kind === 'sink');
    const values = (entries: readonly (readonly [Labels, TaskMetrics])[], read: (t: TaskMetrics) => number): MetricSample[] =>
      entries.map(([labels, t]) => ({ labels, value: read(t) }));
    const stats = (entries: readonly (readonly [Labels, TaskMetrics])[], read: (t: TaskMetrics) => SummaryStat) =>
      entries.map(([labels, t]) => [labels, read(t)] as const);
    const errors = labelled.map(([labels, t]) => [labels, t.errors?.() ?? NO_ERRORS] as const);

    return [
      gauge('kafka_connect_worker_connector_count', 'Connectors this worker runs (connector-count).',
        [{ labels: {}, value: this.#sources?.connectorNames().length ?? 0 }]),
      gauge('kafka_connect_worker_task_count', 'Tasks this worker runs (task-count).', [{ labels: {}, value: tasks.length }]),
      ...this.#statusFamilies(),

      ...summaryFamilies('kafka_connect_connector_task_batch_size', 'Records per source poll or sink put (batch-size-avg, batch-size-max).',
        stats(labelled, (t) => t.batchSize)),
      ...summaryFamilies('kafka_connect_connector_task_offset_commit_seconds', 'Time successful offset commits took (offset-commit-avg-time-ms, offset-commit-max-time-ms).',
        stats(labelled, (t) => t.commitTime), MS),
      counter('kafka_connect_connector_task_offset_commit_success_total', 'Offset commits that succeeded (offset-commit-success-percentage).',
        values(labelled, (t) => t.commitSuccesses)),
      counter('kafka_connect_connector_task_offset_commit_failure_total', 'Offset commits that failed (offset-commit-failure-percentage).',
        values(labelled, (t) => t.commitFailures)),

      counter('kafka_connect_source_task_source_record_poll_total', 'Records returned by the source task\'s poll(), before transformations (source-record-poll-total).',
        values(sources, (t) => t.pollRecords)),
      counter('kafka_connect_source_task_source_record_write_total', 'Records written to Kafka and acknowledged, after transformations (source-record-write-total).',
        values(sources, (t) => t.writeRecords)),
      ...summaryFamilies('kafka_connect_source_task_poll_batch_seconds', 'Time source task poll() calls took (poll-batch-avg-time-ms, poll-batch-max-time-ms).',
        stats(sources, (t) => t.pollTime), MS),
      gauge('kafka_connect_source_task_source_record_active_count', 'Records polled and not yet acknowledged by Kafka (source-record-active-count).',
        values(sources, (t) => t.activeRecords?.() ?? 0)),

      counter('kafka_connect_sink_task_sink_record_read_total', 'Records read from Kafka, before transformations (sink-record-read-total).',
        values(sinks, (t) => t.readRecords)),
      counter('kafka_connect_sink_task_sink_record_send_total', 'Records put() accepted, after transformations (sink-record-send-total).',
        values(sinks, (t) => t.sendRecords)),
      ...summaryFamilies('kafka_connect_sink_task_put_batch_seconds', 'Time sink task put() calls took (put-batch-avg-time-ms, put-batch-max-time-ms).',
        stats(sinks, (t) => t.putTime), MS),
      gauge('kafka_connect_sink_task_partition_count', 'Topic partitions assigned to the sink task (partition-count).',
        values(sinks, (t) => t.partitionCount?.() ?? 0)),
      counter('kafka_connect_sink_task_offset_commit_completion_total', 'Offset commits that completed (offset-commit-completion-total).',
        values(sinks, (t) => t.commitSuccesses)),

      ...ERROR_COUNTERS.map(([key, name, help]) => counter(name, help, errors.map(([labels, e]) => ({ labels, value: e[key] })))),
      gauge('kafka_connect_task_error_last_error_timestamp_seconds', 'Unix time of the last record that failed for good; 0 if none (last-error-timestamp).',
        errors.map(([labels, e]) => ({ labels, value: e['last-error-timestamp'] / 1000 }))),
    ];
  }

  /** Connector and task status gauges, per-connector task counts and connector info, from this worker's statuses. */
  #statusFamilies(): MetricFamily[] {
    const connectorStatus: MetricSample[] = [];
    const connectorInfo: MetricSample[] = [];
    const taskStatus: MetricSample[] = [];
    const taskCounts = new Map<string, MetricSample[]>([['total', []], ...TASK_COUNT_STATES.map((s) => [s, []] as [string, MetricSample[]])]);
    const sources = this.#sources;
    if (sources !== undefined) {
      const { statuses, workerId } = sources;
      for (const connector of [...statuses.connectors()].sort()) {
        const status = statuses.get(connector);
        if (status !== undefined && status.workerId === workerId) {
          connectorStatus.push(...stateSamples({ connector }, status.state));
          const description = sources.describeConnector?.(connector);
          if (description !== undefined) {
            connectorInfo.push({
              labels: { connector, connector_class: description.className, connector_type: description.type, connector_version: description.version },
              value: 1,
            });
          }
        }
        const own = statuses.listForConnector(connector).filter((t) => t.workerId === workerId);
        if (own.length === 0) continue;
        for (const task of own) taskStatus.push(...stateSamples({ connector, task: String(task.task) }, task.state));
        const labels = { connector };
        taskCounts.get('total')!.push({ labels, value: own.length });
        for (const state of TASK_COUNT_STATES) {
          taskCounts.get(state)!.push({ labels, value: own.filter((t) => t.state.toLowerCase() === state).length });
        }
      }
    }
    return [
      gauge('kafka_connect_connector_status', 'Connector state: 1 for the current state, 0 for the others (connector-metrics status).', connectorStatus),
      gauge('kafka_connect_connector_info', 'The connector\'s class, type and version, as labels; the value is always 1 (connector-class, connector-type, connector-version).', connectorInfo),
      gauge('kafka_connect_connector_task_status', 'Task state: 1 for the current state, 0 for the others (connector-task-metrics status).', taskStatus),
      ...[...taskCounts].map(([state, samples]) => gauge(`kafka_connect_worker_connector_${state}_task_count`,
        state === 'total' ? 'Tasks of the connector on this worker (connector-total-task-count).' : `Tasks of the connector on this worker in state ${state} (connector-${state}-task-count).`,
        samples)),
    ];
  }
}

function stateSamples(labels: Labels, current: string): MetricSample[] {
  const state = current.toLowerCase();
  const samples: MetricSample[] = STATUS_STATES.map((s) => ({ labels: { ...labels, state: s }, value: s === state ? 1 : 0 }));
  if (!(STATUS_STATES as readonly string[]).includes(state)) samples.push({ labels: { ...labels, state }, value: 1 });
  return samples;
}

function gauge(name: string, help: string, samples: MetricSample[]): MetricFamily {
  return { name, help, type: 'gauge', samples };
}

function counter(name: string, help: string, samples: MetricSample[]): MetricFamily {
  return { name, help, type: 'counter', samples };
}
