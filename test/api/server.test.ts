import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiServer, startApiServer } from '../../api/server.js';
import { SINK_CONFIG } from './api-harness.js';
import { FakeControl } from './fake-control.js';

const app = buildApiServer({ control: new FakeControl(), workerId: 'w1:8083' });
let base = '';

beforeAll(async () => {
  const port = await startApiServer(app, { host: '127.0.0.1', port: 0 });
  expect(port).toBeGreaterThan(0);
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await app.close();
});

describe('startApiServer', () => {
  it('serves the REST API over HTTP on the port it reports', async () => {
    const created = await fetch(`${base}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ name: 'over-http', config: SINK_CONFIG }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${base}/connectors/over-http`);
    expect(await created.json()).toMatchObject({ name: 'over-http', type: 'sink' });

    const listed = await fetch(`${base}/connectors?expand=status`);
    expect(await listed.json()).toMatchObject({ 'over-http': { status: { connector: { state: 'RUNNING' } } } });

    const paused = await fetch(`${base}/connectors/over-http/pause`, { method: 'PUT' });
    expect(paused.status).toBe(202);
    expect(await paused.text()).toBe('');

    const missing = await fetch(`${base}/connectors/nope`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await missing.json()).toEqual({ error_code: 404, message: 'Connector nope not found' });
  });
});
