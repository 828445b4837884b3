/**
 * The Elasticsearch test server driven by the real @elastic/elasticsearch 8.x client over HTTP:
 * root info, index creation/existence/mappings, bulk with every action, single-document APIs.
 */
import { Client, errors } from '@elastic/elasticsearch';
import { afterEach, describe, expect, it } from 'vitest';
import { startElasticsearchTestServer, type EsTestServer } from '../helpers/elasticsearch-server.js';

let server: EsTestServer | undefined;
let client: Client | undefined;

async function start(): Promise<{ server: EsTestServer; client: Client }> {
  server = await startElasticsearchTestServer();
  client = new Client({ node: server.url });
  return { server, client };
}

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

describe('Elasticsearch test server basics', () => {
  // https://www.elastic.co/guide/en/elasticsearch/reference/current/rest-api-root.html
  it('answers GET / with cluster and version info and the product header', async () => {
    const { client } = await start();
    const info = await client.info();
    expect(info.version.number).toMatch(/^8\./);
    expect(info.tagline).toBe('You Know, for Search');
    expect(info.cluster_name).toBe('elasticsearch');
    expect(info.version.build_flavor).toBe('default');
  });

  // https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-create-index.html
  // https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-exists.html
  it('creates an index with mappings, says it exists, and refuses to create it twice', async () => {
    const { client, server } = await start();
    expect(await client.indices.exists({ index: 'orders' })).toBe(false);
    const created = await client.indices.create({ index: 'orders', mappings: { properties: { qty: { type: 'long' } } } });
    expect(created).toEqual({ acknowledged: true, shards_acknowledged: true, index: 'orders' });
    expect(await client.indices.exists({ index: 'orders' })).toBe(true);
    const mapping = await client.indices.getMapping({ index: 'orders' });
    expect(mapping.orders.mappings).toEqual({ properties: { qty: { type: 'long' } } });
    expect(server.mapping('orders')).toEqual({ properties: { qty: { type: 'long' } } });
    const again = await client.indices.create({ index: 'orders' }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(errors.ResponseError);
    const error = again as errors.ResponseError;
    expect(error.statusCode).toBe(400);
    expect(error.body.error.type).toBe('resource_already_exists_exception');
    expect(error.body.error.reason).toMatch(/^index \[orders\/.+\] already exists$/);
  });

  it('rejects invalid index names with invalid_index_name_exception', async () => {
    const { client } = await start();
    for (const name of ['Orders', '_orders', 'a*b', 'a b', '..']) {
      const error = await client.indices.create({ index: name }).catch((e: errors.ResponseError) => e);
      expect((error as errors.ResponseError).body.error.type, name).toBe('invalid_index_name_exception');
    }
  });

  // https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-bulk.html
  it('runs index, create, update and delete in one bulk, answering items in request order', async () => {
    const { client, server } = await start();
    const result = await client.bulk({
      operations: [
        { index: { _index: 'books', _id: '1' } }, { title: 'Dune', pages: 412 },
        { create: { _index: 'books', _id: '2' } }, { title: 'Emma' },
        { update: { _index: 'books', _id: '1' } }, { doc: { pages: 500 } },
        { delete: { _index: 'books', _id: '2' } },
        { delete: { _index: 'books', _id: 'nope' } },
        { create: { _index: 'books', _id: '1' } }, { title: 'again' },
      ],
    });
    expect(result.errors).toBe(true);
    const items = result.items.map((item) => {
      const [op, body] = Object.entries(item)[0];
      return [op, body._id, body.status, body.result ?? body.error?.type, body._version];
    });
    expect(items).toEqual([
      ['index', '1', 201, 'created', 1],
      ['create', '2', 201, 'created', 1],
      ['update', '1', 200, 'updated', 2],
      ['delete', '2', 200, 'deleted', 2],
      ['delete', 'nope', 404, 'not_found', 1],
      ['create', '1', 409, 'version_conflict_engine_exception', undefined],
    ]);
    expect(result.items[0].index?._index).toBe('books');
    expect(result.items[0].index?._seq_no).toBe(0);
    expect(result.items[0].index?._primary_term).toBe(1);
    expect([...server.documents('books').entries()]).toEqual([['1', { source: { title: 'Dune', pages: 500 }, version: 2, seqNo: 2 }]]);
    const doc = await client.get({ index: 'books', id: '1' });
    expect(doc).toMatchObject({ _index: 'books', _id: '1', _version: 2, found: true, _source: { title: 'Dune', pages: 500 } });
    expect(server.stats()).toEqual({ bulkRequests: 1, items: 6, itemStatuses: { 200: 2, 201: 2, 404: 1, 409: 1 } });
  });

  // https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-bulk.html (auto-creation per item)
  it('fails bulk items aimed at an invalid index name or a missing index for delete, and metadata fields in sources', async () => {
    const { client } = await start();
    const result = await client.bulk({
      operations: [
        { index: { _index: 'Bad', _id: '1' } }, { a: 1 },
        { delete: { _index: 'missing', _id: '1' } },
        { index: { _index: 'good', _id: '1' } }, { _id: 'inside' },
      ],
    });
    const summary = result.items.map((i) => { const b = Object.values(i)[0]; return [b._index, b.status, b.error?.type]; });
    expect(summary).toEqual([
      ['Bad', 400, 'invalid_index_name_exception'],
      ['missing', 404, 'index_not_found_exception'],
      ['good', 400, 'document_parsing_exception'],
    ]);
    expect(result.items[0].index?.error?.reason).toBe('Invalid index name [Bad], must be lowercase');
  });
});
