/**
 * MirrorMaker's name patterns are Java regexes, given as a comma list and matched against the
 * whole name (the list joined as alternatives). This compiles such a list into one anchored JS
 * RegExp, translating the Java-only constructs people use in these lists: `\Q...\E` quoting,
 * leading inline flags `(?i)` `(?s)` `(?m)` (here they apply to the whole list), `\A` `\z` `\Z`
 * anchors, possessive quantifiers (`*+`, `++`, `?+`, `}+`, matched greedily here) and atomic
 * groups `(?>...)` (plain groups here). Class intersections (`&&`) are not supported.
 *
 * An empty list matches nothing. A pattern JS cannot compile throws an Error naming it.
 */

const INLINE_FLAGS = /^\(\?([ims]+)\)/;

/** One Java pattern as JS regex source, plus the flags it asked for inline. */
function translate(pattern: string): { source: string; flags: Set<string> } {
  const flags = new Set<string>();
  let rest = pattern;
  for (let m = INLINE_FLAGS.exec(rest); m !== null; m = INLINE_FLAGS.exec(rest)) {
    for (const f of m[1]) flags.add(f);
    rest = rest.slice(m[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '\\') {
      const next = rest[i + 1];
      if (next === 'Q') {
        const end = rest.indexOf('\\E', i + 2);
        const literal = end < 0 ? rest.slice(i + 2) : rest.slice(i + 2, end);
        out += escapeLiteral(literal);
        i = end < 0 ? rest.length : end + 1;
      } else if (!inClass && next === 'A') {
        out += '^';
        i++;
      } else if (!inClass && (next === 'z' || next === 'Z')) {
        out += '$';
        i++;
      } else {
        out += c + (next ?? '');
        i++;
      }
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (rest[i + 1] === '^') out += rest[++i];
      if (rest[i + 1] === ']') out += '\\' + rest[++i];
      continue;
    }
    if (c === '(' && rest.startsWith('(?>', i)) {
      out += '(?:';
      i += 2;
      continue;
    }
    if (c === '+' && i > 0 && '*+?}'.includes(rest[i - 1]) && !isEscaped(rest, i - 1)) continue;
    out += c;
  }
  return { source: out, flags };
}

function isEscaped(text: string, at: number): boolean {
  let slashes = 0;
  for (let i = at - 1; i >= 0 && text[i] === '\\'; i--) slashes++;
  return slashes % 2 === 1;
}

function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** Compiles a list of Java patterns into one whole-name matcher; an empty list matches nothing. */
export function compileJavaPatterns(patterns: readonly string[]): RegExp {
  const parts = patterns.map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) return /(?!)/;
  const flags = new Set<string>();
  const sources = parts.map((p) => {
    const t = translate(p);
    for (const f of t.flags) flags.add(f);
    try {
      new RegExp(t.source, [...t.flags].join(''));
    } catch (err) {
      throw new Error(`Invalid pattern ${p}: ${(err as Error).message}`, { cause: err });
    }
    return t.source;
  });
  return new RegExp(`^(?:${sources.join('|')})$`, [...flags].join(''));
}
