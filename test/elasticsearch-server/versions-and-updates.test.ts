/**
 * Versioning, upserts and deletes of the Elasticsearch test server through the real 8.x client.
 * Rules: https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-index_.html#index-versioning
 * (external: strictly higher wins; external_gte: higher or equal), docs-update.html (doc merge,
 * doc_as_upsert, upsert, noop), docs-delete.html (versioned deletes, not_found).
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

function summary(items: Record<string, { _id?: string | null; status: number; result?: string; _version?: number; error?: { type: string; reason?: string | null } }>[]): unknown[] {
  return items.map((item) => {
    const body = Object.values(item)[0];
    return [body._id, body.status, body.result ?? body.error?.type, body._version];
  });
}

describe('external versions', () => {
  it('keeps the highest version and answers version_conflict_engine_exception for older or equal ones', async () => {
    const ops = (version: number, title: string) => [{ index: { _index: 'v', _id: 'k', version, version_type: 'external' as const } }, { title }];
    const first = await client.bulk({ operations: [...ops(5, 'five'), ...ops(7, 'seven'), ...ops(7, 'seven again'), ...ops(6, 'six')] });
    expect(summary(first.items)).toEqual([
      ['k', 201, 'created', 5],
      ['k', 200, 'updated', 7],
      ['k', 409, 'version_conflict_engine_exception', undefined],
      ['k', 409, 'version_conflict_engine_exception', undefined],
    ]);
    expect(first.items[2].index?.error?.reason).toBe('[k]: version conflict, current version [7] is higher or equal to the one provided [7]');
    expect(first.items[3].index?.error).toMatchObject({ index: 'v', shard: '0' });
    expect(server.documents('v').get('k')).toMatchObject({ source: { title: 'seven' }, version: 7 });
  });

  it('external_gte accepts an equal version and refuses a lower one', async () => {
    const op = (version: number) => [{ index: { _index: 'g', _id: 'k', version, version_type: 'external_gte' as const } }, { version }];
    const result = await client.bulk({ operations: [...op(3), ...op(3), ...op(2)] });
    expect(summary(result.items)).toEqual([['k', 201, 'created', 3], ['k', 200, 'updated', 3], ['k', 409, 'version_conflict_engine_exception', undefined]]);
    expect(result.items[2].index?.error?.reason).toBe('[k]: version conflict, current version [3] is higher than the one provided [2]');
  });

  it('versioned deletes leave a tombstone that older writes conflict with', async () => {
    const result = await client.bulk({
      operations: [
        { index: { _index: 'd', _id: 'k', version: 1, version_type: 'external' } }, { a: 1 },
        { delete: { _index: 'd', _id: 'k', version: 3, version_type: 'external' } },
        { index: { _index: 'd', _id: 'k', version: 2, version_type: 'external' } }, { a: 2 },
        { delete: { _index: 'd', _id: 'gone', version: 9, version_type: 'external' } },
        { index: { _index: 'd', _id: 'k', version: 4, version_type: 'external' } }, { a: 4 },
      ],
    });
    expect(summary(result.items)).toEqual([
      ['k', 201, 'created', 1],
      ['k', 200, 'deleted', 3],
      ['k', 409, 'version_conflict_engine_exception', undefined],
      ['gone', 404, 'not_found', 9],
      ['k', 201, 'created', 4],
    ]);
  });

  it('refuses external versions on create and update as a whole request', async () => {
    const error = await client.bulk({ operations: [{ create: { _index: 'x', _id: '1', version: 1, version_type: 'external' } }, { a: 1 }] })
      .catch((e: errors.ResponseError) => e);
    expect((error as errors.ResponseError).statusCode).toBe(400);
    expect((error as errors.ResponseError).body.error).toMatchObject({
      type: 'action_request_validation_exception',
      reason: 'Validation Failed: 1: create operations only support internal versioning. use index instead;',
    });
  });

  it('internal versions count every write, deletes included', async () => {
    const result = await client.bulk({
      operations: [
        { index: { _index: 'i', _id: '1' } }, { a: 1 },
        { index: { _index: 'i', _id: '1' } }, { a: 2 },
        { delete: { _index: 'i', _id: '1' } },
        { index: { _index: 'i', _id: '1' } }, { a: 3 },
      ],
    });
    expect(summary(result.items)).toEqual([['1', 201, 'created', 1], ['1', 200, 'updated', 2], ['1', 200, 'deleted', 3], ['1', 201, 'created', 4]]);
  });

  // https://www.elastic.co/guide/en/elasticsearch/reference/current/optimistic-concurrency-control.html
  it('checks if_seq_no and if_primary_term', async () => {
    const put = await client.index({ index: 'c', id: '1', document: { a: 1 } });
    await client.index({ index: 'c', id: '1', document: { a: 2 }, if_seq_no: put._seq_no, if_primary_term: put._primary_term });
    const stale = await client.index({ index: 'c', id: '1', document: { a: 3 }, if_seq_no: put._seq_no, if_primary_term: put._primary_term })
      .catch((e: errors.ResponseError) => e);
    expect((stale as errors.ResponseError).statusCode).toBe(409);
    expect((stale as errors.ResponseError).body.error.reason).toBe('[1]: version conflict, required seqNo [0], primary term [1]. current document has seqNo [1] and primary term [1]');
  });
});

describe('updates', () => {
  it('merges doc into the stored source, upserts with doc_as_upsert or upsert, and reports noops', async () => {
    const result = await client.bulk({
      operations: [
        { update: { _index: 'u', _id: '1', retry_on_conflict: 3 } }, { doc: { name: 'a', nested: { x: 1 } }, doc_as_upsert: true },
        { update: { _index: 'u', _id: '1' } }, { doc: { nested: { y: 2 }, tags: ['t'] }, doc_as_upsert: true },
        { update: { _index: 'u', _id: '1' } }, { doc: { name: 'a' } },
        { update: { _index: 'u', _id: '2' } }, { doc: { name: 'doc' }, upsert: { name: 'upsert' } },
        { update: { _index: 'u', _id: '3' } }, { doc: { name: 'missing' } },
      ],
    });
    expect(summary(result.items)).toEqual([
      ['1', 201, 'created', 1],
      ['1', 200, 'updated', 2],
      ['1', 200, 'noop', 2],
      ['2', 201, 'created', 1],
      ['3', 404, 'document_missing_exception', undefined],
    ]);
    expect(result.items[4].update?.error?.reason).toBe('[3]: document missing');
    expect(server.documents('u').get('1')?.source).toEqual({ name: 'a', nested: { x: 1, y: 2 }, tags: ['t'] });
    expect(server.documents('u').get('2')?.source).toEqual({ name: 'upsert' });
  });

  it('single-document APIs answer as the bulk items do, without status', async () => {
    const created = await client.index({ index: 's', id: '1', document: { a: 1 }, refresh: true });
    expect(created).toMatchObject({ _index: 's', _id: '1', _version: 1, result: 'created', forced_refresh: true });
    const auto = await client.index({ index: 's', document: { a: 2 } });
    expect(auto._id).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const updated = await client.update({ index: 's', id: '1', doc: { b: 2 } });
    expect(updated.result).toBe('updated');
    const deleted = await client.delete({ index: 's', id: '1' });
    expect(deleted.result).toBe('deleted');
    const missing = await client.get({ index: 's', id: '1' }).catch((e: errors.ResponseError) => e);
    expect((missing as errors.ResponseError).statusCode).toBe(404);
    expect((missing as errors.ResponseError).body).toEqual({ _index: 's', _id: '1', found: false });
    expect(await client.exists({ index: 's', id: auto._id })).toBe(true);
  });

  it('generates ids for index and create actions without _id', async () => {
    const result = await client.bulk({ operations: [{ index: { _index: 'a' } }, { n: 1 }, { create: { _index: 'a' } }, { n: 2 }] });
    const ids = result.items.map((i) => Object.values(i)[0]._id);
    expect(new Set(ids).size).toBe(2);
    expect(result.items.map((i) => Object.values(i)[0].result)).toEqual(['created', 'created']);
    expect(server.documents('a').size).toBe(2);
  });
});

// https://www.elastic.co/guide/en/elasticsearch/reference/current/near-real-time.html
describe('refresh, count and search', () => {
  it('makes writes searchable at refresh, while get is real-time', async () => {
    await client.indices.create({ index: 'r', settings: { refresh_interval: '-1' } });
    await client.bulk({ operations: [{ index: { _index: 'r', _id: '1' } }, { a: 1 }, { index: { _index: 'r', _id: '2' } }, { a: 2 }] });
    expect((await client.count({ index: 'r' })).count).toBe(0);
    expect((await client.get({ index: 'r', id: '2' })).found).toBe(true);
    await client.indices.refresh({ index: 'r' });
    expect((await client.count({ index: 'r' })).count).toBe(2);
    const hits = await client.search({ index: 'r', query: { term: { a: 2 } } });
    expect(hits.hits.total).toEqual({ value: 1, relation: 'eq' });
    expect(hits.hits.hits[0]).toMatchObject({ _index: 'r', _id: '2', _source: { a: 2 } });
  });

  it('refreshes on its own after the default one-second interval', async () => {
    await client.bulk({ operations: [{ index: { _index: 'auto', _id: '1' } }, { a: 1 }] });
    const deadline = Date.now() + 3000;
    let seen = 0;
    while (Date.now() < deadline && seen === 0) {
      seen = (await client.count({ index: 'auto' })).count;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toBe(1);
  });
});

describe('test-side views', () => {
  it('count and versions read live documents in real time, data streams included, without copying sources', async () => {
    await client.bulk({ operations: [
      { index: { _index: 'live', _id: 'a', version: 7, version_type: 'external' } }, { a: 1 },
      { index: { _index: 'live', _id: 'b' } }, { b: 1 },
      { index: { _index: 'live', _id: 'b' } }, { b: 2 },
      { index: { _index: 'live', _id: 'c' } }, { c: 1 },
      { delete: { _index: 'live', _id: 'c' } },
    ] });
    expect(server.count('live')).toBe(2);
    expect(server.versions('live')).toEqual(new Map([['a', 7], ['b', 2]]));
    expect(server.count('absent')).toBe(0);
    expect(server.versions('absent')).toEqual(new Map());
    await client.indices.putIndexTemplate({ name: 'logs', index_patterns: ['logs-*-*'], data_stream: {}, priority: 500 });
    await client.bulk({ operations: [{ create: { _index: 'logs-app-default' } }, { '@timestamp': 1, m: 'x' }] });
    expect(server.count('logs-app-default')).toBe(1);
    expect([...server.versions('logs-app-default').values()]).toEqual([1]);
  });
});
