/**
 * The rest of what Debezium users rely on: primary-key changes, transaction metadata, heartbeats,
 * a lost schema history (refused, then rebuilt with snapshot.mode=recovery), and a snapshot
 * interrupted by a crash that is taken again without a gap.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { kafkaClient } from '../../helpers/kafkajs-clients.js';
import { until } from '../../helpers/until.js';
import { cdcConfig, ops, readTopic, startCdcSetting, topicSize, untilRecords, type CdcSetting } from './cdc-harness.js';

let setting: CdcSetting;

beforeAll(async () => {
  setting = await startCdcSetting();
  await setting.db.query(`
    CREATE DATABASE inv;
    CREATE TABLE inv.items (sku VARCHAR(16) PRIMARY KEY, qty INT NOT NULL);
    INSERT INTO inv.items VALUES ('A-1', 5);
  `);
});

function header(record: { headers: Array<[string, string | null]> }, name: string): unknown {
  const found = record.headers.find(([key]) => key === name);
  return found === undefined || found[1] === null ? undefined : JSON.parse(found[1]);
}

describe('change events', () => {
  it('a primary-key change is a delete (with its tombstone) and a create, linked by __debezium.newkey / oldkey headers', async () => {
    await setting.rest.createConnector('inv', cdcConfig(setting, 'inv', {
      'table.include.list': 'inv.items', 'provide.transaction.metadata': 'true', 'heartbeat.interval.ms': '300',
    }));
    await untilRecords(setting, 'inv.inv.items', 1);
    await setting.db.query("UPDATE inv.items SET sku = 'A-2' WHERE sku = 'A-1'");
    const records = await untilRecords(setting, 'inv.inv.items', 4);
    expect(ops(records)).toEqual(['r', 'd', '-', 'c']);
    const [, deleted, tombstone, created] = records;
    expect(deleted!.key!.payload).toEqual({ sku: 'A-1' });
    // The worker's default SimpleHeaderConverter writes the key struct as plain JSON, as Kafka Connect does.
    expect(header(deleted!, '__debezium.newkey')).toEqual({ sku: 'A-2' });
    expect(tombstone!.key!.payload).toEqual({ sku: 'A-1' });
    expect(created!.key!.payload).toEqual({ sku: 'A-2' });
    expect(header(created!, '__debezium.oldkey')).toEqual({ sku: 'A-1' });
    expect(created!.value!.payload.after).toEqual({ sku: 'A-2', qty: 5 });
  });

  it('provide.transaction.metadata: BEGIN and END records, and each event\'s transaction block', async () => {
    await setting.db.query(`
      START TRANSACTION;
      INSERT INTO inv.items VALUES ('B-1', 1), ('B-2', 2);
      UPDATE inv.items SET qty = 3 WHERE sku = 'B-1';
      COMMIT;
    `);
    const records = await untilRecords(setting, 'inv.inv.items', 7);
    const inTransaction = records.slice(4);
    const gtid = String((inTransaction[0]!.value!.payload.source as Record<string, unknown>).gtid);
    expect(inTransaction.map((r) => r.value!.payload.transaction)).toEqual([
      { id: gtid, total_order: 1, data_collection_order: 1 },
      { id: gtid, total_order: 2, data_collection_order: 2 },
      { id: gtid, total_order: 3, data_collection_order: 3 },
    ]);
    const markers = await until(async () => {
      const all = await readTopic(setting, 'inv.transaction');
      const mine = all.filter((r) => r.value!.payload.id === gtid);
      return mine.length >= 2 ? mine : null;
    }, { what: 'BEGIN and END of the transaction' });
    expect(markers.map((r) => r.value!.payload.status)).toEqual(['BEGIN', 'END']);
    expect(markers[0]!.key!.payload).toEqual({ id: gtid });
    expect(markers[1]!.value!.payload).toMatchObject({ event_count: 3, data_collections: [{ data_collection: 'inv.items', event_count: 3 }] });
  });

  it('heartbeats go to __debezium-heartbeat.<prefix> with the current position as offset', async () => {
    // Heartbeats keep coming: read the first two only (a read to the end may chase a growing topic).
    const beats = await until(async () => {
      const first = await readTopic(setting, '__debezium-heartbeat.inv', 2);
      return first.length === 2 ? first : null;
    }, { what: 'two heartbeats' });
    expect(beats[0]!.key!.payload).toEqual({ serverName: 'inv' });
    expect(typeof beats[0]!.value!.payload.ts_ms).toBe('number');
  });
});

describe('schema history', () => {
  it('a lost history topic fails the task with Debezium\'s message and the way out; snapshot.mode=recovery rebuilds it', async () => {
    await setting.rest.request('PUT', '/connectors/inv/stop');
    await setting.rest.untilStates('inv', { connector: 'STOPPED' });
    const admin = kafkaClient(setting.ferry.bootstrap, 'history-deleter').admin();
    await admin.connect();
    await admin.deleteTopics({ topics: ['schema-changes.inv'] });
    await admin.disconnect();
    await setting.rest.request('PUT', '/connectors/inv/resume');
    const status = await setting.rest.untilStates('inv', { connector: 'RUNNING', tasks: ['FAILED'] });
    expect(status.tasks[0]!.trace).toContain('The db history topic or its content is fully or partially missing');
    expect(status.tasks[0]!.trace).toContain('snapshot.mode=recovery');

    const config = cdcConfig(setting, 'inv', { 'table.include.list': 'inv.items', 'snapshot.mode': 'recovery' });
    expect((await setting.rest.request('PUT', '/connectors/inv/config', config)).status).toBe(200);
    await setting.rest.request('POST', '/connectors/inv/restart?includeTasks=true');
    await setting.rest.untilStates('inv', { connector: 'RUNNING', tasks: ['RUNNING'] });
    await setting.db.query("INSERT INTO inv.items VALUES ('C-1', 9)");
    const records = await until(async () => {
      const all = await readTopic(setting, 'inv.inv.items');
      return all.some((r) => (r.value?.payload.after as Record<string, unknown> | null)?.sku === 'C-1') ? all : null;
    }, { what: 'the change after recovery' });
    expect(records.filter((r) => r.value?.payload.op === 'r')).toHaveLength(1);
    expect(records[records.length - 1]!.value!.payload).toMatchObject({ op: 'c', after: { sku: 'C-1', qty: 9 } });
  });
});

describe('an interrupted snapshot', () => {
  it('is taken again from the beginning after a crash: duplicates possible, gaps never', async () => {
    const ROWS = 60_000;
    await setting.db.query('CREATE DATABASE big; CREATE TABLE big.rows_t (id INT PRIMARY KEY, pad VARCHAR(40) NOT NULL)');
    await setting.db.query(`USE big; INSERT INTO rows_t SELECT seq, CONCAT('row ', seq) FROM seq_1_to_${ROWS}`);
    await setting.rest.createConnector('big', cdcConfig(setting, 'big', {
      'table.include.list': 'big.rows_t', 'database.server.id': '5401', 'max.batch.size': '64', 'max.queue.size': '128',
    }));
    await until(async () => (await topicSize(setting, 'big.big.rows_t').catch(() => 0)) >= 2_000, { timeoutMs: 60_000, what: 'the snapshot to be under way' });
    await setting.restartFerry('kill');
    const sizeAtKill = await topicSize(setting, 'big.big.rows_t');
    expect(sizeAtKill).toBeLessThan(ROWS);
    await until(async () => (await topicSize(setting, 'big.big.rows_t')) >= sizeAtKill + ROWS, { timeoutMs: 90_000, what: 'the snapshot taken again' });
    const records = await readTopic(setting, 'big.big.rows_t');
    const ids = new Set(records.map((r) => Number((r.value!.payload.after as Record<string, unknown>).id)));
    expect(ids.size).toBe(ROWS);
    expect(ops(records).every((op) => op === 'r')).toBe(true);
    const last = records[records.length - 1]!.value!.payload.source as Record<string, unknown>;
    expect(last.snapshot).toBe('last');
    await setting.db.query("INSERT INTO big.rows_t VALUES (0, 'after the snapshot')");
    await until(async () => (await topicSize(setting, 'big.big.rows_t')) >= sizeAtKill + ROWS + 1, { what: 'streaming after the snapshot' });
  });
});

