/**
 * The console's holistic connector state and summary (console/src/api/connector-summary.ts): a
 * RUNNING connector whose tasks failed must not look healthy, and failures sort first.
 */
import { describe, expect, it } from 'vitest';
import { compareBySeverity, configuredTopics, holisticState, shortClass, summarize } from '../../../console/src/api/connector-summary.js';
import type { ConnectorStatus, TaskStatus, WorkerState } from '../../../console/src/api/types.js';
import { applyFilters } from '../../../console/src/pages/overview/overview-filters.js';

const task = (id: number, state: WorkerState): TaskStatus => ({ id, state, worker_id: 'w1:8083' });
const status = (state: WorkerState, tasks: TaskStatus[]): ConnectorStatus => ({
  name: 'c', type: 'sink', connector: { state, worker_id: 'w1:8083' }, tasks,
});

describe('holisticState', () => {
  it('folds connector and task states as the overview shows them', () => {
    expect(holisticState(status('RUNNING', [task(0, 'RUNNING'), task(1, 'RUNNING')]))).toEqual({ state: 'HEALTHY', reason: 'All 2 tasks running' });
    expect(holisticState(status('RUNNING', [task(0, 'RUNNING'), task(1, 'FAILED')]))).toEqual({ state: 'DEGRADED', reason: '1 of 2 tasks failed' });
    expect(holisticState(status('RUNNING', [task(0, 'FAILED'), task(1, 'FAILED')]))).toEqual({ state: 'UNHEALTHY', reason: 'All 2 tasks failed' });
    expect(holisticState(status('RUNNING', []))).toEqual({ state: 'UNHEALTHY', reason: 'Running with no tasks' });
    expect(holisticState(status('FAILED', [task(0, 'RUNNING')])).state).toBe('UNHEALTHY');
    expect(holisticState(status('PAUSED', [task(0, 'PAUSED')])).state).toBe('PAUSED');
    expect(holisticState(status('STOPPED', [])).state).toBe('STOPPED');
    expect(holisticState(status('RUNNING', [task(0, 'RUNNING'), task(1, 'UNASSIGNED')])).state).toBe('UNASSIGNED');
    expect(holisticState(status('RUNNING', [task(0, 'RESTARTING')])).state).toBe('RESTARTING');
    expect(holisticState(undefined).state).toBe('UNKNOWN');
  });

  it('sorts unhealthy, then degraded, before healthy connectors, by name within a state', () => {
    const list = [
      summarize('b-ok', { status: status('RUNNING', [task(0, 'RUNNING')]) }),
      summarize('z-broken', { status: status('FAILED', []) }),
      summarize('a-ok', { status: status('RUNNING', [task(0, 'RUNNING')]) }),
      summarize('m-half', { status: status('RUNNING', [task(0, 'RUNNING'), task(1, 'FAILED')]) }),
      summarize('p-paused', { status: status('PAUSED', [task(0, 'PAUSED')]) }),
    ].sort(compareBySeverity);
    expect(list.map((s) => s.name)).toEqual(['z-broken', 'm-half', 'p-paused', 'a-ok', 'b-ok']);
  });
});

describe('summarize', () => {
  it('counts tasks, names the worker, the short class and the configured topics', () => {
    const summary = summarize('orders-out', {
      status: status('RUNNING', [task(0, 'RUNNING'), task(1, 'FAILED'), task(2, 'RUNNING')]),
      info: { name: 'orders-out', type: 'sink', tasks: [], config: { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector', topics: 'a, b,c' } },
    });
    expect(summary).toMatchObject({ tasksTotal: 3, tasksRunning: 2, tasksFailed: 1, workerId: 'w1:8083', topics: ['a', 'b', 'c'], topicsRegex: null, type: 'sink' });
    expect(shortClass(summary.className)).toBe('FileStreamSinkConnector');
    expect(shortClass('FileStreamSink')).toBe('FileStreamSink');
    expect(configuredTopics({ name: 'x', type: 'sink', tasks: [], config: { 'topics.regex': 'shop\\..*' } })).toEqual({ topics: [], regex: 'shop\\..*' });
  });
});

describe('overview search', () => {
  const list = [
    summarize('orders-out', { info: { name: 'orders-out', type: 'sink', tasks: [], config: { 'connector.class': 'FileStreamSink', topics: 'orders', 'value.converter': 'io.confluent.connect.avro.AvroConverter' } } }),
    summarize('users-in', { info: { name: 'users-in', type: 'source', tasks: [], config: { 'connector.class': 'io.debezium.connector.mysql.MySqlConnector', 'topic.prefix': 'shop' } } }),
  ];
  const names = (q: string) => applyFilters(list, { q, state: '', type: '' }).map((s) => s.name);

  it('matches the name or the class, and key=value against the config', () => {
    expect(names('orders')).toEqual(['orders-out']);
    expect(names('mysql')).toEqual(['users-in']);
    expect(names('value.converter=avro')).toEqual(['orders-out']);
    expect(names('topic.prefix=SHOP')).toEqual(['users-in']);
    expect(names('topics=users')).toEqual([]);
    expect(names('')).toEqual(['orders-out', 'users-in']);
  });
});
