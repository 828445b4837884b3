/**
 * The CDC connector as a Debezium user meets it: connector JSON posted to ferry's REST API, a
 * snapshot of existing rows, then every insert, update and delete streamed from the binlog into
 * Debezium-shaped records, with offsets and schema history a restart resumes from.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cdcConfig, ops, readTopic, startCdcSetting, untilRecords, type CdcSetting } from './cdc-harness.js';
import { kcatReadJson } from '../../helpers/kcat.js';

let setting: CdcSetting;

beforeAll(async () => {
  setting = await startCdcSetting();
  await setting.db.query(`
    CREATE DATABASE shop;
    CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(64) NOT NULL, email VARCHAR(128)) DEFAULT CHARSET=utf8mb4;
    CREATE TABLE shop.orders (order_id BIGINT PRIMARY KEY AUTO_INCREMENT, customer_id INT NOT NULL, amount DECIMAL(10,2) NOT NULL);
    CREATE TABLE shop.notes (body VARCHAR(100));
    CREATE TABLE shop.ignored (id INT PRIMARY KEY);
    INSERT INTO shop.customers VALUES (1, 'Ada', 'ada@example.com'), (2, 'Brendan', NULL), (3, 'Chloé', 'chloe@example.com');
    INSERT INTO shop.orders (customer_id, amount) VALUES (1, 12.50), (3, 999.99);
    INSERT INTO shop.notes VALUES ('no key here');
    INSERT INTO shop.ignored VALUES (1);
  `);
});

describe('a MariaDB database captured by io.debezium.connector.mariadb.MariaDbConnector', () => {
  it('snapshots existing rows as op "r" with Debezium keys, envelope and source block', async () => {
    await setting.rest.createConnector('shop-cdc', cdcConfig(setting, 'shop1', {
      'table.include.list': 'shop\\.(customers|orders|notes)',
    }));
    await setting.rest.untilStates('shop-cdc', { connector: 'RUNNING', tasks: ['RUNNING'] });
    const customers = await untilRecords(setting, 'shop1.shop.customers', 3);
    expect(ops(customers)).toEqual(['r', 'r', 'r']);
    const first = customers[0]!;
    expect(first.key).toEqual({
      schema: { type: 'struct', fields: [{ type: 'int32', optional: false, field: 'id' }], optional: false, name: 'shop1.shop.customers.Key' },
      payload: { id: 1 },
    });
    const value = first.value!;
    expect(value.schema.name).toBe('shop1.shop.customers.Envelope');
    expect(value.schema.version).toBe(2);
    expect((value.schema.fields as Array<{ field: string }>).map((f) => f.field))
      .toEqual(['before', 'after', 'source', 'transaction', 'op', 'ts_ms', 'ts_us', 'ts_ns']);
    expect(value.payload.before).toBeNull();
    expect(value.payload.after).toEqual({ id: 1, name: 'Ada', email: 'ada@example.com' });
    const source = value.payload.source as Record<string, unknown>;
    expect(Object.keys(source)).toEqual(['version', 'connector', 'name', 'ts_ms', 'snapshot', 'db', 'sequence', 'ts_us', 'ts_ns',
      'table', 'server_id', 'gtid', 'file', 'pos', 'row', 'thread', 'query']);
    expect(source).toMatchObject({ connector: 'mariadb', name: 'shop1', db: 'shop', table: 'customers', snapshot: 'first', server_id: 0 });
    expect(String(source.file)).toMatch(/^mysql-bin\.\d{6}$/);
    expect(customers[2]!.value!.payload.after).toMatchObject({ name: 'Chloé' });

    const orders = await untilRecords(setting, 'shop1.shop.orders', 2);
    expect(orders.map((r) => r.value!.payload.after)).toEqual([
      { order_id: 1, customer_id: 1, amount: 'BOI=' },
      { order_id: 2, customer_id: 3, amount: 'AYaf' },
    ]);
    // Tables are read in name order (customers, notes, orders): the very last row is marked "last".
    expect((orders[1]!.value!.payload.source as Record<string, unknown>).snapshot).toBe('last');
    const notes = await untilRecords(setting, 'shop1.shop.notes', 1);
    expect(notes[0]!.key).toBeNull();
    expect((notes[0]!.value!.payload.source as Record<string, unknown>).snapshot).toBe('last_in_data_collection');
    expect(await readTopic(setting, 'shop1.shop.ignored')).toEqual([]);
  });

  it('streams inserts, updates and deletes in commit order, each delete followed by a tombstone', async () => {
    await setting.db.query(`
      INSERT INTO shop.customers VALUES (4, 'Dmitri', 'd@example.com');
      UPDATE shop.customers SET email = 'ada@lovelace.org' WHERE id = 1;
      DELETE FROM shop.customers WHERE id = 2;
      START TRANSACTION;
      INSERT INTO shop.orders (customer_id, amount) VALUES (4, -3.25);
      UPDATE shop.customers SET name = 'Dmitri M.' WHERE id = 4;
      COMMIT;
    `);
    const customers = await untilRecords(setting, 'shop1.shop.customers', 8);
    expect(ops(customers)).toEqual(['r', 'r', 'r', 'c', 'u', 'd', '-', 'u']);
    const update = customers[4]!.value!.payload;
    expect(update.before).toEqual({ id: 1, name: 'Ada', email: 'ada@example.com' });
    expect(update.after).toEqual({ id: 1, name: 'Ada', email: 'ada@lovelace.org' });
    const source = update.source as Record<string, unknown>;
    expect(source).toMatchObject({ connector: 'mariadb', snapshot: 'false', db: 'shop', table: 'customers', server_id: 1, row: 0 });
    expect(String(source.gtid)).toMatch(/^0-1-\d+$/);
    expect(Number(source.pos)).toBeGreaterThan(4);
    const deleted = customers[5]!;
    expect(deleted.value!.payload.before).toEqual({ id: 2, name: 'Brendan', email: null });
    expect(deleted.value!.payload.after).toBeNull();
    expect(customers[6]!.key!.payload).toEqual({ id: 2 });
    const orders = await untilRecords(setting, 'shop1.shop.orders', 3);
    expect(orders[2]!.value!.payload).toMatchObject({ op: 'c', after: { order_id: 3, customer_id: 4, amount: '/rs=' } });
    // Both changes of the transaction carry its GTID.
    expect((orders[2]!.value!.payload.source as Record<string, unknown>).gtid)
      .toBe((customers[7]!.value!.payload.source as Record<string, unknown>).gtid);
  });

  it('keeps Debezium-format offsets under the source partition {"server": prefix}', async () => {
    const records = await kcatReadJson(setting.ferry.bootstrap, 'connect-offsets');
    const mine = records.filter((r) => r.key !== null && r.key.startsWith('["shop-cdc"'));
    expect(mine.length).toBeGreaterThan(0);
    const last = mine[mine.length - 1]!;
    expect(JSON.parse(last.key!)).toEqual(['shop-cdc', { server: 'shop1' }]);
    const offset = JSON.parse(last.payload!) as Record<string, unknown>;
    expect(offset.file).toMatch(/^mysql-bin\.\d{6}$/);
    expect(typeof offset.pos).toBe('number');
    expect(String(offset.gtids)).toMatch(/^0-1-\d+$/);
    expect(offset.snapshot).toBeUndefined();
  });

  it('publishes schema changes on the prefix topic and decodes rows before and after DDL, also across a worker restart', async () => {
    await setting.db.query(`
      ALTER TABLE shop.customers ADD COLUMN vip BOOLEAN NOT NULL DEFAULT FALSE AFTER name;
      INSERT INTO shop.customers VALUES (5, 'Eve', TRUE, 'eve@example.com');
      ALTER TABLE shop.customers DROP COLUMN email;
      INSERT INTO shop.customers VALUES (6, 'Fay', FALSE);
    `);
    let customers = await untilRecords(setting, 'shop1.shop.customers', 10);
    expect(customers[8]!.value!.payload.after).toEqual({ id: 5, name: 'Eve', vip: true, email: 'eve@example.com' });
    expect(customers[9]!.value!.payload.after).toEqual({ id: 6, name: 'Fay', vip: false });
    const changes = await readTopic(setting, 'shop1');
    const ddl = changes.map((r) => String(r.value!.payload.ddl));
    expect(ddl.some((d) => /ADD COLUMN vip/i.test(d))).toBe(true);
    expect(ddl.some((d) => /DROP COLUMN email/i.test(d))).toBe(true);
    expect(changes[0]!.key!.payload).toEqual({ databaseName: 'shop' });

    await setting.restartFerry('stop');
    await setting.rest.untilStates('shop-cdc', { connector: 'RUNNING', tasks: ['RUNNING'] });
    await setting.db.query(`
      ALTER TABLE shop.customers MODIFY COLUMN name VARCHAR(200) NOT NULL, ADD COLUMN score INT UNSIGNED NULL;
      INSERT INTO shop.customers VALUES (7, 'Gus', TRUE, 4000000000);
      UPDATE shop.customers SET name = 'Fay B.' WHERE id = 6;
    `);
    customers = await untilRecords(setting, 'shop1.shop.customers', 12);
    expect(ops(customers).slice(10)).toEqual(['c', 'u']);
    expect(customers[10]!.value!.payload.after).toEqual({ id: 7, name: 'Gus', vip: true, score: 4000000000 });
    expect(customers[11]!.value!.payload.before).toEqual({ id: 6, name: 'Fay', vip: false, score: null });
    // Nothing before the restart was emitted twice.
    expect(customers.map((r) => (r.value === null ? '-' : (r.value.payload.after ?? r.value.payload.before) as Record<string, unknown>)).length).toBe(12);
  });
});
