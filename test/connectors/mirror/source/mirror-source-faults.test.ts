/**
 * MirrorSourceConnector when things go wrong, and in both directions at once: the worker
 * SIGKILLed mid-stream, the source region unreachable for a while, and an A↔B active-active
 * pair that must not send records back where they came from.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../../../helpers/until.js';
import {
  flowConfig, type Region, restartMirrorWorker, resumeRegion, runConnector, startMirrorWorker, stopRegion, twoRegionsWithWorker,
} from '../mirror-harness.js';
import { createTopic, endOffsetTotal, listTopics, numberedRecords, produce, readAll } from '../mirror-topics.js';

const regions = twoRegionsWithWorker();

/** Keys of `topic` on `region`, with how often each arrived. */
async function keyCounts(region: Region, topic: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const r of await readAll(region.kafka, topic)) counts.set(r.key!.toString(), (counts.get(r.key!.toString()) ?? 0) + 1);
  return counts;
}

describe('MirrorSourceConnector faults', () => {
  it('resumes after the worker is SIGKILLed mid-stream, losing nothing and repeating only records after the last offset commit', async () => {
    await createTopic(regions.A.kafka, 'events', 6);
    await produce(regions.A.kafka, 'events', numberedRecords('events', 0, 2000, 6));
    await runConnector(regions.worker.rest, 'mirror-events', { 'connector.class': 'MirrorSourceConnector', topics: 'events', 'tasks.max': '2', ...flowConfig(regions.A, regions.B) });
    // The first 2000 records are mirrored and their source offsets committed (the last is offset 333 in partitions 0 and 1, 332 in the others).
    await until(async () => {
      const { body } = await regions.worker.rest.request<{ offsets?: { partition: { partition: number }; offset: { offset: number } }[] }>('GET', '/connectors/mirror-events/offsets');
      const offsets = body.offsets ?? [];
      return offsets.length === 6 && offsets.every((o) => o.offset.offset === (o.partition.partition < 2 ? 333 : 332));
    }, { timeoutMs: 60_000, what: 'offsets of the first 2000 records committed' });
    const producing = produce(regions.A.kafka, 'events', numberedRecords('events', 2000, 4000, 6));
    await until(async () => (await endOffsetTotal(regions.B.kafka, 'A.events')) >= 3000, { timeoutMs: 60_000, what: 'records mirrored while producing' });
    regions.worker = await restartMirrorWorker(regions.worker, 'kill');
    await producing;
    const all = numberedRecords('events', 0, 6000, 6).map((r) => r.key);
    await until(async () => {
      const counts = await keyCounts(regions.B, 'A.events');
      return all.every((k) => counts.has(k)) ? counts : undefined;
    }, { timeoutMs: 90_000, what: 'every record mirrored after the restart' });
    const counts = await keyCounts(regions.B, 'A.events');
    expect(counts.size).toBe(6000);
    const repeated = all.filter((k) => counts.get(k)! > 1);
    // Nothing whose offset was committed before the kill came again.
    expect(repeated.filter((k) => Number(k.slice('events-k'.length)) < 2000)).toEqual([]);
    console.info(`mirror SIGKILL: ${repeated.length} of 6000 records arrived twice, all sent after the last offset commit`);
  }, 180_000);

  it('keeps going when the source region is unreachable for a while, with nothing lost', async () => {
    await createTopic(regions.A.kafka, 'ticks', 3);
    await produce(regions.A.kafka, 'ticks', numberedRecords('ticks', 0, 300, 3));
    await runConnector(regions.worker.rest, 'mirror-ticks', { 'connector.class': 'MirrorSourceConnector', topics: 'ticks', ...flowConfig(regions.A, regions.B) }, 1);
    await until(async () => (await endOffsetTotal(regions.B.kafka, 'A.ticks')) === 300, { timeoutMs: 60_000, what: 'first 300 ticks mirrored' });
    await stopRegion(regions.A);
    // While A is down the task stays RUNNING and retries; nothing can be mirrored.
    const status = await regions.worker.rest.status('mirror-ticks');
    expect(status?.tasks.map((t) => t.state)).toEqual(['RUNNING']);
    await resumeRegion(regions.A);
    await produce(regions.A.kafka, 'ticks', numberedRecords('ticks', 300, 300, 3));
    await until(async () => (await endOffsetTotal(regions.B.kafka, 'A.ticks')) >= 600, { timeoutMs: 90_000, what: 'ticks written after the outage mirrored' });
    const counts = await keyCounts(regions.B, 'A.ticks');
    expect(counts.size).toBe(600);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  }, 180_000);
  it('keeps going when the target region is unreachable for a while, with nothing lost', async () => {
    await createTopic(regions.A.kafka, 'tocks', 3);
    await produce(regions.A.kafka, 'tocks', numberedRecords('tocks', 0, 300, 3));
    await runConnector(regions.worker.rest, 'mirror-tocks', { 'connector.class': 'MirrorSourceConnector', topics: 'tocks', ...flowConfig(regions.A, regions.B) }, 1);
    await until(async () => (await endOffsetTotal(regions.B.kafka, 'A.tocks')) === 300, { timeoutMs: 60_000, what: 'first 300 tocks mirrored' });
    await stopRegion(regions.B);
    await produce(regions.A.kafka, 'tocks', numberedRecords('tocks', 300, 300, 3));
    await resumeRegion(regions.B);
    await until(async () => (await keyCounts(regions.B, 'A.tocks')).size === 600, { timeoutMs: 120_000, what: 'tocks written during the outage mirrored' });
    const status = await regions.worker.rest.status('mirror-tocks');
    expect(status?.tasks.map((t) => t.state)).toEqual(['RUNNING']);
  }, 180_000);
});

describe('active-active A <-> B', () => {
  let workerA: MirrorWorker;

  afterAll(async () => {
    await workerA?.process.stop();
  });

  it('replicates each region\'s topic to the other and never back again', async () => {
    workerA = await startMirrorWorker(regions.A, { groupId: 'mirror-A-aa' });
    await createTopic(regions.A.kafka, 'shared', 2);
    await createTopic(regions.B.kafka, 'shared', 2);
    await produce(regions.A.kafka, 'shared', numberedRecords('fromA', 0, 100, 2));
    await produce(regions.B.kafka, 'shared', numberedRecords('fromB', 0, 100, 2));
    await runConnector(regions.worker.rest, 'aa-A-to-B', { 'connector.class': 'MirrorSourceConnector', topics: 'shared,A\\.shared,B\\.shared,late', ...flowConfig(regions.A, regions.B) });
    await runConnector(workerA.rest, 'aa-B-to-A', { 'connector.class': 'MirrorSourceConnector', topics: 'shared,A\\.shared,B\\.shared,late', ...flowConfig(regions.B, regions.A) });
    await until(async () => (await endOffsetTotal(regions.B.kafka, 'A.shared')) === 100 && (await endOffsetTotal(regions.A.kafka, 'B.shared')) === 100,
      { timeoutMs: 60_000, what: 'both directions mirrored' });
    // A topic created after both flows run proves each has listed topics again since; still no loops.
    await createTopic(regions.A.kafka, 'late', 1);
    await produce(regions.A.kafka, 'late', numberedRecords('late', 0, 10, 1));
    await until(async () => (await endOffsetTotal(regions.B.kafka, 'A.late')) === 10, { timeoutMs: 60_000, what: 'a later topic mirrored' });
    const onA = await listTopics(regions.A.kafka);
    const onB = await listTopics(regions.B.kafka);
    // A's own records never come back to A (as regions.A.shared or regions.B.A.shared), nor B's to regions.B.
    expect(onA.filter((t) => t.startsWith('A.') || t.startsWith('B.A.'))).toEqual([]);
    expect(onB.filter((t) => t.startsWith('B.') || t.startsWith('A.B.'))).toEqual([]);
    expect(await endOffsetTotal(regions.B.kafka, 'shared')).toBe(100);
    expect(await endOffsetTotal(regions.A.kafka, 'shared')).toBe(100);
  }, 120_000);
});
