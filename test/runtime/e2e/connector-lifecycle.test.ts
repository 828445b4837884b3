/**
 * Pause, resume, stop and restart of a file pipeline (input → lc-in → topic → lc-out → output)
 * through `ferry start` over REST. A control pipeline reads the same input file into its own
 * topic and file and is never touched: once the control output holds a batch of lines, the
 * pipeline under test would have delivered it too, had it been running.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectRest, type ConnectorStateInfo } from '../../helpers/connect-rest.js';
import { startFerry, type FerryProcess } from '../../helpers/ferry-process.js';
import { appendLines, completeLines } from '../../helpers/line-files.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';

const dir = tempDir('ferry-e2e-lifecycle-');
const input = path.join(dir, 'input.txt');
const output = path.join(dir, 'output.txt');
const controlOutput = path.join(dir, 'control.txt');
let ferry: FerryProcess;
let rest: ConnectRest;
const appended: string[] = [];
let batchNumber = 0;

function appendBatch(): string[] {
  batchNumber++;
  const lines = Array.from({ length: 50 }, (_, i) => `batch ${batchNumber} line ${i} ✓`);
  appendLines(input, lines);
  appended.push(...lines);
  return lines;
}

async function untilDelivered(file: string, lines: readonly string[]): Promise<void> {
  await until(() => completeLines(file).length >= lines.length, { timeoutMs: 30_000, what: `${lines.length} lines in ${path.basename(file)}` });
}

/** Waits until the control pipeline delivered everything appended so far. */
async function untilControlCaughtUp(): Promise<void> {
  await untilDelivered(controlOutput, appended);
  expect(completeLines(controlOutput)).toEqual(appended);
}

/** Waits until the pipeline under test delivered everything appended so far, exactly once. */
async function untilCaughtUp(): Promise<void> {
  await untilDelivered(output, appended);
  expect(completeLines(output)).toEqual(appended);
}

const RUNNING = { connector: 'RUNNING', tasks: ['RUNNING'] };

beforeAll(async () => {
  fs.writeFileSync(input, '');
  ferry = await startFerry({ dataDir: path.join(dir, 'data'), settings: { 'offset.flush.interval.ms': '1000' } });
  rest = new ConnectRest(ferry.restUrl);
  await rest.createConnector('lc-in', { 'connector.class': 'FileStreamSource', file: input, topic: 'lifecycle' });
  await rest.createConnector('lc-out', { 'connector.class': 'FileStreamSink', file: output, topics: 'lifecycle' });
  await rest.createConnector('control-in', { 'connector.class': 'FileStreamSource', file: input, topic: 'control' });
  await rest.createConnector('control-out', { 'connector.class': 'FileStreamSink', file: controlOutput, topics: 'control' });
  for (const name of ['lc-in', 'lc-out', 'control-in', 'control-out']) await rest.untilStates(name, RUNNING);
  appendBatch();
  await untilControlCaughtUp();
  await untilCaughtUp();
});

afterAll(async () => {
  await ferry?.stop();
});

/** Every test leaves the pipeline running and caught up, even when it failed half-way. */
afterEach(async () => {
  for (const name of ['lc-in', 'lc-out']) {
    await rest.request('PUT', `/connectors/${name}/resume`);
    await rest.untilStates(name, RUNNING);
  }
  await untilDelivered(output, appended);
});

describe('a running file pipeline', () => {
  it('holds lines back while its source is paused and delivers them on resume', async () => {
    const paused = await rest.request('PUT', '/connectors/lc-in/pause');
    expect(paused).toEqual({ status: 202, body: null });
    await rest.untilStates('lc-in', { connector: 'PAUSED', tasks: ['PAUSED'] });

    const held = appendBatch();
    await untilControlCaughtUp();
    expect.soft(completeLines(output)).not.toContain(held[0]);

    const resumed = await rest.request('PUT', '/connectors/lc-in/resume');
    expect(resumed).toEqual({ status: 202, body: null });
    await rest.untilStates('lc-in', RUNNING);
    await untilCaughtUp();
  });

  it('holds lines back while its sink is paused and writes them on resume', async () => {
    expect((await rest.request('PUT', '/connectors/lc-out/pause')).status).toBe(202);
    await rest.untilStates('lc-out', { connector: 'PAUSED', tasks: ['PAUSED'] });

    const held = appendBatch();
    await untilControlCaughtUp();
    expect(completeLines(output)).not.toContain(held[0]);

    expect((await rest.request('PUT', '/connectors/lc-out/resume')).status).toBe(202);
    await rest.untilStates('lc-out', RUNNING);
    await untilCaughtUp();
  });

  it('shows a stopped connector as STOPPED without tasks, and runs it again from where it stopped on resume', async () => {
    const stopped = await rest.request('PUT', '/connectors/lc-in/stop');
    expect(stopped).toEqual({ status: 204, body: null });
    const status = await rest.untilStates('lc-in', { connector: 'STOPPED', tasks: [] });
    expect(status).toEqual({
      name: 'lc-in', connector: { state: 'STOPPED', worker_id: `127.0.0.1:${ferry.restPort}` }, tasks: [], type: 'source',
    });
    expect.soft((await rest.request<unknown[]>('GET', '/connectors/lc-in/tasks')).body).toEqual([]);

    const held = appendBatch();
    await untilControlCaughtUp();
    expect(completeLines(output)).not.toContain(held[0]);

    expect((await rest.request('PUT', '/connectors/lc-in/resume')).status).toBe(202);
    await rest.untilStates('lc-in', RUNNING);
    await untilCaughtUp();
  });

  it('restarts connector and task on restart?includeTasks=true, answering 202 with both RESTARTING', async () => {
    const restart = await rest.request<ConnectorStateInfo>('POST', '/connectors/lc-in/restart?includeTasks=true&onlyFailed=false');
    expect(restart.status).toBe(202);
    expect(restart.body).toEqual({
      name: 'lc-in',
      connector: { state: 'RESTARTING', worker_id: `127.0.0.1:${ferry.restPort}` },
      tasks: [{ id: 0, state: 'RESTARTING', worker_id: `127.0.0.1:${ferry.restPort}` }],
      type: 'source',
    });
    await rest.untilStates('lc-in', RUNNING);

    appendBatch();
    await untilCaughtUp();
  });

  it('restarts nothing on restart?includeTasks=true&onlyFailed=true when nothing failed', async () => {
    const restart = await rest.request<ConnectorStateInfo>('POST', '/connectors/lc-out/restart?includeTasks=true&onlyFailed=true');
    expect(restart.status).toBe(202);
    expect(restart.body).toMatchObject({ connector: { state: 'RUNNING' }, tasks: [{ id: 0, state: 'RUNNING' }] });
  });

  it('answers the legacy restart with 204 and no body, and keeps running', async () => {
    const restart = await rest.request('POST', '/connectors/lc-out/restart');
    expect(restart).toEqual({ status: 204, body: null });
    await rest.untilStates('lc-out', RUNNING);

    appendBatch();
    await untilCaughtUp();
  });
});
