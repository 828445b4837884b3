/**
 * Loads data now and again every `intervalMs` (the next load starts only when the previous one
 * ended, so a slow worker is never flooded). A failed refresh keeps the last data and marks it
 * `stale` until a load succeeds again. `refresh()` loads at once (e.g. after an action).
 * Changing `key` (e.g. the connector name) starts over with no data. While the browser tab is
 * hidden no refresh is made; showing the tab again refreshes at once.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Polled<T> {
  /** The last data loaded; undefined until the first load succeeded. */
  data: T | undefined;
  /** The error of the last load, null when it succeeded. */
  error: unknown;
  /** True when data is shown but the last refresh failed. */
  stale: boolean;
  /** When data was last loaded (ms since epoch), 0 before. */
  updatedAt: number;
  /** Loads now; resolves when that load ended. */
  refresh: () => Promise<void>;
}

interface PollState<T> {
  data: T | undefined;
  error: unknown;
  updatedAt: number;
}

export function usePolling<T>(load: () => Promise<T>, intervalMs: number, key: unknown = null): Polled<T> {
  const [state, setState] = useState<PollState<T>>({ data: undefined, error: null, updatedAt: 0 });
  const loadRef = useRef(load);
  loadRef.current = load;
  const loadedOnce = useRef(false);
  const generation = useRef(0);
  const timer = useRef<number | undefined>(undefined);

  const run = useCallback(async (gen: number) => {
    window.clearTimeout(timer.current);
    if (!document.hidden || !loadedOnce.current) {
      try {
        const data = await loadRef.current();
        if (gen !== generation.current) return;
        loadedOnce.current = true;
        setState({ data, error: null, updatedAt: Date.now() });
      } catch (error) {
        if (gen !== generation.current) return;
        setState((previous) => ({ ...previous, error }));
      }
    }
    if (gen !== generation.current) return;
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => { void run(gen); }, intervalMs);
  }, [intervalMs]);

  useEffect(() => {
    const gen = ++generation.current;
    loadedOnce.current = false;
    setState({ data: undefined, error: null, updatedAt: 0 });
    void run(gen);
    const onVisible = () => { if (!document.hidden) void run(generation.current); };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      generation.current++;
      window.clearTimeout(timer.current);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [run, key]);

  const refresh = useCallback(() => run(generation.current), [run]);
  return { data: state.data, error: state.error, stale: state.error !== null && state.data !== undefined, updatedAt: state.updatedAt, refresh };
}
