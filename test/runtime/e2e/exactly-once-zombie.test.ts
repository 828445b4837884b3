import path from 'node:path';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { startFerryWorker, type FerryWorkerProcess } from '../../helpers/ferry-process.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';
import { exactlyOnceWorkerProperties, GrowingFile, kcatLines, lineFor } from './exactly-once-harness.js';

const TOTAL_LINES = 12_000;

let broker: TestBroker;

beforeAll(async () => {
  broker = await startTestBroker({ transactionAbortTimedOutCleanupIntervalMs: 500 });
});

afterAll(async () => {
  await broker.close();
});

it('fences a task frozen with its worker (SIGSTOP) while the task moves on: nothing it writes after waking up becomes visible', async () => {
  const dir = tempDir('ferry-eos-zombie-');
  const input = path.join(dir, 'input.txt');
  const properties = exactlyOnceWorkerProperties(dir, broker.bootstrap, 'eos-zombie');
  const workers: FerryWorkerProcess[] = [await startFerryWorker(properties), await startFerryWorker(properties)];
  onTestFinished(async () => {
    for (const w of workers) {
      w.child.kill('SIGCONT');
      await w.kill();
    }
  });
  const rest = new ConnectRest(workers[0]!.restUrl);
  const lines = new GrowingFile(input, TOTAL_LINES);
  onTestFinished(() => { lines.stopped = true; });
  await rest.createConnector('lines-in', {
    'connector.class': 'FileStreamSource', file: input, topic: 'lines',
    'transaction.boundary': 'interval', 'transaction.boundary.interval.ms': '1000',
  });

  // Freeze the worker running the task mid-stream, with a transaction open.
  const running = await rest.untilStates('lines-in', { connector: 'RUNNING', tasks: ['RUNNING'] });
  await until(() => (lines.written >= TOTAL_LINES / 4 ? true : null), { what: 'a quarter of the lines written' });
  const zombieIndex = workers.findIndex((w) => w.restUrl.endsWith(running.tasks[0]!.worker_id));
  expect(zombieIndex).toBeGreaterThanOrEqual(0);
  const zombie = workers[zombieIndex]!;
  const survivor = workers[1 - zombieIndex]!;
  zombie.child.kill('SIGSTOP');

  // Its session expires; the task moves to the other worker, whose task instance claims the same
  // transactional id and so fences the frozen one.
  const survivorRest = new ConnectRest(survivor.restUrl);
  await until(async () => {
    const status = await survivorRest.status('lines-in').catch(() => null);
    const task = status?.tasks[0];
    return task?.state === 'RUNNING' && survivor.restUrl.endsWith(task.worker_id) ? true : null;
  }, { timeoutMs: 60_000, intervalMs: 200, what: 'the task running on the other worker' });
  await until(() => (lines.written >= TOTAL_LINES / 2 ? true : null), { what: 'half of the lines written' });

  // Wake the zombie: its task still believes it owns the file and tries to finish its transaction.
  zombie.child.kill('SIGCONT');
  await lines.done;
  await until(async () => {
    const status = await survivorRest.status('lines-in');
    return status?.tasks[0]?.state === 'RUNNING' ? true : null;
  }, { what: 'the task running after the zombie woke' });
  await until(async () => ((await kcatLines(broker.bootstrap, 'lines', 'read_committed')).length >= TOTAL_LINES ? true : null), {
    timeoutMs: 60_000, intervalMs: 300, what: `all ${TOTAL_LINES} lines committed`,
  });
  for (const w of workers) await w.stop();

  const committed = await kcatLines(broker.bootstrap, 'lines', 'read_committed');
  expect(committed.length).toBe(TOTAL_LINES);
  const firstWrong = committed.findIndex((line, i) => line !== lineFor(i));
  expect(firstWrong, `committed line ${firstWrong}: ${committed[firstWrong]}`).toBe(-1);
  // The frozen task's open transaction was cut off: its records are in the log, aborted.
  expect((await kcatLines(broker.bootstrap, 'lines', 'read_uncommitted')).length).toBeGreaterThan(TOTAL_LINES);
}, 180_000);
