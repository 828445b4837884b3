import { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULK_FILTER } from '../../../connectors/elasticsearch/cluster.js';
import { startElasticsearchTestServer, type EsTestServer } from '../../helpers/elasticsearch-server.js';

describe('bulk answers filtered to what the sink reads (filter_path)', () => {
  let server: EsTestServer;
  beforeAll(async () => {
    server = await startElasticsearchTestServer({ mode: 'es8' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('keeps each item\'s status and error, and nothing else', async () => {
    const client = new Client({ node: server.url });
    await client.indices.create({ index: 'typed', mappings: { properties: { n: { type: 'integer' } } } });
    const body = '{"index":{"_index":"typed","_id":"1"}}\n{"n":1}\n{"index":{"_index":"typed","_id":"2"}}\n{"n":"x"}\n';
    const answer = await client.bulk({ body, filter_path: BULK_FILTER } as unknown as Parameters<Client['bulk']>[0]);
    await client.close();
    const items = (answer as unknown as { items: Record<string, Record<string, unknown>>[] }).items;
    expect(Object.keys(answer)).toEqual(['items']);
    expect(items[0]).toEqual({ index: { status: 201 } });
    expect(items[1]!.index!.status).toBe(400);
    expect((items[1]!.index!.error as { type: string }).type).toBe('document_parsing_exception');
  });
});
