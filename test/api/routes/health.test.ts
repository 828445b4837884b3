import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { HEALTHY, STARTING, UNHEALTHY } from '../../../runtime/control/worker-health.js';
import { createApiHarness } from '../api-harness.js';

const api = createApiHarness();

beforeEach(() => {
  api.control.reset();
});

afterAll(async () => {
  await api.app.close();
});

describe('GET /health', () => {
  it('answers 200 healthy once the worker has started', async () => {
    const res = await api.send('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' });
    expect(res.json).toEqual(HEALTHY);
  });

  it('answers 503 with a WorkerStatus body while the worker is starting', async () => {
    api.control.healthStatus = STARTING;
    const res = await api.send('GET', '/health');
    expect(res.status).toBe(503);
    expect(res.json).toEqual({ status: 'starting', message: 'Worker is still starting up.' });
  });

  it('answers 500 with a WorkerStatus body when the worker does not answer in time', async () => {
    api.control.healthStatus = UNHEALTHY;
    const res = await api.send('GET', '/health');
    expect(res.status).toBe(500);
    expect(res.json).toEqual({
      status: 'unhealthy', message: 'Worker was unable to handle this request and may be unable to handle other requests.',
    });
  });

  it('answers 500 with an ErrorMessage when the check itself fails', async () => {
    api.control.failNextCall(new Error('boom'));
    const res = await api.send('GET', '/health');
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error_code: 500, message: 'boom' });
  });
});
