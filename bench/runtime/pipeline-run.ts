/**
 * One end-to-end run: a FileStreamSink and a FileStreamSource on one topic, created over
 * REST; the clock starts before the first create and stops when the sink file holds every
 * byte of the input file. Along the way it notes when the first line reached the sink file
 * and when the topic held every line (the source's share), and samples each process's RSS. The run fails when the sink file
 * outgrows the input, stops growing for STALL_MS, or differs from the input by one byte.
 * Afterwards both connectors are deleted.
 */
import fs from 'node:fs';
import type { Admin } from 'kafkajs';
import { endOffset } from '../broker/kafkajs-runs.js';
import { cpuSeconds, readMemory } from '../broker/proc-stats.js';
import { createConnector, deleteConnector, describeStatuses, listConnectors } from './connect-rest.js';
import { firstDifference } from './file-compare.js';

const FILE_POLL_MS = 50;
const OFFSET_POLL_MS = 250;
const STALL_MS = 60_000;
const DELETE_TIMEOUT_MS = 30_000;

export interface PipelineRunOptions {
  rest: string;
  /** Admin client of the broker the worker uses, for the topic's end offset. */
  admin: Admin;
  name: string;
  topic: string;
  input: string;
  lines: number;
  output: string;
  batchSize: number;
  /** The processes whose CPU time the run is charged, by label. */
  pids: Record<string, number>;
  /** Extra connector settings (the exactly-once layouts' transaction boundary and read_committed sink). */
  sourceSettings?: Record<string, string>;
  sinkSettings?: Record<string, string>;
}

export interface PipelineOutcome {
  seconds: number;
  /** Seconds from the first create until the sink file was first non-empty. */
  firstLineSeconds: number;
  /** Seconds from the first create until the topic's end offset reached the line count. */
  sourceSeconds: number;
  /** CPU time / wall time per process, in % of one core. */
  cpuPercent: Record<string, number>;
  /** The largest VmRSS sampled during the run (every OFFSET_POLL_MS), per process. */
  peakRssBytes: Record<string, number>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

export async function runPipeline(o: PipelineRunOptions): Promise<PipelineOutcome> {
  const expectedBytes = fs.statSync(o.input).size;
  const sink = `${o.name}-sink`;
  const source = `${o.name}-source`;
  const cpuBefore = Object.fromEntries(Object.entries(o.pids).map(([label, pid]) => [label, cpuSeconds(pid)]));
  const start = performance.now();
  const elapsed = () => (performance.now() - start) / 1000;
  await createConnector(o.rest, sink, {
    'connector.class': 'FileStreamSink', 'tasks.max': '1', topics: o.topic, file: o.output, ...o.sinkSettings,
  });
  await createConnector(o.rest, source, {
    'connector.class': 'FileStreamSource', 'tasks.max': '1', topic: o.topic, file: o.input, 'batch.size': String(o.batchSize), ...o.sourceSettings,
  });

  let firstLineSeconds: number | undefined;
  let sourceSeconds: number | undefined;
  let lastSize = 0;
  let lastGrowth = performance.now();
  let nextOffsetPoll = 0;
  const peakRssBytes: Record<string, number> = Object.fromEntries(Object.keys(o.pids).map((label) => [label, 0]));
  let nextRssSample = 0;
  for (;;) {
    const size = fileSize(o.output);
    const now = performance.now();
    if (size > 0 && firstLineSeconds === undefined) firstLineSeconds = elapsed();
    if (size >= expectedBytes) break;
    if (size !== lastSize) {
      lastSize = size;
      lastGrowth = now;
    } else if (now - lastGrowth > STALL_MS) {
      throw new Error(`${o.name}: the sink file stayed at ${size} of ${expectedBytes} bytes for ${STALL_MS / 1000} s:\n`
        + await describeStatuses(o.rest, [source, sink]));
    }
    if (now >= nextRssSample) {
      for (const [label, pid] of Object.entries(o.pids)) peakRssBytes[label] = Math.max(peakRssBytes[label]!, readMemory(pid).rssBytes);
      nextRssSample = now + OFFSET_POLL_MS;
    }
    if (sourceSeconds === undefined && now >= nextOffsetPoll) {
      if (await endOffset(o.admin, o.topic) >= o.lines) sourceSeconds = elapsed();
      nextOffsetPoll = performance.now() + OFFSET_POLL_MS;
    }
    await sleep(FILE_POLL_MS);
  }
  const seconds = elapsed();
  const cpuPercent = Object.fromEntries(Object.entries(o.pids).map(([label, pid]) => (
    [label, ((cpuSeconds(pid) - cpuBefore[label]!) / seconds) * 100]
  )));
  sourceSeconds ??= seconds;

  const size = fileSize(o.output);
  if (size !== expectedBytes) throw new Error(`${o.name}: the sink file has ${size} bytes, the input ${expectedBytes}`);
  const diff = firstDifference(o.input, o.output);
  if (diff) throw new Error(`${o.name}: the sink file differs from the input at byte ${diff.offset} (line ${diff.line})`);

  await deleteConnector(o.rest, source);
  await deleteConnector(o.rest, sink);
  const deadline = performance.now() + DELETE_TIMEOUT_MS;
  while ((await listConnectors(o.rest)).some((n) => n === source || n === sink)) {
    if (performance.now() > deadline) throw new Error(`${o.name}: connectors still listed ${DELETE_TIMEOUT_MS / 1000} s after deletion`);
    await sleep(100);
  }
  return { seconds, firstLineSeconds: firstLineSeconds ?? seconds, sourceSeconds, cpuPercent, peakRssBytes };
}
