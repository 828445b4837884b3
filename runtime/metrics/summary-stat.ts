/**
 * count, sum and a recent maximum of observed values: what a Prometheus summary without
 * quantiles plus a `_max` gauge needs, and what Kafka's `*-avg` / `*-max` attributes are
 * computed from (avg = rate(sum) / rate(count)).
 *
 * The maximum is windowed the way Kafka samples it (metrics.sample.window.ms, two samples):
 * it covers the current window and the one before, so a spike shows for one to two windows
 * and then decays to 0. Observing is allocation-free.
 */
export type Clock = () => number;

export const DEFAULT_MAX_WINDOW_MS = 30_000;

export class SummaryStat {
  count = 0;
  sum = 0;
  readonly #windowMs: number;
  readonly #clock: Clock;
  #windowStart: number;
  #currentMax = 0;
  #previousMax = 0;

  constructor(clock: Clock, windowMs = DEFAULT_MAX_WINDOW_MS) {
    this.#clock = clock;
    this.#windowMs = Math.max(1, windowMs);
    this.#windowStart = clock();
  }

  observe(value: number): void {
    this.count++;
    this.sum += value;
    this.#roll();
    if (value > this.#currentMax) this.#currentMax = value;
  }

  /** The largest value observed in the current and the previous window; 0 when none was. */
  get max(): number {
    this.#roll();
    return Math.max(this.#currentMax, this.#previousMax);
  }

  #roll(): void {
    const elapsed = this.#clock() - this.#windowStart;
    if (elapsed < this.#windowMs) return;
    const windows = Math.floor(elapsed / this.#windowMs);
    this.#previousMax = windows === 1 ? this.#currentMax : 0;
    this.#currentMax = 0;
    this.#windowStart += windows * this.#windowMs;
  }
}
