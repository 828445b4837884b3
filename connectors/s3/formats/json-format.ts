/**
 * Confluent's JsonFormat: each value as one JSON document on its own line, as Kafka's
 * JsonConverter writes it with schemas.enable=false. Structs and Maps with string keys become
 * objects (Maps with other keys become [key, value] pair arrays), bytes become base64 strings,
 * Decimals JSON numbers, Timestamps epoch milliseconds, Dates days since the epoch, Times
 * milliseconds of the day, and non-finite floats the strings "NaN", "Infinity", "-Infinity".
 *
 * Reading back (the S3 source) parses each line as schemaless JSON: objects become Maps, as the
 * JsonConverter hands schemaless objects to Connect. Integers beyond 2^53 lose precision.
 */
import { Decimal } from '../../sdk/data/decimal.js';
import { isCanonicalJsonObject } from '../../sdk/data/canonical-json-object.js';
import { jsonSourceOf, NOT_PLAIN_JSON, rememberIfCanonical } from '../../sdk/data/json-source.js';
import { LazyJsonMap } from '../../sdk/data/lazy-json-map.js';
import { firstNonPlainAscii } from '../../sdk/data/plain-ascii-scan.js';
import { quotedWithoutEscapes } from '../../sdk/data/json-string-check.js';
import { DATE_LOGICAL_NAME, TIME_LOGICAL_NAME } from '../../sdk/data/logical-names.js';
import type { Schema } from '../../sdk/data/schema.js';
import { Struct } from '../../sdk/data/struct.js';
import { DataError } from '../../sdk/errors.js';
import { forEachLine, type FileContent } from './file-lines.js';
import { PlainJsonLine } from './plain-json-line.js';
import { TerminatedBytes, type LazyValues, type RecordFormat } from './record-format.js';

const NEWLINE = 0x0a;
const NEWLINE_BYTES = Buffer.from('\n');
const DAY_MS = 86_400_000;

export class JsonFormat implements RecordFormat {
  readonly extension = '.json';
  readonly #lineParser = new PlainJsonLine();

  /** A schemaless Map read from JSON that it still matches (json-source.ts) is written as the bytes it was read from. */
  encode(value: unknown, schema: Schema | null): string | TerminatedBytes {
    if (schema === null) {
      const source = jsonSourceOf(value);
      if (source !== undefined) return new TerminatedBytes(source, NEWLINE_BYTES);
    }
    return `${jsonOf(value, schema)}\n`;
  }

  /** Every value of `decodeLazily`, built at once. */
  decode(content: FileContent): unknown[] {
    const lazy = this.decodeLazily(content);
    return Array.from({ length: lazy.length }, (_, i) => lazy.value(i));
  }

  /**
   * `decode` with every line checked (read, then dropped) up front and built again when asked
   * for: a canonical object (isCanonicalJsonObject) as a LazyJsonMap, read only if something
   * asks for its entries and otherwise copied as it is by a JsonConverter that writes it back;
   * other lines in compact form by the fast parser, the rest by JSON.parse. The canonical form
   * is checked on the line's bytes, and a line of plain ASCII bytes is not decoded at all unless
   * it is not canonical (its string, the walk on it and its garbage were up to a quarter of the
   * restore's CPU). Other lines are decoded one by one: one string for the whole file would be
   * fresh memory of the file's size each time, which costs more than the decoding.
   */
  decodeLazily(content: FileContent): LazyValues {
    const buffers: Buffer[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    const kinds: LineKind[] = [];
    // Where the next byte that is not plain ASCII is in the chunk of the line (newlines aside):
    // a line before it decodes to a text NOT_PLAIN_JSON cannot match. One scan serves a chunk's
    // lines up to such a byte.
    let scanned: Buffer | null = null;
    let nextNonPlain = 0;
    forEachLine(content, NEWLINE, (buffer, start, end) => {
      if (buffer !== scanned || nextNonPlain < start) {
        scanned = buffer;
        nextNonPlain = firstNonPlainAscii(buffer, start, buffer.length, true);
      }
      // A canonical line is never decoded here (its bytes are what the restore hands on).
      let line = nextNonPlain < end ? buffer.toString('utf8', start, end) : null;
      let kind: LineKind = 'other';
      if (line === null || !NOT_PLAIN_JSON.test(line)) {
        kind = isCanonicalJsonObject(buffer, start, end) ? 'canonical'
          : this.#lineParser.check(line ??= buffer.toString('latin1', start, end)) ? 'plain' : 'other';
      }
      if (kind === 'other') {
        line ??= buffer.toString('utf8', start, end);
        if (line.trim() === '') return;
        parsedLine(line, starts.length);
      }
      buffers.push(buffer);
      starts.push(start);
      ends.push(end);
      kinds.push(kind);
    });
    return {
      length: starts.length,
      value: (i) => {
        const buffer = buffers[i]!;
        if (kinds[i] === 'canonical') return new LazyJsonMap(buffer.subarray(starts[i], ends[i]), this.#readCanonical);
        const line = buffer.toString('utf8', starts[i], ends[i]);
        return kinds[i] === 'plain' ? this.#plainValue(line, buffer, starts[i]!, ends[i]!) : parsedLine(line, i);
      },
    };
  }

  /** The entries of a canonical line (for LazyJsonMap): canonical lines are plain, so the fast parser reads them. */
  readonly #readCanonical = (bytes: Buffer): Map<string, unknown> => this.#lineParser.parse(bytes.toString('utf8')) as Map<string, unknown>;

  /** A line checked against NOT_PLAIN_JSON, by the fast parser; its bytes are kept beside it when canonical. */
  #plainValue(line: string, buffer: Buffer, start: number, end: number): unknown {
    const value = this.#lineParser.parse(line);
    if (value instanceof Map && this.#lineParser.numbersCanonical) {
      rememberIfCanonical(value, buffer.subarray(start, end), line.length, this.#lineParser.numberLength);
    }
    return value;
  }
}

/**
 * How a line is read: a canonical object (isCanonicalJsonObject) only when its entries are asked
 * for, a plain line by the fast parser, any other by JSON.parse.
 */
type LineKind = 'canonical' | 'plain' | 'other';

/** A line the fast parser does not read, by JSON.parse; `index` is its record's (0-based) in errors. */
function parsedLine(line: string, index: number): unknown {
  try {
    return toConnect(JSON.parse(line));
  } catch (err) {
    throw new DataError(`Line ${index + 1} is not JSON: ${(err as Error).message}`, { cause: err });
  }
}

/** JSON text of a Connect value; exported for the side files (keys, headers, metadata). */
export function jsonOf(value: unknown, schema: Schema | null): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return jsonString(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : `"${String(value)}"`;
    case 'bigint':
    case 'boolean':
      return String(value);
    default:
      break;
  }
  if (value instanceof Uint8Array) return `"${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}"`;
  if (value instanceof Decimal) return value.toString();
  if (value instanceof Date) return String(dateNumber(value, schema));
  // The containers build their text by concatenation, without arrays of pieces: this runs once
  // per record and field on the sink's hot path.
  if (value instanceof Map) return mapJson(value, schema);
  if (value instanceof Struct) {
    let out = '{';
    for (const f of value.schema.fields) out += `${out.length === 1 ? '' : ','}${jsonString(f.name)}:${jsonOf(value.get(f), f.schema)}`;
    return `${out}}`;
  }
  if (Array.isArray(value)) {
    const itemSchema = schema?.valueSchema ?? null;
    let out = '[';
    for (let i = 0; i < value.length; i++) out += `${i === 0 ? '' : ','}${jsonOf(value[i], itemSchema)}`;
    return `${out}]`;
  }
  if (typeof value === 'object' && value !== null) {
    let out = '{';
    for (const k of Object.keys(value)) out += `${out.length === 1 ? '' : ','}${jsonString(k)}:${jsonOf((value as Record<string, unknown>)[k], null)}`;
    return `${out}}`;
  }
  throw new DataError(`A ${typeof value} value cannot be written as JSON`);
}

const isWellFormed = (String.prototype as unknown as { isWellFormed: (this: string) => boolean }).isWellFormed;

/**
 * JSON.stringify of a string, which escapes only `"`, `\`, control characters and lone
 * surrogates: a well-formed string without the others is written as is, without JSON.stringify's
 * slower copy (about 3 ns a character on Node 20, where the checks take well under 1).
 */
function jsonString(value: string): string {
  return (isWellFormed.call(value) ? quotedWithoutEscapes(value) : undefined) ?? JSON.stringify(value);
}

/** A Map with string keys as an object; with any other key as an array of [key, value] pairs. */
function mapJson(map: Map<unknown, unknown>, schema: Schema | null): string {
  const valueSchema = schema?.valueSchema ?? null;
  let out = '{';
  for (const [k, v] of map) {
    if (typeof k !== 'string') {
      out = '[';
      for (const [pk, pv] of map) out += `${out.length === 1 ? '' : ','}[${jsonOf(pk, schema?.keySchema ?? null)},${jsonOf(pv, valueSchema)}]`;
      return `${out}]`;
    }
    out += `${out.length === 1 ? '' : ','}${jsonString(k)}:${jsonOf(v, valueSchema)}`;
  }
  return `${out}}`;
}

function dateNumber(value: Date, schema: Schema | null): number {
  const ms = value.getTime();
  if (schema?.name === DATE_LOGICAL_NAME) return Math.floor(ms / DAY_MS);
  if (schema?.name === TIME_LOGICAL_NAME) return ((ms % DAY_MS) + DAY_MS) % DAY_MS;
  return ms;
}

function toConnect(parsed: unknown): unknown {
  if (parsed === null || typeof parsed !== 'object') return parsed;
  if (Array.isArray(parsed)) {
    for (let i = 0; i < parsed.length; i++) parsed[i] = toConnect(parsed[i]);
    return parsed;
  }
  const map = new Map<string, unknown>();
  for (const k of Object.keys(parsed)) map.set(k, toConnect((parsed as Record<string, unknown>)[k]));
  return map;
}
