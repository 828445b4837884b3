import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { expect, it, onTestFinished } from 'vitest';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { startFerry } from '../../helpers/ferry-process.js';
import { kafkaClient } from '../../helpers/kafkajs-clients.js';
import { kcatRead } from '../../helpers/kcat.js';
import { appendLines, completeLines } from '../../helpers/line-files.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';

const FLUSH_INTERVAL_MS = 2_000;
const REDELIVERY_SLACK_MS = 1_500;
const TOTAL_LINES = 30_000;
const LINES_PER_TICK = 40;
const TICK_MS = 20;

const PAYLOADS = ['', 'short', 'ünïcödé and 中文 and 😀', 'a somewhat longer line with "quotes" and \\backslashes\\', '\t tabbed \t'];

function lineFor(index: number): string {
  return `${String(index).padStart(6, '0')} ${PAYLOADS[index % PAYLOADS.length]}${'x'.repeat(index % 37)}`;
}

/** Appends numbered lines at a steady pace and remembers when each chunk reached the file. */
class LineWriter {
  written = 0;
  stopped = false;
  readonly #timeline: { at: number; written: number }[] = [];
  readonly done: Promise<void>;

  constructor(readonly file: string) {
    this.done = this.#run();
  }

  async #run(): Promise<void> {
    while (this.written < TOTAL_LINES && !this.stopped) {
      const end = Math.min(TOTAL_LINES, this.written + LINES_PER_TICK);
      const lines: string[] = [];
      for (let i = this.written; i < end; i++) lines.push(lineFor(i));
      appendLines(this.file, lines);
      this.written = end;
      this.#timeline.push({ at: Date.now(), written: end });
      await delay(TICK_MS);
    }
  }

  /** How many lines were in the file at wall-clock time `at`. */
  writtenBy(at: number): number {
    let count = 0;
    for (const point of this.#timeline) {
      if (point.at > at) break;
      count = point.written;
    }
    return count;
  }
}

interface Redelivery {
  /** Index of the line the re-delivered run starts at. */
  from: number;
  length: number;
}

/**
 * Walks the sink's output: every line must be the next new input line or part of a contiguous
 * re-delivery of lines already written; a line that skips ahead means a lost line.
 */
function analyse(output: string[]): { newLines: number; redeliveries: Redelivery[]; problems: string[] } {
  const problems: string[] = [];
  const redeliveries: Redelivery[] = [];
  let highest = -1;
  let previous = -1;
  let run: Redelivery | null = null;
  output.forEach((line, position) => {
    const index = Number(line.slice(0, 6));
    if (!/^\d{6} /.test(line) || line !== lineFor(index)) {
      problems.push(`output line ${position + 1} is not an input line: ${JSON.stringify(line)}`);
      return;
    }
    if (index === highest + 1) {
      highest = index;
      run = null;
    } else if (index > highest) {
      problems.push(`lines ${highest + 1}..${index - 1} are missing before output line ${position + 1}`);
      highest = index;
      run = null;
    } else if (run !== null && index === previous + 1) {
      run.length++;
    } else {
      run = { from: index, length: 1 };
      redeliveries.push(run);
    }
    previous = index;
  });
  if (highest !== TOTAL_LINES - 1) problems.push(`the output ends at line ${highest}, not ${TOTAL_LINES - 1}`);
  return { newLines: highest + 1, redeliveries, problems };
}

async function sourcePosition(bootstrap: string, connector: string): Promise<number> {
  const records = await kcatRead(bootstrap, 'connect-offsets', '%k\t%s\n');
  let position = 0;
  for (const line of records.split('\n')) {
    const [key, value] = line.split('\t');
    if (key?.startsWith(`["${connector}",`) && value) position = (JSON.parse(value) as { position: number }).position;
  }
  return position;
}

async function sinkCommitted(bootstrap: string, group: string, topic: string): Promise<number> {
  const admin = kafkaClient(bootstrap, 'e2e-offsets-probe').admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return Math.max(0, ...(offsets?.partitions ?? []).map((p) => Number(p.offset)));
  } finally {
    await admin.disconnect();
  }
}

it('loses no line when the worker is killed with SIGKILL mid-stream and restarted, repeating only the last unflushed interval', async () => {
  const dir = tempDir('ferry-e2e-sigkill-');
  const input = path.join(dir, 'input.txt');
  const output = path.join(dir, 'output.txt');
  const dataDir = path.join(dir, 'data');
  const settings = {
    'offset.flush.interval.ms': String(FLUSH_INTERVAL_MS),
    // The killed sink consumer never leaves its group; the broker evicts it after this long.
    'consumer.session.timeout.ms': '6000',
    'consumer.heartbeat.interval.ms': '1000',
  };
  fs.writeFileSync(input, '');

  const first = await startFerry({ dataDir, settings });
  const rest = new ConnectRest(first.restUrl);
  await rest.createConnector('stream-in', { 'connector.class': 'FileStreamSource', file: input, topic: 'stream' });
  await rest.createConnector('stream-out', { 'connector.class': 'FileStreamSink', file: output, topics: 'stream' });
  const writer = new LineWriter(input);
  onTestFinished(() => { writer.stopped = true; });

  // Kill mid-stream: once the source committed three times (so it commits periodically) and the
  // sink at least once, part-way into the next interval.
  const positions = new Set<number>();
  await until(async () => {
    const position = await sourcePosition(first.bootstrap, 'stream-in');
    if (position > 0) positions.add(position);
    return positions.size >= 3 && await sinkCommitted(first.bootstrap, 'connect-stream-out', 'stream') > 0;
  }, { timeoutMs: 30_000, intervalMs: 200, what: 'three source offset commits and a sink offset commit' });
  const killAfter = writer.written + Math.round((FLUSH_INTERVAL_MS * 0.6 / TICK_MS) * LINES_PER_TICK);
  await until(() => writer.written >= killAfter, { what: `${killAfter} lines written` });
  const delivered = completeLines(output).length;
  const killedAt = Date.now();
  await first.kill();
  const writtenAtKill = writer.writtenBy(killedAt);
  expect(writtenAtKill).toBeLessThan(TOTAL_LINES);

  const second = await startFerry({ dataDir, settings, brokerPort: first.brokerPort, restPort: first.restPort });
  await writer.done;
  await until(() => completeLines(output).at(-1) === lineFor(TOTAL_LINES - 1), {
    timeoutMs: 60_000, intervalMs: 200, what: 'the last input line in the output',
  });
  expect(await second.stop()).toBe(0);

  const lines = completeLines(output);
  const { newLines, redeliveries, problems } = analyse(lines);
  expect(problems).toEqual([]);
  expect(newLines).toBe(TOTAL_LINES);
  const duplicates = lines.length - TOTAL_LINES;
  console.log(`SIGKILL recovery: killed after ${delivered} of ${writtenAtKill} lines reached the output; `
    + `${duplicates} duplicate lines in ${redeliveries.length} re-delivered run(s) `
    + `${JSON.stringify(redeliveries)}; ${TOTAL_LINES} lines in total, flush interval ${FLUSH_INTERVAL_MS} ms`);

  // One kill gives at most one replay by the source (from its last committed position) and one by
  // the sink (from its last committed offset), each starting within the last flush interval before
  // the kill; the slack covers records still in flight when that flush ran, on a loaded machine.
  expect(redeliveries.length).toBeLessThanOrEqual(2);
  const windowStart = writer.writtenBy(killedAt - FLUSH_INTERVAL_MS - REDELIVERY_SLACK_MS);
  for (const run of redeliveries) {
    expect(run.from).toBeGreaterThanOrEqual(windowStart);
    expect(run.from + run.length).toBeLessThanOrEqual(writtenAtKill);
  }
}, 120_000);
