/**
 * Back-off between retries, as Confluent's RetryUtil: a random wait up to
 * `retry.backoff.ms × 2^attempt`, capped at 24 hours, so that tasks retrying together spread out.
 * The lower half is kept (at least half the bound) so a retry never follows immediately.
 */
const MAX_WAIT_MS = 24 * 60 * 60 * 1000;

export function backoffMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  if (baseMs <= 0) return 0;
  const bound = Math.min(MAX_WAIT_MS, baseMs * 2 ** Math.min(attempt, 40));
  return Math.round(bound / 2 + random() * (bound / 2));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
