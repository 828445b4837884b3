import type { FastifyInstance } from 'fastify';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApiServer } from '../../../api/server.js';
import { createApiHarness, SINK_CONFIG } from '../api-harness.js';
import { FakeControl } from '../fake-control.js';

const api = createApiHarness();
const opened: FastifyInstance[] = [];

beforeEach(async () => {
  api.control.reset();
  expect((await api.send('POST', '/connectors', { name: 'c', config: SINK_CONFIG })).status).toBe(201);
});

afterAll(async () => {
  await Promise.all([api.app, ...opened].map((app) => app.close()));
});

async function serverWith(topicTracking: { enabled: boolean; allowReset: boolean }) {
  const control = new FakeControl();
  const app = buildApiServer({ control, topicTracking });
  opened.push(app);
  await control.createConnector('c', { ...SINK_CONFIG, name: 'c' });
  control.setActiveTopics('c', ['t']);
  return async (method: 'GET' | 'PUT', url: string) => {
    const res = await app.inject({ method, url });
    return { status: res.statusCode, json: res.body === '' ? undefined : (JSON.parse(res.body) as unknown) };
  };
}

describe('GET /connectors/{c}/topics', () => {
  it('answers with the topics the connector used, keyed by connector name', async () => {
    api.control.setActiveTopics('c', ['t2', 't1']);
    const res = await api.send('GET', '/connectors/c/topics');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ c: { topics: ['t1', 't2'] } });
  });

  it('answers with an empty list, not 404, for an unknown connector', async () => {
    const res = await api.send('GET', '/connectors/nope/topics');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ nope: { topics: [] } });
  });

  it('answers 403 when topic tracking is disabled', async () => {
    const send = await serverWith({ enabled: false, allowReset: true });
    expect(await send('GET', '/connectors/c/topics')).toEqual({ status: 403, json: { error_code: 403, message: 'Topic tracking is disabled.' } });
  });
});

describe('PUT /connectors/{c}/topics/reset', () => {
  it('answers 202 with no body and forgets the connector\'s topics', async () => {
    api.control.setActiveTopics('c', ['t1']);
    const res = await api.send('PUT', '/connectors/c/topics/reset');
    expect(res.status).toBe(202);
    expect(res.text).toBe('');
    expect((await api.send('GET', '/connectors/c/topics')).json).toEqual({ c: { topics: [] } });
  });

  it('answers 403 when topic tracking is disabled', async () => {
    const send = await serverWith({ enabled: false, allowReset: true });
    expect(await send('PUT', '/connectors/c/topics/reset')).toEqual({ status: 403, json: { error_code: 403, message: 'Topic tracking is disabled.' } });
  });

  it('answers 403 and keeps the topics when resets are not allowed', async () => {
    const send = await serverWith({ enabled: true, allowReset: false });
    expect(await send('PUT', '/connectors/c/topics/reset')).toEqual({
      status: 403, json: { error_code: 403, message: 'Topic tracking reset is disabled.' },
    });
    expect(await send('GET', '/connectors/c/topics')).toEqual({ status: 200, json: { c: { topics: ['t'] } } });
  });
});

describe('GET /connectors/{c}/tasks-config', () => {
  it('answers with task configs keyed by task id', async () => {
    const res = await api.send('GET', '/connectors/c/tasks-config');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      'c-0': { 'task.class': 'FileSinkTask', 'task.index': '0' },
      'c-1': { 'task.class': 'FileSinkTask', 'task.index': '1' },
    });
  });

  it('answers 404 for an unknown connector', async () => {
    const res = await api.send('GET', '/connectors/nope/tasks-config');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error_code: 404, message: 'Connector nope not found' });
  });
});

describe('POST /connectors/{c}/tasks (internal)', () => {
  it('hands the task configs a follower sent to the control and answers 204 with no body', async () => {
    const res = await api.send('POST', '/connectors/c/tasks', [{ 'task.class': 'T', topics: 'a' }, { 'task.class': 'T', topics: 'b' }]);
    expect(res.status).toBe(204);
    expect(res.json).toBeUndefined();
    expect(api.control.taskConfigWrites.get('c')).toEqual([{ 'task.class': 'T', topics: 'a' }, { 'task.class': 'T', topics: 'b' }]);
  });

  it('answers 404 for an unknown connector and 400 for a body that is not a list of maps', async () => {
    expect((await api.send('POST', '/connectors/nope/tasks', [])).status).toBe(404);
    expect((await api.send('POST', '/connectors/c/tasks', { 'task.class': 'T' })).status).toBe(400);
    expect((await api.send('POST', '/connectors/c/tasks', ['task.class=T'])).status).toBe(400);
  });
});
