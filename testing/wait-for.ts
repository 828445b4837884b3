/** Polling until a condition holds, with a deadline and a message that says what was awaited. */
export interface WaitOptions {
  /** Default 30 s. */
  readonly timeoutMs?: number;
  /** Default 100 ms. */
  readonly intervalMs?: number;
  /** Errors of `check` that end the wait at once (others are retried until the deadline). */
  readonly fatal?: (err: unknown) => boolean;
}

/**
 * Calls `check` until it returns a value other than undefined/false; throws `describe(last)`
 * (what was seen last, or the last error) when the deadline passes.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  describe: (lastError: unknown) => string,
  opts: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      lastError = undefined;
    } catch (err) {
      if (opts.fatal?.(err)) throw err;
      lastError = err;
    }
    if (Date.now() >= deadline) throw new Error(describe(lastError));
    await new Promise((resolve) => setTimeout(resolve, opts.intervalMs ?? 100));
  }
}
