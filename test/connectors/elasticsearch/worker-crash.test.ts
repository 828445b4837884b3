/**
 * The Elasticsearch sink through a worker SIGKILLed mid-stream and restarted on the same data
 * directory and ports: the offsets it had committed never ran ahead of the documents in the index,
 * and after the restart every record of the topic is indexed (by offset id: one document per
 * record; by key: the last value per key at its offset as version — replays cannot double).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { until } from '../../helpers/until.js';
import {
  committedOffsets, createTopic, endOffsets, esSinkConfig, lastValuePerKey, produce, readTopic, startEsWorkerSetting,
  untilCommitted, type EsWorkerSetting,
} from './worker-setting.js';

let setting: EsWorkerSetting;

beforeAll(async () => {
  setting = await startEsWorkerSetting({ mode: 'es8' });
});

afterAll(async () => {
  await setting?.close();
});

const RECORDS = 12_000;
const SLOW = { 'batch.size': '100', 'max.in.flight.requests': '2', 'linger.ms': '5', 'max.retries': '12', 'retry.backoff.ms': '20' };

it('indexes every record after a SIGKILL mid-stream and a restart; committed offsets never ran ahead of indexed documents', async () => {
  const { es } = setting;
  await createTopic(setting, 'stream', 2);
  await createTopic(setting, 'stream-keyed', 2);
  const values = Array.from({ length: RECORDS }, (_, i) => JSON.stringify({ seq: i, body: `record ${i}` }));
  await produce(setting, 'stream', values.map((value, i) => ({ key: null, value, partition: i % 2 })));
  await produce(setting, 'stream-keyed', values.map((value, i) => ({ key: `k${i % 900}`, value })));
  const topic = await readTopic(setting, 'stream');
  const keyed = await readTopic(setting, 'stream-keyed');

  // Slow answers keep the stream going for several seconds and offset commits.
  es.setLatency(60);
  await setting.rest.createConnector('stream', esSinkConfig(setting, 'stream', { ...SLOW, 'key.ignore': 'true' }));
  await setting.rest.createConnector('stream-keyed', esSinkConfig(setting, 'stream-keyed', SLOW));
  await until(async () => {
    const committed = await committedOffsets(setting, 'stream', 'stream');
    return committed.size === 2 && es.count('stream') >= RECORDS / 4;
  }, { timeoutMs: 30_000, intervalMs: 100, what: 'a quarter of stream indexed and its offsets committed' });
  await setting.ferry.kill();

  // The index as the killed worker left it. Until the check below every bulk answers 503, so the
  // restarted worker can have nothing acknowledged, nor commit past what the killed one committed.
  const indexedAtKill = new Set(es.versions('stream').keys());
  expect(indexedAtKill.size).toBeLessThan(RECORDS);
  es.setLatency(0);
  es.failNextBulks(503, 1_000_000);
  await setting.restartFerry('kill');
  const committed = await committedOffsets(setting, 'stream', 'stream');
  es.failNextBulks(503, 0);
  expect(committed.size).toBe(2);
  for (const [partition, offset] of committed) {
    const missing = topic.filter((r) => r.partition === partition && r.offset < offset && !indexedAtKill.has(`stream+${partition}+${r.offset}`));
    expect(missing.map((r) => r.offset), `partition ${partition} committed up to ${offset}`).toEqual([]);
  }

  await untilCommitted(setting, 'stream', 'stream', endOffsets(topic), 60_000);
  const docs = es.documents('stream');
  expect(docs.size).toBe(RECORDS);
  for (const r of topic) expect(docs.get(`stream+${r.partition}+${r.offset}`)?.source).toEqual(JSON.parse(r.payload!));

  await untilCommitted(setting, 'stream-keyed', 'stream-keyed', endOffsets(keyed), 60_000);
  const expected = lastValuePerKey(keyed);
  expect(es.versions('stream-keyed')).toEqual(new Map([...expected].map(([id, d]) => [id, d.version])));
  const keyedDocs = es.documents('stream-keyed');
  for (const [id, { source }] of expected) expect(keyedDocs.get(id)?.source, id).toEqual(source);
  for (const name of ['stream', 'stream-keyed']) {
    expect(await setting.rest.status(name)).toMatchObject({ connector: { state: 'RUNNING' }, tasks: [{ state: 'RUNNING' }] });
  }
}, 120_000);
