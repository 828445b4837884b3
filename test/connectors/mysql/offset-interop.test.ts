/**
 * Offsets as Debezium writes them: an offset placed with the REST API (KIP-875) at a point inside
 * a transaction — Debezium's `event` (events of the transaction already handled, its first event
 * included) and `row` (rows of the next rows event already emitted) — makes the connector resume
 * exactly after the last emitted row, as a Debezium connector given the same offset would.
 */
import { expect, it } from 'vitest';
import { cdcConfig, ops, startCdcSetting, storedOffsets, untilRecords } from './cdc-harness.js';

interface BinlogEventRow { Log_name: string; Pos: number; Event_type: string; End_log_pos: number; Info: string }

it('resumes mid-transaction from a Debezium offset: skips the events and rows it names, emits the rest', async () => {
  const setting = await startCdcSetting();
  await setting.db.query('CREATE DATABASE ledger; CREATE TABLE ledger.entries (id INT PRIMARY KEY, amount INT NOT NULL)');
  const config = cdcConfig(setting, 'ledger', { 'table.include.list': 'ledger.entries', 'snapshot.mode': 'no_data' });
  await setting.rest.createConnector('ledger', config);
  await setting.rest.untilStates('ledger', { connector: 'RUNNING', tasks: ['RUNNING'] });
  await setting.rest.request('PUT', '/connectors/ledger/stop');
  await setting.rest.untilStates('ledger', { connector: 'STOPPED' });

  await setting.db.query(`
    START TRANSACTION;
    INSERT INTO ledger.entries VALUES (1, 10), (2, 20), (3, 30);
    INSERT INTO ledger.entries VALUES (4, 40);
    COMMIT;
  `);
  const [{ File: file }] = await setting.db.query<Array<{ File: string }>>('SHOW MASTER STATUS');
  const events = await setting.db.query<BinlogEventRow[]>(`SHOW BINLOG EVENTS IN '${file}'`);
  const gtidEvents = events.filter((e) => e.Event_type === 'Gtid');
  const transactionStart = gtidEvents[gtidEvents.length - 1]!;
  const [{ gtids }] = await setting.db.query<Array<{ gtids: string }>>('SELECT BINLOG_GTID_POS(?, ?) AS gtids', [file, transactionStart.Pos]);

  // As Debezium records it after emitting row 1 of the first rows event: the GTID event and the
  // table map handled (event=2), one row of the next rows event emitted (row=1).
  const offset = { file, pos: transactionStart.Pos, gtids, event: 2, row: 1, server_id: 1, ts_sec: Math.floor(Date.now() / 1000) };
  const patched = await setting.rest.request('PATCH', '/connectors/ledger/offsets', {
    offsets: [{ partition: { server: 'ledger' }, offset }],
  });
  expect(patched.status).toBe(200);
  await setting.rest.request('PUT', '/connectors/ledger/resume');
  const records = await untilRecords(setting, 'ledger.ledger.entries', 3);
  expect(ops(records)).toEqual(['c', 'c', 'c']);
  expect(records.map((r) => (r.value!.payload.after as Record<string, unknown>).id)).toEqual([2, 3, 4]);
  const sources = records.map((r) => r.value!.payload.source as Record<string, unknown>);
  expect(sources.map((s) => s.row)).toEqual([1, 2, 0]);
  expect(new Set(sources.map((s) => s.gtid)).size).toBe(1);
});

it('a schema-only snapshot records its completion, so changes made before the first streamed change survive a stop', async () => {
  const setting = await startCdcSetting();
  await setting.db.query('CREATE DATABASE quiet; CREATE TABLE quiet.t (id INT PRIMARY KEY)');
  await setting.rest.createConnector('quiet', cdcConfig(setting, 'quiet', { 'table.include.list': 'quiet.t', 'snapshot.mode': 'no_data', 'include.schema.changes': 'false' }));
  await setting.rest.untilStates('quiet', { connector: 'RUNNING', tasks: ['RUNNING'] });
  await untilRecords(setting, '__debezium-heartbeat.quiet', 1);
  await setting.rest.request('PUT', '/connectors/quiet/stop');
  await setting.rest.untilStates('quiet', { connector: 'STOPPED' });
  const offsets = await storedOffsets(setting, 'quiet');
  expect(offsets).toHaveLength(1);
  expect(offsets[0]!.snapshot).toBeUndefined();
  await setting.db.query('INSERT INTO quiet.t VALUES (1)');
  await setting.rest.request('PUT', '/connectors/quiet/resume');
  const records = await untilRecords(setting, 'quiet.quiet.t', 1);
  expect(records[0]!.value!.payload).toMatchObject({ op: 'c', after: { id: 1 } });
});

it('resumes after the stored GTIDs when the stored binlog file is not on the server (as after a failover)', async () => {
  const setting = await startCdcSetting();
  await setting.db.query('CREATE DATABASE moved; CREATE TABLE moved.t (id INT PRIMARY KEY)');
  await setting.rest.createConnector('moved', cdcConfig(setting, 'moved', { 'table.include.list': 'moved.t', 'snapshot.mode': 'no_data' }));
  await untilRecords(setting, '__debezium-heartbeat.moved', 1);
  await setting.rest.request('PUT', '/connectors/moved/stop');
  await setting.rest.untilStates('moved', { connector: 'STOPPED' });
  await setting.db.query('INSERT INTO moved.t VALUES (1)');
  const [{ gtids }] = await setting.db.query<Array<{ gtids: string }>>('SELECT @@gtid_binlog_pos AS gtids');
  await setting.db.query('INSERT INTO moved.t VALUES (2)');
  const patched = await setting.rest.request('PATCH', '/connectors/moved/offsets', {
    offsets: [{ partition: { server: 'moved' }, offset: { file: 'other-host-bin.000042', pos: 1234, gtids } }],
  });
  expect(patched.status).toBe(200);
  await setting.rest.request('PUT', '/connectors/moved/resume');
  const records = await untilRecords(setting, 'moved.moved.t', 1);
  expect(records.map((r) => (r.value!.payload.after as Record<string, unknown>).id)).toEqual([2]);
  expect((await setting.rest.status('moved'))!.tasks[0]!.state).toBe('RUNNING');
});
