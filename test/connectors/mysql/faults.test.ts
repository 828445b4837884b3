/**
 * What a user sees when the database is not ready for CDC or goes away: a FAILED task whose
 * trace says what is wrong and how to fix it, or, for outages, a task that carries on by itself
 * without losing a change.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cdcConfig, ops, startCdcSetting, untilRecords, type CdcSetting } from './cdc-harness.js';

let setting: CdcSetting;

beforeAll(async () => {
  setting = await startCdcSetting();
  await setting.db.query(`
    CREATE DATABASE app;
    CREATE TABLE app.events (id INT PRIMARY KEY AUTO_INCREMENT, label VARCHAR(40) NOT NULL);
    INSERT INTO app.events (label) VALUES ('one'), ('two');
  `);
});

async function failedTrace(name: string): Promise<string> {
  const status = await setting.rest.untilStates(name, { connector: 'RUNNING', tasks: ['FAILED'] });
  return status.tasks[0]!.trace ?? '';
}

describe('refused with a message that says what to change', () => {
  it('a wrong password fails the task with the server\'s message and the host, and never shows the password', async () => {
    await setting.rest.createConnector('bad-password', cdcConfig(setting, 'badpw', { 'database.password': 'not-the-password' }));
    const trace = await failedTrace('bad-password');
    expect(trace).toContain(`127.0.0.1:${setting.db.port}`);
    expect(trace).toMatch(/Access denied for user 'cdc'/);
    expect(trace).not.toContain('not-the-password');
    const config = await setting.rest.request<Record<string, string>>('GET', '/connectors/bad-password/config');
    expect(config.body['database.password']).toBe('not-the-password'); // as submitted: Kafka Connect returns configs verbatim
    await setting.rest.request('DELETE', '/connectors/bad-password');
  });

  it('missing grants fail the task naming the grants to give', async () => {
    await setting.db.query("CREATE USER 'weak'@'%' IDENTIFIED BY 'weak-pw'; GRANT SELECT ON *.* TO 'weak'@'%';");
    await setting.rest.createConnector('weak-user', cdcConfig(setting, 'weak', { 'database.user': 'weak', 'database.password': 'weak-pw' }));
    const trace = await failedTrace('weak-user');
    expect(trace).toContain("User 'weak' lacks the grants the connector needs: REPLICATION SLAVE, REPLICATION CLIENT");
    expect(trace).toContain("GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'weak'@'%'");
    await setting.rest.request('DELETE', '/connectors/weak-user');
  });

  it('a binlog in MIXED format is refused with the setting to change', async () => {
    await setting.db.query("SET GLOBAL binlog_format = 'MIXED'");
    try {
      await setting.rest.createConnector('mixed', cdcConfig(setting, 'mixed'));
      const trace = await failedTrace('mixed');
      expect(trace).toContain('binlog_format is MIXED: set binlog_format=ROW');
    } finally {
      await setting.db.query("SET GLOBAL binlog_format = 'ROW'");
      await setting.rest.request('DELETE', '/connectors/mixed');
    }
  });

  it('an invalid config is a 400 naming every bad field', async () => {
    const res = await setting.rest.request<{ error_code: number; message: string }>('POST', '/connectors', {
      name: 'invalid', config: { ...cdcConfig(setting, 'inv'), 'database.port': 'abc', 'snapshot.mode': 'sometimes', 'max.queue.size': '10', 'max.batch.size': '20' },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('database.port');
    expect(res.body.message).toContain('snapshot.mode');
    expect(res.body.message).toContain('max.queue.size');
  });
});

describe('outages', () => {
  it('survives a database restart mid-stream: reconnects with back-off and loses no change', async () => {
    await setting.rest.createConnector('outage', cdcConfig(setting, 'outage', { 'table.include.list': 'app.events' }));
    await untilRecords(setting, 'outage.app.events', 2);
    await setting.db.query("INSERT INTO app.events (label) VALUES ('three')");
    await untilRecords(setting, 'outage.app.events', 3);
    await setting.db.restart();
    await setting.db.query("INSERT INTO app.events (label) VALUES ('four'), ('five')");
    const records = await untilRecords(setting, 'outage.app.events', 5, 60_000);
    expect(records.map((r) => (r.value!.payload.after as Record<string, unknown>).label)).toEqual(['one', 'two', 'three', 'four', 'five']);
    expect(ops(records)).toEqual(['r', 'r', 'c', 'c', 'c']);
    const status = await setting.rest.status('outage');
    expect(status!.tasks[0]!.state).toBe('RUNNING');
  });

  it('fails with the way out when the stored binlog position was purged while stopped; when_needed snapshots again', async () => {
    await setting.rest.request('PUT', '/connectors/outage/stop');
    await setting.rest.untilStates('outage', { connector: 'STOPPED' });
    await setting.db.query("INSERT INTO app.events (label) VALUES ('six')");
    await setting.db.query('FLUSH BINARY LOGS');
    await setting.db.query("INSERT INTO app.events (label) VALUES ('seven')");
    await setting.db.query('FLUSH BINARY LOGS');
    const [{ Log_name: current }] = await setting.db.query<Array<{ Log_name: string }>>('SHOW BINARY LOGS').then((rows) => [rows[rows.length - 1]!]);
    await setting.db.query(`PURGE BINARY LOGS TO '${current}'`);
    await setting.rest.request('PUT', '/connectors/outage/resume');
    const trace = await failedTrace('outage');
    expect(trace).toMatch(/no longer available on the server/);
    expect(trace).toMatch(/snapshot\.mode=when_needed/);

    const config = { ...cdcConfig(setting, 'outage', { 'table.include.list': 'app.events' }), 'snapshot.mode': 'when_needed' };
    const put = await setting.rest.request('PUT', '/connectors/outage/config', config);
    expect(put.status).toBe(200);
    await setting.rest.request('POST', '/connectors/outage/restart?includeTasks=true');
    const records = await untilRecords(setting, 'outage.app.events', 5 + 7);
    const labels = records.slice(5).map((r) => (r.value!.payload.after as Record<string, unknown>).label);
    expect(labels).toEqual(['one', 'two', 'three', 'four', 'five', 'six', 'seven']);
    expect(ops(records.slice(5))).toEqual(Array(7).fill('r'));
  });
});

