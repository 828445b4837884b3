/**
 * Modes (Elasticsearch 8/9/7, OpenSearch 2/1), basic auth, REST compatibility headers, gzip bodies
 * and fault injection of the Elasticsearch test server.
 * Root answers: https://www.elastic.co/guide/en/elasticsearch/reference/current/rest-api-root.html,
 *   https://opensearch.org/docs/latest/getting-started/communicate/
 * Compatibility: https://www.elastic.co/guide/en/elasticsearch/reference/current/rest-api-compatibility.html
 * Security errors: https://www.elastic.co/guide/en/elasticsearch/reference/current/http-clients.html
 * Rejections: https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-bulk.html#bulk-api-response-body,
 *   https://www.elastic.co/guide/en/elasticsearch/reference/current/index-modules-indexing-pressure.html
 */
import { gzipSync } from 'node:zlib';
import { Client, errors } from '@elastic/elasticsearch';
import { afterEach, describe, expect, it } from 'vitest';
import { startElasticsearchTestServer, type EsTestServer, type EsTestServerOptions } from '../helpers/elasticsearch-server.js';

const servers: EsTestServer[] = [];
const clients: Client[] = [];

async function start(options?: EsTestServerOptions): Promise<EsTestServer> {
  const server = await startElasticsearchTestServer(options);
  servers.push(server);
  return server;
}

function clientFor(server: EsTestServer, options: Partial<ConstructorParameters<typeof Client>[0]> = {}): Client {
  const client = new Client({ node: server.url, ...options });
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  for (const server of servers.splice(0)) await server.close();
});

const ndjson = (lines: unknown[]): string => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

describe('modes', () => {
  it('answers each mode\'s root document, with the product header on Elasticsearch only', async () => {
    const expected: Record<string, { number: RegExp; tagline: string; distribution?: string; header: string | null }> = {
      es8: { number: /^8\./, tagline: 'You Know, for Search', header: 'Elasticsearch' },
      es9: { number: /^9\./, tagline: 'You Know, for Search', header: 'Elasticsearch' },
      es7: { number: /^7\.17\./, tagline: 'You Know, for Search', header: 'Elasticsearch' },
      opensearch2: { number: /^2\./, tagline: 'The OpenSearch Project: https://opensearch.org/', distribution: 'opensearch', header: null },
      opensearch1: { number: /^1\./, tagline: 'The OpenSearch Project: https://opensearch.org/', distribution: 'opensearch', header: null },
    };
    for (const [mode, want] of Object.entries(expected)) {
      const server = await start({ mode: mode as EsTestServerOptions['mode'] });
      expect(server.mode).toBe(mode);
      const response = await fetch(`${server.url}/`);
      const body = await response.json() as { version: { number: string; distribution?: string }; tagline: string; cluster_uuid: string };
      expect(response.headers.get('x-elastic-product'), mode).toBe(want.header);
      expect(body.version.number, mode).toMatch(want.number);
      expect(body.version.distribution, mode).toBe(want.distribution);
      expect(body.tagline, mode).toBe(want.tagline);
      expect(body.cluster_uuid).toMatch(/^[A-Za-z0-9_-]{22}$/);
    }
  });

  it('the 8.x client refuses OpenSearch (no product header) and works with Elasticsearch 9', async () => {
    const opensearch = await start({ mode: 'opensearch2' });
    const refused = await clientFor(opensearch).info().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(errors.ProductNotSupportedError);
    // Elasticsearch 7 answers the 8.x client's vendored Content-Type with its old 406.
    const es7 = await start({ mode: 'es7' });
    const old = await clientFor(es7, { maxRetries: 0 }).bulk({ operations: [{ index: { _index: 'x' } }, { a: 1 }] }).catch((e: errors.ResponseError) => e);
    expect((old as errors.ResponseError).statusCode).toBe(406);
    expect((old as errors.ResponseError).body).toEqual({ error: 'Content-Type header [application/vnd.elasticsearch+x-ndjson; compatible-with=8] is not supported', status: 406 });
    const es9 = await start({ mode: 'es9' });
    expect((await clientFor(es9).info()).version.number).toMatch(/^9\./);
  });

  it('Elasticsearch 8 refuses compatible-with=9 as it does for the 9.x client, and answers compatible-with=8 in kind', async () => {
    const server = await start({ mode: 'es8' });
    const nine = await fetch(`${server.url}/`, { headers: { accept: 'application/vnd.elasticsearch+json; compatible-with=9' } });
    expect(nine.status).toBe(400);
    const body = await nine.json() as { error: { type: string; caused_by: { reason: string } } };
    expect(body.error.type).toBe('media_type_header_exception');
    expect(body.error.caused_by.reason).toBe('Accept version must be either version 8 or 7, but found 9. Accept=application/vnd.elasticsearch+json; compatible-with=9');
    const eight = await fetch(`${server.url}/`, { headers: { accept: 'application/vnd.elasticsearch+json; compatible-with=8' } });
    expect(eight.status).toBe(200);
    expect(eight.headers.get('content-type')).toBe('application/vnd.elasticsearch+json;compatible-with=8');
  });

  it('Elasticsearch 7 and OpenSearch take plain _bulk NDJSON and answer with _type where they still do', async () => {
    for (const mode of ['es7', 'opensearch1', 'opensearch2'] as const) {
      const server = await start({ mode });
      const response = await fetch(`${server.url}/_bulk`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: ndjson([{ index: { _index: 'plain', _id: '1' } }, { a: 1 }, { index: { _index: 'plain', _id: '2' } }, { a: 'not a number' }]),
      });
      expect(response.status, mode).toBe(200);
      const body = await response.json() as { errors: boolean; items: { index: { _type?: string; status: number; error?: { type: string } } }[] };
      expect(body.errors).toBe(true);
      expect(body.items[0].index._type, mode).toBe(mode === 'opensearch2' ? undefined : '_doc');
      expect(body.items[1].index.error?.type, mode).toBe('mapper_parsing_exception');
      const vendored = await fetch(`${server.url}/_bulk`, {
        method: 'POST', headers: { 'content-type': 'application/vnd.elasticsearch+x-ndjson; compatible-with=8' }, body: ndjson([{ delete: { _index: 'plain', _id: '1' } }]),
      });
      expect(vendored.status, mode).toBe(406);
    }
  });
});

describe('basic auth', () => {
  it('answers 401 with WWW-Authenticate and a security_exception unless the credentials match', async () => {
    const server = await start({ username: 'elastic', password: 'changeme' });
    const anonymous = await fetch(`${server.url}/_bulk`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Basic realm="security"');
    const body = await anonymous.json() as { error: { type: string; reason: string }; status: number };
    expect(body).toMatchObject({ status: 401, error: { type: 'security_exception', reason: 'missing authentication credentials for REST request [/_bulk]' } });
    const wrong = await clientFor(server, { auth: { username: 'elastic', password: 'nope' } }).info().catch((e: errors.ResponseError) => e);
    expect((wrong as errors.ResponseError).statusCode).toBe(401);
    expect((wrong as errors.ResponseError).body.error.reason).toBe('unable to authenticate user [elastic] for REST request [/]');
    const right = clientFor(server, { auth: { username: 'elastic', password: 'changeme' } });
    expect((await right.info()).tagline).toBe('You Know, for Search');
  });
});

describe('compression', () => {
  it('reads gzip request bodies (the client\'s compression option) and gzips answers when asked', async () => {
    const server = await start();
    const client = clientFor(server, { compression: true });
    const result = await client.bulk({ operations: [{ index: { _index: 'z', _id: '1' } }, { text: 'x'.repeat(2000) }] });
    expect(result.errors).toBe(false);
    const raw = await fetch(`${server.url}/_bulk`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
      body: gzipSync(ndjson([{ index: { _index: 'z', _id: '2' } }, { n: 2 }])),
    });
    expect(raw.status).toBe(200);
    expect([...server.documents('z').keys()].sort()).toEqual(['1', '2']);
  });
});

describe('fault injection', () => {
  it('fails whole bulks with 429, 503 and 500 for the requested count, then recovers', async () => {
    const server = await start();
    const client = clientFor(server, { maxRetries: 0 });
    const ops = [{ index: { _index: 'f', _id: '1' } }, { a: 1 }];
    for (const [status, type] of [[429, 'es_rejected_execution_exception'], [503, 'cluster_block_exception'], [500, 'exception']] as const) {
      server.failNextBulks(status, 1);
      const error = await client.bulk({ operations: ops }).catch((e: errors.ResponseError) => e);
      expect((error as errors.ResponseError).statusCode).toBe(status);
      expect((error as errors.ResponseError).body.error.type).toBe(type);
    }
    expect((await client.bulk({ operations: ops })).errors).toBe(false);
    expect(server.stats().bulkRequests).toBe(4);
    expect(server.stats().items).toBe(1);
  });

  it('rejects single items with 429 inside a 200 answer', async () => {
    const server = await start();
    const client = clientFor(server);
    server.rejectNextItems(2);
    const result = await client.bulk({ operations: [1, 2, 3].flatMap((n) => [{ index: { _index: 'p', _id: String(n) } }, { n }]) });
    expect(result.errors).toBe(true);
    expect(result.items.map((i) => [i.index?.status, i.index?.error?.type])).toEqual([
      [429, 'es_rejected_execution_exception'], [429, 'es_rejected_execution_exception'], [201, undefined],
    ]);
    expect([...server.documents('p').keys()]).toEqual(['3']);
    expect(server.stats().itemStatuses).toEqual({ 201: 1, 429: 2 });
  });

  it('delays answers by the latency set', async () => {
    const server = await start();
    const client = clientFor(server);
    server.setLatency(150);
    const started = Date.now();
    await client.info();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    server.setLatency(0);
  });

  it('deleteIndex drops an index so that the next write re-creates it', async () => {
    const server = await start();
    const client = clientFor(server);
    await client.index({ index: 'gone', id: '1', document: { a: 1 } });
    server.deleteIndex('gone');
    expect(server.indices()).toEqual([]);
    expect(await client.indices.exists({ index: 'gone' })).toBe(false);
    await client.index({ index: 'gone', id: '2', document: { a: 2 } });
    expect([...server.documents('gone').keys()]).toEqual(['2']);
  });
});
