/**
 * Java regular expressions as topic-name patterns (a sink's topics.regex):
 * the pattern must match the whole name, as Java's Pattern.matcher(name).matches() does.
 */
/** A Java regex for whole topic names as a JS RegExp (a leading (?i) becomes the i flag). */
export function javaPattern(pattern: string): RegExp {
  const insensitive = pattern.startsWith('(?i)');
  const source = insensitive ? pattern.slice(4) : pattern;
  return new RegExp(`^(?:${source})$`, insensitive ? 'i' : '');
}
