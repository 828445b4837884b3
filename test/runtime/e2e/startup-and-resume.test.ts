import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { startFerry } from '../../helpers/ferry-process.js';
import { kcatRead } from '../../helpers/kcat.js';
import { appendLines, completeLines } from '../../helpers/line-files.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';

const READY_WITHIN_MS = 10_000;
const RUNNING = { connector: 'RUNNING', tasks: ['RUNNING'] };

function numbered(from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `line ${from + i} · ${'é'.repeat((from + i) % 7)}`);
}

it('is ready within seconds, and after a restart resumes every connector where it left off without re-reading a line', async () => {
  const dir = tempDir('ferry-e2e-resume-');
  const dataDir = path.join(dir, 'data');
  const input = path.join(dir, 'input.txt');
  const output = path.join(dir, 'output.txt');
  const before = numbered(0, 500);
  fs.writeFileSync(input, '');
  appendLines(input, before);

  const first = await startFerry({ dataDir });
  console.log(`ferry start: ready ${first.readyMs.toFixed(0)} ms after spawn (fresh data directory)`);
  expect(first.readyMs).toBeLessThan(READY_WITHIN_MS);

  const rest = new ConnectRest(first.restUrl);
  await rest.createConnector('resume-in', { 'connector.class': 'FileStreamSource', file: input, topic: 'resume' });
  await rest.createConnector('resume-out', { 'connector.class': 'FileStreamSink', file: output, topics: 'resume' });
  await until(() => completeLines(output).length >= before.length, { timeoutMs: 30_000, what: 'the first lines in the output' });
  const stopping = performance.now();
  expect(await first.stop()).toBe(0);
  console.log(`ferry start: stopped ${(performance.now() - stopping).toFixed(0)} ms after SIGTERM`);
  expect(first.output()).toContain('"msg":"ferry stopped"');

  const after = numbered(before.length, 300);
  appendLines(input, after);

  const second = await startFerry({ dataDir, brokerPort: first.brokerPort, restPort: first.restPort });
  console.log(`ferry start: ready ${second.readyMs.toFixed(0)} ms after spawn (restart with 2 connectors)`);
  expect(second.readyMs).toBeLessThan(READY_WITHIN_MS);
  const again = new ConnectRest(second.restUrl);
  expect((await again.request('GET', '/connectors')).body).toEqual(expect.arrayContaining(['resume-in', 'resume-out']));
  await again.untilStates('resume-in', RUNNING);
  await again.untilStates('resume-out', RUNNING);

  const all = [...before, ...after];
  await until(() => completeLines(output).length >= all.length, { timeoutMs: 30_000, what: 'the lines appended while ferry was down' });
  expect(completeLines(output)).toEqual(all);
  const topic = await kcatRead(second.bootstrap, 'resume', '%o\n');
  expect(topic.split('\n').filter((line) => line !== '')).toHaveLength(all.length);
  expect(await second.stop()).toBe(0);
});
