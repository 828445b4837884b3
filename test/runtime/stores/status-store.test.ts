import { describe, expect, it } from 'vitest';
import { StatusStore } from '../../../runtime/stores/status-store.js';
import { InMemoryCompactedTopic } from '../../../runtime/stores/memory/in-memory-compacted-topic.js';
import { InMemoryTopicLog } from '../../../runtime/stores/memory/in-memory-topic-log.js';

function rawRecords(log: InMemoryTopicLog): [string, string | null][] {
  return log.records.map((r) => [r.key!.toString(), r.value && r.value.toString()]);
}

async function startedStore(log = new InMemoryTopicLog()) {
  const skipped: string[] = [];
  const store = new StatusStore(new InMemoryCompactedTopic(log), { onSkippedRecord: (r) => skipped.push(String(r.key)) });
  await store.start();
  return { log, store, skipped };
}

const running = { state: 'RUNNING', trace: null, workerId: 'w1:8083', generation: 5 } as const;

describe('StatusStore', () => {
  it('writes connector and task statuses in Kafka Connect format and reads them back', async () => {
    const { log, store } = await startedStore();
    await store.put({ connector: 'my-sink', ...running });
    await store.put({ connector: 'my-sink', task: 0, ...running, state: 'FAILED', trace: 'boom' });
    expect(rawRecords(log)).toEqual([
      ['status-connector-my-sink', '{"state":"RUNNING","trace":null,"worker_id":"w1:8083","generation":5}'],
      ['status-task-my-sink-0', '{"state":"FAILED","trace":"boom","worker_id":"w1:8083","generation":5}'],
    ]);
    await store.readToEnd();
    expect(store.get('my-sink')).toEqual({ connector: 'my-sink', ...running });
    expect(store.getTask({ connector: 'my-sink', task: 0 })).toMatchObject({ state: 'FAILED', trace: 'boom' });
    expect(store.connectors()).toEqual(['my-sink']);
  });

  it('lists task statuses of a connector by task index, not mixing connectors whose names share a prefix', async () => {
    const { store } = await startedStore();
    for (const [connector, task] of [['a', 2], ['a', 0], ['a-b', 1], ['a', 1]] as const) {
      await store.put({ connector, task, ...running });
    }
    await store.readToEnd();
    expect(store.listForConnector('a').map((t) => t.task)).toEqual([0, 1, 2]);
    expect(store.listForConnector('a-b').map((t) => [t.connector, t.task])).toEqual([['a-b', 1]]);
  });

  describe('putIfNewerGeneration', () => {
    const stored = { connector: 'c', task: 0, state: 'RUNNING', trace: null, workerId: 'w1', generation: 5 } as const;

    async function withStored() {
      const ctx = await startedStore();
      await ctx.store.put(stored);
      await ctx.store.readToEnd();
      return ctx;
    }

    it('writes when nothing is stored', async () => {
      const { store } = await startedStore();
      expect(await store.putIfNewerGeneration({ ...stored, workerId: 'w2', generation: 1 })).toBe(true);
    });

    it('writes over a status from the same worker, whatever its generation', async () => {
      const { store } = await withStored();
      expect(await store.putIfNewerGeneration({ ...stored, state: 'PAUSED', generation: 2 })).toBe(true);
      await store.readToEnd();
      expect(store.getTask(stored)?.state).toBe('PAUSED');
    });

    it('writes over another worker\'s status from a newer or equal generation', async () => {
      const { store } = await withStored();
      expect(await store.putIfNewerGeneration({ ...stored, workerId: 'w2', generation: 6 })).toBe(true);
      await store.readToEnd();
      expect(await store.putIfNewerGeneration({ ...stored, workerId: 'w3', generation: 6 })).toBe(true);
    });

    it('leaves another worker\'s status from a newer generation alone', async () => {
      const { log, store } = await withStored();
      expect(await store.putIfNewerGeneration({ ...stored, workerId: 'w2', state: 'UNASSIGNED', generation: 4 })).toBe(false);
      await store.readToEnd();
      expect(log.records).toHaveLength(1);
      expect(store.getTask(stored)).toMatchObject({ workerId: 'w1', state: 'RUNNING' });
    });

    it('applies the same rule to connector statuses', async () => {
      const { store } = await startedStore();
      await store.put({ connector: 'c', ...running, generation: 9 });
      await store.readToEnd();
      expect(await store.putIfNewerGeneration({ connector: 'c', ...running, workerId: 'other', generation: 8 })).toBe(false);
      expect(await store.putIfNewerGeneration({ connector: 'c', ...running, workerId: 'other', generation: 10 })).toBe(true);
    });
  });

  describe('stale records read back', () => {
    async function following(generation: number) {
      const ctx = await startedStore();
      ctx.store.followGroupGeneration(() => generation);
      return ctx;
    }

    it('ignores a zombie: another worker\'s status of an older generation than the stored one, for tasks and connectors', async () => {
      const { store, skipped } = await following(7);
      await store.put({ connector: 'c', task: 0, ...running, generation: 6, workerId: 'w2' });
      await store.put({ connector: 'c', ...running, generation: 6, workerId: 'w2' });
      await store.put({ connector: 'c', task: 0, ...running, state: 'FAILED', trace: 'late', generation: 5, workerId: 'w1' });
      await store.put({ connector: 'c', ...running, state: 'UNASSIGNED', generation: 5, workerId: 'w1' });
      await store.readToEnd();
      expect(store.getTask({ connector: 'c', task: 0 })).toMatchObject({ state: 'RUNNING', workerId: 'w2', generation: 6 });
      expect(store.get('c')).toMatchObject({ state: 'RUNNING', workerId: 'w2', generation: 6 });
      expect(skipped).toEqual(['status-task-c-0', 'status-connector-c']);
    });

    it('takes the same worker\'s older generation and any worker\'s equal or newer one', async () => {
      const { store } = await following(9);
      await store.put({ connector: 'c', task: 0, ...running, generation: 6, workerId: 'w2' });
      await store.put({ connector: 'c', task: 0, ...running, state: 'PAUSED', generation: 4, workerId: 'w2' });
      await store.readToEnd();
      expect(store.getTask({ connector: 'c', task: 0 })).toMatchObject({ state: 'PAUSED', generation: 4 });
      await store.put({ connector: 'c', task: 0, ...running, state: 'FAILED', trace: 'x', generation: 4, workerId: 'w3' });
      await store.put({ connector: 'c', task: 0, ...running, generation: 8, workerId: 'w1' });
      await store.readToEnd();
      expect(store.getTask({ connector: 'c', task: 0 })).toMatchObject({ state: 'RUNNING', workerId: 'w1', generation: 8 });
    });

    it('takes statuses as they come before the worker follows a group, or when the stored one is newer than the group (a recreated group)', async () => {
      const unfollowed = await startedStore();
      await unfollowed.store.put({ connector: 'c', ...running, generation: 6, workerId: 'w2' });
      await unfollowed.store.put({ connector: 'c', ...running, state: 'FAILED', trace: 'x', generation: 5, workerId: 'w1' });
      await unfollowed.store.readToEnd();
      expect(unfollowed.store.get('c')).toMatchObject({ state: 'FAILED', workerId: 'w1' });

      const recreated = await following(2);
      await recreated.store.put({ connector: 'c', ...running, generation: 40, workerId: 'w2' });
      await recreated.store.put({ connector: 'c', ...running, generation: 1, workerId: 'w1' });
      await recreated.store.readToEnd();
      expect(recreated.store.get('c')).toMatchObject({ workerId: 'w1', generation: 1 });
    });

    it('ignores a task\'s UNASSIGNED of a generation not newer than the RUNNING read, as Kafka Connect does, even from the same worker', async () => {
      const { store, skipped } = await startedStore();
      await store.put({ connector: 'c', task: 0, ...running, generation: 6, workerId: 'w2' });
      await store.put({ connector: 'c', task: 0, ...running, state: 'UNASSIGNED', generation: 6, workerId: 'w2' });
      await store.readToEnd();
      expect(store.getTask({ connector: 'c', task: 0 })).toMatchObject({ state: 'RUNNING' });
      expect(skipped).toEqual(['status-task-c-0']);
      await store.put({ connector: 'c', task: 0, ...running, state: 'UNASSIGNED', generation: 7, workerId: 'w1' });
      await store.readToEnd();
      expect(store.getTask({ connector: 'c', task: 0 })).toMatchObject({ state: 'UNASSIGNED', generation: 7 });
    });
  });

  it('removes a connector with tombstones for its tasks and then itself', async () => {
    const { log, store } = await startedStore();
    await store.put({ connector: 'c', ...running });
    await store.put({ connector: 'c', task: 0, ...running });
    await store.put({ connector: 'c', task: 1, ...running });
    await store.readToEnd();
    await store.removeConnector('c');
    expect(rawRecords(log).slice(-3)).toEqual([
      ['status-task-c-0', null],
      ['status-task-c-1', null],
      ['status-connector-c', null],
    ]);
    await store.readToEnd();
    expect(store.get('c')).toBeUndefined();
    expect(store.listForConnector('c')).toEqual([]);
  });

  it('forgets task statuses when the connector status is tombstoned, as Kafka Connect does', async () => {
    const { log, store } = await startedStore();
    await store.put({ connector: 'c', task: 0, ...running });
    await store.put({ connector: 'c', ...running });
    log.append(Buffer.from('status-connector-c'), null);
    await store.readToEnd();
    expect(store.listForConnector('c')).toEqual([]);
  });

  it('removes a single task status with a tombstone', async () => {
    const { store } = await startedStore();
    await store.put({ connector: 'c', task: 0, ...running });
    await store.put({ connector: 'c', task: 1, ...running });
    await store.removeTask({ connector: 'c', task: 1 });
    await store.readToEnd();
    expect(store.listForConnector('c').map((t) => t.task)).toEqual([0]);
  });

  it('tracks the topics a connector used and resets them with tombstones', async () => {
    const { log, store } = await startedStore();
    await store.putTopic({ topic: 'orders', connector: 'c', task: 0, discoverTimestamp: 1700000000000 });
    await store.putTopic({ topic: 'payments', connector: 'c', task: 1, discoverTimestamp: 1700000000001 });
    await store.putTopic({ topic: 'orders', connector: 'other', task: 0, discoverTimestamp: 1700000000002 });
    await store.readToEnd();
    expect(rawRecords(log)[0]).toEqual([
      'status-topic-orders:connector-c',
      '{"topic":{"name":"orders","connector":"c","task":0,"discoverTimestamp":1700000000000}}',
    ]);
    expect(store.topicsFor('c').map((t) => t.topic)).toEqual(['orders', 'payments']);
    expect(store.getTopic('c', 'payments')?.task).toBe(1);
    await store.resetTopics('c');
    expect(rawRecords(log).slice(-2)).toEqual([
      ['status-topic-orders:connector-c', null],
      ['status-topic-payments:connector-c', null],
    ]);
    await store.readToEnd();
    expect(store.topicsFor('c')).toEqual([]);
    expect(store.topicsFor('other')).toHaveLength(1);
  });

  it('reads statuses a Kafka Connect worker wrote and skips records it could not parse', async () => {
    const log = new InMemoryTopicLog();
    const write = (k: string, v: string) => log.append(Buffer.from(k), Buffer.from(v));
    write('status-connector-local-file-sink', '{"state":"RUNNING","trace":null,"worker_id":"10.0.0.5:8083","generation":3}');
    write('status-task-local-file-sink-0', '{"state":"RUNNING","trace":null,"worker_id":"10.0.0.5:8083","generation":3}');
    write('status-task-local-file-sink-1', '{"state":"SLEEPING","trace":null,"worker_id":"10.0.0.5:8083","generation":3}');
    write('status-unknown-x', '{}');
    const { store, skipped } = await startedStore(log);
    expect(store.get('local-file-sink')).toMatchObject({ state: 'RUNNING', workerId: '10.0.0.5:8083', generation: 3 });
    expect(store.listForConnector('local-file-sink').map((t) => t.task)).toEqual([0]);
    expect(skipped).toEqual(['status-task-local-file-sink-1', 'status-unknown-x']);
  });
});
