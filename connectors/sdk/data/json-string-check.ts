/**
 * A string written in JSON as it is, when it can be apart from surrogates (where JSON writers
 * differ: JSON.stringify escapes lone ones, Jackson every one): when it holds no `"`, no `\` and
 * no control character (U+0000 to U+001F), which every JSON writer escapes.
 *
 * Long strings are checked by native scans, about twice as fast as a regular expression on
 * Node 20: indexOf for `"` and `\` (and for a newline or tab, the control characters text holds
 * most, so that they cost no exception), then V8's JSON parser, which rejects any other control
 * character in a string token without escapes.
 */

// eslint-disable-next-line no-control-regex
const QUOTE_BACKSLASH_OR_CONTROL = /["\\\u0000-\u001f]/;
/** From this length the native scans are faster than the regular expression. */
const NATIVE_SCAN_FROM = 64;

/** `s` between double quotes when it holds no `"`, `\` or control character; undefined otherwise. */
export function quotedWithoutEscapes(s: string): string | undefined {
  if (s.length < NATIVE_SCAN_FROM) return QUOTE_BACKSLASH_OR_CONTROL.test(s) ? undefined : `"${s}"`;
  if (s.indexOf('"') >= 0 || s.indexOf('\\') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\t') >= 0) return undefined;
  // Parsing flattens the quoted text in place, so the caller gets it flat.
  const quoted = `"${s}"`;
  return stringTokenValue(quoted) === undefined ? undefined : quoted;
}

/**
 * The value of `token`, a `"`, then characters other than `"` and `\`, then a `"`: those
 * characters, unless one is a control character (then undefined).
 */
export function stringTokenValue(token: string): string | undefined {
  try {
    return JSON.parse(token) as string;
  } catch {
    return undefined;
  }
}
