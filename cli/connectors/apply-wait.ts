/**
 * Waiting out a worker that is not ready yet. `ferry connectors apply` runs as a one-shot job
 * next to workers that may still be starting or rebalancing, so a step is retried with growing
 * pauses while the worker cannot be reached, answers 503 (not serving yet) or 409 (a rebalance
 * is under way), until the wait budget is spent. Any other answer ends the wait at once.
 */
import { ConnectApiError, WorkerUnreachableError } from './connect-client.js';

export const DEFAULT_APPLY_WAIT_MS = 60_000;

const FIRST_PAUSE_MS = 250;
const LONGEST_PAUSE_MS = 5_000;

export interface WaitOptions {
  /** How long the worker may stay unavailable before giving up. */
  waitMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Called with each "unavailable" failure before its pause. */
  onUnavailable?: (problem: unknown) => void;
}

export function isWorkerUnavailable(err: unknown): boolean {
  if (err instanceof WorkerUnreachableError) return true;
  return err instanceof ConnectApiError && (err.status === 503 || err.status === 409);
}

/** One line saying why the worker is unavailable. */
export function describeUnavailable(err: unknown): string {
  const text = err instanceof ConnectApiError ? `${err.message} (HTTP ${err.status})` : err instanceof Error ? err.message : String(err);
  return text.replace(/\s*\n\s*/g, ' ');
}

/** The worker stayed unavailable for the whole budget; `message` is one line saying so and why. */
export class WorkerStillUnavailableError extends Error {
  override readonly name = 'WorkerStillUnavailableError';

  constructor(readonly waitedMs: number, readonly last: unknown) {
    super(`worker still unavailable after ${formatSeconds(waitedMs)}: ${describeUnavailable(last)}`);
  }
}

export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `step` until it settles with something other than "worker unavailable", or the budget runs out. */
export async function retryWhileUnavailable<T>(step: () => Promise<T>, options: WaitOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepFor;
  const started = now();
  let pause = FIRST_PAUSE_MS;
  for (;;) {
    try {
      return await step();
    } catch (err) {
      if (!isWorkerUnavailable(err)) throw err;
      const left = started + options.waitMs - now();
      if (left <= 0) throw new WorkerStillUnavailableError(options.waitMs, err);
      options.onUnavailable?.(err);
      await sleep(Math.min(pause, left));
      pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
    }
  }
}
