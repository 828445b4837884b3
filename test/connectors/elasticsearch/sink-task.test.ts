/**
 * The sink task against the Elasticsearch test server over real HTTP (official client for ES 8,
 * plain _bulk for OpenSearch): batching, offsets only below unacknowledged records, retries of
 * throttled items and requests, malformed documents reported, failures naming the URL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SinkRecord, TopicPartition } from '../../../connectors/sdk/connect-record.js';
import type { SinkTaskContext } from '../../../connectors/sdk/sink-task.js';
import { ElasticsearchSinkTask } from '../../../connectors/elasticsearch/elasticsearch-sink-task.js';
import { startElasticsearchTestServer, type EsMode, type EsTestServer } from '../../helpers/elasticsearch-server.js';
import { noKafkaClusters } from '../../helpers/no-kafka-clusters.js';
import { until } from '../../helpers/until.js';

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function fakeContext(reported: Array<{ record: SinkRecord; error: Error }>): SinkTaskContext & { commits: number; paused: Set<string> } {
  const assignment: TopicPartition[] = [{ topic: 'Events', partition: 0 }];
  const ctx = {
    commits: 0,
    paused: new Set<string>(),
    assignment: () => assignment,
    pause: (...tps: TopicPartition[]) => tps.forEach((tp) => ctx.paused.add(`${tp.topic}-${tp.partition}`)),
    resume: (...tps: TopicPartition[]) => tps.forEach((tp) => ctx.paused.delete(`${tp.topic}-${tp.partition}`)),
    seek: () => {},
    requestCommit: () => { ctx.commits++; },
    reportErrantRecord: async (record: SinkRecord, error: Error) => { reported.push({ record, error }); },
    raiseError: (error: Error) => { throw error; },
    logger: quiet,
    kafka: noKafkaClusters,
  };
  return ctx;
}

function rec(offset: number, key: string | null, value: unknown): SinkRecord {
  return {
    topic: 'Events', kafkaPartition: 0, kafkaOffset: offset, keySchema: null, key, valueSchema: null, value,
    timestamp: 1700000000000 + offset, headers: [], timestampType: 'CreateTime', originalTopic: 'Events', originalKafkaPartition: 0, originalKafkaOffset: offset,
  };
}

const doc = (i: number) => new Map<string, unknown>([['n', i], ['text', `record ${i}`]]);

let server: EsTestServer | undefined;
let task: ElasticsearchSinkTask | undefined;
afterEach(async () => {
  await task?.stop();
  await server?.close();
  task = undefined;
  server = undefined;
});

async function started(mode: EsMode, extra: Record<string, string> = {}, reported: Array<{ record: SinkRecord; error: Error }> = []) {
  server = await startElasticsearchTestServer({ mode });
  task = new ElasticsearchSinkTask();
  const context = fakeContext(reported);
  await task.start({ 'connection.url': server.url, 'schema.ignore': 'true', 'retry.backoff.ms': '5', 'max.retries': '10', ...extra }, context);
  return { server, task, context };
}

const committed = async (t: ElasticsearchSinkTask) => (await t.flush(new Map())).get('Events-0')?.offset;

describe('Elasticsearch sink task', () => {
  for (const mode of ['es8', 'opensearch2', 'es7'] as const) {
    it(`indexes by key with external versions on ${mode} and commits only acknowledged offsets`, async () => {
      const { server: es, task: t } = await started(mode, { 'batch.size': '10', 'linger.ms': '50' });
      expect(t.server?.transport).toBe(mode === 'es8' ? 'client' : 'http');
      await t.put(Array.from({ length: 25 }, (_, i) => rec(i, `k${i % 20}`, doc(i))));
      await until(async () => (await committed(t)) === 25, { what: 'all 25 acknowledged' });
      const docs = es.documents('events');
      expect(docs.size).toBe(20);
      expect(docs.get('k3')).toMatchObject({ source: { n: 23 }, version: 23 });
      expect(docs.get('k19')).toMatchObject({ source: { n: 19 }, version: 19 });
      // A replay of older offsets keeps the newer documents (version conflicts count as success).
      await t.put(Array.from({ length: 5 }, (_, i) => rec(i, `k${i}`, doc(1000 + i))));
      await until(async () => (await committed(t)) === 5);
      expect(es.documents('events').get('k3')).toMatchObject({ source: { n: 23 }, version: 23 });
    });
  }

  it('keeps offsets below a record the server has not acknowledged, and loses nothing through 429 items and 503 bulks', async () => {
    const { server: es, task: t } = await started('es8', { 'batch.size': '7', 'key.ignore': 'true' });
    es.setLatency(150);
    es.rejectNextItems(9);
    es.failNextBulks(503, 3);
    await t.put(Array.from({ length: 60 }, (_, i) => rec(i, null, doc(i))));
    expect(await committed(t)).toBe(0);
    await until(async () => (await committed(t)) === 60, { timeoutMs: 30_000, what: 'all 60 acknowledged' });
    const docs = es.documents('events');
    expect(docs.size).toBe(60);
    expect([...docs.values()].map((d) => (d.source as { n: number }).n).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(es.stats().itemStatuses['429']).toBe(9);
  });

  it('applies upserts and deletes of one document in offset order', async () => {
    const { server: es, task: t } = await started('es8', { 'write.method': 'upsert', 'behavior.on.null.values': 'delete', 'batch.size': '2', 'max.in.flight.requests': '3' });
    es.rejectNextItems(1);
    await t.put([
      rec(0, 'a', new Map([['x', 1]])), rec(1, 'a', new Map([['y', 2]])), rec(2, 'b', new Map([['x', 1]])),
      rec(3, 'a', new Map([['x', 3]])), rec(4, 'b', null), rec(5, 'c', new Map([['z', 1]])),
    ]);
    await until(async () => (await committed(t)) === 6);
    const docs = es.documents('events');
    expect(docs.get('a')?.source).toEqual({ x: 3, y: 2 });
    expect(docs.has('b')).toBe(false);
    expect(docs.get('c')?.source).toEqual({ z: 1 });
  });

  it('reports malformed documents with the server\'s reason and indexes the rest', async () => {
    const reported: Array<{ record: SinkRecord; error: Error }> = [];
    const { server: es, task: t } = await started('es8', { 'behavior.on.malformed.documents': 'warn', 'schema.ignore': 'true' }, reported);
    await t.put([rec(0, 'a', new Map([['n', 1]]))]);
    await until(async () => (await committed(t)) === 1);
    await t.put([rec(1, 'b', new Map([['n', 'not a number']])), rec(2, 'c', new Map([['n', 3]])), rec(3, 'd', 'plain text')]);
    await until(async () => (await committed(t)) === 4);
    expect([...es.documents('events').keys()].sort()).toEqual(['a', 'c']);
    expect(reported.map((r) => r.record.kafkaOffset)).toEqual([3, 1]);
    expect(reported[1]!.error.message).toMatch(/mapper_parsing_exception|document_parsing_exception/);
  });

  it('re-creates an index deleted while it is written to', async () => {
    const { server: es, task: t } = await started('es8');
    await t.put([rec(0, 'a', doc(0))]);
    await until(async () => (await committed(t)) === 1);
    es.deleteIndex('events');
    await t.put([rec(1, 'b', doc(1))]);
    await until(async () => (await committed(t)) === 2);
    expect([...es.documents('events').keys()]).toEqual(['b']);
  });

  it('fails the start with the URL and the reason when the cluster is unreachable or refuses the credentials', async () => {
    const t = new ElasticsearchSinkTask();
    await expect(t.start({ 'connection.url': 'http://127.0.0.1:1', 'max.retries': '1', 'retry.backoff.ms': '1' }, fakeContext([])))
      .rejects.toThrow(/http:\/\/127\.0\.0\.1:1.*ECONNREFUSED.*after 2 attempts/);
    server = await startElasticsearchTestServer({ mode: 'es8', username: 'elastic', password: 'right' });
    await expect(new ElasticsearchSinkTask().start({ 'connection.url': server.url, 'connection.username': 'elastic', 'connection.password': 'wrong' }, fakeContext([])))
      .rejects.toThrow(new RegExp(`${server.url}/: reading the cluster info failed with HTTP 401: security_exception`));
  });
});
