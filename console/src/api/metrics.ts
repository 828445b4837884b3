/**
 * Throughput from the worker's `GET /metrics` (Prometheus text, docs/metrics.md): records per
 * second per connector, from the counters of its tasks on this worker:
 *   sources: kafka_connect_source_task_source_record_write_total (acknowledged by Kafka)
 *   sinks:   kafka_connect_sink_task_sink_record_send_total (accepted by put())
 * A rate is the growth of those counters between two scrapes divided by the time between them.
 * Counters start again at 0 when a task restarts: a task whose counter went down counts from 0.
 * A task that appears or disappears between two scrapes counts only for the scrapes it was in.
 *
 * Pure code (no fetch, no timers), so it runs in unit tests; the polling lives in
 * monitoring/throughput-store.ts.
 */

/** One sample line: `name{label="value",...} value`. */
export interface MetricSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/y;

/** Parses the text exposition format; comment lines and lines it cannot read are skipped. */
export function parsePrometheusText(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const labels = parseLabels(match[2] ?? '');
    if (labels === null) continue;
    const value = parseValue(match[3]!);
    if (value === null) continue;
    samples.push({ name: match[1]!, labels, value });
  }
  return samples;
}

function parseLabels(text: string): Record<string, string> | null {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const start = LABEL.lastIndex;
    const match = LABEL.exec(text);
    if (!match || LABEL.lastIndex === start) return null;
    labels[match[1]!] = match[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

/** A sample value: a number, NaN, +Inf or -Inf; null for anything else. */
function parseValue(text: string): number | null {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const value = Number(text);
  return text.trim() === '' || Number.isNaN(value) ? null : value;
}

export const SOURCE_RECORDS_METRIC = 'kafka_connect_source_task_source_record_write_total';
export const SINK_RECORDS_METRIC = 'kafka_connect_sink_task_sink_record_send_total';

/** Each task's record counter, keyed by connector, then task. */
export type TaskCounters = Map<string, Map<string, number>>;

/** The record counters of every task in the samples. */
export function taskRecordCounters(samples: readonly MetricSample[]): TaskCounters {
  const counters: TaskCounters = new Map();
  for (const s of samples) {
    if (s.name !== SOURCE_RECORDS_METRIC && s.name !== SINK_RECORDS_METRIC) continue;
    const connector = s.labels['connector'];
    if (connector === undefined || !Number.isFinite(s.value)) continue;
    let tasks = counters.get(connector);
    if (!tasks) counters.set(connector, tasks = new Map());
    const task = s.labels['task'] ?? '';
    tasks.set(task, (tasks.get(task) ?? 0) + s.value);
  }
  return counters;
}

export interface ThroughputPoint {
  /** When the later of the two scrapes was taken (ms since the epoch). */
  readonly at: number;
  /** Records per second between the two scrapes. */
  readonly recordsPerSecond: number;
}

/** Points kept per connector: 120 at the store's 3 s interval is the last 6 minutes. */
export const HISTORY_POINTS = 120;

/**
 * Turns successive scrapes into records/s per connector and keeps the last HISTORY_POINTS
 * points of each. A connector without task counters in a scrape gets no point for it (its
 * tasks do not run on this worker, or it is stopped); its history is dropped once it has been
 * absent from as many scrapes in a row as a history holds points.
 */
export class ThroughputHistory {
  #previous: { at: number; counters: TaskCounters } | undefined;
  readonly #points = new Map<string, ThroughputPoint[]>();
  /** Scrapes in a row without the connector's counters. */
  readonly #absent = new Map<string, number>();
  readonly #maxPoints: number;

  constructor(maxPoints = HISTORY_POINTS) {
    this.#maxPoints = maxPoints;
  }

  /** Adds a scrape taken at `at` (ms). Scrapes must come in time order; an older one is ignored. */
  add(at: number, counters: TaskCounters): void {
    const previous = this.#previous;
    if (previous && at <= previous.at) return;
    this.#previous = { at, counters };
    if (!previous) return;
    const seconds = (at - previous.at) / 1000;
    for (const [connector, tasks] of counters) {
      const before = previous.counters.get(connector);
      if (!before) continue;
      let records = 0;
      for (const [task, value] of tasks) {
        const earlier = before.get(task);
        if (earlier === undefined) continue;
        records += value >= earlier ? value - earlier : value;
      }
      const points = this.#points.get(connector) ?? [];
      points.push({ at, recordsPerSecond: records / seconds });
      if (points.length > this.#maxPoints) points.splice(0, points.length - this.#maxPoints);
      this.#points.set(connector, points);
    }
    for (const connector of [...this.#points.keys()]) {
      if (counters.has(connector)) {
        this.#absent.delete(connector);
        continue;
      }
      const absent = (this.#absent.get(connector) ?? 0) + 1;
      if (absent < this.#maxPoints) {
        this.#absent.set(connector, absent);
      } else {
        this.#points.delete(connector);
        this.#absent.delete(connector);
      }
    }
  }

  /** Whether any scrape was added. */
  get scraped(): boolean {
    return this.#previous !== undefined;
  }

  /** The connector's points, oldest first (empty until two scrapes included its tasks). */
  history(connector: string): readonly ThroughputPoint[] {
    return this.#points.get(connector) ?? [];
  }

  /** The latest rate, or null when the last scrape had no tasks of the connector or no rate yet. */
  current(connector: string): number | null {
    const points = this.#points.get(connector);
    const last = points?.[points.length - 1];
    if (!last || !this.#previous || last.at !== this.#previous.at) return null;
    return last.recordsPerSecond;
  }

  /** Whether the last scrape had task counters of the connector (its tasks run on this worker). */
  runsHere(connector: string): boolean {
    return this.#previous?.counters.has(connector) ?? false;
  }
}
