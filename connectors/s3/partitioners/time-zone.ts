/**
 * Time-zone arithmetic on Intl (no dependency): the offset of a zone at an instant, and the
 * local calendar fields of an instant, as Joda-Time's DateTimeZone gives them to Confluent's
 * time-based partitioners. Formatters are cached per zone.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** What is wrong with a time-zone name, or undefined when Intl knows it. */
export function timeZoneProblem(zone: string): string | undefined {
  try {
    formatterFor(zone);
    return undefined;
  } catch {
    return `Unknown time zone ${zone}`;
  }
}

/** Milliseconds to add to UTC to get the zone's local wall-clock time at `epochMs`. */
export function zoneOffsetMs(zone: string, epochMs: number): number {
  if (zone === 'UTC' || zone === 'Etc/UTC') return 0;
  const parts = formatterFor(zone).formatToParts(new Date(epochMs));
  const field = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second'));
  const wholeSeconds = epochMs - (((epochMs % 1000) + 1000) % 1000);
  return wall - wholeSeconds;
}

/** The local time of `epochMs` in `zone`, as a Date whose UTC fields are the local fields. */
export function localTime(zone: string, epochMs: number): Date {
  return new Date(epochMs + zoneOffsetMs(zone, epochMs));
}

/**
 * Start (UTC epoch ms) of the `durationMs`-wide bucket holding `epochMs`, buckets aligned on
 * local time in `zone` (Confluent's TimeBasedPartitioner.getPartition).
 */
export function bucketStart(zone: string, epochMs: number, durationMs: number): number {
  const local = epochMs + zoneOffsetMs(zone, epochMs);
  const localStart = Math.floor(local / durationMs) * durationMs;
  const guess = localStart - zoneOffsetMs(zone, localStart);
  return localStart - zoneOffsetMs(zone, guess);
}
