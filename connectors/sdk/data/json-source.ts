/**
 * The JSON text a schemaless object (a Map, as JSON readers hand objects to Connect) was read
 * from, kept beside it so that a writer can copy those bytes instead of writing the value again,
 * when that gives exactly the bytes it would write: the JsonConverter without schemas and the S3
 * JsonFormat read and write the same text for most records, which then need no serializing.
 *
 * A reader remembers a text only when it is in canonical form, the form every schemaless JSON
 * writer of ferry produces from the value read (JSON.stringify's strings, Jackson's, and the
 * JsonFormat's numbers agree on it):
 * - no whitespace, and each object member once (a reader compares the text's length with the
 *   length `rememberIfCanonical` works out for the value, which checks both at once);
 * - strings without escapes, control characters, surrogates (characters outside the BMP, which
 *   writers escape differently) or U+FFFD (which stands for bytes that were not UTF-8);
 * - numbers exactly as String() writes their value (`canonicalNumber`): integers of at most 15
 *   digits (no leading zero, no `-0`), other numbers in plain notation from 10^-3 to 10^7, where
 *   Java's Double.toString and String() agree, with at most 15 significant digits.
 *
 * A writer asks `jsonSourceOf` for the bytes of a value; it gets them only when the value still
 * holds, entry for entry, what the text held when it was read (the reader's snapshot of keys and
 * values): a transform or connector that changed the Map, or anything in it, makes the writer
 * write the value as before. Equal keys and values write equal text, so the check does not
 * need the same objects, only equal ones. The bytes are not copied, and a writer may hand them
 * on as they are: they must not change while the value may be read (readers pass the record's
 * or the file's own bytes; the S3 source reuses a file's buffer only once the runtime reports,
 * through SourceTask.recordsAcknowledged, that every record read from it is done with).
 */
import { isDigit } from './json-number-token.js';

/** Characters outside the canonical form in a string or anywhere in the text: `\`, control characters, surrogates, U+FFFD. */
// eslint-disable-next-line no-control-regex
export const NOT_PLAIN_JSON = /[\\\u0000-\u001f\ud800-\udfff\ufffd]/;

const MAP = Symbol('map');
const ARRAY = Symbol('array');

interface JsonSource {
  readonly bytes: Buffer;
  /**
   * The value as read, flattened: MAP, size, then key and value of each entry; ARRAY, length,
   * then items; scalars as they are. Null while the value is a LazyJsonMap nothing has read yet
   * (then it still holds exactly the text, by construction).
   */
  snapshot: readonly unknown[] | null;
}

/** Hands back the object it is constructed with, so that a subclass can add a field to any object. */
class Itself {
  constructor(target: object) {
    return target;
  }
}

/**
 * Keeps a JsonSource in a private field of the value itself: invisible to everything else
 * (enumeration, equality, inspection, cloning), and much cheaper for the garbage collector than
 * a WeakMap with an entry per record, which it must trace apart.
 */
class SourceField extends Itself {
  readonly #source: JsonSource;

  private constructor(target: object, source: JsonSource) {
    super(target);
    this.#source = source;
  }

  static attach(target: object, source: JsonSource): void {
    if (!SourceField.has(target)) new SourceField(target, source);
  }

  static has(target: object): boolean {
    return #source in target;
  }

  static get(target: object): JsonSource | undefined {
    return #source in target ? (target as SourceField).#source : undefined;
  }
}

/** True when `text` is a number token that every writer writes back as `text` from `value` (its value as read). */
export function canonicalNumber(text: string, value: number | bigint): boolean {
  if (typeof value === 'bigint') return text.length <= 15 && value.toString() === text;
  if (Number.isSafeInteger(value)) return text.length <= 15 && isPlainInteger(text);
  const magnitude = Math.abs(value);
  return magnitude >= 1e-3 && magnitude < 1e7 && isShortestDecimal(text);
}

/**
 * True when `text` is a plain decimal (`-`, digits, `.`, digits: no exponent) without a leading
 * zero before other integer digits, without trailing zeros after the point, and of at most 15
 * significant digits: then it is what String() writes for its value in plain notation. (Decimals
 * of at most 15 significant digits read back as different doubles, so no shorter decimal, which
 * String() would prefer, reads as the same one.)
 */
function isShortestDecimal(text: string): boolean {
  let i = text.charCodeAt(0) === 0x2d ? 1 : 0;
  const intStart = i;
  while (isDigit(text.charCodeAt(i))) i++;
  if (i === intStart || (text.charCodeAt(intStart) === 0x30 && i - intStart > 1) || text.charCodeAt(i) !== 0x2e) return false;
  const fracStart = ++i;
  while (isDigit(text.charCodeAt(i))) i++;
  if (i !== text.length || i === fracStart || text.charCodeAt(i - 1) === 0x30) return false;
  let first = intStart;
  while (first < text.length && (text.charCodeAt(first) === 0x30 || text.charCodeAt(first) === 0x2e)) first++;
  const significant = text.length - first - (first < fracStart ? 1 : 0);
  return significant <= 15;
}

/** True when `text` is digits with an optional `-`, without a leading zero (`0` itself aside) and not `-0`. */
function isPlainInteger(text: string): boolean {
  let i = text.charCodeAt(0) === 0x2d ? 1 : 0;
  if (text.charCodeAt(i) === 0x30) return text.length === 1;
  if (i === text.length) return false;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** Appends `value` to `snapshot`; its canonical length without numbers, or -1 when it has no canonical text. */
function walk(value: unknown, snapshot: unknown[]): number {
  switch (typeof value) {
    case 'string':
      snapshot.push(value);
      return value.length + 2;
    case 'number':
    case 'bigint':
      snapshot.push(value);
      return 0;
    case 'boolean':
      snapshot.push(value);
      return value ? 4 : 5;
    default:
      break;
  }
  if (value === null) {
    snapshot.push(null);
    return 4;
  }
  if (value instanceof Map) {
    snapshot.push(MAP, value.size);
    let length = 1 + Math.max(1, value.size);
    for (const [k, v] of value) {
      if (typeof k !== 'string') return -1;
      snapshot.push(k);
      const inner = walk(v, snapshot);
      if (inner < 0) return -1;
      length += k.length + 3 + inner;
    }
    return length;
  }
  if (Array.isArray(value)) {
    snapshot.push(ARRAY, value.length);
    let length = 1 + Math.max(1, value.length);
    for (const item of value) {
      const inner = walk(item, snapshot);
      if (inner < 0) return -1;
      length += inner;
    }
    return length;
  }
  return -1;
}

/**
 * Keeps `bytes` as the text of `value` when that text is the value's canonical text (see the
 * header): `textLength` characters read into `value`, of which `numberLength` were number
 * tokens the reader found canonical (`canonicalNumber`). The value's canonical length without
 * its numbers, plus those tokens, equals the text's length only when the text has no
 * whitespace and no repeated key; a value holding anything else than Maps with string keys,
 * arrays, strings, numbers, bigints, booleans and null keeps nothing.
 */
export function rememberIfCanonical(value: Map<unknown, unknown>, bytes: Buffer, textLength: number, numberLength: number): void {
  const snapshot: unknown[] = [];
  const lengthWithoutNumbers = walk(value, snapshot);
  if (lengthWithoutNumbers >= 0 && lengthWithoutNumbers + numberLength === textLength) SourceField.attach(value, { bytes, snapshot });
}

/**
 * Keeps `bytes`, the canonical text of an object (`isCanonicalJsonObject`), beside `map` before
 * the map holds anything: for LazyJsonMap, which calls `rememberRead` once it has read them.
 */
export function rememberUnread(map: Map<string, unknown>, bytes: Buffer): void {
  SourceField.attach(map, { bytes, snapshot: null });
}

/** Takes the snapshot of a map remembered by `rememberUnread`, now that it holds the entries read from its text. */
export function rememberRead(map: Map<string, unknown>): void {
  const source = SourceField.get(map);
  if (source === undefined || source.snapshot !== null) return;
  const snapshot: unknown[] = [];
  source.snapshot = walk(map, snapshot) >= 0 ? snapshot : [];
}

/** The text `value` was read from, when it still holds what was read; else undefined. */
export function jsonSourceOf(value: unknown): Buffer | undefined {
  if (!(value instanceof Map)) return undefined;
  const source = SourceField.get(value);
  if (source === undefined) return undefined;
  // Before a lazy map is read, nothing can have changed it: every change reads it first.
  const { snapshot } = source;
  if (snapshot === null) return source.bytes;
  return matches(value, snapshot, 0) === snapshot.length ? source.bytes : undefined;
}

/** The snapshot position after `value` when it matches the snapshot from `at`; -1 otherwise. */
function matches(value: unknown, snapshot: readonly unknown[], at: number): number {
  const expected = snapshot[at];
  if (expected === MAP) {
    if (!(value instanceof Map) || value.size !== snapshot[at + 1]) return -1;
    let next = at + 2;
    for (const [k, v] of value) {
      if (k !== snapshot[next]) return -1;
      next = matches(v, snapshot, next + 1);
      if (next < 0) return -1;
    }
    return next;
  }
  if (expected === ARRAY) {
    if (!Array.isArray(value) || value.length !== snapshot[at + 1]) return -1;
    let next = at + 2;
    for (const item of value) {
      next = matches(item, snapshot, next);
      if (next < 0) return -1;
    }
    return next;
  }
  return value === expected ? at + 1 : -1;
}
