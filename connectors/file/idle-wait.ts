/**
 * An abortable idle wait: resolves after `ms`, when `signal` aborts, or when the wake function
 * handed to `onWake` is called, whichever comes first. `onWake(null)` is called once it is over,
 * so the caller can drop its reference.
 */
export function idleWait(ms: number, signal: AbortSignal, onWake?: (wake: (() => void) | null) => void): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      onWake?.(null);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    onWake?.(done);
  });
}
