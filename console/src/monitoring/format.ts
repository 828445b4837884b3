/** How the monitoring views write counts and rates. */

const counts = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const smallRates = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1, minimumFractionDigits: 1 });

/** A record count or offset with the locale's grouping; "—" for null. */
export function formatCount(value: number | null): string {
  return value === null ? '—' : counts.format(value);
}

/** Records per second: one decimal below 10, whole numbers above; "—" for null. */
export function formatRate(value: number | null): string {
  if (value === null) return '—';
  return value < 10 ? smallRates.format(value) : counts.format(Math.round(value));
}
