/**
 * The docker-compose pipeline, run here without Docker (no engine on this machine): two bundled
 * brokers as regions A and B, three `ferry worker` processes forming region A's Connect cluster
 * and one on region B, each started with exactly the environment docker-compose.yml gives its
 * service (container addresses replaced); a private MariaDB loaded with the compose stack's init
 * script (schema, CDC user, the one-second write load); s3rver in place of MinIO, with the
 * stack's credentials; the Elasticsearch test server in place of Elasticsearch. The connectors are
 * the stack's JSON files, different only in their addresses, applied with `ferry connectors apply`
 * as the stack's one-shot services do.
 *
 * While the database is written to, the worker running the CDC task is SIGKILLed. Afterwards
 * every table's final state must be in the index, every change record in the bucket in
 * Confluent's layout, every record on region B with a consumer group's offsets translated, and
 * the bucket restored into region B's cluster equal to what region A holds.
 */
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConnectRest } from '../helpers/connect-rest.js';
import { kafkaClient } from '../helpers/kafkajs-clients.js';
import { kcatReadJson, type KcatMessage } from '../helpers/kcat.js';
import { reapAfterFile } from '../helpers/child-reaper.js';
import { tempDir } from '../helpers/temp-dir.js';
import { until } from '../helpers/until.js';
import { backedUpRecords } from './pipeline-kit.js';
import { BUCKET, startPipelineStack, type PipelineStack } from './pipeline-stack.js';

const TABLES = ['customers', 'products', 'orders'] as const;
const topicOf = (table: string) => `shop.inventory.${table}`;

let stack: PipelineStack;
let adminA: Admin;
let adminB: Admin;

beforeAll(async () => {
  stack = await startPipelineStack(tempDir('ferry-pipeline-'));
  for (const broker of [stack.regionA, stack.regionB]) reapAfterFile(broker.child);
  adminA = kafkaClient(stack.regionA.bootstrap, 'pipeline-test-a').admin();
  adminB = kafkaClient(stack.regionB.bootstrap, 'pipeline-test-b').admin();
  await Promise.all([adminA.connect(), adminB.connect()]);
}, 120_000);

afterAll(async () => {
  await Promise.all([adminA?.disconnect(), adminB?.disconnect()]);
  await stack?.stop();
});

async function apply(target: string, url: string): Promise<string> {
  const { code, output } = await stack.apply(target, url);
  expect(code, `ferry connectors apply -f ${target}:\n${output}`).toBe(0);
  return output;
}

/** Every connector's status on a worker, for failure messages. */
async function statusReport(rest: ConnectRest): Promise<string> {
  const names = (await rest.request<string[]>('GET', '/connectors')).body;
  const statuses = await Promise.all(names.map((name) => rest.status(name)));
  return statuses.map((status) => JSON.stringify(status)).join('\n');
}

async function endOffset(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

/** Every record of a single-partition topic up to its current end. */
async function readAll(bootstrap: string, admin: Admin, topic: string): Promise<KcatMessage[]> {
  const end = await endOffset(admin, topic);
  return end === 0 ? [] : kcatReadJson(bootstrap, topic, end);
}

type Row = Record<string, string | number | null>;

async function tableRows(table: string): Promise<Map<string, Row>> {
  const rows = await stack.db.query<Row[]>(`SELECT * FROM inventory.${table} ORDER BY id`);
  return new Map(rows.map((row) => [String(row['id']), Object.fromEntries(Object.entries(row).map(([k, v]) => [k, k === 'price' ? Number(v) : v]))]));
}

function indexed(table: string): Map<string, unknown> {
  return new Map([...stack.es.documents(topicOf(table))].map(([id, doc]) => [id, doc.source]));
}

/** Writes a user might make: new customers and products, price and stock changes, orders placed, shipped and removed. */
async function writeLoad(round: number): Promise<void> {
  const conn = await stack.db.connect('inventory');
  try {
    for (let i = 0; i < 20; i++) {
      const n = round * 100 + i;
      await conn.query('INSERT INTO customers (first_name, last_name, email) VALUES (?, ?, ?)', [`First ${n}`, `Last ${n}`, `user${n}@example.com`]);
      await conn.query('INSERT INTO products (name, description, price, stock) VALUES (?, ?, ?, ?)', [`product ${n}`, `ünïcödé "quoted" ${n}`, (n % 50) + 0.99, n]);
      await conn.query('UPDATE products SET price = price + 1.25 WHERE id = 101 + ?', [i % 5]);
      await conn.query(
        'INSERT INTO orders (customer_id, product_id, quantity, status) SELECT MAX(c.id), MIN(p.id), ?, ? FROM customers c, products p',
        [1 + (i % 4), 'new'],
      );
      await conn.query('UPDATE orders SET status = ? WHERE status = ? ORDER BY id LIMIT 1', ['shipped', 'new']);
      if (i % 4 === 3) await conn.query('DELETE FROM customers WHERE email = ?', [`user${n - 1}@example.com`]).catch(() => undefined);
      if (i % 5 === 4) await conn.query('DELETE FROM orders WHERE status = ? ORDER BY id LIMIT 1', ['shipped']);
    }
  } finally {
    await conn.end();
  }
}

it('captures, indexes, backs up, mirrors and restores the shop database through a worker crash, losing nothing', async () => {
  // The one-shot services of the stack: apply region A's and region B's connector folders.
  const { workersA, workerB, regionA, regionB, db } = stack;
  const folderA = stack.localFolder('region-a');
  const folderB = stack.localFolder('region-b');
  const appliedA = await apply(folderA.dir, workersA[0]!.restUrl);
  for (const { name } of folderA.definitions) expect(appliedA).toMatch(new RegExp(`created\\s+${name}\\b`));
  const appliedB = await apply(folderB.dir, workerB.restUrl);
  for (const { name } of folderB.definitions) expect(appliedB).toMatch(new RegExp(`created\\s+${name}\\b`));
  // Applying again changes nothing.
  expect(await apply(folderA.dir, workersA[1]!.restUrl)).not.toMatch(/created|updated/);

  const restA = new ConnectRest(workersA[0]!.restUrl);
  const restB = new ConnectRest(workerB.restUrl);
  await restA.untilStates('mysql-cdc', { connector: 'RUNNING', tasks: ['RUNNING'] }, 60_000);
  await restA.untilStates('elasticsearch-sink', { connector: 'RUNNING', tasks: ['RUNNING'] }, 60_000);
  await restA.untilStates('s3-backup', { connector: 'RUNNING', tasks: ['RUNNING', 'RUNNING'] }, 60_000);
  for (const { name } of folderB.definitions) await restB.untilStates(name, { connector: 'RUNNING' }, 60_000);

  // Writes reach the index: the pipeline streams.
  await writeLoad(1);
  await until(() => [...indexed('customers').values()].some((doc) => (doc as Row)['email'] === 'user119@example.com'),
    { timeoutMs: 60_000, intervalMs: 200, what: 'the first writes indexed' }).catch(async (err: unknown) => {
    throw new Error(`${String(err)}\nindices: ${stack.es.indices().join(', ')}\n${await statusReport(restA)}`);
  });

  // Once the end of the snapshot is committed (a crash before that takes the snapshot again, and
  // rows deleted in between would leave no delete event: Debezium's behaviour too), SIGKILL the worker that runs the CDC task (region A's REST entry stays up), and keep writing.
  await until(async () => {
    const { body } = await restA.request<{ offsets: { offset: Record<string, unknown> }[] }>('GET', '/connectors/mysql-cdc/offsets');
    return body.offsets.length > 0 && body.offsets.every(({ offset }) => !('snapshot' in offset));
  }, { timeoutMs: 60_000, intervalMs: 500, what: 'the CDC snapshot committed' });
  const cdcOwner = (await restA.status('mysql-cdc'))!.tasks[0]!.worker_id;
  const victim = workersA.slice(1).find((w) => new URL(w.restUrl).host === cdcOwner) ?? workersA[1]!;
  await victim.kill();
  await writeLoad(2);
  await writeLoad(3);
  // The CDC task moves to a surviving worker and carries on from its last committed offset.
  const survivors = workersA.filter((w) => w !== victim).map((w) => new URL(w.restUrl).host);
  await until(async () => {
    const task = (await restA.status('mysql-cdc'))?.tasks[0];
    return task?.state === 'RUNNING' && survivors.includes(task.worker_id);
  }, { timeoutMs: 60_000, intervalMs: 200, what: 'the CDC task running on a surviving worker' });

  // The write load stops; every table's final state is in the index (deleted rows gone).
  await db.query('SET GLOBAL event_scheduler = OFF');
  for (const table of TABLES) {
    await until(async () => {
      const rows = await tableRows(table);
      const docs = indexed(table);
      return docs.size === rows.size && [...rows].every(([id, row]) => JSON.stringify(docs.get(id)) === JSON.stringify(row));
    }, { timeoutMs: 90_000, intervalMs: 500, what: `index ${topicOf(table)} to hold the table's final state` }).catch(async (err: unknown) => {
      const rows = await tableRows(table);
      expect(Object.fromEntries(indexed(table)), String(err)).toEqual(Object.fromEntries(rows));
    });
  }

  // Region A's change topics, now complete.
  const topicA = new Map<string, KcatMessage[]>();
  for (const table of TABLES) topicA.set(table, await readAll(regionA.bootstrap, adminA, topicOf(table)));
  expect(topicA.get('orders')!.filter((m) => m.payload === null).length, 'deletes produce tombstones').toBeGreaterThan(0);

  // The bucket: every record with a value, at its Kafka offset, with its key, in Confluent's layout.
  for (const table of TABLES) {
    const expected = topicA.get(table)!.filter((m) => m.payload !== null);
    const backedUp = await until(async () => {
      const found = await backedUpRecords(stack.bucketClient, BUCKET, topicOf(table));
      return expected.every((m) => found.has(m.offset)) ? found : null;
    }, { timeoutMs: 60_000, intervalMs: 1000, what: `every record of ${topicOf(table)} in the bucket` });
    for (const m of expected) {
      for (const copy of backedUp.get(m.offset)!) expect({ offset: m.offset, key: copy.key, value: copy.value, ts: copy.timestamp }).toEqual({ offset: m.offset, key: m.key, value: m.payload, ts: m.ts });
    }
    expect([...backedUp.keys()].every((offset) => topicA.get(table)!.some((m) => m.offset === offset && m.payload !== null)), 'no record the topic lacks').toBe(true);
  }

  // Region B: every record mirrored, in order, under the remote topic name.
  for (const table of TABLES) {
    const remote = `region-a.${topicOf(table)}`;
    const expected = topicA.get(table)!.map((m) => ({ key: m.key, payload: m.payload, ts: m.ts }));
    const mirrored = await until(async () => {
      const got = await readAll(regionB.bootstrap, adminB, remote).catch(() => []);
      return got.length >= expected.length ? got : null;
    }, { timeoutMs: 60_000, intervalMs: 500, what: `${remote} on region B` });
    expect(mirrored.map((m) => ({ key: m.key, payload: m.payload, ts: m.ts }))).toEqual(expected);
  }

  // A consumer group of region A, committed halfway through the orders: region B gets its
  // offsets translated, at or before the same record (a failed-over consumer skips nothing).
  const orders = topicA.get('orders')!;
  const committed = Math.floor(orders.length / 2);
  await adminA.setOffsets({ groupId: 'shop-orders-app', topic: topicOf('orders'), partitions: [{ partition: 0, offset: String(committed) }] });
  const translated = await until(async () => {
    const [offsets] = await adminB.fetchOffsets({ groupId: 'shop-orders-app', topics: [`region-a.${topicOf('orders')}`] });
    const offset = Number(offsets?.partitions[0]?.offset ?? -1);
    return offset >= 0 ? offset : null;
  }, { timeoutMs: 60_000, intervalMs: 500, what: 'translated offsets of shop-orders-app on region B' });
  expect(translated).toBeLessThanOrEqual(committed);
  expect(committed - translated).toBeLessThanOrEqual(100);

  // Restore: the bucket into region B's cluster, under the original topic names.
  const restore = stack.localFolder('restore');
  expect(await apply(restore.dir, workerB.restUrl)).toMatch(/created\s+s3-restore\b/);
  const essence = (m: KcatMessage) => ({ key: m.key, payload: m.payload, ts: m.ts, headers: m.headers ?? [] });
  for (const table of TABLES) {
    const expected = topicA.get(table)!.filter((m) => m.payload !== null).map(essence);
    const restored = await until(async () => {
      const got = await readAll(regionB.bootstrap, adminB, topicOf(table)).catch(() => []);
      return got.length >= expected.length ? got : null;
    }, { timeoutMs: 60_000, intervalMs: 500, what: `${topicOf(table)} restored on region B` }).catch(async (err: unknown) => {
      throw new Error(`${String(err)}\n${await statusReport(restB)}`);
    });
    expect(restored.map(essence)).toEqual(expected);
  }
  expect(await restB.status('s3-restore')).toMatchObject({ connector: { state: 'RUNNING' } });
}, 420_000);
