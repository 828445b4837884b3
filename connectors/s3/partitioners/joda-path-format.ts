/**
 * The subset of Joda-Time's DateTimeFormat patterns that time-based partitioners use in
 * `path.format`: quoted literals ('year'= , '' for a quote) and the letters
 *   y Y (year; yy = two digits), M (month; MMM/MMMM names), d (day of month), D (day of year),
 *   H k h K (hours), m, s, S (fraction), E (day name), e (day of week, Monday 1), a (AM/PM),
 *   Z (offset, +0100 or +01:00 for ZZ).
 * Counts pad numbers with zeros as Joda does. Other letters are rejected when the config is
 * validated, so a pattern never formats differently from Confluent's without saying so.
 */
import { localTime, zoneOffsetMs } from './time-zone.js';

type Token = { literal: string } | { letter: string; count: number };

const SUPPORTED = new Set([...'yYMdDHkhKmsSEeaZ']);

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        tokens.push({ literal: "'" });
        i += 2;
        continue;
      }
      let text = '';
      i++;
      while (i < pattern.length) {
        if (pattern[i] === "'" && pattern[i + 1] === "'") {
          text += "'";
          i += 2;
        } else if (pattern[i] === "'") {
          break;
        } else {
          text += pattern[i++];
        }
      }
      if (i >= pattern.length) throw new Error(`Unterminated quote in path.format ${pattern}`);
      i++;
      tokens.push({ literal: text });
    } else if (/[A-Za-z]/.test(c)) {
      let count = 1;
      while (pattern[i + count] === c) count++;
      tokens.push({ letter: c, count });
      i += count;
    } else {
      tokens.push({ literal: c });
      i++;
    }
  }
  return tokens;
}

/** What is wrong with a pattern, or undefined when it can be formatted. */
export function pathFormatProblem(pattern: string): string | undefined {
  try {
    for (const token of tokenize(pattern)) {
      if ('letter' in token && !SUPPORTED.has(token.letter)) return `Unsupported pattern letter ${token.letter} in path.format ${pattern}`;
    }
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export class JodaPathFormat {
  readonly #tokens: Token[];
  readonly #zone: string;
  readonly #monthShort: Intl.DateTimeFormat;
  readonly #monthLong: Intl.DateTimeFormat;
  readonly #dayShort: Intl.DateTimeFormat;
  readonly #dayLong: Intl.DateTimeFormat;

  constructor(pattern: string, zone: string, locale: string) {
    const problem = pathFormatProblem(pattern);
    if (problem !== undefined) throw new Error(problem);
    this.#tokens = tokenize(pattern);
    this.#zone = zone;
    const tag = locale.replace(/_/g, '-') || 'en-US';
    this.#monthShort = new Intl.DateTimeFormat(tag, { month: 'short', timeZone: 'UTC' });
    this.#monthLong = new Intl.DateTimeFormat(tag, { month: 'long', timeZone: 'UTC' });
    this.#dayShort = new Intl.DateTimeFormat(tag, { weekday: 'short', timeZone: 'UTC' });
    this.#dayLong = new Intl.DateTimeFormat(tag, { weekday: 'long', timeZone: 'UTC' });
  }

  format(epochMs: number): string {
    const local = localTime(this.#zone, epochMs);
    let out = '';
    for (const token of this.#tokens) out += 'literal' in token ? token.literal : this.#field(token.letter, token.count, local, epochMs);
    return out;
  }

  #field(letter: string, count: number, local: Date, epochMs: number): string {
    switch (letter) {
      case 'y':
      case 'Y': {
        const year = local.getUTCFullYear();
        return count === 2 ? pad(year % 100, 2) : pad(year, count);
      }
      case 'M':
        if (count >= 4) return this.#monthLong.format(local);
        if (count === 3) return this.#monthShort.format(local);
        return pad(local.getUTCMonth() + 1, count);
      case 'd':
        return pad(local.getUTCDate(), count);
      case 'D': {
        const startOfYear = Date.UTC(local.getUTCFullYear(), 0, 1);
        return pad(Math.floor((local.getTime() - startOfYear) / 86_400_000) + 1, count);
      }
      case 'H':
        return pad(local.getUTCHours(), count);
      case 'k':
        return pad(local.getUTCHours() === 0 ? 24 : local.getUTCHours(), count);
      case 'h':
        return pad(local.getUTCHours() % 12 === 0 ? 12 : local.getUTCHours() % 12, count);
      case 'K':
        return pad(local.getUTCHours() % 12, count);
      case 'm':
        return pad(local.getUTCMinutes(), count);
      case 's':
        return pad(local.getUTCSeconds(), count);
      case 'S':
        return pad(local.getUTCMilliseconds(), 3).slice(0, count).padEnd(count, '0');
      case 'E':
        return count >= 4 ? this.#dayLong.format(local) : this.#dayShort.format(local);
      case 'e':
        return pad(local.getUTCDay() === 0 ? 7 : local.getUTCDay(), count);
      case 'a':
        return local.getUTCHours() < 12 ? 'AM' : 'PM';
      case 'Z': {
        const offset = zoneOffsetMs(this.#zone, epochMs) / 60_000;
        const sign = offset < 0 ? '-' : '+';
        const hours = pad(Math.floor(Math.abs(offset) / 60), 2);
        const minutes = pad(Math.abs(offset) % 60, 2);
        return count >= 2 ? `${sign}${hours}:${minutes}` : `${sign}${hours}${minutes}`;
      }
      default:
        throw new Error(`Unsupported pattern letter ${letter}`);
    }
  }
}
