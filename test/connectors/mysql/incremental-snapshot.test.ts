/**
 * Incremental snapshots as a Debezium user triggers them: an `execute-snapshot` row inserted into
 * the signal table re-reads a table in chunks while the binlog keeps streaming. The topic must
 * end in the table's state, every row must appear, and no snapshot row may carry an older state
 * than a change event before it (the watermark de-duplication). A worker killed in the middle
 * continues the snapshot where its offsets say.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kcatReadJson } from '../../helpers/kcat.js';
import { until } from '../../helpers/until.js';
import { CDC_USER, cdcConfig, readTopic, startCdcSetting, topicSize, untilRecords, type CdcSetting, type ChangeRecord } from './cdc-harness.js';

let setting: CdcSetting;

beforeAll(async () => {
  setting = await startCdcSetting({ 'offset.flush.interval.ms': '300' });
});

afterAll(async () => {
  if (process.env.CDC_DEBUG) console.log(setting?.ferry.output().split('\n').filter((l) => /ncremental|signal|"level":(40|50)/.test(l)).slice(-60).join('\n'));
  await setting?.ferry.stop();
});

type Row = Record<string, unknown>;

/**
 * A signal table in `database` (with the INSERT grant watermarks need) and a connector capturing
 * `database.table` without an initial snapshot (no_data), so every row must come from the
 * incremental snapshot or a change; returns the table's topic.
 */
async function captureWithSignals(name: string, prefix: string, database: string, table: string, extra: Record<string, string>): Promise<string> {
  await setting.db.query(`CREATE TABLE ${database}.debezium_signal (id VARCHAR(42) PRIMARY KEY, type VARCHAR(32) NOT NULL, data VARCHAR(2048) NULL)`);
  await setting.db.query(`GRANT INSERT ON ${database}.debezium_signal TO '${CDC_USER}'@'%'`);
  await setting.rest.createConnector(name, cdcConfig(setting, prefix, {
    'snapshot.mode': 'no_data',
    'table.include.list': `${database}\\.${table}`,
    'signal.data.collection': `${database}.debezium_signal`,
    ...extra,
  }));
  await setting.rest.untilStates(name, { connector: 'RUNNING', tasks: ['RUNNING'] });
  return `${prefix}.${database}.${table}`;
}

async function signal(database: string, id: string, type: string, data: unknown): Promise<void> {
  await setting.db.query(`INSERT INTO ${database}.debezium_signal VALUES (?, ?, ?)`, [id, type, JSON.stringify(data)]);
}

const keyOf = (r: ChangeRecord): number => Number(r.key!.payload.id);
const sourceOf = (r: ChangeRecord): Row => r.value!.payload.source as Row;

/** The state per key the topic leads to: the last event per key, deletes removing it. */
function replay(records: readonly ChangeRecord[]): Map<number, Row> {
  const state = new Map<number, Row>();
  for (const r of records) {
    if (r.value === null) continue;
    const after = r.value.payload.after as Row | null;
    if (after === null) state.delete(keyOf(r));
    else state.set(keyOf(r), after);
  }
  return state;
}

describe('incremental snapshots through the signal table', () => {
  it('re-reads a table in chunks while it changes: the topic ends in the table\'s state, no snapshot row older than a change before it', async () => {
    const ROWS = 400;
    await setting.db.query(`
      CREATE DATABASE inv;
      CREATE TABLE inv.items (id INT PRIMARY KEY, qty INT NOT NULL, note VARCHAR(40));
      SET SESSION max_recursive_iterations = 100000;
      INSERT INTO inv.items WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS}) SELECT i, i * 10, CONCAT('row ', i) FROM n;
    `);
    const topic = await captureWithSignals('inv-cdc', 'inc1', 'inv', 'items', { 'incremental.snapshot.chunk.size': '20' });
    const conn = await setting.db.connect('inv');
    await conn.query('INSERT INTO items VALUES (100000, 1, \'first change\')');
    await untilRecords(setting, topic, 1, 60_000);

    // A writer inserting, updating and deleting all along, until the snapshot completed.
    let stop = false;
    let operations = 0;
    let nextId = 1000;
    const writer = (async () => {
      while (!stop) {
        const target = 1 + Math.floor(Math.random() * ROWS);
        const choice = operations % 3;
        if (choice === 0) await conn.query('INSERT INTO items VALUES (?, ?, ?)', [nextId, nextId, `new ${nextId++}`]);
        else if (choice === 1) await conn.query('UPDATE items SET qty = qty + 1, note = ? WHERE id = ?', [`update ${operations}`, target]);
        else await conn.query('DELETE FROM items WHERE id = ?', [target]);
        operations++;
        await new Promise((resolve) => { setTimeout(resolve, 1); });
      }
    })();
    await signal('inv', 'ad-hoc-1', 'execute-snapshot', { 'data-collections': ['inv.items'], type: 'incremental' });
    await until(() => (setting.ferry.output().includes('Incremental snapshot of inv.items completed') ? true : null),
      { timeoutMs: 90_000, intervalMs: 100, what: 'the incremental snapshot to complete' });
    stop = true;
    await writer;
    await conn.query('INSERT INTO items VALUES (200000, 1, \'last change\')');
    const records = await until(async () => {
      const all = await readTopic(setting, topic);
      return all.some((r) => r.value !== null && keyOf(r) === 200000) ? all : null;
    }, { timeoutMs: 60_000, intervalMs: 300, what: 'the last change' });
    const [tableRows] = await conn.query('SELECT id, qty, note FROM items ORDER BY id');
    await conn.end();

    // The topic's final state is the table's.
    const expected = new Map((tableRows as Row[]).map((row) => [Number(row.id), { id: Number(row.id), qty: Number(row.qty), note: row.note }]));
    const state = replay(records);
    expect(state.size).toBe(expected.size);
    for (const [id, row] of expected) expect(state.get(id), `row ${id}`).toEqual(row);

    // Snapshot rows: op r, source.snapshot incremental, in several chunks; every untouched row among them.
    const reads = records.filter((r) => r.value?.payload.op === 'r');
    expect(reads.length).toBeGreaterThan(100);
    for (const r of reads) expect(sourceOf(r).snapshot).toBe('incremental');
    const changedKeys = new Set(records.filter((r) => r.value !== null && r.value.payload.op !== 'r').map(keyOf));
    const readKeys = new Set(reads.map(keyOf));
    for (let id = 1; id <= ROWS; id++) {
      if (!changedKeys.has(id)) expect(readKeys.has(id), `row ${id} was never changed and must be in the snapshot`).toBe(true);
    }
    // De-duplication: a snapshot row never carries an older state than the events before it.
    const seen = new Map<number, Row | null>();
    let checked = 0;
    for (const r of records) {
      if (r.value === null) continue;
      const key = keyOf(r);
      if (r.value.payload.op === 'r' && seen.has(key)) {
        checked++;
        expect(r.value.payload.after, `snapshot row of ${key} at offset ${r.offset} is older than a change before it`).toEqual(seen.get(key));
      }
      seen.set(key, (r.value.payload.after as Row | null) ?? null);
    }
    console.log(`incremental snapshot under load: ${operations} writes, ${reads.length} snapshot rows, ${checked} after a change of their key`);
    // The signal table's rows are not published: it is not in table.include.list.
    expect(await readTopic(setting, 'inc1.inv.debezium_signal')).toEqual([]);
    const status = await setting.rest.status('inv-cdc');
    expect(status?.tasks[0]?.state).toBe('RUNNING');
    await setting.rest.request('DELETE', '/connectors/inv-cdc');
  }, 240_000);

  it('continues an incremental snapshot after the worker is killed in the middle of it', async () => {
    const ROWS = 20_000;
    await setting.db.query(`
      CREATE DATABASE big;
      CREATE TABLE big.events (id INT PRIMARY KEY, payload VARCHAR(64) NOT NULL);
      SET SESSION max_recursive_iterations = 100000;
      INSERT INTO big.events WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS}) SELECT i, CONCAT('payload of ', i) FROM n;
    `);
    const topic = await captureWithSignals('big-cdc', 'inc2', 'big', 'events', {
      'database.server.id': '5401', 'incremental.snapshot.chunk.size': '50', 'max.batch.size': '100', 'max.queue.size': '400',
    });
    await signal('big', 'big-1', 'execute-snapshot', { 'data-collections': ['big.events'] });
    await until(async () => {
      try {
        return (await topicSize(setting, topic)) >= 2000 ? true : null;
      } catch {
        return null;
      }
    }, { timeoutMs: 60_000, intervalMs: 50, what: '2000 snapshot rows' });
    const sizeAtKill = await topicSize(setting, topic);
    const killedAt = Date.now();
    await setting.restartFerry('kill');
    // Whether the killed worker had committed incremental progress decides where the snapshot resumes.
    const committed = (await kcatReadJson(setting.ferry.bootstrap, 'connect-offsets'))
      .filter((m) => m.key?.startsWith('["big-cdc"') && m.ts < killedAt);
    const progressCommitted = committed.some((m) => m.payload?.includes('incremental_snapshot_primary_key'));
    expect(sizeAtKill, 'the worker was killed before the snapshot ended').toBeLessThan(ROWS);
    await setting.rest.untilStates('big-cdc', { connector: 'RUNNING', tasks: ['RUNNING'] });

    const records = await until(async () => {
      const all = await readTopic(setting, topic);
      return new Set(all.map(keyOf)).size >= ROWS ? all : null;
    }, { timeoutMs: 120_000, intervalMs: 1000, what: `snapshot rows of all ${ROWS} ids` });
    const ids = new Set(records.map(keyOf));
    for (let id = 1; id <= ROWS; id++) expect(ids.has(id), `row ${id} is missing`).toBe(true);
    expect(records.every((r) => r.value?.payload.op === 'r' && sourceOf(r).snapshot === 'incremental')).toBe(true);
    // Rows come in key order; the restart goes back at most once, to the last committed key, not to the start.
    const keys = records.map(keyOf);
    const restarts = keys.flatMap((key, i) => (i > 0 && key <= keys[i - 1]! ? [key] : []));
    expect(restarts.length).toBeLessThanOrEqual(1);
    if (restarts.length === 1 && progressCommitted) expect(restarts[0]!, 'the snapshot started over instead of continuing').toBeGreaterThan(1);
    // At most one pass is repeated (rows written between the size check and the kill count too).
    expect(records.length - ROWS).toBeLessThan(ROWS);
    console.log(`incremental snapshot across a SIGKILL: ${sizeAtKill} rows before the kill (progress committed: ${progressCommitted}), ${records.length - ROWS} repeated, resumed at id ${restarts[0] ?? 'none'}`);
  }, 240_000);
});
