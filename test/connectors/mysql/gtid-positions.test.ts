/**
 * MariaDB GTIDs through a worker: every streamed change names its transaction's GTID
 * (`domain-server-seq`) exactly as the server logged it, one GTID per transaction; the stored
 * offset's `gtids` is the GTID position completed before the last transaction (connectors.md §1.7),
 * which the server itself reports for the offset's file/pos; and after a stop/resume and a worker
 * restart streaming continues at the next GTID with nothing emitted twice.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cdcConfig, ops, startCdcSetting, storedOffsets, untilRecords, type CdcSetting, type ChangeRecord } from './cdc-harness.js';

const TOPIC = 'gp.gtid_db.items';
let setting: CdcSetting;

beforeAll(async () => {
  setting = await startCdcSetting();
  await setting.db.query(`
    CREATE DATABASE gtid_db;
    CREATE TABLE gtid_db.items (id INT PRIMARY KEY, label VARCHAR(32) NOT NULL);
    INSERT INTO gtid_db.items VALUES (1, 'before the connector');
  `);
  await setting.rest.createConnector('gtid', cdcConfig(setting, 'gp', { 'table.include.list': 'gtid_db.items' }));
  await setting.rest.untilStates('gtid', { connector: 'RUNNING', tasks: ['RUNNING'] });
  await untilRecords(setting, TOPIC, 1);
}, 120_000);

/** The server's GTID position (`@@gtid_binlog_pos`): the last GTID of every domain. */
async function binlogPos(): Promise<string> {
  const [row] = await setting.db.query<Array<{ pos: string }>>('SELECT @@gtid_binlog_pos AS pos');
  return row!.pos;
}

/** Runs `sql` on one connection and returns the GTID it was logged with (the position's advance). */
async function logged(sql: string): Promise<{ gtid: string; before: string; after: string }> {
  const before = await binlogPos();
  await setting.db.query(sql);
  const after = await binlogPos();
  const added = after.split(',').filter((g) => !before.split(',').includes(g));
  expect(added, `one GTID for: ${sql}`).toHaveLength(1);
  return { gtid: added[0]!, before, after };
}

const gtidOf = (r: ChangeRecord): string => String((r.value!.payload.source as Record<string, unknown>).gtid);
const idOf = (r: ChangeRecord): number => Number(((r.value!.payload.after ?? r.value!.payload.before) as Record<string, unknown>).id);
const sortedSet = (position: string): string[] => position.split(',').filter((g) => g !== '').sort();

describe('GTID positions of a MariaDB source', () => {
  const transactions: Array<{ gtid: string; before: string; after: string }> = [];

  it('gives every streamed change its transaction\'s GTID as the server logged it, one GTID per transaction', async () => {
    transactions.push(await logged("INSERT INTO gtid_db.items VALUES (2, 'autocommit')"));
    transactions.push(await logged("INSERT INTO gtid_db.items VALUES (3, 'three'), (4, 'four')"));
    transactions.push(await logged(`START TRANSACTION;
      INSERT INTO gtid_db.items VALUES (5, 'in a transaction');
      UPDATE gtid_db.items SET label = 'updated in it' WHERE id = 2;
      DELETE FROM gtid_db.items WHERE id = 3;
      COMMIT;`));
    // Another replication domain: its own GTID sequence, kept beside domain 0 in positions.
    transactions.push(await logged("SET SESSION gtid_domain_id = 7; INSERT INTO gtid_db.items VALUES (6, 'domain seven')"));
    transactions.push(await logged("INSERT INTO gtid_db.items VALUES (7, 'back in domain 0')"));

    const records = await untilRecords(setting, TOPIC, 1 + 1 + 2 + 4 + 1 + 1);
    expect(ops(records)).toEqual(['r', 'c', 'c', 'c', 'c', 'u', 'd', '-', 'c', 'c']);
    const changes = records.slice(1).filter((r) => r.value !== null);
    for (const r of changes) expect(gtidOf(r)).toMatch(/^\d+-\d+-\d+$/);
    const [t1, t2, t3, t4, t5] = transactions.map((t) => t.gtid);
    expect(changes.map(gtidOf)).toEqual([t1, t2, t2, t3, t3, t3, t4, t5]);
    expect(t1).toMatch(/^0-1-\d+$/);
    expect(t4).toBe('7-1-1');
    // Domain 0's sequence numbers follow one another, as the server assigned them.
    const seq = (g: string): number => Number(g.split('-')[2]);
    expect([t2, t3, t5].map(seq)).toEqual([seq(t1!) + 1, seq(t1!) + 2, seq(t1!) + 3]);
    // Rows of one rows event are numbered within it.
    expect(changes.slice(1, 3).map((r) => (r.value!.payload.source as Record<string, unknown>).row)).toEqual([0, 1]);
  });

  it('stores as gtids the position completed before the last transaction, the one the server gives for file/pos', async () => {
    await setting.rest.request('PUT', '/connectors/gtid/stop');
    await setting.rest.untilStates('gtid', { connector: 'STOPPED' });
    const [offset] = await storedOffsets(setting, 'gtid');
    expect(offset).toBeDefined();
    const last = transactions[transactions.length - 1]!;
    expect(sortedSet(String(offset!.gtids))).toEqual(sortedSet(last.before));
    const [row] = await setting.db.query<Array<{ pos: string }>>('SELECT BINLOG_GTID_POS(?, ?) AS pos', [offset!.file, offset!.pos]);
    expect(sortedSet(row!.pos)).toEqual(sortedSet(String(offset!.gtids)));
    expect(String(offset!.file)).toMatch(/^mysql-bin\.\d{6}$/);
    expect(offset!.snapshot).toBeUndefined();
  });

  it('continues with the next GTID and no duplicate after a resume and after a worker restart', async () => {
    await setting.rest.request('PUT', '/connectors/gtid/resume');
    await setting.rest.untilStates('gtid', { connector: 'RUNNING', tasks: ['RUNNING'] });
    const afterResume = await logged("INSERT INTO gtid_db.items VALUES (8, 'after resume')");
    let records = await untilRecords(setting, TOPIC, 11);
    expect(gtidOf(records[10]!)).toBe(afterResume.gtid);

    await setting.restartFerry('stop');
    await setting.rest.untilStates('gtid', { connector: 'RUNNING', tasks: ['RUNNING'] });
    const afterRestart = await logged("INSERT INTO gtid_db.items VALUES (9, 'after restart')");
    records = await untilRecords(setting, TOPIC, 12);
    expect(gtidOf(records[11]!)).toBe(afterRestart.gtid);
    expect(Number(afterRestart.gtid.split('-')[2])).toBe(Number(afterResume.gtid.split('-')[2]) + 1);
    // Nothing was emitted twice: exactly the records expected, each change once.
    const changes = records.filter((r) => r.value !== null).map((r) => `${String(r.value!.payload.op)}:${idOf(r)}`);
    expect(changes).toEqual(['r:1', 'c:2', 'c:3', 'c:4', 'c:5', 'u:2', 'd:3', 'c:6', 'c:7', 'c:8', 'c:9']);
  });
});
