/**
 * The docker-compose pipeline brought to a quiet start line: the stack of the end-to-end test
 * (test/deploy/pipeline-stack.ts) with the init script's one-second write EVENT turned off, the
 * stack's connector files applied unchanged but for addresses (region A's folder on ferry-a1,
 * region B's on ferry-b, as the compose file's one-shot services do), every connector running,
 * and the orders table's initial state everywhere: in the index, on region B, and committed by
 * the S3 sink (so each destination is subscribed and idle when the load starts).
 */
import type { Admin } from 'kafkajs';
import { endOffset, kafkaClient } from '../broker/kafkajs-runs.js';
import { describeStatuses } from '../runtime/connect-rest.js';
import { ConnectRest } from '../../test/helpers/connect-rest.js';
import { until } from '../../test/helpers/until.js';
import { startPipelineStack, type PipelineStack } from '../../test/deploy/pipeline-stack.js';

export const TABLE = 'inventory.orders';
export const TOPIC = 'shop.inventory.orders';
export const INDEX = TOPIC;
export const REMOTE_TOPIC = `region-a.${TOPIC}`;
const SETTLE_MS = 180_000;

export interface PipelineContext {
  readonly stack: PipelineStack;
  readonly adminA: Admin;
  readonly adminB: Admin;
  readonly restA: ConnectRest;
  readonly restB: ConnectRest;
  /** Connector names per region, from the connector files. */
  readonly connectorsA: readonly string[];
  /** s3-backup.json's object cuts: flush.size and rotate.schedule.interval.ms. */
  readonly s3Rotation: { readonly flushSize: number; readonly scheduleMs: number };
  readonly connectorsB: readonly string[];
  /** Seconds from the first process started to every connector running. */
  readonly startSeconds: number;
  /** Seconds of waiting for the initial state to reach every destination. */
  readonly settleSeconds: number;
  /** Where the orders table and its topic stood before the load. */
  readonly before: { readonly tableRows: number; readonly maxId: number; readonly topicEnd: number };
  /** Ids the load may reference (foreign keys). */
  readonly customerIds: readonly number[];
  readonly productIds: readonly number[];
  /** Every connector's state on both regions, one line each (for errors). */
  describe(): Promise<string>;
  /** Disconnects the admins and stops the stack. */
  close(): Promise<void>;
}

type Row = Record<string, number>;

async function quietEndOffset(admin: Admin, topic: string): Promise<number> {
  return endOffset(admin, topic).catch(() => -1);
}

export async function startPipeline(work: string, log: (line: string) => void): Promise<PipelineContext> {
  const t0 = performance.now();
  const stack = await startPipelineStack(work);
  const adminA = kafkaClient(stack.regionA.bootstrap).admin();
  const adminB = kafkaClient(stack.regionB.bootstrap).admin();
  const close = async () => {
    await Promise.all([adminA.disconnect(), adminB.disconnect()]).catch(() => undefined);
    stack.bucketClient.destroy();
    await stack.stop();
  };
  try {
    // The figures are the load's, not the init script's one write a second.
    await stack.db.query('SET GLOBAL event_scheduler = OFF');
    await Promise.all([adminA.connect(), adminB.connect()]);
    const restA = new ConnectRest(stack.workersA[0]!.restUrl);
    const restB = new ConnectRest(stack.workerB.restUrl);
    const names: string[][] = [];
    let s3Rotation = { flushSize: NaN, scheduleMs: NaN };
    for (const [folder, url] of [['region-a', restA.baseUrl], ['region-b', restB.baseUrl]] as const) {
      const { dir, definitions } = stack.localFolder(folder);
      const { code, output } = await stack.apply(dir, url);
      if (code !== 0) throw new Error(`ferry connectors apply -f ${dir} --url ${url} exited with ${code}:\n${output}`);
      names.push(definitions.map((d) => d.name));
      const s3 = definitions.find((d) => d.name === 's3-backup')?.config;
      if (s3) s3Rotation = { flushSize: Number(s3['flush.size']), scheduleMs: Number(s3['rotate.schedule.interval.ms']) };
    }
    const [connectorsA, connectorsB] = names as [string[], string[]];
    const describe = async () => `${await describeStatuses(restA.baseUrl, connectorsA)}\n${await describeStatuses(restB.baseUrl, connectorsB)}`;
    await restA.untilStates('mysql-cdc', { connector: 'RUNNING', tasks: ['RUNNING'] }, 60_000);
    await restA.untilStates('elasticsearch-sink', { connector: 'RUNNING', tasks: ['RUNNING'] }, 60_000);
    await restA.untilStates('s3-backup', { connector: 'RUNNING', tasks: ['RUNNING', 'RUNNING'] }, 60_000);
    for (const name of connectorsB) await restB.untilStates(name, { connector: 'RUNNING' }, 60_000);
    const startSeconds = (performance.now() - t0) / 1000;
    log(`stack up and ${connectorsA.length + connectorsB.length} connectors running in ${startSeconds.toFixed(1)} s`);

    const settleStart = performance.now();
    const [counted] = await stack.db.query<Row[]>(`SELECT COUNT(*) AS n, MAX(id) AS maxId FROM ${TABLE}`);
    const tableRows = Number(counted!['n']);
    const maxId = Number(counted!['maxId']);
    const waitFor = (what: string, check: () => Promise<boolean> | boolean) => until(check, { timeoutMs: SETTLE_MS, intervalMs: 250, what })
      .catch(async (err: unknown) => { throw new Error(`${String(err)}\n${await describe()}`); });
    await waitFor(`${INDEX} to hold the table's ${tableRows} rows`, () => stack.es.count(INDEX) === tableRows);
    // The snapshot and the event's last changes are on the topic once its end stops moving.
    let topicEnd = -1;
    await waitFor(`${TOPIC} to stop growing`, async () => {
      const previous = topicEnd;
      topicEnd = await quietEndOffset(adminA, TOPIC);
      return topicEnd > 0 && topicEnd === previous;
    });
    await waitFor(`${REMOTE_TOPIC} on region B to reach ${topicEnd}`, async () => (await quietEndOffset(adminB, REMOTE_TOPIC)) === topicEnd);
    // The S3 sink commits every offset.flush.interval.ms (10 s in the compose file) once its objects are complete.
    await waitFor(`s3-backup to commit ${TOPIC} up to ${topicEnd}`, async () => {
      const [committed] = await adminA.fetchOffsets({ groupId: 'connect-s3-backup', topics: [TOPIC] });
      return Number(committed?.partitions[0]?.offset ?? -1) === topicEnd;
    });
    if (await quietEndOffset(adminA, TOPIC) !== topicEnd) throw new Error(`${TOPIC} grew while the pipeline settled: is the write EVENT still on?`);
    const settleSeconds = (performance.now() - settleStart) / 1000;
    log(`settled in ${settleSeconds.toFixed(1)} s: ${TABLE} has ${tableRows} rows, ${TOPIC} ${topicEnd} records, on every destination`);

    const ids = async (table: string) => (await stack.db.query<Row[]>(`SELECT id FROM inventory.${table} ORDER BY id`)).map((r) => Number(r['id']));
    return {
      stack, adminA, adminB, restA, restB, connectorsA, connectorsB, s3Rotation, startSeconds, settleSeconds,
      before: { tableRows, maxId, topicEnd },
      customerIds: await ids('customers'), productIds: await ids('products'),
      describe, close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
