/**
 * Connector configs as Java `.properties` text, both ways, in the browser (the worker's own reader
 * in runtime/config reads files from disk and is not bundled into the console).
 *
 * Reading follows java.util.Properties.load: lines end at \n, \r or \r\n; leading blanks (space,
 * tab, form feed) are skipped; `#` or `!` as the first non-blank character makes a comment; a line
 * ending in an odd number of backslashes continues on the next line (whose leading blanks are
 * dropped); the key ends at the first unescaped `=`, `:` or blank, blanks around the separator are
 * skipped, and the rest of the line is the value; escapes \t \n \r \f \uXXXX, and a backslash
 * before any other character stands for that character. A later duplicate key wins.
 *
 * Writing escapes exactly what reading would otherwise change, so that
 * `parsePropertiesText(toPropertiesText(config))` equals `config`, key order included.
 */

export class PropertiesTextError extends Error {
  override readonly name = 'PropertiesTextError';
}

const BLANKS = new Set([' ', '\t', '\f']);

/** Physical lines joined into logical ones (continuations resolved, comments and blank lines dropped). */
function logicalLines(text: string): { text: string; line: number }[] {
  const physical = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const out: { text: string; line: number }[] = [];
  let pending: { text: string; line: number } | null = null;
  physical.forEach((raw, index) => {
    let start = 0;
    while (start < raw.length && BLANKS.has(raw[start]!)) start++;
    const body = raw.slice(start);
    if (pending === null && (body.startsWith('#') || body.startsWith('!'))) return;
    if (pending === null && body === '') return;
    const trailingBackslashes = body.length - body.replace(/\\+$/, '').length;
    const continues = trailingBackslashes % 2 === 1;
    const piece = continues ? body.slice(0, -1) : body;
    const current: { text: string; line: number } = pending ?? { text: '', line: index + 1 };
    current.text += piece;
    if (continues && index < physical.length - 1) {
      pending = current;
    } else {
      pending = null;
      out.push(current);
    }
  });
  if (pending !== null) out.push(pending);
  return out;
}

function unescapeText(escaped: string, line: number): string {
  let out = '';
  for (let i = 0; i < escaped.length; i++) {
    const c = escaped[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    i++;
    if (i >= escaped.length) break;
    const next = escaped[i]!;
    if (next === 'u') {
      const hex = escaped.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new PropertiesTextError(`Line ${line}: \\u must be followed by four hex digits`);
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      out += next === 't' ? '\t' : next === 'n' ? '\n' : next === 'r' ? '\r' : next === 'f' ? '\f' : next;
    }
  }
  return out;
}

/** Splits a logical line into its raw (still escaped) key and value. */
function keyAndValue(logical: string): [string, string] {
  let end = 0;
  while (end < logical.length) {
    const c = logical[end]!;
    if (c === '\\') {
      end += 2;
      continue;
    }
    if (c === '=' || c === ':' || BLANKS.has(c)) break;
    end++;
  }
  const key = logical.slice(0, Math.min(end, logical.length));
  let rest = end;
  while (rest < logical.length && BLANKS.has(logical[rest]!)) rest++;
  if (rest < logical.length && (logical[rest] === '=' || logical[rest] === ':')) {
    rest++;
    while (rest < logical.length && BLANKS.has(logical[rest]!)) rest++;
  }
  return [key, logical.slice(rest)];
}

/** Reads `.properties` text into a config map, in the order keys first appear. */
export function parsePropertiesText(text: string): Record<string, string> {
  const config: Record<string, string> = {};
  for (const { text: logical, line } of logicalLines(text)) {
    const [rawKey, rawValue] = keyAndValue(logical);
    const key = unescapeText(rawKey, line);
    // defineProperty: a key such as "__proto__" must become an ordinary entry.
    Object.defineProperty(config, key, { value: unescapeText(rawValue, line), enumerable: true, writable: true, configurable: true });
  }
  return config;
}

function escapeChar(c: string): string {
  switch (c) {
    case '\\': return '\\\\';
    case '\t': return '\\t';
    case '\n': return '\\n';
    case '\r': return '\\r';
    case '\f': return '\\f';
    default: {
      const code = c.charCodeAt(0);
      // Other control characters, and line separators some editors break lines at.
      if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) return `\\u${code.toString(16).padStart(4, '0')}`;
      return c;
    }
  }
}

function escapeKey(key: string): string {
  return Array.from(key, (c) => (c === '=' || c === ':' || c === ' ' || c === '#' || c === '!' ? `\\${c}` : escapeChar(c))).join('');
}

function escapeValue(value: string): string {
  let out = '';
  let leading = true;
  for (const c of value) {
    // Only blanks at the start of a value would be skipped by the reader.
    if (leading && c === ' ') {
      out += '\\ ';
      continue;
    }
    leading = false;
    out += escapeChar(c);
  }
  return out;
}

/** Writes a config map as `.properties` text, one `key=value` line per entry, in map order. */
export function toPropertiesText(config: Readonly<Record<string, string>>): string {
  return Object.entries(config).map(([key, value]) => `${escapeKey(key)}=${escapeValue(value)}\n`).join('');
}
