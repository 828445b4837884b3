/**
 * What a scrape is made of: metric families (one name, help text and type) and their samples,
 * as the Prometheus text format lays them out. Summaries carry `_sum` and `_count` samples
 * through `suffix`.
 */
export type MetricType = 'counter' | 'gauge' | 'summary';

/** Label names to values, rendered in insertion order. */
export type Labels = Readonly<Record<string, string>>;

export interface MetricSample {
  /** Appended to the family name (`_sum`, `_count`); none for plain samples. */
  readonly suffix?: string;
  readonly labels: Labels;
  readonly value: number;
}

export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly samples: readonly MetricSample[];
}

/** Produces families at scrape time. Must be cheap and must not throw. */
export type Collector = () => Iterable<MetricFamily>;

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isValidMetricName(name: string): boolean {
  return METRIC_NAME.test(name);
}

/** Label names starting with `__` are reserved by Prometheus. */
export function isValidLabelName(name: string): boolean {
  return LABEL_NAME.test(name) && !name.startsWith('__');
}
