import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiHarness, SINK_CONFIG } from '../api-harness.js';
import { WORKER_ID } from '../fake-control.js';

const api = createApiHarness();

beforeEach(async () => {
  api.control.reset();
  const res = await api.send('POST', '/connectors', { name: 'c', config: SINK_CONFIG });
  expect(res.status).toBe(201);
});

afterAll(async () => {
  await api.app.close();
});

const running = (id: number) => ({ id, state: 'RUNNING', worker_id: WORKER_ID });

describe('GET /connectors/{c}/status', () => {
  it('answers with connector and task states', async () => {
    const res = await api.send('GET', '/connectors/c/status');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      name: 'c',
      connector: { state: 'RUNNING', worker_id: WORKER_ID },
      tasks: [running(0), running(1)],
      type: 'sink',
    });
  });

  it('includes the trace of a failed task', async () => {
    api.control.failTask('c', 0, 'trace text');
    const res = await api.send('GET', '/connectors/c/status');
    expect((res.json as { tasks: unknown[] }).tasks[0]).toEqual({ id: 0, state: 'FAILED', worker_id: WORKER_ID, trace: 'trace text' });
  });

  it('answers 404 with Kafka\'s message for an unknown connector', async () => {
    const res = await api.send('GET', '/connectors/nope/status');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error_code: 404, message: 'No status found for connector nope' });
  });
});

describe('GET /connectors/{c}/tasks/{n}/status', () => {
  it('answers with the task state', async () => {
    const res = await api.send('GET', '/connectors/c/tasks/1/status');
    expect(res.status).toBe(200);
    expect(res.json).toEqual(running(1));
  });

  it('answers 404 with Kafka\'s message for an unknown task', async () => {
    const res = await api.send('GET', '/connectors/c/tasks/7/status');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error_code: 404, message: 'No status found for task c-7' });
  });

  it('answers 404 Not Found when the task number is not an integer', async () => {
    const res = await api.send('GET', '/connectors/c/tasks/abc/status');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error_code: 404, message: 'HTTP 404 Not Found' });
  });
});

describe('GET /connectors/{c}/tasks', () => {
  it('answers with task ids and configs', async () => {
    const res = await api.send('GET', '/connectors/c/tasks');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { id: { connector: 'c', task: 0 }, config: { 'task.class': 'FileSinkTask', 'task.index': '0' } },
      { id: { connector: 'c', task: 1 }, config: { 'task.class': 'FileSinkTask', 'task.index': '1' } },
    ]);
  });

  it('answers 404 for an unknown connector', async () => {
    const res = await api.send('GET', '/connectors/nope/tasks');
    expect(res.json).toEqual({ error_code: 404, message: 'Connector nope not found' });
  });
});

describe('POST /connectors/{c}/restart', () => {
  it('answers 204 with no body for the legacy restart', async () => {
    const res = await api.send('POST', '/connectors/c/restart');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
  });

  it('treats explicit false flags as the legacy restart', async () => {
    const res = await api.send('POST', '/connectors/c/restart?includeTasks=false&onlyFailed=false');
    expect(res.status).toBe(204);
  });

  it('answers 202 with the preview when includeTasks is true', async () => {
    const res = await api.send('POST', '/connectors/c/restart?includeTasks=true');
    expect(res.status).toBe(202);
    expect(res.json).toEqual({
      name: 'c',
      connector: { state: 'RESTARTING', worker_id: WORKER_ID },
      tasks: [
        { id: 0, state: 'RESTARTING', worker_id: WORKER_ID },
        { id: 1, state: 'RESTARTING', worker_id: WORKER_ID },
      ],
      type: 'sink',
    });
  });

  it('restarts only failed instances with includeTasks and onlyFailed', async () => {
    api.control.failTask('c', 1, 'boom');
    const res = await api.send('POST', '/connectors/c/restart?includeTasks=TRUE&onlyFailed=true');
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({
      connector: { state: 'RUNNING' },
      tasks: [{ id: 0, state: 'RUNNING' }, { id: 1, state: 'RESTARTING' }],
    });
  });

  it('reads a flag that is not "true" as false, as Java does', async () => {
    const res = await api.send('POST', '/connectors/c/restart?includeTasks=yes');
    expect(res.status).toBe(204);
  });

  it('answers 404 for an unknown connector', async () => {
    const res = await api.send('POST', '/connectors/nope/restart?includeTasks=true');
    expect(res.json).toEqual({ error_code: 404, message: 'Connector nope not found' });
  });
});

describe('POST /connectors/{c}/tasks/{n}/restart', () => {
  it('restarts the task with 204', async () => {
    api.control.failTask('c', 0, 'boom');
    const res = await api.send('POST', '/connectors/c/tasks/0/restart');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await api.send('GET', '/connectors/c/tasks/0/status')).json).toEqual(running(0));
  });

  it('answers 404 for an unknown task', async () => {
    const res = await api.send('POST', '/connectors/c/tasks/9/restart');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error_code: 404, message: 'Unknown task: c-9' });
  });

  it('answers 404 for an unknown connector', async () => {
    const res = await api.send('POST', '/connectors/nope/tasks/0/restart');
    expect(res.json).toEqual({ error_code: 404, message: 'Connector nope not found' });
  });
});

describe('pause, resume and stop', () => {
  it('pauses with 202 and no body', async () => {
    const res = await api.send('PUT', '/connectors/c/pause');
    expect(res.status).toBe(202);
    expect(res.text).toBe('');
    expect((await api.send('GET', '/connectors/c/status')).json).toMatchObject({ connector: { state: 'PAUSED' } });
  });

  it('resumes with 202 and no body', async () => {
    await api.send('PUT', '/connectors/c/pause');
    const res = await api.send('PUT', '/connectors/c/resume');
    expect(res.status).toBe(202);
    expect(res.text).toBe('');
    expect((await api.send('GET', '/connectors/c/status')).json).toMatchObject({ connector: { state: 'RUNNING' } });
  });

  it('stops with 204 and no body', async () => {
    const res = await api.send('PUT', '/connectors/c/stop');
    expect(res.status).toBe(204);
    expect((await api.send('GET', '/connectors/c/status')).json).toMatchObject({ connector: { state: 'STOPPED' }, tasks: [] });
  });

  it('accepts an empty body sent with a JSON content type', async () => {
    const res = await api.sendRaw('PUT', '/connectors/c/pause', '', 'application/json');
    expect(res.status).toBe(202);
  });

  it.each(['pause', 'resume', 'stop'])('answers 404 to %s for an unknown connector', async (operation) => {
    const res = await api.send('PUT', `/connectors/nope/${operation}`);
    expect(res.json).toEqual({ error_code: 404, message: 'Connector nope not found' });
  });
});
