/**
 * Calendar arithmetic and ISO-8601 text for MySQL temporal values, matching java.time as
 * Debezium uses it: proleptic Gregorian days for years 0-9999 (JS Date.UTC maps years 0-99 to
 * 19xx, so it is not used), years printed with at least four digits, fractions printed either
 * trimmed of trailing zeros (DateTimeFormatter.ISO_* : `.5`, `.123`) or with a fixed width.
 */

const MICROS_PER_SECOND = 1_000_000n;
const MICROS_PER_DAY = 86_400_000_000n;

/** Days since 1970-01-01 of a proleptic Gregorian date. */
export function epochDay(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthIndex = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthIndex + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The date of a day since the epoch. */
export function civilFromEpochDay(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Microseconds since the epoch of a wall-clock date and time read as UTC. */
export function epochMicros(year: number, month: number, day: number, hour: number, minute: number, second: number, micro: number): bigint {
  const seconds = BigInt(hour * 3600 + minute * 60 + second);
  return BigInt(epochDay(year, month, day)) * MICROS_PER_DAY + seconds * MICROS_PER_SECOND + BigInt(micro);
}

/** `yyyy-MM-dd` as ISO_LOCAL_DATE prints it (four digits at least, `+` beyond 9999). */
export function isoLocalDate(year: number, month: number, day: number): string {
  const y = year > 9999 ? `+${year}` : year < 0 ? `-${String(-year).padStart(4, '0')}` : String(year).padStart(4, '0');
  return `${y}-${pad2(month)}-${pad2(day)}`;
}

/**
 * `HH:mm:ss` plus the fraction of `micro`: trimmed of trailing zeros when `fractionDigits` is
 * null (ISO_LOCAL_TIME), else exactly that many digits (1-6).
 */
export function isoLocalTime(hour: number, minute: number, second: number, micro: number, fractionDigits: number | null): string {
  return `${pad2(hour)}:${pad2(minute)}:${pad2(second)}${fraction(micro, fractionDigits)}`;
}

function fraction(micro: number, digits: number | null): string {
  const six = String(micro).padStart(6, '0');
  if (digits === null) {
    const trimmed = six.replace(/0+$/, '');
    return trimmed === '' ? '' : `.${trimmed}`;
  }
  return `.${six.slice(0, digits)}`;
}

/** The UTC date and time of microseconds since the epoch. */
export function utcPartsOfEpochMicros(micros: bigint): {
  year: number; month: number; day: number; hour: number; minute: number; second: number; micro: number;
} {
  let days = micros / MICROS_PER_DAY;
  let rest = micros % MICROS_PER_DAY;
  if (rest < 0n) {
    rest += MICROS_PER_DAY;
    days -= 1n;
  }
  const { year, month, day } = civilFromEpochDay(Number(days));
  const microOfDay = Number(rest);
  const secondOfDay = Math.floor(microOfDay / 1_000_000);
  return {
    year, month, day,
    hour: Math.floor(secondOfDay / 3600),
    minute: Math.floor((secondOfDay % 3600) / 60),
    second: secondOfDay % 60,
    micro: microOfDay % 1_000_000,
  };
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
