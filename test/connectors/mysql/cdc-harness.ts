/**
 * End-to-end setting for the CDC connector: a private MariaDB with a ROW binlog, `ferry start`
 * (bundled broker, one worker, REST) as a child process, a CDC user with Debezium's grants, and
 * readers that decode what JsonConverter wrote to the topics, as a consumer would see it.
 */
import { ConnectRest } from '../../helpers/connect-rest.js';
import { restartFerry, startFerry, type FerryProcess } from '../../helpers/ferry-process.js';
import { kafkaClient } from '../../helpers/kafkajs-clients.js';
import { kcatReadJson, type KcatMessage } from '../../helpers/kcat.js';
import { startTestMariaDb, type MariaDbServer } from '../../helpers/mariadb.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';

export const CDC_USER = 'cdc';
export const CDC_PASSWORD = 'cdc-secret-pw';

export interface CdcSetting {
  readonly db: MariaDbServer;
  ferry: FerryProcess;
  rest: ConnectRest;
  readonly dataDir: string;
  /** Restarts ferry on the same data directory and ports (a worker restart). */
  restartFerry(mode: 'stop' | 'kill'): Promise<void>;
}

export async function startCdcSetting(settings: Record<string, string> = {}): Promise<CdcSetting> {
  const db = await startTestMariaDb();
  await db.createCdcUser(CDC_USER, CDC_PASSWORD);
  const dataDir = tempDir('ferry-cdc-');
  const workerSettings = { 'offset.flush.interval.ms': '500', ...settings };
  const ferry = await startFerry({ dataDir, settings: workerSettings });
  const setting: CdcSetting = {
    db,
    ferry,
    rest: new ConnectRest(ferry.restUrl),
    dataDir,
    async restartFerry(mode) {
      setting.ferry = await restartFerry(setting.ferry, mode, { dataDir, settings: workerSettings });
      setting.rest = new ConnectRest(setting.ferry.restUrl);
    },
  };
  return setting;
}

/** A Debezium MariaDB connector config as users write it, pointed at the test server and broker. */
export function cdcConfig(setting: CdcSetting, prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
    'tasks.max': '1',
    'database.hostname': '127.0.0.1',
    'database.port': String(setting.db.port),
    'database.user': CDC_USER,
    'database.password': CDC_PASSWORD,
    'database.server.id': '5400',
    'topic.prefix': prefix,
    'schema.history.internal.kafka.topic': `schema-changes.${prefix}`,
    'schema.history.internal.kafka.bootstrap.servers': setting.ferry.bootstrap,
    ...extra,
  };
}

export interface ChangeRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The JsonConverter envelope of the key ({schema, payload}) or null. */
  readonly key: { schema: unknown; payload: Record<string, unknown> } | null;
  /** The JsonConverter envelope of the value, or null for a tombstone. */
  readonly value: { schema: Record<string, unknown>; payload: Record<string, unknown> } | null;
  readonly headers: Array<[string, string | null]>;
}

function parse(message: KcatMessage): ChangeRecord {
  const headers: Array<[string, string | null]> = [];
  const flat = message.headers ?? [];
  for (let i = 0; i + 1 < flat.length; i += 2) headers.push([flat[i]!, flat[i + 1]!]);
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    key: message.key === null ? null : JSON.parse(message.key) as ChangeRecord['key'],
    value: message.payload === null ? null : JSON.parse(message.payload) as ChangeRecord['value'],
    headers,
  };
}

/** Every record of a topic (or its first `limit`), decoded (an absent topic reads as empty). */
export async function readTopic(setting: CdcSetting, topic: string, limit?: number): Promise<ChangeRecord[]> {
  try {
    return (await kcatReadJson(setting.ferry.bootstrap, topic, limit)).map(parse);
  } catch (error) {
    if (/Unknown topic|UNKNOWN_TOPIC/i.test(String(error))) return [];
    throw error;
  }
}

/** Waits until `topic` holds at least `count` records, and returns them all. */
export async function untilRecords(setting: CdcSetting, topic: string, count: number, timeoutMs = 30_000): Promise<ChangeRecord[]> {
  let last: ChangeRecord[] = [];
  try {
    return await until(async () => {
      last = await readTopic(setting, topic);
      return last.length >= count ? last : null;
    }, { timeoutMs, intervalMs: 200, what: `${count} records on ${topic}` });
  } catch (error) {
    throw new Error(`${(error as Error).message}; ${last.length} there: ${JSON.stringify(last.slice(-3).map((r) => r.value?.payload ?? null))}`, { cause: error });
  }
}

/** The `op` of each record (`-` for a tombstone). */
export function ops(records: readonly ChangeRecord[]): string[] {
  return records.map((r) => (r.value === null ? '-' : String(r.value.payload.op)));
}

/** Stored offsets of a connector as the REST API reports them (GET /connectors/{name}/offsets needs STOPPED). */
export async function storedOffsets(setting: CdcSetting, name: string): Promise<Array<Record<string, unknown>>> {
  const res = await setting.rest.request<{ offsets: Array<{ partition: unknown; offset: Record<string, unknown> }> }>('GET', `/connectors/${name}/offsets`);
  if (res.status !== 200) throw new Error(`GET offsets answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.offsets.map((o) => o.offset);
}

/** How many records a topic holds (its end offsets summed), without reading them: quick while it grows. */
export async function topicSize(setting: CdcSetting, topic: string): Promise<number> {
  const admin = kafkaClient(setting.ferry.bootstrap, 'cdc-test-admin').admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}
