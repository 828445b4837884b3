import { describe, expect, it } from 'vitest';
import { ConfigStore } from '../../../runtime/stores/config-store.js';
import type { ConfigChangeSet } from '../../../runtime/stores/config-store.js';
import { InMemoryCompactedTopic } from '../../../runtime/stores/memory/in-memory-compacted-topic.js';
import { InMemoryTopicLog } from '../../../runtime/stores/memory/in-memory-topic-log.js';

const CONFIG = { name: 'orders', 'connector.class': 'FileStreamSource', 'tasks.max': '2', file: '${file:/s.properties:path}' };

function rawRecords(log: InMemoryTopicLog): [string, string | null][] {
  return log.records.map((r) => [r.key!.toString(), r.value && r.value.toString()]);
}

function writeRaw(log: InMemoryTopicLog, records: [string, string | null][]): void {
  for (const [key, value] of records) log.append(Buffer.from(key), value === null ? null : Buffer.from(value));
}

async function startedStore(log = new InMemoryTopicLog()) {
  const skipped: string[] = [];
  const store = new ConfigStore(new InMemoryCompactedTopic(log), { onSkippedRecord: (r) => skipped.push(r.key!.toString()) });
  const changes: ConfigChangeSet[] = [];
  store.onChange((c) => changes.push(c));
  await store.start();
  return { log, store, changes, skipped };
}

const task = (n: number) => ({ 'task.class': 'FileStreamSourceTask', file: `part-${n}` });

describe('ConfigStore', () => {
  it('stores a connector config and reports it added, with STARTED as its target state', async () => {
    const { store, changes } = await startedStore();
    await store.putConnectorConfig('orders', CONFIG);
    const snapshot = store.snapshot();
    expect(snapshot.connectors()).toEqual(['orders']);
    expect(snapshot.connectorConfig('orders')).toEqual(CONFIG);
    expect(snapshot.targetState('orders')).toBe('STARTED');
    expect(snapshot.taskConfigs('orders')).toEqual([]);
    expect(snapshot.offset).toBe(1);
    expect(changes.map((c) => c.connectorsAdded)).toEqual([['orders']]);
  });

  it('writes an initial target state before the connector, without reporting it as a state change', async () => {
    const { log, store, changes } = await startedStore();
    await store.putConnectorConfig('orders', { name: 'orders' }, 'STOPPED');
    expect(rawRecords(log)).toEqual([
      ['target-state-orders', '{"state":"PAUSED","state.v2":"STOPPED"}'],
      ['connector-orders', '{"properties":{"name":"orders"}}'],
    ]);
    expect(store.snapshot().targetState('orders')).toBe('STOPPED');
    expect(changes.flatMap((c) => c.targetStatesChanged)).toEqual([]);
    expect(changes.flatMap((c) => c.connectorsAdded)).toEqual(['orders']);
  });

  it('reports an update of an existing connector as updated', async () => {
    const { store, changes } = await startedStore();
    await store.putConnectorConfig('orders', CONFIG);
    await store.putConnectorConfig('orders', { ...CONFIG, 'tasks.max': '3' });
    expect(store.snapshot().connectorConfig('orders')?.['tasks.max']).toBe('3');
    expect(changes.map((c) => [c.connectorsAdded, c.connectorsUpdated])).toEqual([
      [['orders'], []],
      [[], ['orders']],
    ]);
  });

  it('writes task configs and then the commit record, and applies them together', async () => {
    const { log, store, changes } = await startedStore();
    await store.putConnectorConfig('orders', CONFIG);
    await store.putTaskConfigs('orders', [task(0), task(1)]);
    expect(rawRecords(log).slice(1).map(([k]) => k)).toEqual(['task-orders-0', 'task-orders-1', 'commit-orders']);
    expect(rawRecords(log)[3]![1]).toBe('{"tasks":2}');
    const snapshot = store.snapshot();
    expect(snapshot.taskCount('orders')).toBe(2);
    expect(snapshot.taskConfigs('orders')).toEqual([task(0), task(1)]);
    expect(snapshot.taskIds('orders')).toEqual([{ connector: 'orders', task: 0 }, { connector: 'orders', task: 1 }]);
    expect(snapshot.appliedConnectorConfig('orders')).toEqual(CONFIG);
    expect(changes.at(-1)).toMatchObject({
      taskConfigsCommitted: ['orders'],
      tasksChanged: [{ connector: 'orders', task: 0 }, { connector: 'orders', task: 1 }],
    });
  });

  it('does not show task configs until their commit record arrives', async () => {
    const { log, store } = await startedStore();
    await store.putConnectorConfig('orders', CONFIG);
    await store.putTaskConfigs('orders', [task(0)]);
    writeRaw(log, [
      ['task-orders-0', '{"properties":{"file":"new-0"}}'],
      ['task-orders-1', '{"properties":{"file":"new-1"}}'],
    ]);
    await store.readToEnd();
    expect(store.snapshot().taskConfigs('orders')).toEqual([task(0)]);
    writeRaw(log, [['commit-orders', '{"tasks":2}']]);
    await store.readToEnd();
    expect(store.snapshot().taskConfigs('orders')).toEqual([{ file: 'new-0' }, { file: 'new-1' }]);
  });

  it('marks a connector inconsistent when a commit arrives without all its tasks, until a full set is committed', async () => {
    const { log, store, changes } = await startedStore();
    await store.putConnectorConfig('orders', CONFIG);
    writeRaw(log, [
      ['task-orders-1', '{"properties":{"file":"x"}}'],
      ['commit-orders', '{"tasks":2}'],
    ]);
    await store.readToEnd();
    let snapshot = store.snapshot();
    expect(snapshot.isInconsistent('orders')).toBe(true);
    expect(snapshot.inconsistentConnectors()).toEqual(['orders']);
    expect(snapshot.taskCount('orders')).toBe(2);
    expect(snapshot.taskIds('orders')).toEqual([]);
    expect(snapshot.taskConfigs('orders')).toEqual([]);
    expect(changes.at(-1)).toMatchObject({ taskConfigsCommitted: ['orders'], tasksChanged: [] });

    await store.putTaskConfigs('orders', [task(0), task(1)]);
    snapshot = store.snapshot();
    expect(snapshot.isInconsistent('orders')).toBe(false);
    expect(snapshot.taskConfigs('orders')).toEqual([task(0), task(1)]);
  });

  it('discards buffered task configs of an incomplete commit instead of carrying them into the next one', async () => {
    const { log, store } = await startedStore();
    writeRaw(log, [
      ['connector-orders', '{"properties":{"name":"orders"}}'],
      ['task-orders-0', '{"properties":{"file":"stale"}}'],
      ['commit-orders', '{"tasks":2}'],
      ['task-orders-1', '{"properties":{"file":"fresh-1"}}'],
      ['commit-orders', '{"tasks":2}'],
    ]);
    await store.readToEnd();
    expect(store.snapshot().isInconsistent('orders')).toBe(true);
  });

  it('reads a compacted log whose older, larger task set left an extra task record as consistent', async () => {
    const log = new InMemoryTopicLog();
    writeRaw(log, [
      ['connector-foo', '{"properties":{"name":"foo"}}'],
      ['task-foo-0', '{"properties":{"v":"old-0"}}'],
      ['task-foo-1', '{"properties":{"v":"old-1"}}'],
      ['commit-foo', '{"tasks":2}'],
      ['task-foo-0', '{"properties":{"v":"new-0"}}'],
      ['commit-foo', '{"tasks":1}'],
    ]);
    log.compact();
    expect(rawRecords(log).map(([k]) => k)).toEqual(['connector-foo', 'task-foo-1', 'task-foo-0', 'commit-foo']);
    const { store } = await startedStore(log);
    const snapshot = store.snapshot();
    expect(snapshot.isInconsistent('foo')).toBe(false);
    expect(snapshot.taskConfigs('foo')).toEqual([{ v: 'new-0' }]);
    expect(snapshot.offset).toBe(6);
  });

  it('reads a compacted log cut short by a leader failure mid-write as inconsistent', async () => {
    const log = new InMemoryTopicLog();
    writeRaw(log, [
      ['connector-foo', '{"properties":{"name":"foo"}}'],
      ['task-foo-0', '{"properties":{"v":"a"}}'],
      ['task-foo-1', '{"properties":{"v":"b"}}'],
      ['commit-foo', '{"tasks":2}'],
      ['task-foo-0', '{"properties":{"v":"c"}}'],
    ]);
    log.compact();
    const { store } = await startedStore(log);
    expect(store.snapshot().isInconsistent('foo')).toBe(true);
    expect(store.snapshot().taskConfigs('foo')).toEqual([]);
  });

  it('commits zero tasks for a stopped connector', async () => {
    const { store } = await startedStore();
    await store.putConnectorConfig('orders', CONFIG);
    await store.putTaskConfigs('orders', [task(0)]);
    await store.putTargetState('orders', 'STOPPED');
    await store.putTaskConfigs('orders', []);
    const snapshot = store.snapshot();
    expect(snapshot.taskCount('orders')).toBe(0);
    expect(snapshot.taskConfigs('orders')).toEqual([]);
    expect(snapshot.isInconsistent('orders')).toBe(false);
  });

  it('reads a target state written by a pre-3.5 worker from its state field', async () => {
    const log = new InMemoryTopicLog();
    writeRaw(log, [
      ['connector-old', '{"properties":{"name":"old"}}'],
      ['target-state-old', '{"state":"PAUSED"}'],
      ['connector-new', '{"properties":{"name":"new"}}'],
      ['target-state-new', '{"state":"PAUSED","state.v2":"STOPPED"}'],
    ]);
    const { store } = await startedStore(log);
    expect(store.snapshot().targetState('old')).toBe('PAUSED');
    expect(store.snapshot().targetState('new')).toBe('STOPPED');
  });

  it('reports target state changes of existing connectors', async () => {
    const { store, changes } = await startedStore();
    await store.putConnectorConfig('orders', CONFIG);
    await store.putTargetState('orders', 'PAUSED');
    expect(store.snapshot().targetState('orders')).toBe('PAUSED');
    expect(changes.at(-1)?.targetStatesChanged).toEqual(['orders']);
  });

  it('falls back to STARTED when the target state of an existing connector is tombstoned', async () => {
    const { log, store } = await startedStore();
    await store.putConnectorConfig('orders', CONFIG, 'PAUSED');
    writeRaw(log, [['target-state-orders', null]]);
    await store.readToEnd();
    expect(store.snapshot().targetState('orders')).toBe('STARTED');
  });

  it('removes a connector with tombstones for its config and then its target state', async () => {
    const { log, store, changes } = await startedStore();
    await store.putConnectorConfig('orders', CONFIG, 'PAUSED');
    await store.putTaskConfigs('orders', [task(0)]);
    await store.removeConnector('orders');
    expect(rawRecords(log).slice(-2)).toEqual([
      ['connector-orders', null],
      ['target-state-orders', null],
    ]);
    const snapshot = store.snapshot();
    expect(snapshot.contains('orders')).toBe(false);
    expect(snapshot.connectorConfig('orders')).toBeUndefined();
    expect(snapshot.taskCount('orders')).toBe(0);
    expect(snapshot.taskConfig({ connector: 'orders', task: 0 })).toBeUndefined();
    expect(changes.flatMap((c) => c.connectorsRemoved)).toEqual(['orders']);
  });

  it('announces restart requests made after start, but not those read at start', async () => {
    const log = new InMemoryTopicLog();
    writeRaw(log, [['restart-connector-old', '{"include-tasks":true,"only-failed":true}']]);
    const { store, changes } = await startedStore(log);
    expect(changes).toEqual([]);
    await store.requestRestart('orders', { includeTasks: true, onlyFailed: false });
    expect(rawRecords(log).at(-1)).toEqual(['restart-connector-orders', '{"include-tasks":true,"only-failed":false}']);
    expect(changes.map((c) => c.restartRequests)).toEqual([[{ connector: 'orders', includeTasks: true, onlyFailed: false }]]);
  });

  it('builds the same snapshot from a log it did not write, as a second worker would', async () => {
    const log = new InMemoryTopicLog();
    const leader = await startedStore(log);
    const follower = await startedStore(log);
    await leader.store.putConnectorConfig('orders', CONFIG, 'PAUSED');
    await leader.store.putTaskConfigs('orders', [task(0), task(1)]);
    await follower.store.readToEnd();
    const snapshot = follower.store.snapshot();
    expect(snapshot.connectorConfig('orders')).toEqual(CONFIG);
    expect(snapshot.targetState('orders')).toBe('PAUSED');
    expect(snapshot.taskConfigs('orders')).toEqual([task(0), task(1)]);
    expect(snapshot.offset).toBe(leader.store.snapshot().offset);
    expect(follower.changes.flatMap((c) => c.tasksChanged)).toHaveLength(2);
  });

  it('hands out snapshots that later records do not change', async () => {
    const { store } = await startedStore();
    await store.putConnectorConfig('orders', CONFIG);
    await store.putTaskConfigs('orders', [task(0)]);
    const before = store.snapshot();
    await store.putTaskConfigs('orders', [task(5), task(6)]);
    await store.putConnectorConfig('other', CONFIG);
    expect(before.connectors()).toEqual(['orders']);
    expect(before.taskConfigs('orders')).toEqual([task(0)]);
    expect(Object.isFrozen(before.connectorConfig('orders'))).toBe(true);
  });

  it('ignores records with unknown keys or unreadable values, telling the caller why', async () => {
    const log = new InMemoryTopicLog();
    writeRaw(log, [
      ['mystery-record', '{"a":1}'],
      ['connector-bad', '{"properties":[1]}'],
      ['connector-orders', '{"properties":{"name":"orders"}}'],
    ]);
    const { store, skipped } = await startedStore(log);
    expect(store.snapshot().connectors()).toEqual(['orders']);
    expect(skipped).toEqual(['mystery-record', 'connector-bad']);
    expect(store.snapshot().offset).toBe(3);
  });

  it('does not count a value that is not JSON in the config offset, as Kafka Connect does not', async () => {
    const log = new InMemoryTopicLog();
    writeRaw(log, [
      ['connector-orders', '{"properties":{"name":"orders"}}'],
      ['connector-x', '{not json'],
    ]);
    const { store } = await startedStore(log);
    expect(store.snapshot().offset).toBe(1);
  });

  it('keeps the session key, fencing task counts and announces cluster log levels', async () => {
    const { store, changes } = await startedStore();
    const sessionKey = { key: Buffer.from('0123456789abcdef'), algorithm: 'HmacSHA256', creationTimestamp: 1700000000000 };
    await store.putSessionKey(sessionKey);
    await store.putTaskCountRecord('orders', 3);
    await store.putLoggerLevel('org.apache.kafka', 'DEBUG');
    const snapshot = store.snapshot();
    expect(snapshot.sessionKey).toEqual(sessionKey);
    expect(snapshot.taskCountRecord('orders')).toBe(3);
    expect(changes.map((c) => [c.sessionKeyChanged, c.taskCountRecordsChanged, c.loggerLevels])).toEqual([
      [true, [], []],
      [false, ['orders'], []],
      [false, [], [{ namespace: 'org.apache.kafka', level: 'DEBUG' }]],
    ]);
  });

  it('keeps a connector pending zombie fencing from each task-config commit until a task-count record follows, as Kafka Connect does', async () => {
    const { log, store } = await startedStore();
    await store.putConnectorConfig('orders', CONFIG);
    expect(store.snapshot().pendingFencing('orders')).toBe(false);
    expect(store.snapshot().taskConfigGeneration('orders')).toBeUndefined();

    await store.putTaskConfigs('orders', [task(0), task(1)]);
    expect(store.snapshot().pendingFencing('orders')).toBe(true);
    expect(store.snapshot().taskConfigGeneration('orders')).toBe(0);
    expect(store.snapshot().taskCountRecord('orders')).toBeUndefined();

    await store.putTaskCountRecord('orders', 2);
    expect(store.snapshot().pendingFencing('orders')).toBe(false);
    expect(rawRecords(log).at(-1)).toEqual(['tasks-fencing-orders', '{"task-count":2}']);

    await store.putTaskConfigs('orders', [task(0)]);
    expect(store.snapshot().pendingFencing('orders')).toBe(true);
    expect(store.snapshot().taskConfigGeneration('orders')).toBe(1);
    expect(store.snapshot().taskCountRecord('orders')).toBe(2);
  });

  it('reads the fencing state of a config topic a Java worker wrote, incomplete commits and compaction included', async () => {
    const log = new InMemoryTopicLog();
    const props = (n: number) => `{"properties":{"task.class":"FileStreamSourceTask","file":"part-${n}"}}`;
    writeRaw(log, [
      ['connector-a', '{"properties":{"name":"a"}}'],
      ['task-a-0', props(0)],
      ['commit-a', '{"tasks":1}'],
      ['tasks-fencing-a', '{"task-count":1}'],
      ['task-a-0', props(0)],
      ['task-a-1', props(1)],
      ['commit-a', '{"tasks":2}'],
      ['connector-b', '{"properties":{"name":"b"}}'],
      // task-b-0 compacted away: the commit is incomplete, still pending fencing, no generation.
      ['task-b-1', props(1)],
      ['commit-b', '{"tasks":2}'],
      ['connector-c', '{"properties":{"name":"c"}}'],
      ['task-c-0', props(0)],
      ['commit-c', '{"tasks":1}'],
      ['tasks-fencing-c', '{"task-count":1}'],
    ]);
    const { store } = await startedStore(log);
    const snapshot = store.snapshot();
    expect(['a', 'b', 'c'].map((c) => [snapshot.pendingFencing(c), snapshot.taskConfigGeneration(c), snapshot.taskCountRecord(c)])).toEqual([
      [true, 1, 1],
      [true, undefined, undefined],
      [false, 0, 1],
    ]);
  });
});
