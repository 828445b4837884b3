/**
 * The `filter_path` response filter (what the sink asks of bulk answers): comma-separated dotted
 * paths whose segments are field names or `*` (any one field) or `**` (any depth); arrays are
 * transparent, as in Elasticsearch; objects left without a matching field are dropped, and a
 * filter matching nothing answers `{}`.
 * https://www.elastic.co/guide/en/elasticsearch/reference/current/common-options.html#common-options-response-filtering
 */
export function filterPath(body: unknown, filter: string): unknown {
  const paths = filter.split(',').map((p) => p.trim()).filter((p) => p !== '').map((p) => p.split('.'));
  if (paths.length === 0) return body;
  return pick(body, paths) ?? {};
}

function pick(value: unknown, paths: readonly string[][]): unknown {
  if (paths.some((p) => p.length === 0)) return value;
  if (Array.isArray(value)) {
    const kept = value.map((v) => pick(v, paths)).filter((v) => v !== undefined);
    return kept.length === 0 ? undefined : kept;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const rest: string[][] = [];
    for (const [head, ...tail] of paths) {
      if (head === '**') {
        rest.push([head, ...tail]);
        if (tail.length > 0 && (tail[0] === key || tail[0] === '*')) rest.push(tail.slice(1));
      } else if (head === '*' || head === key) {
        rest.push(tail);
      }
    }
    if (rest.length === 0) continue;
    const picked = pick(child, rest);
    if (picked !== undefined) out[key] = picked;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}
