import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { NotLeaderError, RebalanceInProgressError, RequestTimeoutError } from '../../../runtime/errors.js';
import { createApiHarness, SINK_CONFIG } from '../api-harness.js';

const api = createApiHarness();

beforeEach(() => {
  api.control.reset();
});

afterAll(async () => {
  await api.app.close();
});

describe('unknown routes and methods', () => {
  it('answers an unknown path with Jersey\'s 404 body', async () => {
    const res = await api.send('GET', '/no/such/path');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error_code: 404, message: 'HTTP 404 Not Found' });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  it('answers a known path with the wrong method with 405 and an Allow header', async () => {
    const res = await api.send('DELETE', '/connectors');
    expect(res.status).toBe(405);
    expect(res.json).toEqual({ error_code: 405, message: 'HTTP 405 Method Not Allowed' });
    expect(res.headers.allow).toBe('GET, HEAD, POST');
  });

  it('answers 405 on a parameterised path too', async () => {
    const res = await api.send('POST', '/connectors/some-connector');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, DELETE');
  });

  it('answers HEAD on a GET route', async () => {
    const res = await api.send('HEAD', '/connectors');
    expect(res.status).toBe(200);
  });
});

describe('request bodies', () => {
  it('answers unparseable JSON with 500 and the parser\'s message, as Kafka Connect does', async () => {
    const res = await api.sendRaw('POST', '/connectors', '{"name": "x", "config": {', 'application/json');
    expect(res.status).toBe(500);
    const body = res.json as { error_code: number; message: string };
    expect(body.error_code).toBe(500);
    expect(body.message).toMatch(/^Cannot parse the request body as JSON: /);
  });

  it('refuses a body carrying a __proto__ key', async () => {
    const res = await api.sendRaw('PUT', '/connectors/x/config', '{"__proto__": {"polluted": "yes"}}', 'application/json');
    expect(res.status).toBe(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers a body that is not JSON with 415', async () => {
    const res = await api.sendRaw('POST', '/connectors', 'name=x', 'text/plain');
    expect(res.status).toBe(415);
    expect(res.json).toEqual({ error_code: 415, message: 'HTTP 415 Unsupported Media Type' });
  });

  it('accepts a JSON content type with parameters', async () => {
    const res = await api.sendRaw('POST', '/connectors', JSON.stringify({ name: 'x', config: SINK_CONFIG }), 'application/json; charset=utf-8');
    expect(res.status).toBe(201);
  });

  it('answers an empty body where one is required with 400', async () => {
    const res = await api.sendRaw('POST', '/connectors', '', 'application/json');
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error_code: 400, message: 'body must be object' });
  });
});

describe('errors from the cluster', () => {
  it('answers 409 when no leader is known', async () => {
    api.control.failNextCall(new NotLeaderError(null));
    const res = await api.send('POST', '/connectors', { name: 'x', config: SINK_CONFIG });
    expect(res.status).toBe(409);
    expect(res.json).toEqual({
      error_code: 409,
      message: 'Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.',
    });
  });

  it('answers 409 when a rebalance is pending', async () => {
    api.control.failNextCall(new RebalanceInProgressError());
    const res = await api.send('DELETE', '/connectors/x');
    expect(res.status).toBe(409);
    expect((res.json as { error_code: number }).error_code).toBe(409);
  });

  it('answers 500 naming the stage when a request times out', async () => {
    api.control.failNextCall(new RequestTimeoutError('writing to the config topic'));
    const res = await api.send('GET', '/connectors/x');
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error_code: 500, message: 'Request timed out. The worker is currently writing to the config topic' });
  });

  it('answers 500 with the message of an unexpected error', async () => {
    api.control.failNextCall(new Error('disk on fire'));
    const res = await api.send('GET', '/connectors');
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error_code: 500, message: 'disk on fire' });
  });

  it('answers 500 for something thrown that is not an Error', async () => {
    api.control.failNextCall('plain string');
    const res = await api.send('GET', '/');
    expect(res.json).toEqual({ error_code: 500, message: 'plain string' });
  });
});

describe('query validation', () => {
  it('answers a repeated single-valued query parameter with 400 naming it', async () => {
    const res = await api.send('POST', '/connectors/x/restart?includeTasks=true&includeTasks=false');
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error_code: 400, message: 'querystring/includeTasks must be string' });
  });
});
