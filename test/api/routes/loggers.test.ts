import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiHarness } from '../api-harness.js';
import { LOGGER_CLOCK } from '../fake-control.js';

const api = createApiHarness();

beforeEach(() => {
  api.control.reset();
});

afterAll(async () => {
  await api.app.close();
});

describe('GET /admin/loggers', () => {
  it('answers with the root logger\'s level and no modification time before any change', async () => {
    const res = await api.send('GET', '/admin/loggers');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ root: { level: 'INFO', last_modified: null } });
  });

  it('lists a logger set through the API with the time of the change', async () => {
    await api.send('PUT', '/admin/loggers/org.apache.kafka.connect', { level: 'debug' });
    const res = await api.send('GET', '/admin/loggers');
    expect(res.json).toEqual({
      'org.apache.kafka.connect': { level: 'DEBUG', last_modified: LOGGER_CLOCK },
      root: { level: 'INFO', last_modified: null },
    });
  });
});

describe('GET /admin/loggers/{name}', () => {
  it('answers with the logger\'s level', async () => {
    const res = await api.send('GET', '/admin/loggers/root');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ level: 'INFO', last_modified: null });
  });

  it('answers 404 with Kafka\'s message for an unknown logger', async () => {
    const res = await api.send('GET', '/admin/loggers/org.example.Nope');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error_code: 404, message: 'Logger org.example.Nope not found.' });
  });
});

describe('PUT /admin/loggers/{name}', () => {
  it('sets the level on this worker and answers 200 with the affected loggers, sorted', async () => {
    await api.send('PUT', '/admin/loggers/org.apache.kafka.connect.runtime', { level: 'WARN' });
    const res = await api.send('PUT', '/admin/loggers/org.apache.kafka.connect', { level: 'TRACE' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual(['org.apache.kafka.connect', 'org.apache.kafka.connect.runtime']);
    expect((await api.send('GET', '/admin/loggers/org.apache.kafka.connect.runtime')).json).toEqual({ level: 'TRACE', last_modified: LOGGER_CLOCK });
  });

  it('treats an unknown scope as the worker scope', async () => {
    const res = await api.send('PUT', '/admin/loggers/root?scope=galaxy', { level: 'ERROR' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual(['root']);
    expect(api.control.clusterLoggerLevels).toEqual([]);
  });

  it('writes a cluster-wide level and answers 204 with no body for scope=cluster', async () => {
    const res = await api.send('PUT', '/admin/loggers/org.apache.kafka.connect?scope=CLUSTER', { level: 'debug' });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(api.control.clusterLoggerLevels).toEqual([{ namespace: 'org.apache.kafka.connect', level: 'debug' }]);
  });

  it.each([
    ['no level', { other: 'x' }],
    ['a null level', { level: null }],
    ['no body', undefined],
  ])('answers 400 with Kafka\'s message for %s', async (_what, body) => {
    const res = await api.send('PUT', '/admin/loggers/root', body);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error_code: 400, message: 'Desired \'level\' parameter was not specified in request.' });
  });

  it('answers 404 with Kafka\'s message for a level log4j does not know', async () => {
    const res = await api.send('PUT', '/admin/loggers/root?scope=cluster', { level: 'LOUD' });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error_code: 404, message: 'invalid log level \'LOUD\'.' });
    expect(api.control.clusterLoggerLevels).toEqual([]);
  });
});
