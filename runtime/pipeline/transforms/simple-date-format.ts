/**
 * Java's SimpleDateFormat as TimestampConverter and TimestampRouter use it: always UTC, US
 * English names, proleptic Gregorian calendar, lenient parsing.
 *
 * Supported pattern letters (anything else in a-z/A-Z is rejected, as Java does):
 *   G era (AD/BC)            y year (yy = two digits)   Y week year (US weeks)
 *   M / L month (M, MM, MMM = Jan, MMMM = January)      w week of year   W week of month
 *   D day of year            d day of month             F day-of-week in month
 *   E day name (E..EEE = Mon, EEEE = Monday)            u day number of week (1 = Monday)
 *   a AM/PM                  H hour 0-23   k hour 1-24   K hour 0-11   h hour 1-12
 *   m minute                 s second      S millisecond (a count, not a fraction: SSS)
 *   z zone name (UTC)        Z zone offset (+0000)     X ISO 8601 zone (Z; X, XX or XXX)
 * Text in single quotes is literal (`'T'`), `''` is a quote; other characters are literal.
 * Numeric fields are zero-padded to the letter count when formatting.
 *
 * Parsing follows Java: the letter count only matters between two adjacent numeric fields
 * (`yyyyMMdd`), where a field takes exactly that many digits; otherwise a field takes all the
 * digits there are. `yy` with two digits picks the century within 80 years before and 20 after
 * now. Out-of-range values roll over (month 13 is January of the next year). Text after the
 * pattern is ignored. Zones accept `Z`, `UTC`, `GMT`, `GMT+01:00`, `+01`, `+0100` and `+01:00`.
 */

const PATTERN_LETTERS = 'GyYMLwWDdFEuaHkKhmsSzZX';
const NUMERIC_LETTERS = 'yYwWDdFuHkKhmsS';
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MILLIS_PER_DAY = 86_400_000;

type Token = { readonly kind: 'literal'; readonly text: string } | { readonly kind: 'field'; readonly letter: string; readonly count: number };

/** Thrown for a pattern SimpleDateFormat would reject. */
export class DatePatternError extends Error {
  override readonly name = 'DatePatternError';
}

/** Thrown when text does not match the pattern (Java's ParseException). */
export class DateParseError extends Error {
  override readonly name = 'DateParseError';
}

export class SimpleDateFormat {
  readonly pattern: string;
  readonly #tokens: readonly Token[];

  /** Throws DatePatternError for an unknown letter, an unterminated quote or an X count over 3. */
  constructor(pattern: string) {
    this.pattern = pattern;
    this.#tokens = compile(pattern);
  }

  format(date: Date): string {
    const ms = date.getTime();
    if (Number.isNaN(ms)) throw new RangeError('Cannot format an invalid Date');
    return this.#tokens.map((t) => (t.kind === 'literal' ? t.text : formatField(t.letter, t.count, date))).join('');
  }

  /** Throws DateParseError when `text` does not start with a date in this pattern. */
  parse(text: string): Date {
    const fields = new ParsedFields();
    let pos = 0;
    for (let i = 0; i < this.#tokens.length; i++) {
      const token = this.#tokens[i];
      if (token.kind === 'literal') {
        if (!text.startsWith(token.text, pos)) throw unparseable(text);
        pos += token.text.length;
        continue;
      }
      const next = this.#tokens[i + 1];
      const abutting = next !== undefined && next.kind === 'field' && isNumericField(next.letter, next.count);
      const end = parseField(token.letter, token.count, text, pos, abutting, fields);
      if (end < 0) throw unparseable(text);
      pos = end;
    }
    return fields.toDate();
  }
}

function unparseable(text: string): DateParseError {
  return new DateParseError(`Unparseable date: "${text}"`);
}

function compile(pattern: string): Token[] {
  const tokens: Token[] = [];
  let literal = '';
  const flushLiteral = () => {
    if (literal !== '') tokens.push({ kind: 'literal', text: literal });
    literal = '';
  };
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        literal += "'";
        i += 2;
        continue;
      }
      let j = i + 1;
      for (;;) {
        if (j >= pattern.length) throw new DatePatternError('Unterminated quote');
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") {
            literal += "'";
            j += 2;
            continue;
          }
          break;
        }
        literal += pattern[j];
        j++;
      }
      i = j + 1;
      continue;
    }
    if (/[a-zA-Z]/.test(c)) {
      if (!PATTERN_LETTERS.includes(c)) throw new DatePatternError(`Illegal pattern character '${c}'`);
      let count = 1;
      while (pattern[i + count] === c) count++;
      if (c === 'X' && count > 3) throw new DatePatternError(`invalid ISO 8601 format: length=${count}`);
      flushLiteral();
      tokens.push({ kind: 'field', letter: c, count });
      i += count;
      continue;
    }
    literal += c;
    i++;
  }
  flushLiteral();
  return tokens;
}

function isNumericField(letter: string, count: number): boolean {
  return NUMERIC_LETTERS.includes(letter) || ((letter === 'M' || letter === 'L') && count <= 2);
}

function pad(value: number, count: number): string {
  const digits = String(Math.abs(value)).padStart(count, '0');
  return value < 0 ? `-${digits}` : digits;
}

/** US week fields: weeks start on Sunday and week 1 is the one holding January 1. */
function usWeek(date: Date): { weekYear: number; week: number } {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const day = date.getUTCDate();
  const nextJan1Dow = utcDate(year + 1, 0, 1).getUTCDay();
  if (month === 11 && nextJan1Dow !== 0 && day >= 32 - nextJan1Dow) return { weekYear: year + 1, week: 1 };
  const jan1Dow = utcDate(year, 0, 1).getUTCDay();
  return { weekYear: year, week: Math.floor((dayOfYear(date) - 1 + jan1Dow) / 7) + 1 };
}

function utcDate(year: number, month: number, day: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  return d;
}

function dayOfYear(date: Date): number {
  const start = utcDate(date.getUTCFullYear(), 0, 1).getTime();
  return Math.floor((date.getTime() - start) / MILLIS_PER_DAY) + 1;
}

function formatField(letter: string, count: number, date: Date): string {
  const year = date.getUTCFullYear();
  const hour = date.getUTCHours();
  switch (letter) {
    case 'G':
      return year > 0 ? 'AD' : 'BC';
    case 'y':
    case 'Y': {
      const y = letter === 'y' ? year : usWeek(date).weekYear;
      const eraYear = y > 0 ? y : 1 - y;
      return count === 2 ? pad(eraYear % 100, 2) : pad(eraYear, count);
    }
    case 'M':
    case 'L': {
      const month = date.getUTCMonth();
      if (count >= 4) return MONTHS[month];
      if (count === 3) return MONTHS[month].slice(0, 3);
      return pad(month + 1, count);
    }
    case 'w':
      return pad(usWeek(date).week, count);
    case 'W': {
      const firstDow = utcDate(year, date.getUTCMonth(), 1).getUTCDay();
      return pad(Math.floor((date.getUTCDate() - 1 + firstDow) / 7) + 1, count);
    }
    case 'D':
      return pad(dayOfYear(date), count);
    case 'd':
      return pad(date.getUTCDate(), count);
    case 'F':
      return pad(Math.floor((date.getUTCDate() - 1) / 7) + 1, count);
    case 'E': {
      const name = DAYS[date.getUTCDay()];
      return count >= 4 ? name : name.slice(0, 3);
    }
    case 'u':
      return pad(date.getUTCDay() === 0 ? 7 : date.getUTCDay(), count);
    case 'a':
      return hour < 12 ? 'AM' : 'PM';
    case 'H':
      return pad(hour, count);
    case 'k':
      return pad(hour === 0 ? 24 : hour, count);
    case 'K':
      return pad(hour % 12, count);
    case 'h':
      return pad(hour % 12 === 0 ? 12 : hour % 12, count);
    case 'm':
      return pad(date.getUTCMinutes(), count);
    case 's':
      return pad(date.getUTCSeconds(), count);
    case 'S':
      return pad(date.getUTCMilliseconds(), count);
    case 'z':
      return count >= 4 ? 'Coordinated Universal Time' : 'UTC';
    case 'Z':
      return '+0000';
    default:
      return 'Z';
  }
}

class ParsedFields {
  year: number | null = null;
  twoDigitYear = false;
  weekYear: number | null = null;
  bc = false;
  month: number | null = null;
  day: number | null = null;
  dayOfYear: number | null = null;
  hour24: number | null = null;
  hour12: number | null = null;
  pm: boolean | null = null;
  minute = 0;
  second = 0;
  millis = 0;
  offsetMinutes = 0;

  toDate(): Date {
    let year = this.year ?? this.weekYear ?? 1970;
    if (this.twoDigitYear && this.year !== null) year = resolveTwoDigitYear(this.year);
    if (this.bc) year = 1 - year;
    let hour = this.hour24 ?? 0;
    if (this.hour24 === null && this.hour12 !== null) hour = this.hour12 + (this.pm ? 12 : 0);
    else if (this.hour24 === null && this.pm) hour += 12;
    const date = new Date(0);
    if (this.dayOfYear !== null && this.month === null && this.day === null) date.setUTCFullYear(year, 0, this.dayOfYear);
    else date.setUTCFullYear(year, (this.month ?? 1) - 1, this.day ?? 1);
    date.setUTCHours(hour, this.minute - this.offsetMinutes, this.second, this.millis);
    return date;
  }
}

function resolveTwoDigitYear(twoDigits: number): number {
  const start = new Date().getUTCFullYear() - 80;
  const year = Math.floor(start / 100) * 100 + twoDigits;
  return twoDigits < start % 100 ? year + 100 : year;
}

const DIGITS = /\d+/y;

function readNumber(text: string, pos: number, count: number, obeyCount: boolean): { value: number; end: number; digits: number } | null {
  DIGITS.lastIndex = pos;
  const m = DIGITS.exec(text);
  if (!m) return null;
  let digits = m[0];
  if (obeyCount && digits.length > count) digits = digits.slice(0, count);
  return { value: Number(digits), end: pos + digits.length, digits: digits.length };
}

function matchName(text: string, pos: number, names: readonly string[]): { index: number; end: number } | null {
  const rest = text.slice(pos).toLowerCase();
  for (const candidates of [names, names.map((n) => n.slice(0, 3))]) {
    const index = candidates.findIndex((n) => rest.startsWith(n.toLowerCase()));
    if (index >= 0) return { index, end: pos + candidates[index].length };
  }
  return null;
}

const OFFSET = /([+-])(\d{2})(?::?(\d{2}))?/y;

function parseZone(text: string, pos: number, fields: ParsedFields): number {
  if (text[pos] === 'Z') {
    fields.offsetMinutes = 0;
    return pos + 1;
  }
  let at = pos;
  const prefix = /^(UTC|GMT|UT)/i.exec(text.slice(pos));
  if (prefix) {
    at += prefix[0].length;
    fields.offsetMinutes = 0;
  }
  OFFSET.lastIndex = at;
  const m = OFFSET.exec(text);
  if (!m) return prefix ? at : -1;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? '0');
  fields.offsetMinutes = m[1] === '-' ? -minutes : minutes;
  return OFFSET.lastIndex;
}

/** Reads one field at `pos` into `fields`; returns the position after it, or -1. */
function parseField(letter: string, count: number, text: string, pos: number, abutting: boolean, fields: ParsedFields): number {
  switch (letter) {
    case 'G': {
      const era = /^(AD|BC)/i.exec(text.slice(pos));
      if (!era) return -1;
      fields.bc = era[0].toUpperCase() === 'BC';
      return pos + 2;
    }
    case 'M':
    case 'L':
      if (count >= 3) {
        const name = matchName(text, pos, MONTHS);
        if (!name) return -1;
        fields.month = name.index + 1;
        return name.end;
      }
      break;
    case 'E': {
      const name = matchName(text, pos, DAYS);
      return name ? name.end : -1;
    }
    case 'a': {
      const marker = /^(AM|PM)/i.exec(text.slice(pos));
      if (!marker) return -1;
      fields.pm = marker[0].toUpperCase() === 'PM';
      return pos + 2;
    }
    case 'z':
    case 'Z':
    case 'X':
      return parseZone(text, pos, fields);
    default:
      break;
  }
  const n = readNumber(text, pos, count, abutting);
  if (n === null) return -1;
  switch (letter) {
    case 'y':
      fields.year = n.value;
      fields.twoDigitYear = count <= 2 && n.digits === 2;
      break;
    case 'Y':
      fields.weekYear = n.value;
      break;
    case 'M':
    case 'L':
      fields.month = n.value;
      break;
    case 'd':
      fields.day = n.value;
      break;
    case 'D':
      fields.dayOfYear = n.value;
      break;
    case 'H':
      fields.hour24 = n.value;
      break;
    case 'k':
      fields.hour24 = n.value === 24 ? 0 : n.value;
      break;
    case 'K':
      fields.hour12 = n.value;
      break;
    case 'h':
      fields.hour12 = n.value === 12 ? 0 : n.value;
      break;
    case 'm':
      fields.minute = n.value;
      break;
    case 's':
      fields.second = n.value;
      break;
    case 'S':
      fields.millis = n.value;
      break;
    default:
      break;
  }
  return n.end;
}
