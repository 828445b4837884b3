/**
 * WorkerControl's health check, cluster-wide log levels and deprecated task-config listing,
 * over in-memory config, offset and status topics and a stand-in Worker.
 */
import { describe, expect, it } from 'vitest';
import { LoggerLevels } from '../../../runtime/control/logger-levels.js';
import { WorkerControl } from '../../../runtime/control/worker-control.js';
import type { TopicAdmin } from '../../../runtime/kafka/kafka-client.js';
import { builtinPlugins } from '../../../runtime/plugins/builtin-plugins.js';
import { ConfigStore } from '../../../runtime/stores/config-store.js';
import { InMemoryCompactedTopic } from '../../../runtime/stores/memory/in-memory-compacted-topic.js';
import { InMemoryTopicLog } from '../../../runtime/stores/memory/in-memory-topic-log.js';
import { OffsetStore } from '../../../runtime/stores/offset-store.js';
import { StatusStore } from '../../../runtime/stores/status-store.js';
import type { Worker } from '../../../runtime/worker/worker.js';
import { until } from '../../helpers/until.js';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A Worker whose every operation resolves at once, or hangs while `hang` is set. */
function standInWorker(state: { hang: boolean }): Worker {
  const op = async () => {
    if (state.hang) await new Promise(() => undefined);
    return [];
  };
  return {
    stopAllTasksOf: op, stopConnector: op, reportStopped: () => undefined, ensureConnector: op,
    connectorTaskConfigs: async () => undefined, syncTasks: op, restartTask: op, stopAll: op,
  } as unknown as Worker;
}

async function control(configLog = new InMemoryTopicLog(), healthCheckTimeoutMs = 10_000) {
  const configs = new ConfigStore(new InMemoryCompactedTopic(configLog));
  const statuses = new StatusStore(new InMemoryCompactedTopic());
  const offsets = new OffsetStore(new InMemoryCompactedTopic());
  await Promise.all([configs.start(), statuses.start(), offsets.start()]);
  const worker = { hang: false };
  const loggerLevels = new LoggerLevels();
  const wc = new WorkerControl({
    configs, statuses, offsets, worker: standInWorker(worker), plugins: builtinPlugins(), logger: silent, loggerLevels,
    admin: {} as TopicAdmin, healthCheckTimeoutMs,
    serverInfo: { version: '0', commit: 'x', kafka_cluster_id: 'c' },
  });
  await wc.start();
  return { wc, configs, worker, loggerLevels };
}

describe('WorkerControl.health', () => {
  it('is healthy while its command queue answers, and unhealthy once a command hangs', async () => {
    const { wc, worker } = await control(new InMemoryTopicLog(), 50);
    expect((await wc.health()).status).toBe('healthy');
    worker.hang = true;
    wc.requestReconfiguration('gone');
    expect(await wc.health()).toEqual({
      status: 'unhealthy', message: 'Worker was unable to handle this request and may be unable to handle other requests.',
    });
  });
});

describe('cluster-wide log levels', () => {
  it('are applied when read back from the config topic, whichever worker wrote them', async () => {
    const log = new InMemoryTopicLog();
    const { wc } = await control(log);
    await wc.setClusterLoggerLevel('org.apache.kafka.connect', 'DEBUG');
    expect(await wc.loggerLevel('org.apache.kafka.connect')).toEqual({ level: 'DEBUG', last_modified: expect.any(Number) });

    const other = new ConfigStore(new InMemoryCompactedTopic(log));
    await other.start();
    await other.putLoggerLevel('org.apache.kafka.connect', 'trace');
    await until(async () => (await wc.loggerLevel('org.apache.kafka.connect'))?.level === 'TRACE', { what: 'the level written by another worker' });
  });

  it('ignore a stored level log4j does not know', async () => {
    const { wc, configs } = await control();
    await configs.putLoggerLevel('a.b', 'LOUD');
    expect(await wc.loggerLevel('a.b')).toBeNull();
  });
});

describe('WorkerControl.taskConfigs', () => {
  it('lists the committed task configs keyed {c}-{n}, and 404s an unknown connector', async () => {
    const { wc, configs } = await control();
    await configs.putConnectorConfig('c', { 'connector.class': 'FileStreamSink', topics: 't', name: 'c' });
    await configs.putTaskConfigs('c', [{ 'task.class': 'T', topics: 't' }, { 'task.class': 'T', topics: 'u' }]);
    expect(await wc.taskConfigs('c')).toEqual({ 'c-0': { 'task.class': 'T', topics: 't' }, 'c-1': { 'task.class': 'T', topics: 'u' } });
    await expect(wc.taskConfigs('nope')).rejects.toThrow('Connector nope not found');
  });
});

describe('WorkerControl in distributed mode', () => {
  /** A Worker that records which connector instances and task ids it was told to run. */
  function recordingWorker() {
    const connectors = new Set<string>();
    const tasks = new Map<string, number[]>();
    const worker = {
      ensureConnector: async (name: string) => { connectors.add(name); },
      stopConnector: async (name: string) => { connectors.delete(name); },
      connectorTaskConfigs: async () => undefined,
      syncTasks: async (name: string, _p: unknown, _c: unknown, configs: ReadonlyMap<number, unknown>) => {
        const before = tasks.get(name) ?? [];
        tasks.set(name, [...configs.keys()].sort());
        return before.filter((t) => !configs.has(t));
      },
      stopAllTasksOf: async (name: string) => { const ids = tasks.get(name) ?? []; tasks.delete(name); return ids; },
      stopAll: async () => { connectors.clear(); tasks.clear(); },
      connectorNames: () => [...connectors],
      reportStopped: () => undefined, restartTask: async () => false, forgetConnector: () => undefined,
    } as unknown as Worker;
    return { worker, connectors, tasks };
  }

  async function distributed(isLeader: boolean) {
    const configs = new ConfigStore(new InMemoryCompactedTopic());
    const statuses = new StatusStore(new InMemoryCompactedTopic());
    const offsets = new OffsetStore(new InMemoryCompactedTopic());
    await Promise.all([configs.start(), statuses.start(), offsets.start()]);
    const recorded = recordingWorker();
    let rejoins = 0;
    const wc = new WorkerControl({
      configs, statuses, offsets, worker: recorded.worker, plugins: builtinPlugins(), logger: silent, admin: {} as TopicAdmin,
      serverInfo: { version: '0', commit: 'x', kafka_cluster_id: 'c' },
      distributed: { onWorkChanged: () => { rejoins++; }, isLeader: () => isLeader },
    });
    await wc.start();
    const sink = { 'connector.class': 'FileStreamSink', topics: 't', file: '/dev/null', name: 'c', 'tasks.max': '3' };
    await configs.putConnectorConfig('c', sink);
    await configs.putTaskConfigs('c', [{ n: '0' }, { n: '1' }, { n: '2' }]);
    await wc.idle();
    return { wc, statuses, ...recorded, rejoins: () => rejoins };
  }

  it('runs nothing before its first assignment, then exactly the connectors and tasks assigned to it', async () => {
    const { wc, connectors, tasks } = await distributed(false);
    expect([...connectors]).toEqual([]);
    expect(tasks.get('c') ?? []).toEqual([]);
    await wc.setAssignment({ connectors: [], tasks: [{ connector: 'c', task: 0 }, { connector: 'c', task: 2 }] });
    expect([...connectors]).toEqual([]);
    expect(tasks.get('c')).toEqual([0, 2]);
    await wc.setAssignment({ connectors: ['c'], tasks: [{ connector: 'c', task: 2 }] });
    expect([...connectors]).toEqual(['c']);
    expect(tasks.get('c')).toEqual([2]);
  });

  it('keeps the status of a task that moved to another worker', async () => {
    const { wc, statuses } = await distributed(false);
    await wc.setAssignment({ connectors: [], tasks: [{ connector: 'c', task: 1 }] });
    await statuses.put({ connector: 'c', task: 1, state: 'RUNNING', trace: null, workerId: 'other:8083', generation: 2 });
    await statuses.readToEnd();
    await wc.setAssignment({ connectors: [], tasks: [] });
    await statuses.readToEnd();
    expect(statuses.getTask({ connector: 'c', task: 1 })?.workerId).toBe('other:8083');
  });

  it('stops everything at once when the membership is lost', async () => {
    const { wc, connectors, tasks } = await distributed(false);
    await wc.setAssignment({ connectors: ['c'], tasks: [{ connector: 'c', task: 0 }] });
    await wc.dropAll();
    expect([...connectors]).toEqual([]);
    expect(tasks.size).toBe(0);
  });

  it('asks for a rebalance when it leads and connectors or task sets change, and not when it follows', async () => {
    expect((await distributed(true)).rejoins()).toBeGreaterThanOrEqual(2);
    expect((await distributed(false)).rejoins()).toBe(0);
  });
});
