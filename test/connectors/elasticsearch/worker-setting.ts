/**
 * End-to-end setting for the Elasticsearch sink: one Elasticsearch test server and one
 * `ferry start` (bundled broker, one worker, REST) as a child process per test file, records
 * produced with kafkajs (keys and tombstones), topics read back with kcat, and the sink's
 * committed offsets read from its consumer group — what a user of the pipeline can look at.
 */
import { ConnectRest } from '../../helpers/connect-rest.js';
import { startElasticsearchTestServer, type EsTestServer, type EsTestServerOptions } from '../../helpers/elasticsearch-server.js';
import { restartFerry, startFerry, type FerryProcess } from '../../helpers/ferry-process.js';
import { kafkaClient } from '../../helpers/kafkajs-clients.js';
import { kcatReadJson, type KcatMessage } from '../../helpers/kcat.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';

export interface EsWorkerSetting {
  readonly es: EsTestServer;
  ferry: FerryProcess;
  rest: ConnectRest;
  readonly dataDir: string;
  /** Restarts ferry on the same data directory and ports, after SIGTERM ('stop') or SIGKILL ('kill'). */
  restartFerry(mode: 'stop' | 'kill'): Promise<void>;
  close(): Promise<void>;
}

/** Worker settings: frequent offset commits, and a killed consumer evicted from its group quickly. */
const WORKER_SETTINGS = {
  'offset.flush.interval.ms': '500',
  'consumer.session.timeout.ms': '6000',
  'consumer.heartbeat.interval.ms': '1000',
};

export async function startEsWorkerSetting(server: EsTestServerOptions = {}): Promise<EsWorkerSetting> {
  const es = await startElasticsearchTestServer(server);
  const dataDir = tempDir('ferry-es-');
  const ferry = await startFerry({ dataDir, settings: WORKER_SETTINGS });
  const setting: EsWorkerSetting = {
    es,
    ferry,
    rest: new ConnectRest(ferry.restUrl),
    dataDir,
    async restartFerry(mode) {
      setting.ferry = await restartFerry(setting.ferry, mode, { dataDir, settings: WORKER_SETTINGS });
      setting.rest = new ConnectRest(setting.ferry.restUrl);
    },
    async close() {
      await setting.ferry.stop();
      await es.close();
    },
  };
  return setting;
}

/** The sink's connector JSON as a user writes it: string keys, JSON values (schemaless unless `extra` says otherwise). */
export function esSinkConfig(setting: EsWorkerSetting, topics: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'connector.class': 'io.confluent.connect.elasticsearch.ElasticsearchSinkConnector',
    'tasks.max': '1',
    topics,
    'connection.url': setting.es.url,
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter.schemas.enable': 'false',
    'schema.ignore': 'true',
    'retry.backoff.ms': '20',
    ...extra,
  };
}

export async function createTopic(setting: EsWorkerSetting, topic: string, partitions: number): Promise<void> {
  const admin = kafkaClient(setting.ferry.bootstrap, 'es-test-admin').admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

export interface Produced {
  key: string | null;
  /** The value as text (JSON), or null for a tombstone. */
  value: string | null;
  partition?: number;
}

/** Produces records in order (keyed records go to the key's partition unless one is given). */
export async function produce(setting: EsWorkerSetting, topic: string, records: readonly Produced[]): Promise<void> {
  const producer = kafkaClient(setting.ferry.bootstrap, 'es-test-producer').producer({ allowAutoTopicCreation: false, idempotent: false });
  await producer.connect();
  try {
    for (let i = 0; i < records.length; i += 500) {
      await producer.send({ topic, acks: -1, messages: records.slice(i, i + 500).map((r) => ({ key: r.key, value: r.value, partition: r.partition })) });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Every record of a topic, in partition then offset order (an absent topic reads as empty). */
export async function readTopic(setting: EsWorkerSetting, topic: string): Promise<KcatMessage[]> {
  try {
    return await kcatReadJson(setting.ferry.bootstrap, topic);
  } catch (error) {
    if (/Unknown topic|UNKNOWN_TOPIC/i.test(String(error))) return [];
    throw error;
  }
}

/** The sink connector's committed offsets, partition → next offset (absent: nothing committed). */
export async function committedOffsets(setting: EsWorkerSetting, connector: string, topic: string): Promise<Map<number, number>> {
  const admin = kafkaClient(setting.ferry.bootstrap, 'es-test-offsets').admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId: `connect-${connector}`, topics: [topic] });
    const out = new Map<number, number>();
    for (const p of offsets?.partitions ?? []) if (Number(p.offset) >= 0) out.set(p.partition, Number(p.offset));
    return out;
  } finally {
    await admin.disconnect();
  }
}

/** Waits until the connector committed `ends` (partition → end offset) for every partition. */
export async function untilCommitted(setting: EsWorkerSetting, connector: string, topic: string, ends: ReadonlyMap<number, number>, timeoutMs = 30_000): Promise<void> {
  let last = new Map<number, number>();
  try {
    await until(async () => {
      last = await committedOffsets(setting, connector, topic);
      return [...ends].every(([p, end]) => last.get(p) === end);
    }, { timeoutMs, intervalMs: 200, what: `${connector} to commit ${JSON.stringify([...ends])}` });
  } catch (error) {
    throw new Error(`${(error as Error).message}; committed ${JSON.stringify([...last])}`, { cause: error });
  }
}

/** End offset of every partition of the records read from a topic. */
export function endOffsets(records: readonly KcatMessage[]): Map<number, number> {
  const ends = new Map<number, number>();
  for (const r of records) ends.set(r.partition, Math.max(ends.get(r.partition) ?? 0, r.offset + 1));
  return ends;
}

/** The document a topic leaves for each key under write.method=insert: the last value, gone after a tombstone. */
export function lastValuePerKey(records: readonly KcatMessage[]): Map<string, { source: unknown; version: number }> {
  const out = new Map<string, { source: unknown; version: number }>();
  for (const r of records) {
    if (r.key === null) continue;
    if (r.payload === null) out.delete(r.key);
    else out.set(r.key, { source: JSON.parse(r.payload) as unknown, version: r.offset });
  }
  return out;
}

/** The document a topic leaves for each key under write.method=upsert: values merged since the last tombstone. */
export function mergedPerKey(records: readonly KcatMessage[]): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const r of records) {
    if (r.key === null) continue;
    if (r.payload === null) out.delete(r.key);
    else out.set(r.key, { ...out.get(r.key), ...(JSON.parse(r.payload) as Record<string, unknown>) });
  }
  return out;
}

/** Waits until the index holds `count` documents (real-time), and returns its documents. */
export async function untilDocuments(setting: EsWorkerSetting, index: string, count: number, timeoutMs = 30_000): Promise<ReturnType<EsTestServer['documents']>> {
  try {
    await until(() => setting.es.count(index) === count, { timeoutMs, intervalMs: 100, what: `${count} documents in ${index}` });
  } catch (error) {
    throw new Error(`${(error as Error).message}; it holds ${setting.es.count(index)}`, { cause: error });
  }
  return setting.es.documents(index);
}
