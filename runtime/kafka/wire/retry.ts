/**
 * Retrying a wire operation: retriable Kafka errors and connection failures are retried
 * with exponential backoff (retry.backoff.ms … retry.backoff.max.ms) until the operation's
 * deadline (default.api.timeout.ms); anything else fails at once.
 */
import { isRetriable } from './kafka-error.js';

export interface RetryPolicy {
  /** retry.backoff.ms */
  readonly backoffMs: number;
  /** retry.backoff.max.ms */
  readonly maxBackoffMs: number;
  /** default.api.timeout.ms: how long one operation may keep retrying. */
  readonly timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { backoffMs: 100, maxBackoffMs: 1000, timeoutMs: 60_000 };

export interface RetryHooks {
  /** Runs before the next attempt, e.g. to refresh metadata. */
  readonly beforeRetry?: (error: unknown) => void | Promise<void>;
  /** Stops retrying early (the owner is shutting down). */
  readonly cancelled?: () => boolean;
  /** Overrides which errors are retried (default: isRetriable). */
  readonly shouldRetry?: (error: unknown) => boolean;
}

export async function withRetries<T>(policy: RetryPolicy, attempt: () => Promise<T>, hooks: RetryHooks = {}): Promise<T> {
  const deadline = Date.now() + policy.timeoutMs;
  let backoff = policy.backoffMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!(hooks.shouldRetry ?? isRetriable)(error) || Date.now() + backoff > deadline || hooks.cancelled?.()) throw error;
      await sleep(backoff);
      backoff = Math.min(backoff * 2, policy.maxBackoffMs);
      if (hooks.cancelled?.()) throw error;
      try {
        await hooks.beforeRetry?.(error);
      } catch (hookError) {
        if (!isRetriable(hookError)) throw hookError;
      }
    }
  }
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
