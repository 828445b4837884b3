/**
 * What the cluster is, read once at start from `GET /`: Elasticsearch 8 and 9 (which answer with
 * `x-elastic-product: Elasticsearch`) are driven by the official 8.x client; Elasticsearch 7 and
 * OpenSearch 1/2, which that client refuses, get plain `_bulk` over HTTP. Index management and
 * bulk requests are the same REST calls on all of them.
 */
import type { EsAnswer } from './es-connection.js';

export interface ServerKind {
  readonly distribution: 'elasticsearch' | 'opensearch';
  readonly version: string;
  readonly major: number;
  /** The transport to use: the official client or plain HTTP. */
  readonly transport: 'client' | 'http';
}

export function serverKindOf(answer: EsAnswer): ServerKind {
  const body = (answer.body ?? {}) as { version?: { number?: unknown; distribution?: unknown } };
  const version = typeof body.version?.number === 'string' ? body.version.number : '0.0.0';
  const major = Number.parseInt(version.split('.')[0] ?? '0', 10) || 0;
  const distribution = body.version?.distribution === 'opensearch' ? 'opensearch' : 'elasticsearch';
  const product = answer.headers?.['x-elastic-product'];
  const elastic = distribution === 'elasticsearch' && product === 'Elasticsearch' && major >= 8;
  return { distribution, version, major, transport: elastic ? 'client' : 'http' };
}

export function describeServer(kind: ServerKind): string {
  const name = kind.distribution === 'opensearch' ? 'OpenSearch' : 'Elasticsearch';
  return `${name} ${kind.version} (${kind.transport === 'client' ? '@elastic/elasticsearch client' : 'plain _bulk over HTTP'})`;
}
