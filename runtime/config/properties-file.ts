/**
 * Java `.properties` syntax (java.util.Properties.load), used for worker and standalone connector
 * files:
 * - lines end with \n, \r or \r\n; leading spaces, tabs and form feeds are ignored;
 * - a line whose first visible character is `#` or `!` is a comment (and never continues);
 * - a line ending in an odd number of backslashes continues on the next line, whose leading
 *   whitespace is dropped;
 * - the key ends at the first unescaped `=`, `:` or whitespace; whitespace around the separator is
 *   skipped; the rest of the line, trailing whitespace included, is the value;
 * - escapes: \t \n \r \f, \uXXXX, and backslash before any other character stands for that character.
 * Later duplicates win. Unlike Java's InputStream loading (ISO-8859-1), text is read as UTF-8,
 * and a leading byte-order mark is ignored.
 */
import { readFile } from 'node:fs/promises';

export class PropertiesSyntaxError extends Error {
  override readonly name = 'PropertiesSyntaxError';
  readonly code = 'CONFIG_FILE_INVALID';

  constructor(message: string, readonly line: number) {
    super(`${message} (line ${line})`);
  }
}

const isBlank = (c: string) => c === ' ' || c === '\t' || c === '\f';

interface LogicalLine {
  text: string;
  line: number;
}

function* logicalLines(input: string): Generator<LogicalLine> {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  let i = 0;
  let lineNo = 1;
  while (i < text.length) {
    const startLine = lineNo;
    let buf = '';
    let first = true;
    let continued = false;
    for (;;) {
      while (i < text.length && isBlank(text[i])) i++;
      if (first && (text[i] === '#' || text[i] === '!')) {
        while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
      }
      let end = i;
      while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
      const segment = text.slice(i, end);
      i = end;
      if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
      else if (i < text.length) i++;
      if (segment.length === 0 && !continued) break;
      let slashes = 0;
      while (slashes < segment.length && segment[segment.length - 1 - slashes] === '\\') slashes++;
      continued = slashes % 2 === 1;
      buf += continued ? segment.slice(0, -1) : segment;
      first = false;
      if (!continued || i >= text.length) break;
      lineNo++;
    }
    lineNo++;
    if (buf.length > 0) yield { text: buf, line: startLine };
  }
}

function unescape(s: string, line: number): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = s[++i];
    if (next === undefined) break;
    switch (next) {
      case 't': out += '\t'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 'f': out += '\f'; break;
      case 'u': {
        const hex = s.slice(i + 1, i + 5);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new PropertiesSyntaxError('Malformed \\uxxxx encoding', line);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
        break;
      }
      default: out += next;
    }
  }
  return out;
}

function splitKeyValue(line: string): [string, string] {
  let keyEnd = 0;
  let valueStart = line.length;
  let hasSeparator = false;
  let escaped = false;
  for (; keyEnd < line.length; keyEnd++) {
    const c = line[keyEnd];
    if (!escaped && (c === '=' || c === ':')) {
      valueStart = keyEnd + 1;
      hasSeparator = true;
      break;
    }
    if (!escaped && isBlank(c)) {
      valueStart = keyEnd + 1;
      break;
    }
    escaped = c === '\\' ? !escaped : false;
  }
  for (; valueStart < line.length; valueStart++) {
    const c = line[valueStart];
    if (isBlank(c)) continue;
    if (!hasSeparator && (c === '=' || c === ':')) {
      hasSeparator = true;
      continue;
    }
    break;
  }
  return [line.slice(0, keyEnd), line.slice(valueStart)];
}

/** Parses `.properties` text into a map in file order (later duplicates replace earlier ones). */
export function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { text: logical, line } of logicalLines(text)) {
    const [rawKey, rawValue] = splitKeyValue(logical);
    const key = unescape(rawKey, line);
    const value = unescape(rawValue, line);
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

export async function readPropertiesFile(path: string): Promise<Record<string, string>> {
  return parseProperties(await readFile(path, 'utf8'));
}
