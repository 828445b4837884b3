/**
 * One polling of the worker's GET /metrics shared by every throughput cell and chart on the page,
 * instead of one fetch per row: it runs while at least one component is subscribed (the first
 * scrape at once, the second a second later so a rate shows quickly, then every
 * POLL_INTERVAL_MS) and stops when the last one leaves. Each scrape feeds one ThroughputHistory
 * (api/metrics.ts); subscribers are told after every scrape, failed ones included, and read the
 * figures they need from the snapshot. While the browser tab is hidden no scrape is made; showing
 * it again scrapes at once (the first rate after that spans the hidden time).
 *
 * The history outlives page changes (it is module state), so a chart opened from the overview
 * starts with the points the overview's cells collected.
 */
import { useEffect, useState } from 'preact/hooks';
import { parsePrometheusText, taskRecordCounters, ThroughputHistory, type ThroughputPoint } from '../api/metrics.js';
import { rest } from '../api/rest-client.js';

export const POLL_INTERVAL_MS = 3_000;
const FIRST_RATE_AFTER_MS = 1_000;

const history = new ThroughputHistory();
const listeners = new Set<() => void>();
let timer: number | undefined;
let inFlight = false;
let scrapes = 0;
let lastError: unknown = null;

async function scrape(): Promise<void> {
  if (inFlight) return;
  if (document.hidden && history.scraped) {
    schedule(POLL_INTERVAL_MS);
    return;
  }
  inFlight = true;
  try {
    const text = await rest.text('/metrics');
    history.add(Date.now(), taskRecordCounters(parsePrometheusText(text)));
    lastError = null;
  } catch (error) {
    lastError = error;
  } finally {
    inFlight = false;
    scrapes++;
  }
  listeners.forEach((listener) => listener());
  schedule(scrapes === 1 ? FIRST_RATE_AFTER_MS : POLL_INTERVAL_MS);
}

function schedule(delayMs: number): void {
  window.clearTimeout(timer);
  timer = listeners.size === 0 ? undefined : window.setTimeout(() => { void scrape(); }, delayMs);
}

// Showing the tab again reads /metrics at once (while it is hidden, scrapes are skipped).
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && listeners.size > 0 && !inFlight) void scrape();
});

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (listeners.size === 1 && timer === undefined && !inFlight) void scrape();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      window.clearTimeout(timer);
      timer = undefined;
    }
  };
}

export interface Throughput {
  /** Records/s over the last interval; null before two scrapes or when its tasks do not run on this worker. */
  current: number | null;
  /** Oldest first. */
  history: readonly ThroughputPoint[];
  /** Whether the last scrape had tasks of the connector (they run on the worker serving the console). */
  runsHere: boolean;
  /** True once /metrics answered at least once. */
  loaded: boolean;
  /** The last scrape's error, null when it succeeded. */
  error: unknown;
}

/** The connector's throughput, re-rendering the caller after every scrape. */
export function useThroughput(connector: string): Throughput {
  const [, setTick] = useState(0);
  useEffect(() => subscribe(() => setTick((tick) => tick + 1)), []);
  return {
    current: history.current(connector),
    history: history.history(connector),
    runsHere: history.runsHere(connector),
    loaded: history.scraped,
    error: lastError,
  };
}
