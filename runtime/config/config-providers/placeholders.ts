/**
 * Placeholder syntax (Kafka's ConfigTransformer.DEFAULT_PATTERN): `${provider:path:key}` or
 * `${provider:key}` (path `''`), anywhere inside a value and any number of times. None of the
 * parts may contain `}`; the provider name ends at the first `:`, and with two or more further
 * colons the path ends at the next one (`${file:C:/x:k}` has path `C`, key `/x:k`), exactly as
 * Kafka's regular expression splits it. Replacement values are never scanned again.
 */

export const PLACEHOLDER_PATTERN = /\$\{([^}]*?):(([^}]*?):)?([^}]*?)\}/;

export interface Placeholder {
  /** The placeholder as written, e.g. `${file:/etc/db.properties:password}`. */
  readonly text: string;
  readonly provider: string;
  readonly path: string;
  readonly key: string;
  readonly start: number;
  readonly end: number;
}

export function findPlaceholders(value: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const m of value.matchAll(new RegExp(PLACEHOLDER_PATTERN.source, 'g'))) {
    found.push({ text: m[0], provider: m[1], path: m[3] ?? '', key: m[4], start: m.index, end: m.index + m[0].length });
  }
  return found;
}

export function hasPlaceholders(value: string): boolean {
  return PLACEHOLDER_PATTERN.test(value);
}

/** `value` with each placeholder replaced by `lookup`'s answer; `undefined` keeps the placeholder. */
export function replacePlaceholders(value: string, lookup: (p: Placeholder) => string | undefined): string {
  let out = '';
  let from = 0;
  for (const p of findPlaceholders(value)) {
    out += value.slice(from, p.start) + (lookup(p) ?? p.text);
    from = p.end;
  }
  return out + value.slice(from);
}
