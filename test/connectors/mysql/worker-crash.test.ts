/**
 * A worker SIGKILLed while changes stream in: after the restart every change is in the topic,
 * in order; the only repeats are the records after the last committed offset, re-sent as one
 * contiguous run (at-least-once, as with Debezium).
 */
import { expect, it } from 'vitest';
import { until } from '../../helpers/until.js';
import { cdcConfig, startCdcSetting, topicSize, untilRecords } from './cdc-harness.js';

const TOTAL = 3000;
const PER_TRANSACTION = 10;

it('a worker killed mid-stream resumes from its offsets with no change lost', async () => {
  const setting = await startCdcSetting({ 'offset.flush.interval.ms': '300' });
  await setting.db.query('CREATE DATABASE load_db; CREATE TABLE load_db.ticks (id INT PRIMARY KEY, note VARCHAR(32) NOT NULL)');
  await setting.rest.createConnector('crash', cdcConfig(setting, 'crash', { 'table.include.list': 'load_db.ticks', 'max.batch.size': '100', 'max.queue.size': '400' }));
  await setting.rest.untilStates('crash', { connector: 'RUNNING', tasks: ['RUNNING'] });

  const conn = await setting.db.connect('load_db');
  // The first changes create the topic, so that the reads below are quick.
  await conn.query("INSERT INTO ticks VALUES (1, 'tick 1')");
  await untilRecords(setting, 'crash.load_db.ticks', 1, 60_000);
  let written = 1;
  const writer = (async () => {
    while (written < TOTAL) {
      const values: string[] = [];
      for (let i = 0; i < PER_TRANSACTION && written + i < TOTAL; i++) values.push(`(${written + i + 1}, 'tick ${written + i + 1}')`);
      await conn.query(`INSERT INTO ticks VALUES ${values.join(', ')}`);
      written += values.length;
      // A steady pace, so the worker dies while changes are still arriving.
      await new Promise((r) => setTimeout(r, 15));
    }
  })();
  // Read the topic's size, not its records: a reader that waits for the end would wait for the writer.
  await until(async () => (await topicSize(setting, 'crash.load_db.ticks')) >= 300, { timeoutMs: 60_000, what: '300 changes in the topic' });
  const writtenAtKill = written;
  await setting.restartFerry('kill');
  await writer;
  await conn.end();

  const records = await untilRecords(setting, 'crash.load_db.ticks', TOTAL, 90_000);
  const ids = records.map((r) => Number((r.value!.payload.after as Record<string, unknown>).id));
  const seen = new Set(ids);
  for (let id = 1; id <= TOTAL; id++) expect(seen.has(id), `change ${id} is missing`).toBe(true);
  // Order: each id is either the next new one or part of one contiguous re-delivery.
  let highest = 0;
  let repeats = 0;
  let runs = 0;
  let inRun = false;
  for (const id of ids) {
    if (id === highest + 1) { highest = id; inRun = false; continue; }
    expect(id, `id ${id} after ${highest} skips ahead`).toBeLessThanOrEqual(highest);
    repeats++;
    if (!inRun) runs++;
    inRun = true;
  }
  expect(writtenAtKill, 'the worker was killed while changes were still being written').toBeLessThan(TOTAL);
  expect(highest).toBe(TOTAL);
  expect(runs).toBeLessThanOrEqual(1);
  console.log(`worker crash: ${TOTAL} changes, ${repeats} re-delivered after the SIGKILL`);
});
