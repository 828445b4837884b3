import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installLeaderForwarding, isForwardedWrite } from '../../../api/plugins/leader-forwarding.js';

let leader: FastifyInstance;
let leaderUrl: string;
const seen: { url: string; authorization: string | undefined; body: unknown }[] = [];

function follower(url: () => string | null): FastifyInstance {
  const app = Fastify();
  installLeaderForwarding(app, { leaderUrl: url });
  app.post('/connectors', async (_request, reply) => reply.code(500).send({ error_code: 500, message: 'answered by the follower' }));
  app.get('/connectors', async () => ['local']);
  app.put('/connectors/:name/pause', async (_request, reply) => reply.code(202).send());
  app.delete('/connectors/:name', async (_request, reply) => reply.code(500).send({ error_code: 500, message: 'answered by the follower' }));
  return app;
}

beforeAll(async () => {
  leader = Fastify();
  leader.post('/connectors', async (request, reply) => {
    seen.push({ url: request.url, authorization: request.headers.authorization, body: request.body });
    return reply.code(201).send({ name: 'made-by-leader' });
  });
  leader.delete('/connectors/:name', async (request, reply) => {
    seen.push({ url: request.url, authorization: request.headers.authorization, body: undefined });
    return reply.code(404).send({ error_code: 404, message: 'Connector gone not found' });
  });
  await leader.listen({ host: '127.0.0.1', port: 0 });
  leaderUrl = `http://127.0.0.1:${(leader.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await leader.close();
});

describe('forwarding config writes to the leader', () => {
  it('answers a write on a follower with the leader\'s status and body, passing the client\'s credentials along', async () => {
    const app = follower(() => leaderUrl);
    const res = await app.inject({
      method: 'POST', url: '/connectors?expand=x', headers: { authorization: 'Bearer abc' }, payload: { name: 'c', config: { a: '1' } },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ name: 'made-by-leader' });
    expect(seen.at(-1)).toEqual({ url: '/connectors?expand=x&forward=true', authorization: 'Bearer abc', body: { name: 'c', config: { a: '1' } } });
    const missing = await app.inject({ method: 'DELETE', url: '/connectors/gone' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error_code: 404, message: 'Connector gone not found' });
  });

  it('handles writes itself on the leader, the last hop of a forward, and reads, pause and resume on any worker', async () => {
    const app = follower(() => leaderUrl);
    expect((await app.inject({ method: 'GET', url: '/connectors' })).json()).toEqual(['local']);
    expect((await app.inject({ method: 'PUT', url: '/connectors/c/pause' })).statusCode).toBe(202);
    const lastHop = await app.inject({ method: 'POST', url: '/connectors?forward=false', payload: {} });
    expect(lastHop.json().message).toBe('answered by the follower');
    const self = follower(() => null);
    expect((await self.inject({ method: 'POST', url: '/connectors', payload: {} })).json().message).toBe('answered by the follower');
  });

  it('answers 409 while no leader is known, and when a forwarded write reaches a worker that is not the leader', async () => {
    const app = follower(() => '');
    const res = await app.inject({ method: 'POST', url: '/connectors', payload: {} });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toMatch(/no known leader URL/);
    const twice = await follower(() => leaderUrl).inject({ method: 'POST', url: '/connectors?forward=true', payload: {} });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().message).toMatch(/conflicting operation/);
  });

  it('answers 500 naming the IO error when the leader cannot be reached', async () => {
    const res = await follower(() => 'http://127.0.0.1:1').inject({ method: 'POST', url: '/connectors', payload: {} });
    expect(res.statusCode).toBe(500);
    expect(res.json().message).toMatch(/^IO Error trying to forward REST request: /);
  });

  it('treats connector writes as leader writes, but not plugin validation or logger changes', () => {
    expect(isForwardedWrite('PUT', '/connectors/c/config')).toBe(true);
    expect(isForwardedWrite('PUT', '/connectors/c/stop')).toBe(true);
    expect(isForwardedWrite('DELETE', '/connectors/c/offsets')).toBe(true);
    expect(isForwardedWrite('PUT', '/connectors/c/fence')).toBe(true);
    expect(isForwardedWrite('POST', '/connectors/c/tasks')).toBe(true);
    expect(isForwardedWrite('PUT', '/connectors/c/resume')).toBe(false);
    expect(isForwardedWrite('PUT', '/connector-plugins/x/config/validate')).toBe(false);
    expect(isForwardedWrite('PUT', '/admin/loggers/root')).toBe(false);
    expect(isForwardedWrite('GET', '/connectors/c/status')).toBe(false);
  });
});
