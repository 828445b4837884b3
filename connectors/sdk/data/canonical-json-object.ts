/**
 * Whether a JSON text is an object in the canonical form of json-source.ts, decided by reading
 * the text once without building anything: what lets a reader hand out a LazyJsonMap, which is
 * parsed only if something asks for its entries, instead of parsing every record up front.
 *
 * The text must already have passed NOT_PLAIN_JSON (no `\`, control characters, surrogates or
 * U+FFFD), so a string is the text between two quotes. It is canonical when it is one object
 * with no whitespace anywhere, numbers as `canonicalNumber` wants them, no key repeated within an
 * object, no key starting with a digit (JSON.parse would move an array-index key to the front,
 * so a reader built on it would not keep the text's order), and nesting of at most MAX_DEPTH.
 * Anything else, every invalid text included, is "not canonical": the reader then takes its
 * usual way, which gives the usual value or error. So a text this accepts is valid JSON that
 * every reader of ferry reads without error, into a value whose canonical text it is.
 *
 * Objects of more than MAX_KEYS members are refused too (their keys are compared pairwise).
 */
import { canonicalNumber } from './json-source.js';
import { numberTokenEnd } from './json-number-token.js';

const MAX_DEPTH = 64;
const MAX_KEYS = 64;
const QUOTE = 0x22;
const MINUS = 0x2d;
const COMMA = 0x2c;
const COLON = 0x3a;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const NOT_CANONICAL = -1;

/** Start and end of each key of the objects being read, innermost object last. */
const keyBounds = new Int32Array(2 * MAX_KEYS * 4);

export function isCanonicalJsonObject(text: string): boolean {
  return text.charCodeAt(0) === OPEN_BRACE && readValue(text, 0, 0, 0) === text.length;
}

/** The position after the value at `at`, or NOT_CANONICAL; `keysFrom` is where this value's objects may keep their keys. */
function readValue(text: string, at: number, depth: number, keysFrom: number): number {
  const c = text.charCodeAt(at);
  if (c === QUOTE) {
    const end = text.indexOf('"', at + 1);
    return end < 0 ? NOT_CANONICAL : end + 1;
  }
  if (c === OPEN_BRACE) return depth < MAX_DEPTH ? readObject(text, at, depth + 1, keysFrom) : NOT_CANONICAL;
  if (c === OPEN_BRACKET) return depth < MAX_DEPTH ? readArray(text, at, depth + 1, keysFrom) : NOT_CANONICAL;
  if (c === MINUS || (c >= ZERO && c <= NINE)) return readNumber(text, at);
  if (text.startsWith('true', at) || text.startsWith('null', at)) return at + 4;
  if (text.startsWith('false', at)) return at + 5;
  return NOT_CANONICAL;
}

function readObject(text: string, at: number, depth: number, keysFrom: number): number {
  let pos = at + 1;
  if (text.charCodeAt(pos) === CLOSE_BRACE) return pos + 1;
  let keys = 0;
  for (;;) {
    if (text.charCodeAt(pos) !== QUOTE) return NOT_CANONICAL;
    const first = text.charCodeAt(pos + 1);
    if (first >= ZERO && first <= NINE) return NOT_CANONICAL;
    const keyEnd = text.indexOf('"', pos + 1);
    if (keyEnd < 0 || text.charCodeAt(keyEnd + 1) !== COLON) return NOT_CANONICAL;
    const slot = keysFrom + 2 * keys;
    if (keys === MAX_KEYS || slot + 2 > keyBounds.length || repeatsKey(text, pos + 1, keyEnd, keysFrom, keys)) return NOT_CANONICAL;
    keyBounds[slot] = pos + 1;
    keyBounds[slot + 1] = keyEnd;
    keys++;
    pos = readValue(text, keyEnd + 2, depth, slot + 2);
    if (pos === NOT_CANONICAL) return NOT_CANONICAL;
    const next = text.charCodeAt(pos++);
    if (next === CLOSE_BRACE) return pos;
    if (next !== COMMA) return NOT_CANONICAL;
  }
}

function readArray(text: string, at: number, depth: number, keysFrom: number): number {
  let pos = at + 1;
  if (text.charCodeAt(pos) === CLOSE_BRACKET) return pos + 1;
  for (;;) {
    pos = readValue(text, pos, depth, keysFrom);
    if (pos === NOT_CANONICAL) return NOT_CANONICAL;
    const next = text.charCodeAt(pos++);
    if (next === CLOSE_BRACKET) return pos;
    if (next !== COMMA) return NOT_CANONICAL;
  }
}

/** True when text[start, end) equals one of the `count` keys kept from `keysFrom`. */
function repeatsKey(text: string, start: number, end: number, keysFrom: number, count: number): boolean {
  const length = end - start;
  for (let k = 0; k < count; k++) {
    const otherStart = keyBounds[keysFrom + 2 * k]!;
    if (keyBounds[keysFrom + 2 * k + 1]! - otherStart !== length) continue;
    let i = 0;
    while (i < length && text.charCodeAt(start + i) === text.charCodeAt(otherStart + i)) i++;
    if (i === length) return true;
  }
  return false;
}

/** The position after a number token that `canonicalNumber` accepts (never one with an exponent); NOT_CANONICAL otherwise. */
function readNumber(text: string, at: number): number {
  const end = numberTokenEnd(text, at);
  if (end < 0) return NOT_CANONICAL;
  const token = text.slice(at, end);
  return canonicalNumber(token, Number(token)) ? end : NOT_CANONICAL;
}
