/**
 * Runs one pipeline operation under a connector's error policy (Kafka Connect's
 * RetryWithToleranceOperator): retries retriable failures with back-off, then either skips the
 * failed operation (errors.tolerance=all) or throws so the task fails (errors.tolerance=none).
 *
 * - Retriable means the thrown value has `retriable === true` (RetriableError, and Kafka
 *   client errors that say so). Everything else fails at once, without retries.
 * - Retries of one operation stop once errors.retry.timeout has passed since its first
 *   attempt (-1: never; 0: no retries). Waits are clamped so no retry starts past that deadline.
 * - An abort of the operator's signal or the call's signal ends a back-off early and throws
 *   RetryAbortedError: a stopping task neither skips nor reports the record.
 * - Converter and transform stages tolerate any failure; the other stages tolerate only a
 *   retriable failure that ran out of retries, a non-retriable one throws UntolerableError.
 * - Every operation that fails for good is reported (log, dead letter queue), whether it is
 *   then skipped or fails the task, as Kafka does. Reports run in the background; `flush()`
 *   waits for those under way (call it before committing offsets past skipped records).
 * - One instance serves one task; concurrent calls are fine and share the counters.
 */
import { ErrorHandlingMetrics, type TaskErrorMetrics } from './error-metrics.js';
import type { ErrorPolicy, ToleranceType } from './error-policy.js';
import type { ErrorReporter, ProcessingFailure } from './error-reporter.js';
import type { RecordContext } from './record-context.js';
import { retryDelayMs, sleep as realSleep, type Sleep } from './retry-backoff.js';
import { toleratesAnyError, type Stage } from './stage.js';
import { RetryAbortedError, ToleranceExceededError, UntolerableError } from './tolerance-errors.js';

export interface ToleranceOperatorOptions {
  readonly policy: Pick<ErrorPolicy, 'tolerance' | 'retryTimeoutMs' | 'retryDelayMaxMs'>;
  readonly reporters?: readonly ErrorReporter[];
  /** Shared with the reporters so their counts land in the same snapshot. */
  readonly metrics?: ErrorHandlingMetrics;
  /** Aborted when the task stops. */
  readonly signal?: AbortSignal;
  /** Epoch milliseconds. */
  readonly clock?: () => number;
  readonly sleep?: Sleep;
  /** [0, 1), for the back-off jitter past the delay cap. */
  readonly random?: () => number;
}

export interface ExecuteContext {
  readonly record?: RecordContext;
  /** Ends this call's retries early, besides the operator's own signal. */
  readonly signal?: AbortSignal;
}

export type ExecuteResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly skipped: true };

export function isRetriable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === true;
}

function anySignal(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return AbortSignal.any([a, b]);
}

export class ToleranceOperator {
  readonly metrics: ErrorHandlingMetrics;
  readonly tolerance: ToleranceType;
  readonly #retryTimeoutMs: number;
  readonly #retryDelayMaxMs: number;
  readonly #reporters: readonly ErrorReporter[];
  readonly #signal: AbortSignal | undefined;
  readonly #clock: () => number;
  readonly #sleep: Sleep;
  readonly #random: () => number;
  readonly #pending = new Set<Promise<void>>();

  constructor(options: ToleranceOperatorOptions) {
    this.tolerance = options.policy.tolerance;
    this.#retryTimeoutMs = options.policy.retryTimeoutMs;
    this.#retryDelayMaxMs = options.policy.retryDelayMaxMs;
    this.#reporters = options.reporters ?? [];
    this.metrics = options.metrics ?? new ErrorHandlingMetrics();
    this.#signal = options.signal;
    this.#clock = options.clock ?? Date.now;
    this.#sleep = options.sleep ?? realSleep;
    this.#random = options.random ?? Math.random;
  }

  /**
   * Runs `operation`, retrying retriable failures. Resolves with its value, or with `skipped`
   * when it failed for good under errors.tolerance=all. Rejects with ToleranceExceededError
   * (tolerance none), UntolerableError (see the header) or RetryAbortedError.
   */
  async execute<T>(stage: Stage, className: string, operation: () => T | Promise<T>, context: ExecuteContext = {}): Promise<ExecuteResult<T>> {
    const signal = anySignal(this.#signal, context.signal);
    const start = this.#clock();
    const deadline = this.#retryTimeoutMs < 0 ? Infinity : start + this.#retryTimeoutMs;
    for (let attempts = 1; ; attempts++) {
      try {
        return { ok: true, value: (await operation()) as T };
      } catch (error) {
        this.metrics.recordFailure();
        const retriable = isRetriable(error);
        const now = this.#clock();
        if (!retriable || now >= deadline) {
          const tolerable = retriable || toleratesAnyError(stage);
          this.#failed({ stage, className, error, attempts, record: context.record }, tolerable);
          return { ok: false, skipped: true };
        }
        if (signal?.aborted) throw new RetryAbortedError(stage, className, error);
        await this.#sleep(Math.min(retryDelayMs(attempts, this.#retryDelayMaxMs, this.#random), deadline - now), signal);
        if (signal?.aborted) throw new RetryAbortedError(stage, className, error);
        this.metrics.recordRetry();
      }
    }
  }

  /**
   * Handles a failure that happened outside `execute` (a record a sink task reports as failed,
   * one entry of a BatchError). Under errors.tolerance=all resolves once the failure is reported;
   * under none reports it and rejects with ToleranceExceededError.
   */
  async executeFailed(stage: Stage, className: string, error: unknown, context: { readonly record?: RecordContext } = {}): Promise<void> {
    this.metrics.recordFailure();
    await this.#failed({ stage, className, error, attempts: 1, record: context.record }, true);
  }

  /** Resolves once every report started so far has finished. */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  snapshot(): TaskErrorMetrics {
    return this.metrics.snapshot();
  }

  /** Counts and reports a final failure, then throws unless it is skipped; returns the report. */
  #failed(failure: ProcessingFailure, tolerable: boolean): Promise<void> {
    this.metrics.recordError(this.#clock());
    const reported = this.#report(failure);
    if (!tolerable) throw new UntolerableError(failure.stage, failure.className, failure.error);
    if (this.tolerance !== 'all') throw new ToleranceExceededError(failure.stage, failure.className, failure.error, failure.record);
    this.metrics.recordSkipped();
    return reported;
  }

  #report(failure: ProcessingFailure): Promise<void> {
    if (this.#reporters.length === 0) return Promise.resolve();
    // Reporters never reject by contract; the catch only keeps a broken one from crashing the process.
    const all = Promise.all(this.#reporters.map((r) => r.report(failure))).then(() => undefined, () => undefined);
    this.#pending.add(all);
    void all.finally(() => this.#pending.delete(all));
    return all;
  }
}
