/**
 * Java regular expressions and replacement strings as RegexRouter and TopicNameMatches use them.
 *
 * Patterns run on JavaScript's engine, which shares Java's syntax for everything topic patterns
 * normally use (classes, groups, named groups `(?<name>...)`, quantifiers, anchors,
 * alternation). Java-only forms translated here: `\Q...\E` quoting and leading inline flags
 * `(?i)`, `(?s)`, `(?m)`. Possessive quantifiers, atomic groups and `\p{javaXxx}` classes are
 * not supported and are reported as invalid patterns.
 *
 * Replacements follow Java's Matcher: `$n` and `${name}` insert groups (a multi-digit `$12`
 * means group 12 only when that group exists, else group 1 then "2"), `\` makes the next
 * character literal, and an unmatched group inserts nothing.
 */
import { validators } from '../../../connectors/sdk/config/config-spec.js';

/** Compiles a Java pattern; `fullMatch` anchors it so it must match the whole input (Matcher.matches). */
export function compileJavaRegex(pattern: string, options: { fullMatch?: boolean } = {}): RegExp {
  let source = translateQuotes(pattern);
  let flags = '';
  const inline = /^\(\?([ism]+)\)/.exec(source);
  if (inline) {
    flags = [...new Set(inline[1])].join('');
    source = source.slice(inline[0].length);
  }
  return new RegExp(options.fullMatch ? `^(?:${source})$` : source, flags);
}

/** Why `pattern` is not a usable Java pattern, or undefined when it is. */
export function javaRegexProblem(pattern: string): string | undefined {
  try {
    compileJavaRegex(pattern);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Config validator: the value must be a usable Java pattern (Kafka's RegexValidator wording). */
export const javaRegexValidator = validators.validator((pattern: string) => {
  const problem = javaRegexProblem(pattern);
  return problem === undefined ? undefined : `Invalid regex: ${problem}`;
}, 'valid regex');

function translateQuotes(pattern: string): string {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    if (pattern[i] === '\\' && pattern[i + 1] === 'Q') {
      const end = pattern.indexOf('\\E', i + 2);
      const quoted = pattern.slice(i + 2, end < 0 ? pattern.length : end);
      out += quoted.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
      i = end < 0 ? pattern.length : end + 2;
    } else if (pattern[i] === '\\' && i + 1 < pattern.length) {
      out += pattern.slice(i, i + 2);
      i += 2;
    } else {
      out += pattern[i];
      i++;
    }
  }
  return out;
}

/** Java's Matcher.appendReplacement expansion of `replacement` for one match. Throws Error on a bad reference. */
export function expandJavaReplacement(replacement: string, match: RegExpExecArray): string {
  const groupCount = match.length - 1;
  let out = '';
  let i = 0;
  while (i < replacement.length) {
    const c = replacement[i];
    if (c === '\\') {
      if (i + 1 >= replacement.length) throw new Error('character to be escaped is missing');
      out += replacement[i + 1];
      i += 2;
      continue;
    }
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    i++;
    if (i >= replacement.length) throw new Error('Illegal group reference: group index is missing');
    if (replacement[i] === '{') {
      const close = replacement.indexOf('}', i);
      if (close < 0) throw new Error("named capturing group is missing trailing '}'");
      const name = replacement.slice(i + 1, close);
      if (name === '') throw new Error('named capturing group has 0 length name');
      if (match.groups === undefined || !(name in match.groups)) throw new Error(`No group with name {${name}}`);
      out += match.groups[name] ?? '';
      i = close + 1;
      continue;
    }
    if (!/\d/.test(replacement[i])) throw new Error('Illegal group reference');
    let group = Number(replacement[i]);
    if (group > groupCount) throw new Error(`No group ${group}`);
    i++;
    while (i < replacement.length && /\d/.test(replacement[i])) {
      const longer = group * 10 + Number(replacement[i]);
      if (longer > groupCount) break;
      group = longer;
      i++;
    }
    out += match[group] ?? '';
  }
  return out;
}
