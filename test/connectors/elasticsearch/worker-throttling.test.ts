/**
 * The Elasticsearch sink through a worker while the cluster throttles for a while: bulk items
 * rejected with 429, whole bulks answered 429 and 503, slow answers. The final index is compared
 * with the topic: nothing lost, nothing doubled (key ids carry offsets as external versions, so a
 * resend cannot double; offset ids make one document per record).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { until } from '../../helpers/until.js';
import {
  createTopic, endOffsets, esSinkConfig, lastValuePerKey, produce, readTopic, startEsWorkerSetting,
  untilCommitted, type EsWorkerSetting, type Produced,
} from './worker-setting.js';

let setting: EsWorkerSetting;

beforeAll(async () => {
  setting = await startEsWorkerSetting({ mode: 'es8' });
});

afterAll(async () => {
  await setting?.close();
});

const THROTTLED = {
  'batch.size': '40', 'max.in.flight.requests': '3', 'linger.ms': '5', 'retry.backoff.ms': '10', 'max.retries': '12',
};

/** Throttles from the start, and again once `index` holds `midway` documents. */
async function throttleFor(index: string, midway: number): Promise<void> {
  const { es } = setting;
  await until(() => es.count(index) >= midway, { timeoutMs: 30_000, what: `${midway} documents in ${index}` });
  es.rejectNextItems(150);
  es.failNextBulks(503, 4);
}

function startThrottling(): void {
  setting.es.setLatency(25);
  setting.es.rejectNextItems(120);
  setting.es.failNextBulks(429, 5);
}

it('loses and doubles nothing by key while throttled: every key holds the topic\'s last value at its offset as version', async () => {
  const { es } = setting;
  await createTopic(setting, 'prices', 3);
  const records: Produced[] = Array.from({ length: 3000 }, (_, i) => ({ key: `sku-${i % 400}`, value: JSON.stringify({ sku: i % 400, price: i }) }));
  await produce(setting, 'prices', records);
  const before = es.stats();
  startThrottling();
  await setting.rest.createConnector('prices', esSinkConfig(setting, 'prices', THROTTLED));
  await throttleFor('prices', 200);
  const topic = await readTopic(setting, 'prices');
  await untilCommitted(setting, 'prices', 'prices', endOffsets(topic), 60_000);
  es.setLatency(0);

  const stats = es.stats();
  expect((stats.itemStatuses['429'] ?? 0) - (before.itemStatuses['429'] ?? 0)).toBeGreaterThanOrEqual(150);
  const expected = lastValuePerKey(topic);
  expect(es.versions('prices')).toEqual(new Map([...expected].map(([id, d]) => [id, d.version])));
  const docs = es.documents('prices');
  for (const [id, { source }] of expected) expect(docs.get(id)?.source, id).toEqual(source);
  expect(await setting.rest.status('prices')).toMatchObject({ connector: { state: 'RUNNING' }, tasks: [{ state: 'RUNNING' }] });
});

it('loses and doubles nothing without keys while throttled: one document per record, id <topic>+<partition>+<offset>', async () => {
  const { es } = setting;
  await createTopic(setting, 'visits', 2);
  await produce(setting, 'visits', Array.from({ length: 2500 }, (_, i) => ({ key: null, value: JSON.stringify({ visit: i }), partition: i % 2 })));
  startThrottling();
  await setting.rest.createConnector('visits', esSinkConfig(setting, 'visits', { ...THROTTLED, 'key.ignore': 'true' }));
  await throttleFor('visits', 200);
  const topic = await readTopic(setting, 'visits');
  await untilCommitted(setting, 'visits', 'visits', endOffsets(topic), 60_000);
  es.setLatency(0);

  const docs = es.documents('visits');
  expect(docs.size).toBe(topic.length);
  for (const r of topic) expect(docs.get(`visits+${r.partition}+${r.offset}`)?.source).toEqual(JSON.parse(r.payload!));
  expect(await setting.rest.status('visits')).toMatchObject({ connector: { state: 'RUNNING' }, tasks: [{ state: 'RUNNING' }] });
});
