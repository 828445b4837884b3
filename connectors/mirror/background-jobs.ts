/**
 * The background work of a mirror connector or task, on timers: jobs never overlap (each runs
 * after the previous one settled), periodic jobs that fail are logged and tried again at the next
 * interval, and `retrying` repeats a job with exponential back-off until it succeeds, except that
 * a ConnectError (the job's own verdict that retrying cannot help) is rethrown at once.
 * After `stop` nothing new starts and waits end.
 */
import { ConnectError } from '../sdk/errors.js';
import type { TaskLogger } from '../sdk/task-logger.js';

const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 30_000;

export class BackgroundJobs {
  readonly #logger: TaskLogger;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #stopping = new AbortController();
  #chain: Promise<void> = Promise.resolve();

  constructor(logger: TaskLogger) {
    this.#logger = logger;
  }

  get stopped(): boolean {
    return this.#stopping.signal.aborted;
  }

  /** Aborted by `stop`. */
  get signal(): AbortSignal {
    return this.#stopping.signal;
  }

  /** Runs `job` after every job queued before it. */
  serialized<T>(job: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(job, job);
    this.#chain = run.then(() => undefined, () => undefined);
    return run;
  }

  /** Runs `job` every `intervalMs` (serialized with the others); failures are logged as warnings. */
  every(intervalMs: number, what: string, job: () => Promise<void>): void {
    const timer = setInterval(() => {
      void this.serialized(job).catch((err: unknown) => {
        if (!this.stopped) this.#logger.warn({ err }, `Could not ${what}; trying again in ${intervalMs} ms`);
      });
    }, Math.max(1, intervalMs));
    timer.unref();
    this.#timers.add(timer);
  }

  /** Repeats `job` with back-off until it succeeds (true) or the jobs stop (false); a ConnectError is rethrown. */
  async retrying(what: string, job: () => Promise<void>): Promise<boolean> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await job();
        return true;
      } catch (err) {
        if (err instanceof ConnectError) throw err;
        if (this.stopped) break;
        const wait = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** attempt);
        this.#logger.warn({ err }, `Could not ${what}; retrying in ${wait} ms`);
        await this.sleep(wait);
      }
    }
    return false;
  }

  /** Resolves after `ms`, or at once when the jobs stop. */
  sleep(ms: number): Promise<void> {
    return sleep(ms, this.#stopping.signal);
  }

  stop(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers.clear();
    this.#stopping.abort();
  }
}

/** Resolves after `ms` or when `signal` aborts, whichever is first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
