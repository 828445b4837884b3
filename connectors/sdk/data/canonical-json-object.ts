/**
 * Whether a JSON text is an object in the canonical form of json-source.ts, decided by reading
 * its UTF-8 bytes once without building anything (and without decoding them into a string):
 * what lets a reader hand out a LazyJsonMap, which is parsed only if something asks for its
 * entries, instead of parsing every record up front.
 *
 * The text must already be known plain: no `\`, control characters, surrogates or U+FFFD (plain
 * ASCII bytes found by plain-ascii-scan.ts, or a decoded text NOT_PLAIN_JSON does not match),
 * so a string is the bytes between two quotes and the bytes are valid UTF-8. Reading the bytes
 * decides as reading the decoded text would: a multi-byte character has no byte below 0x80, so it
 * is never taken for a quote or any other JSON syntax, and two keys are equal exactly when their
 * bytes are. It is canonical when it is one object with no whitespace anywhere, numbers as
 * `canonicalNumber` (json-source.ts) wants them, no key repeated within an object, no key starting with a digit
 * (JSON.parse would move an array-index key to the front, so a reader built on it would not keep
 * the text's order), and nesting of at most MAX_DEPTH. Anything else, every invalid text
 * included, is "not canonical": the reader then takes its usual way, which gives the usual value
 * or error. So a text this accepts is valid JSON that every reader of ferry reads without error,
 * into a value whose canonical text it is.
 *
 * Objects of more than MAX_KEYS members are refused too (their keys are compared pairwise).
 *
 * Reading starts at `start` and must end exactly at `end`: positions only grow, so a byte read
 * past `end` (the next line of a file, say) can only make the text not canonical.
 */

const MAX_DEPTH = 64;
const MAX_KEYS = 64;
const QUOTE = 0x22;
const MINUS = 0x2d;
const DOT = 0x2e;
const COMMA = 0x2c;
const COLON = 0x3a;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const NOT_CANONICAL = -1;
/** Strings are searched for their closing quote byte by byte up to this length, then by indexOf (a native call). */
const SHORT_STRING = 24;
/** Integers of at most this many digits are safe integers, which `canonicalNumber` takes as they are. */
const SAFE_DIGITS = 15;

/** Start and end of each key of the objects being read, innermost object last. */
const keyBounds = new Int32Array(2 * MAX_KEYS * 4);

const NO_TEXT = Buffer.alloc(0);

/**
 * The text being read and where it ends: set by isCanonicalJsonObject for one call, read by the
 * functions below. Dropped afterwards, so that the module does not keep the last Buffer it read
 * (a whole fetch response or downloaded object) from the garbage collector.
 */
let text: Buffer = NO_TEXT;
let limit = 0;

export function isCanonicalJsonObject(bytes: Buffer, start = 0, end = bytes.length): boolean {
  if (bytes[start] !== OPEN_BRACE) return false;
  text = bytes;
  limit = end;
  const canonical = readValue(start, 0, 0) === end;
  text = NO_TEXT;
  return canonical;
}

/** The position after the value at `at`, or NOT_CANONICAL; `keysFrom` is where this value's objects may keep their keys. */
function readValue(at: number, depth: number, keysFrom: number): number {
  const c = text[at];
  if (c === QUOTE) return stringEnd(at);
  if (c === OPEN_BRACE) return depth < MAX_DEPTH ? readObject(at, depth + 1, keysFrom) : NOT_CANONICAL;
  if (c === OPEN_BRACKET) return depth < MAX_DEPTH ? readArray(at, depth + 1, keysFrom) : NOT_CANONICAL;
  if (c === MINUS || (c !== undefined && c >= ZERO && c <= NINE)) return readNumber(at);
  if (c === 0x74) return literalEnd(at, 0x72, 0x75, 0x65, -1); // true
  if (c === 0x6e) return literalEnd(at, 0x75, 0x6c, 0x6c, -1); // null
  if (c === 0x66) return literalEnd(at, 0x61, 0x6c, 0x73, 0x65); // false
  return NOT_CANONICAL;
}

/** The position after the literal at `at` whose next bytes are b1, b2, b3 (and b4 unless -1). */
function literalEnd(at: number, b1: number, b2: number, b3: number, b4: number): number {
  if (text[at + 1] !== b1 || text[at + 2] !== b2 || text[at + 3] !== b3) return NOT_CANONICAL;
  if (b4 < 0) return at + 4;
  return text[at + 4] === b4 ? at + 5 : NOT_CANONICAL;
}

/** The position after the string whose opening quote is at `at`. */
function stringEnd(at: number): number {
  const close = closingQuote(at + 1);
  return close < 0 ? NOT_CANONICAL : close + 1;
}

/** The position of the first quote at or after `from`, before `limit`; -1 when there is none. */
function closingQuote(from: number): number {
  const shortEnd = Math.min(from + SHORT_STRING, limit);
  for (let i = from; i < shortEnd; i++) if (text[i] === QUOTE) return i;
  if (shortEnd === limit) return -1;
  const found = text.indexOf(QUOTE, shortEnd);
  return found < 0 || found >= limit ? -1 : found;
}

function readObject(at: number, depth: number, keysFrom: number): number {
  let pos = at + 1;
  if (text[pos] === CLOSE_BRACE) return pos + 1;
  let keys = 0;
  for (;;) {
    if (text[pos] !== QUOTE) return NOT_CANONICAL;
    const first = text[pos + 1];
    if (first !== undefined && first >= ZERO && first <= NINE) return NOT_CANONICAL;
    const keyEnd = closingQuote(pos + 1);
    if (keyEnd < 0 || text[keyEnd + 1] !== COLON) return NOT_CANONICAL;
    const slot = keysFrom + 2 * keys;
    if (keys === MAX_KEYS || slot + 2 > keyBounds.length || repeatsKey(pos + 1, keyEnd, keysFrom, keys)) return NOT_CANONICAL;
    keyBounds[slot] = pos + 1;
    keyBounds[slot + 1] = keyEnd;
    keys++;
    pos = readValue(keyEnd + 2, depth, slot + 2);
    if (pos === NOT_CANONICAL) return NOT_CANONICAL;
    const next = text[pos++];
    if (next === CLOSE_BRACE) return pos;
    if (next !== COMMA) return NOT_CANONICAL;
  }
}

function readArray(at: number, depth: number, keysFrom: number): number {
  let pos = at + 1;
  if (text[pos] === CLOSE_BRACKET) return pos + 1;
  for (;;) {
    pos = readValue(pos, depth, keysFrom);
    if (pos === NOT_CANONICAL) return NOT_CANONICAL;
    const next = text[pos++];
    if (next === CLOSE_BRACKET) return pos;
    if (next !== COMMA) return NOT_CANONICAL;
  }
}

/** True when text[start, end) equals one of the `count` keys kept from `keysFrom`. */
function repeatsKey(start: number, end: number, keysFrom: number, count: number): boolean {
  const length = end - start;
  for (let k = 0; k < count; k++) {
    const otherStart = keyBounds[keysFrom + 2 * k]!;
    if (keyBounds[keysFrom + 2 * k + 1]! - otherStart !== length) continue;
    let i = 0;
    while (i < length && text[start + i] === text[otherStart + i]) i++;
    if (i === length) return true;
  }
  return false;
}

/**
 * The position after a number token that `canonicalNumber` accepts (never one with an exponent);
 * NOT_CANONICAL otherwise: what `canonicalNumber` answers for the token and its value, decided
 * on the bytes. An integer is canonical when it has at most SAFE_DIGITS characters (a safe
 * integer, written as String() writes it); a decimal, see canonicalDecimal.
 */
function readNumber(at: number): number {
  let i = text[at] === MINUS ? at + 1 : at;
  const digitsFrom = i;
  while (i < limit && isDigitByte(text[i]!)) i++;
  const digits = i - digitsFrom;
  if (digits === 0 || (text[digitsFrom] === ZERO && digits > 1)) return NOT_CANONICAL;
  const c = i < limit ? text[i]! : -1;
  if (c !== DOT) {
    // An exponent is never canonical; `-0` is not either.
    if (c === 0x65 || c === 0x45 || (digits === 1 && text[digitsFrom] === ZERO && digitsFrom > at)) return NOT_CANONICAL;
    return digits + (digitsFrom - at) <= SAFE_DIGITS ? i : NOT_CANONICAL;
  }
  i++;
  const fractionFrom = i;
  while (i < limit && isDigitByte(text[i]!)) i++;
  if (i === fractionFrom) return NOT_CANONICAL;
  const e = i < limit ? text[i]! : -1;
  if (e === 0x65 || e === 0x45) return NOT_CANONICAL;
  return canonicalDecimal(digitsFrom, fractionFrom - 1, i) ? i : NOT_CANONICAL;
}

/**
 * What `canonicalNumber` answers for the decimal token whose integer digits start at `intFrom`
 * (without a leading zero before other digits: checked before), whose point is at `dot` and
 * which ends at `end`, read off its digits. A decimal it accepts has at most 15 significant
 * digits and a last digit that is not zero, so its value is not an integer, and it is canonical
 * when isShortestDecimal holds and 1e-3 <= |value| < 1e7: no trailing zero, at most 15
 * significant digits, at most 7 integer digits, and for `0.…` a digit other than zero among the
 * first three after the point. (A decimal of at most 15 significant digits is exactly the one
 * its double reads back as, so these bounds decide as the comparisons of its value do.)
 */
function canonicalDecimal(intFrom: number, dot: number, end: number): boolean {
  if (text[end - 1] === ZERO) return false;
  const intDigits = dot - intFrom;
  if (intDigits > 7) return false;
  if (intDigits === 1 && text[intFrom] === ZERO) {
    let first = dot + 1;
    while (text[first] === ZERO) first++;
    return first - dot <= 3 && end - first <= 15;
  }
  return intDigits + (end - dot - 1) <= 15;
}

function isDigitByte(b: number): boolean {
  return b >= ZERO && b <= NINE;
}
