/**
 * The small part of the query DSL tests need, over refreshed documents only:
 * `match_all`, `ids`, `term`/`terms` (exact value, `.keyword` sub-fields allowed), `exists`, `match`
 * (as an exact value on keyword-like data), `bool` with must/filter/should/must_not.
 * `_search` answers `hits.total: { value, relation: "eq" }` sorted by index then id, paged by
 * `from`/`size` (default 10): https://www.elastic.co/guide/en/elasticsearch/reference/current/search-search.html
 * `_count`: https://www.elastic.co/guide/en/elasticsearch/reference/current/search-count.html
 */
import { EsError } from './errors.js';
import type { EsIndex, StoredDocument } from './index-store.js';

type Query = Record<string, unknown>;

function fieldValues(source: unknown, path: string): unknown[] {
  const field = path.endsWith('.keyword') ? path.slice(0, -'.keyword'.length) : path;
  let current: unknown[] = [source];
  for (const part of field.split('.')) {
    const next: unknown[] = [];
    for (const value of current) {
      const items = Array.isArray(value) ? value : [value];
      for (const item of items) {
        if (typeof item === 'object' && item !== null && part in (item as Record<string, unknown>)) next.push((item as Record<string, unknown>)[part]);
      }
    }
    current = next;
  }
  // A dotted field name in the source itself.
  if (typeof source === 'object' && source !== null && field in (source as Record<string, unknown>)) current.push((source as Record<string, unknown>)[field]);
  return current.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v) => v !== null && v !== undefined);
}

function single(query: Query, name: string): [string, unknown] {
  const body = query[name] as Record<string, unknown>;
  const [field, spec] = Object.entries(body)[0] ?? [];
  if (field === undefined) throw new EsError(400, 'parsing_exception', `[${name}] query malformed, no field`);
  const value = typeof spec === 'object' && spec !== null && !Array.isArray(spec) ? (spec as Record<string, unknown>).value ?? (spec as Record<string, unknown>).query : spec;
  return [field, value];
}

function matches(query: Query | undefined, id: string, doc: StoredDocument): boolean {
  if (query === undefined) return true;
  const [kind] = Object.keys(query);
  switch (kind) {
    case 'match_all':
      return true;
    case 'match_none':
      return false;
    case 'ids':
      return ((query.ids as { values?: unknown[] }).values ?? []).map(String).includes(id);
    case 'term':
    case 'match': {
      const [field, value] = single(query, kind);
      return fieldValues(doc.source, field).some((v) => String(v) === String(value));
    }
    case 'terms': {
      const [field, values] = Object.entries(query.terms as Record<string, unknown>)[0];
      return fieldValues(doc.source, field).some((v) => (values as unknown[]).map(String).includes(String(v)));
    }
    case 'exists':
      return fieldValues(doc.source, (query.exists as { field: string }).field).length > 0;
    case 'bool': {
      const bool = query.bool as Record<string, unknown>;
      const list = (clause: unknown): Query[] => (clause === undefined ? [] : Array.isArray(clause) ? clause : [clause]) as Query[];
      const must = [...list(bool.must), ...list(bool.filter)];
      const should = list(bool.should);
      if (!must.every((q) => matches(q, id, doc))) return false;
      if (list(bool.must_not).some((q) => matches(q, id, doc))) return false;
      const minimum = Number(bool.minimum_should_match ?? (must.length === 0 && should.length > 0 ? 1 : 0));
      return should.filter((q) => matches(q, id, doc)).length >= minimum;
    }
    default:
      throw new EsError(400, 'parsing_exception', `unknown query [${kind}] (not supported by the test server)`);
  }
}

function hitsOf(indices: readonly EsIndex[], query: Query | undefined): { index: EsIndex; id: string; doc: StoredDocument }[] {
  const hits: { index: EsIndex; id: string; doc: StoredDocument }[] = [];
  for (const index of [...indices].sort((a, b) => a.name.localeCompare(b.name))) {
    const docs = [...index.searchableDocuments()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [id, doc] of docs) if (matches(query, id, doc)) hits.push({ index, id, doc });
  }
  return hits;
}

function shards(n: number): Record<string, number> {
  return { total: n, successful: n, skipped: 0, failed: 0 };
}

export function count(indices: readonly EsIndex[], body: Record<string, unknown>): Record<string, unknown> {
  return { count: hitsOf(indices, body.query as Query | undefined).length, _shards: shards(indices.length) };
}

export function search(indices: readonly EsIndex[], body: Record<string, unknown>, params: URLSearchParams, typesInAnswers: boolean): Record<string, unknown> {
  const started = Date.now();
  const hits = hitsOf(indices, body.query as Query | undefined);
  const from = Number(params.get('from') ?? body.from ?? 0);
  const size = Number(params.get('size') ?? body.size ?? 10);
  const page = hits.slice(from, from + size).map(({ index, id, doc }) => ({
    _index: index.name,
    ...(typesInAnswers ? { _type: '_doc' } : {}),
    _id: id,
    _score: 1.0,
    ...(body.seq_no_primary_term === true ? { _seq_no: doc.seqNo, _primary_term: doc.primaryTerm } : {}),
    ...(body.version === true ? { _version: doc.version } : {}),
    _source: doc.source,
  }));
  return {
    took: Date.now() - started,
    timed_out: false,
    _shards: shards(indices.length),
    hits: { total: { value: hits.length, relation: 'eq' }, max_score: hits.length > 0 ? 1.0 : null, hits: page },
  };
}
