/**
 * A small Prometheus registry: counters, gauges and summaries (count, sum and a windowed max)
 * with labelled children, plus collectors that produce families at scrape time from state
 * kept elsewhere (task counters, statuses, process figures).
 *
 * Hot paths hold on to a child (`counter.labels({...})`) and bump a number on it; nothing is
 * allocated per update. A scrape merges families of the same name and type (a collector may
 * add samples to a declared family) and renders them in registration order.
 */
import { renderExposition } from './exposition-format.js';
import { isValidLabelName, isValidMetricName, type Collector, type Labels, type MetricFamily, type MetricSample, type MetricType } from './metric-family.js';
import { DEFAULT_MAX_WINDOW_MS, SummaryStat, type Clock } from './summary-stat.js';

export interface MetricOptions {
  readonly name: string;
  readonly help: string;
  /** Every child must give exactly these labels; none for a single unlabelled series. */
  readonly labelNames?: readonly string[];
}

export interface MetricsRegistryOptions {
  /** Milliseconds, monotonic; `performance.now` when absent. */
  readonly clock?: Clock;
  /** Window of summaries' `_max` (Kafka's metrics.sample.window.ms); 30 s when absent. */
  readonly maxWindowMs?: number;
}

abstract class LabelledMetric<C> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly #children = new Map<string, { labels: Labels; child: C }>();

  constructor(options: MetricOptions) {
    if (!isValidMetricName(options.name)) throw new Error(`Invalid metric name '${options.name}'`);
    for (const label of options.labelNames ?? []) {
      if (!isValidLabelName(label)) throw new Error(`Invalid label name '${label}' of metric '${options.name}'`);
    }
    this.name = options.name;
    this.help = options.help;
    this.labelNames = [...(options.labelNames ?? [])];
  }

  /** The child with these label values, created on first use. */
  labels(values: Labels): C {
    const key = this.#key(values);
    const existing = this.#children.get(key);
    if (existing !== undefined) return existing.child;
    const labels: Record<string, string> = {};
    for (const name of this.labelNames) labels[name] = values[name]!;
    const child = this.createChild();
    this.#children.set(key, { labels, child });
    return child;
  }

  remove(values: Labels): void {
    this.#children.delete(this.#key(values));
  }

  /** Removes every child whose labels include all of `partial` (e.g. one connector's series). */
  removeMatching(partial: Labels): void {
    const names = Object.keys(partial);
    for (const [key, { labels }] of this.#children) {
      if (names.every((n) => labels[n] === partial[n])) this.#children.delete(key);
    }
  }

  abstract collect(): MetricFamily[];

  protected abstract createChild(): C;

  protected children(): Iterable<{ labels: Labels; child: C }> {
    return this.#children.values();
  }

  /** The unlabelled child, created at once so the series shows 0 before its first update. */
  protected single(): C {
    if (this.labelNames.length > 0) throw new Error(`Metric '${this.name}' has labels ${this.labelNames.join(', ')}: use labels()`);
    return this.labels({});
  }

  #key(values: Labels): string {
    const given = Object.keys(values);
    if (given.length !== this.labelNames.length || this.labelNames.some((n) => typeof values[n] !== 'string')) {
      throw new Error(`Metric '${this.name}' takes labels [${this.labelNames.join(', ')}], got [${given.join(', ')}]`);
    }
    return this.labelNames.map((n) => values[n]).join('\u0000');
  }
}

export class CounterChild {
  value = 0;

  inc(by = 1): void {
    if (!(by >= 0)) throw new Error(`A counter only goes up; cannot add ${by}`);
    this.value += by;
  }
}

export class Counter extends LabelledMetric<CounterChild> {
  constructor(options: MetricOptions) {
    super(options);
    if (this.labelNames.length === 0) this.single();
  }

  inc(by = 1): void {
    this.single().inc(by);
  }

  get value(): number {
    return this.single().value;
  }

  collect(): MetricFamily[] {
    return [{ name: this.name, help: this.help, type: 'counter', samples: [...this.children()].map(({ labels, child }) => ({ labels, value: child.value })) }];
  }

  protected createChild(): CounterChild {
    return new CounterChild();
  }
}

export class GaugeChild {
  value = 0;

  set(value: number): void {
    this.value = value;
  }

  inc(by = 1): void {
    this.value += by;
  }

  dec(by = 1): void {
    this.value -= by;
  }
}

export class Gauge extends LabelledMetric<GaugeChild> {
  constructor(options: MetricOptions) {
    super(options);
    if (this.labelNames.length === 0) this.single();
  }

  set(value: number): void {
    this.single().set(value);
  }

  inc(by = 1): void {
    this.single().inc(by);
  }

  dec(by = 1): void {
    this.single().dec(by);
  }

  get value(): number {
    return this.single().value;
  }

  collect(): MetricFamily[] {
    return [{ name: this.name, help: this.help, type: 'gauge', samples: [...this.children()].map(({ labels, child }) => ({ labels, value: child.value })) }];
  }

  protected createChild(): GaugeChild {
    return new GaugeChild();
  }
}

/**
 * A summary without quantiles (`name_sum`, `name_count`) and a `name_max` gauge, the shape
 * Micrometer gives timers. Values are observed in the unit the name says (seconds, bytes).
 */
export class Summary extends LabelledMetric<SummaryStat> {
  readonly #clock: Clock;
  readonly #windowMs: number;

  constructor(options: MetricOptions, clock: Clock, windowMs: number) {
    super(options);
    this.#clock = clock;
    this.#windowMs = windowMs;
    if (this.labelNames.length === 0) this.single();
  }

  observe(value: number): void {
    this.single().observe(value);
  }

  collect(): MetricFamily[] {
    return summaryFamilies(this.name, this.help, [...this.children()].map(({ labels, child }) => [labels, child]));
  }

  protected createChild(): SummaryStat {
    return new SummaryStat(this.#clock, this.#windowMs);
  }
}

/** The `name` summary and `name_max` gauge families of some stats; `scale` converts their unit (ms to s: 0.001). */
export function summaryFamilies(name: string, help: string, stats: Iterable<readonly [Labels, SummaryStat]>, scale = 1): MetricFamily[] {
  const samples: MetricSample[] = [];
  const maxima: MetricSample[] = [];
  for (const [labels, stat] of stats) {
    samples.push({ suffix: '_sum', labels, value: stat.sum * scale }, { suffix: '_count', labels, value: stat.count });
    maxima.push({ labels, value: stat.max * scale });
  }
  return [
    { name, help, type: 'summary', samples },
    { name: `${name}_max`, help: `${help} Largest value in the last one to two sample windows.`, type: 'gauge', samples: maxima },
  ];
}

type AnyMetric = Counter | Gauge | Summary;

export class MetricsRegistry {
  readonly clock: Clock;
  readonly maxWindowMs: number;
  readonly #metrics = new Map<string, AnyMetric>();
  readonly #reserved = new Set<string>();
  readonly #collectors = new Set<Collector>();

  constructor(options: MetricsRegistryOptions = {}) {
    this.clock = options.clock ?? (() => performance.now());
    this.maxWindowMs = options.maxWindowMs ?? DEFAULT_MAX_WINDOW_MS;
  }

  counter(options: MetricOptions): Counter {
    return this.#declare(options, Counter, () => new Counter(options));
  }

  gauge(options: MetricOptions): Gauge {
    return this.#declare(options, Gauge, () => new Gauge(options));
  }

  summary(options: MetricOptions): Summary {
    return this.#declare(options, Summary, () => new Summary(options, this.clock, this.maxWindowMs), [`${options.name}_max`]);
  }

  /** Adds a scrape-time producer of families; returns its removal. */
  addCollector(collector: Collector): () => void {
    this.#collectors.add(collector);
    return () => {
      this.#collectors.delete(collector);
    };
  }

  /** Every family, same-name families merged; throws when two disagree on the type. */
  collect(): MetricFamily[] {
    const byName = new Map<string, { name: string; help: string; type: MetricType; samples: MetricSample[] }>();
    const add = (family: MetricFamily) => {
      const existing = byName.get(family.name);
      if (existing === undefined) {
        byName.set(family.name, { name: family.name, help: family.help, type: family.type, samples: [...family.samples] });
        return;
      }
      if (existing.type !== family.type) throw new Error(`Metric '${family.name}' is both a ${existing.type} and a ${family.type}`);
      existing.samples.push(...family.samples);
    };
    for (const metric of this.#metrics.values()) for (const family of metric.collect()) add(family);
    for (const collector of this.#collectors) for (const family of collector()) add(family);
    return [...byName.values()];
  }

  /** The scrape, in the text exposition format. */
  exposition(): string {
    return renderExposition(this.collect());
  }

  #declare<M extends AnyMetric>(options: MetricOptions, kind: abstract new (...args: never[]) => M, create: () => M, extraNames: string[] = []): M {
    const existing = this.#metrics.get(options.name);
    if (existing !== undefined) {
      const sameLabels = existing.labelNames.join(',') === (options.labelNames ?? []).join(',');
      if (existing instanceof kind && sameLabels) return existing;
      throw new Error(`Metric '${options.name}' is already registered differently`);
    }
    for (const name of [options.name, ...extraNames]) {
      if (this.#reserved.has(name)) throw new Error(`Metric name '${name}' is already taken`);
    }
    const metric = create();
    this.#metrics.set(options.name, metric);
    for (const name of [options.name, ...extraNames]) this.#reserved.add(name);
    return metric;
  }
}
