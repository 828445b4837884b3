/**
 * Dynamic mapping, mapping conflicts as per-item errors, and data streams, through the real 8.x client.
 * https://www.elastic.co/guide/en/elasticsearch/reference/current/dynamic-field-mapping.html
 * https://www.elastic.co/guide/en/elasticsearch/reference/current/dynamic.html (strict)
 * https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-put-mapping.html
 * https://www.elastic.co/guide/en/elasticsearch/reference/current/data-streams.html
 * https://www.elastic.co/guide/en/elasticsearch/reference/current/use-a-data-stream.html
 */
import type { errors } from '@elastic/elasticsearch';
import { Client } from '@elastic/elasticsearch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startElasticsearchTestServer, type EsTestServer } from '../helpers/elasticsearch-server.js';

let server: EsTestServer;
let client: Client;

beforeEach(async () => {
  server = await startElasticsearchTestServer();
  client = new Client({ node: server.url });
});

afterEach(async () => {
  await client.close();
  await server.close();
});

describe('dynamic mapping', () => {
  it('maps new fields as Elasticsearch does and auto-creates the index', async () => {
    await client.bulk({
      operations: [{ index: { _index: 'dyn', _id: '1' } }, {
        name: 'x', count: 3, ratio: 0.5, ok: true, when: '2024-05-01T10:00:00Z', nothing: null, tags: ['a', 'b'],
        user: { id: 7, address: { city: 'Oslo' } }, 'dotted.field': 1,
      }],
    });
    expect(server.indices()).toEqual(['dyn']);
    const keywordText = { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
    expect(server.mapping('dyn')).toEqual({
      properties: {
        name: keywordText, count: { type: 'long' }, ratio: { type: 'float' }, ok: { type: 'boolean' }, when: { type: 'date' },
        tags: keywordText, user: { properties: { id: { type: 'long' }, address: { properties: { city: keywordText } } } },
        dotted: { properties: { field: { type: 'long' } } },
      },
    });
    const viaApi = await client.indices.getMapping({ index: 'dyn' });
    expect(viaApi.dyn.mappings).toEqual(server.mapping('dyn'));
  });

  it('fails only the items that do not fit the mapping, with the server reason', async () => {
    await client.indices.create({ index: 'typed', mappings: { properties: { age: { type: 'long' }, born: { type: 'date' }, user: { properties: { name: { type: 'keyword' } } } } } });
    const result = await client.bulk({
      operations: [
        { index: { _index: 'typed', _id: 'ok' } }, { age: '42' },
        { index: { _index: 'typed', _id: 'bad-age' } }, { age: 'old' },
        { index: { _index: 'typed', _id: 'bad-date' } }, { born: 'yesterday' },
        { index: { _index: 'typed', _id: 'bad-object' } }, { user: 'bob' },
        { index: { _index: 'typed', _id: 'ok2' } }, { age: 7 },
      ],
    });
    expect(result.errors).toBe(true);
    const statuses = result.items.map((i) => [i.index?._id, i.index?.status, i.index?.error?.type]);
    expect(statuses).toEqual([
      ['ok', 201, undefined],
      ['bad-age', 400, 'document_parsing_exception'],
      ['bad-date', 400, 'document_parsing_exception'],
      ['bad-object', 400, 'document_parsing_exception'],
      ['ok2', 201, undefined],
    ]);
    expect(result.items[1].index?.error).toMatchObject({
      reason: "failed to parse field [age] of type [long] in document with id 'bad-age'. Preview of field's value: 'old'",
      caused_by: { type: 'illegal_argument_exception', reason: 'For input string: "old"' },
    });
    expect(result.items[3].index?.error?.reason).toBe('object mapping for [user] tried to parse field [user] as object, but found a concrete value');
    expect([...server.documents('typed').keys()].sort()).toEqual(['ok', 'ok2']);
  });

  it('rejects new fields under dynamic: strict with strict_dynamic_mapping_exception', async () => {
    await client.indices.create({ index: 'strict', mappings: { dynamic: 'strict', properties: { a: { type: 'keyword' } } } });
    const result = await client.bulk({ operations: [{ index: { _index: 'strict', _id: '1' } }, { a: 'x', b: 1 }] });
    expect(result.items[0].index?.error).toMatchObject({
      type: 'strict_dynamic_mapping_exception',
      reason: 'mapping set to strict, dynamic introduction of [b] within [_doc] is not allowed',
    });
  });

  it('merges put-mapping requests and refuses type changes', async () => {
    await client.indices.create({ index: 'pm' });
    await client.indices.putMapping({ index: 'pm', properties: { a: { type: 'long' } } });
    await client.indices.putMapping({ index: 'pm', properties: { b: { type: 'keyword' } } });
    expect(server.mapping('pm')).toEqual({ properties: { a: { type: 'long' }, b: { type: 'keyword' } } });
    const error = await client.indices.putMapping({ index: 'pm', properties: { a: { type: 'text' } } }).catch((e: errors.ResponseError) => e);
    expect((error as errors.ResponseError).body.error).toMatchObject({ type: 'illegal_argument_exception', reason: 'mapper [a] cannot be changed from type [long] to [text]' });
    const missing = await client.indices.getMapping({ index: 'nope' }).catch((e: errors.ResponseError) => e);
    expect((missing as errors.ResponseError).statusCode).toBe(404);
    expect((missing as errors.ResponseError).body.error.type).toBe('index_not_found_exception');
  });

  it('answers a document that is not JSON with a per-item parse error', async () => {
    const body = '{"index":{"_index":"raw","_id":"1"}}\n{"a":\n{"index":{"_index":"raw","_id":"2"}}\n{"a":1}\n';
    const result = await client.transport.request({ method: 'POST', path: '/_bulk', bulkBody: body }) as { errors: boolean; items: { index: { status: number; error?: { type: string } } }[] };
    expect(result.errors).toBe(true);
    expect(result.items.map((i) => [i.index.status, i.index.error?.type])).toEqual([[400, 'document_parsing_exception'], [201, undefined]]);
  });
});

describe('bulk body rules', () => {
  async function rawBulk(body: string): Promise<errors.ResponseError> {
    return client.transport.request({ method: 'POST', path: '/_bulk', bulkBody: body }).then(() => {
      throw new Error('expected an error');
    }, (e: errors.ResponseError) => e);
  }

  it('needs a final newline, known actions and parameters', async () => {
    expect((await rawBulk('{"index":{"_index":"a"}}\n{"x":1}')).body.error.reason).toBe('The bulk request must be terminated by a newline [\\n]');
    expect((await rawBulk('{"upsert":{"_index":"a"}}\n{"x":1}\n')).body.error.reason)
      .toBe('Malformed action/metadata line [1], expected field [create], [delete], [index] or [update] but found [upsert]');
    expect((await rawBulk('{"index":{"_index":"a","color":"red"}}\n{"x":1}\n')).body.error.reason)
      .toBe('Action/metadata line [1] contains an unknown parameter [color]');
    expect((await rawBulk('{"index":{}}\n{"x":1}\n')).body.error.reason).toBe('Validation Failed: 1: index is missing;');
  });

  it('takes the index from the path', async () => {
    const result = await client.bulk({ index: 'from-path', operations: [{ index: { _id: '1' } }, { x: 1 }] });
    expect(result.items[0].index?._index).toBe('from-path');
  });
});

describe('data streams', () => {
  it('creates logs-*-* data streams from the built-in template and writes creates to the backing index', async () => {
    const result = await client.bulk({
      operations: [
        { create: { _index: 'logs-app-default' } }, { '@timestamp': '2024-05-01T00:00:00Z', message: 'hi' },
        { create: { _index: 'logs-app-default' } }, { message: 'no time' },
        { index: { _index: 'logs-app-default' } }, { '@timestamp': '2024-05-01T00:00:00Z' },
        { delete: { _index: 'logs-app-default', _id: 'x' } },
      ],
    });
    expect(server.dataStreams()).toEqual(['logs-app-default']);
    const backing = result.items[0].create?._index as string;
    expect(backing).toMatch(/^\.ds-logs-app-default-\d{4}\.\d{2}\.\d{2}-000001$/);
    expect(result.items[0].create?.status).toBe(201);
    expect(result.items[1].create?.error).toMatchObject({
      type: 'document_parsing_exception',
      caused_by: { type: 'illegal_argument_exception', reason: 'data stream timestamp field [@timestamp] is missing' },
    });
    expect(result.items[2].index?.error).toMatchObject({ type: 'illegal_argument_exception', reason: 'only write ops with an op_type of create are allowed in data streams' });
    expect(result.items[3].delete?.status).toBe(400);
    expect(server.documents('logs-app-default').size).toBe(1);
    expect(server.indices()).toEqual([backing]);
    const described = await client.indices.getDataStream({ name: 'logs-app-default' });
    expect(described.data_streams[0]).toMatchObject({ name: 'logs-app-default', generation: 1, template: 'logs', timestamp_field: { name: '@timestamp' } });
    expect(described.data_streams[0].indices[0].index_name).toBe(backing);
  });

  it('creates data streams explicitly only with a matching data stream template', async () => {
    const none = await client.indices.createDataStream({ name: 'events-a' }).catch((e: errors.ResponseError) => e);
    expect((none as errors.ResponseError).body.error).toMatchObject({ type: 'illegal_argument_exception', reason: 'no matching index template found for data stream [events-a]' });
    await client.indices.putIndexTemplate({ name: 'events', index_patterns: ['events-*'], data_stream: {}, priority: 200, template: { mappings: { properties: { level: { type: 'keyword' } } } } });
    await client.indices.createDataStream({ name: 'events-a' });
    expect(server.mapping('events-a')).toEqual({ properties: { level: { type: 'keyword' }, '@timestamp': { type: 'date' } } });
    const twice = await client.indices.createDataStream({ name: 'events-a' }).catch((e: errors.ResponseError) => e);
    expect((twice as errors.ResponseError).body.error.type).toBe('resource_already_exists_exception');
    const asIndex = await client.indices.create({ index: 'events-b' }).catch((e: errors.ResponseError) => e);
    expect((asIndex as errors.ResponseError).body.error.reason).toContain('use create data stream api instead');
    expect(await client.indices.exists({ index: 'events-a' })).toBe(true);
  });
});
