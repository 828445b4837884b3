/**
 * Confluent's ByteArrayFormat: each value's raw bytes followed by a separator (a line separator
 * unless format.bytearray.separator says otherwise), extension .bin unless
 * format.bytearray.extension says otherwise. Only byte values can be written (as with Kafka's
 * ByteArrayConverter); strings are written as UTF-8 for convenience, anything else is a data
 * error. Reading back splits on the separator, so values containing it cannot be restored.
 */
import type { Schema } from '../../sdk/data/schema.js';
import { DataError } from '../../sdk/errors.js';
import { forEachLine, joinedContent, type FileContent } from './file-lines.js';
import { TerminatedBytes, type RecordFormat } from './record-format.js';

export class ByteArrayFormat implements RecordFormat {
  readonly extension: string;
  readonly #separator: Buffer;

  constructor(extension: string, separator: Buffer) {
    this.extension = extension;
    this.#separator = separator;
  }

  encode(value: unknown, _schema: Schema | null): Buffer | TerminatedBytes {
    if (value === null || value === undefined) return this.#separator;
    let bytes: Buffer;
    if (value instanceof Uint8Array) bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    else if (typeof value === 'string') bytes = Buffer.from(value);
    else throw new DataError(`ByteArrayFormat writes bytes only, not a ${value === null ? 'null' : typeof value} value; use ByteArrayConverter or JsonFormat`);
    return this.#separator.length === 0 ? bytes : new TerminatedBytes(bytes, this.#separator);
  }

  /** Values of a one-byte separator are views of the file's chunks (which nothing writes again), not copies. */
  decode(file: FileContent): unknown[] {
    const separator = this.#separator;
    if (separator.length === 0) throw new DataError('ByteArray files written without a separator cannot be split into records');
    const values: Buffer[] = [];
    if (separator.length === 1) {
      forEachLine(file, separator[0]!, (buffer, start, end) => values.push(buffer.subarray(start, end)));
      return values;
    }
    const content = joinedContent(file);
    let start = 0;
    while (start < content.length) {
      const end = content.indexOf(separator, start);
      if (end < 0) {
        values.push(Buffer.from(content.subarray(start)));
        break;
      }
      values.push(Buffer.from(content.subarray(start, end)));
      start = end + separator.length;
    }
    return values;
  }
}

/** format.bytearray.separator with Java escapes resolved; null means "\n". */
export function byteArraySeparator(configured: string | null): Buffer {
  if (configured === null) return Buffer.from('\n');
  const text = configured.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, escape: string) => {
    if (escape.startsWith('u') && escape.length === 5) return String.fromCharCode(parseInt(escape.slice(1), 16));
    switch (escape) {
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case '0': return '\0';
      case 'b': return '\b';
      case 'f': return '\f';
      default: return escape;
    }
  });
  return Buffer.from(text);
}
