/**
 * What a task runner tells the metrics about its work (Kafka's connector-task-metrics,
 * source-task-metrics, sink-task-metrics and task-error-metrics groups), and the per-task
 * state it lands in.
 *
 * Runners call the hooks once per batch, poll, put or commit, never per record; a hook adds
 * to a number. Gauges that mirror runner state (records in flight, assigned partitions) and
 * the error counters are read through callbacks at scrape time. `close()` is the runner's
 * last call: the task's series disappear from the next scrape.
 */
import type { TaskErrorMetrics } from '../pipeline/error-handling/error-metrics.js';
import type { TaskId } from '../stores/task-id.js';
import { SummaryStat, type Clock } from './summary-stat.js';

export type TaskKind = 'source' | 'sink';

export interface TaskMetricsRecorder {
  /** The runner began starting the task. */
  startAttempted(): void;
  /** The task's own start resolved. */
  startSucceeded(): void;
  /** Starting the task (its pipeline, clients or own start) failed. */
  startFailed(): void;
  /** Source: `poll()` returned `records` records (0 for an empty array) after `durationMs`. */
  recordPoll(records: number, durationMs: number): void;
  /** Source: Kafka acknowledged `records` produced records. */
  recordWrite(records: number): void;
  /** Sink: the consumer delivered `records` records. */
  recordRead(records: number): void;
  /** Sink: `put()` accepted `records` records after `durationMs`. */
  recordPut(records: number, durationMs: number): void;
  /** An offset commit (source: offsets topic write; sink: flush and consumer commit) ended after `durationMs`. */
  recordOffsetCommit(durationMs: number, succeeded: boolean): void;
  /** The task's error-handling counters, read at scrape time. */
  watchErrors(read: () => TaskErrorMetrics): void;
  /** Source: records polled and not yet acknowledged, read at scrape time. */
  watchActiveRecords(read: () => number): void;
  /** Sink: partitions assigned to the task, read at scrape time. */
  watchPartitionCount(read: () => number): void;
  /** The task is gone: its series are removed. Idempotent. */
  close(): void;
}

/** Makes the recorder of each task a runner is built for. */
export interface TaskMetricsFactory {
  task(id: TaskId, kind: TaskKind): TaskMetricsRecorder;
}

/** Task-level hooks the worker counts across tasks (Kafka's task-startup-* attributes). */
export interface TaskStartupListener {
  startAttempted(): void;
  startSucceeded(): void;
  startFailed(): void;
}

const noop = (): void => {};

/** For runners built without metrics. */
export const NO_TASK_METRICS: TaskMetricsRecorder = Object.freeze({
  startAttempted: noop,
  startSucceeded: noop,
  startFailed: noop,
  recordPoll: noop,
  recordWrite: noop,
  recordRead: noop,
  recordPut: noop,
  recordOffsetCommit: noop,
  watchErrors: noop,
  watchActiveRecords: noop,
  watchPartitionCount: noop,
  close: noop,
});

/** One task's figures; read by the Connect metrics collector. */
export class TaskMetrics implements TaskMetricsRecorder {
  readonly id: TaskId;
  readonly kind: TaskKind;
  /** Source: records returned by poll(). */
  pollRecords = 0;
  /** Source: records acknowledged by Kafka. */
  writeRecords = 0;
  /** Sink: records consumed. */
  readRecords = 0;
  /** Sink: records accepted by put(). */
  sendRecords = 0;
  commitSuccesses = 0;
  commitFailures = 0;
  /** Milliseconds. */
  readonly pollTime: SummaryStat;
  /** Milliseconds. */
  readonly putTime: SummaryStat;
  /** Milliseconds. */
  readonly commitTime: SummaryStat;
  /** Records per poll (source) or per put (sink). */
  readonly batchSize: SummaryStat;
  errors: (() => TaskErrorMetrics) | undefined;
  activeRecords: (() => number) | undefined;
  partitionCount: (() => number) | undefined;
  readonly #startup: TaskStartupListener;
  readonly #onClose: (metrics: TaskMetrics) => void;
  #closed = false;

  constructor(id: TaskId, kind: TaskKind, options: { clock: Clock; maxWindowMs: number; startup: TaskStartupListener; onClose: (metrics: TaskMetrics) => void }) {
    this.id = id;
    this.kind = kind;
    this.pollTime = new SummaryStat(options.clock, options.maxWindowMs);
    this.putTime = new SummaryStat(options.clock, options.maxWindowMs);
    this.commitTime = new SummaryStat(options.clock, options.maxWindowMs);
    this.batchSize = new SummaryStat(options.clock, options.maxWindowMs);
    this.#startup = options.startup;
    this.#onClose = options.onClose;
  }

  startAttempted(): void {
    this.#startup.startAttempted();
  }

  startSucceeded(): void {
    this.#startup.startSucceeded();
  }

  startFailed(): void {
    this.#startup.startFailed();
  }

  recordPoll(records: number, durationMs: number): void {
    this.pollRecords += records;
    this.pollTime.observe(durationMs);
    this.batchSize.observe(records);
  }

  recordWrite(records: number): void {
    this.writeRecords += records;
  }

  recordRead(records: number): void {
    this.readRecords += records;
  }

  recordPut(records: number, durationMs: number): void {
    this.sendRecords += records;
    this.putTime.observe(durationMs);
    this.batchSize.observe(records);
  }

  recordOffsetCommit(durationMs: number, succeeded: boolean): void {
    if (succeeded) {
      this.commitSuccesses++;
      this.commitTime.observe(durationMs);
    } else {
      this.commitFailures++;
    }
  }

  watchErrors(read: () => TaskErrorMetrics): void {
    this.errors = read;
  }

  watchActiveRecords(read: () => number): void {
    this.activeRecords = read;
  }

  watchPartitionCount(read: () => number): void {
    this.partitionCount = read;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClose(this);
  }
}
