import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseBearerTokens } from '../../../api/security/bearer-tokens-file.js';
import { parseCredentials } from '../../../api/security/credentials-file.js';
import type { ApiSecurityOptions } from '../../../api/security/api-security.js';
import { InterWorkerAuth } from '../../../api/security/inter-worker-auth.js';
import { buildApiServer, startApiServer } from '../../../api/server.js';
import { Password } from '../../../connectors/sdk/config/password.js';
import { SINK_CONFIG } from '../api-harness.js';
import { FakeControl } from '../fake-control.js';

const USERS = 'alice: wonder-land\nbob=builder\n';
const TOKENS = 'ci: ci-token-1234\nAbCdEf0123456789-._~+/==\n';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function serve(auth: NonNullable<ApiSecurityOptions['auth']>, logLines?: string[]): Promise<string> {
  const logger = logLines
    ? pino({ level: 'trace' }, new Writable({ write(chunk, _enc, done) { logLines.push(String(chunk)); done(); } }))
    : undefined;
  const app = buildApiServer({ control: new FakeControl(), security: { auth }, ...(logger ? { logger } : {}) });
  closers.push(() => app.close());
  const port = await startApiServer(app, { host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${port}`;
}

describe('basic authentication', () => {
  it('answers 401 with a Basic challenge and Kafka\'s error body when credentials are missing', async () => {
    const base = await serve({ basic: parseCredentials(USERS) });
    const res = await fetch(`${base}/connectors`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="ferry", charset="UTF-8"');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error_code: 401, message: 'User cannot access the resource.' });
  });

  it('rejects a wrong password, an unknown user and a malformed header alike', async () => {
    const base = await serve({ basic: parseCredentials(USERS) });
    for (const authorization of [basic('alice', 'wonder'), basic('mallory', 'wonder-land'), 'Basic !!!', 'Basic', basic('', 'builder')]) {
      const res = await fetch(`${base}/connectors`, { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
    }
  });

  it('serves users from either "user: password" or "user=password" lines, for reads and writes', async () => {
    const base = await serve({ basic: parseCredentials(USERS) });
    const listed = await fetch(`${base}/connectors`, { headers: { authorization: basic('alice', 'wonder-land') } });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toEqual([]);

    const created = await fetch(`${base}/connectors`, {
      method: 'POST',
      headers: { authorization: basic('bob', 'builder'), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'secured', config: SINK_CONFIG }),
    });
    expect(created.status).toBe(201);
  });

  it('accepts the scheme name in any case', async () => {
    const base = await serve({ basic: parseCredentials(USERS) });
    const res = await fetch(`${base}/`, { headers: { authorization: basic('alice', 'wonder-land').replace('Basic', 'bAsIc') } });
    expect(res.status).toBe(200);
  });

  it('asks for credentials on unknown paths too, rather than revealing which paths exist', async () => {
    const base = await serve({ basic: parseCredentials(USERS) });
    expect((await fetch(`${base}/no/such/path`)).status).toBe(401);
    const known = await fetch(`${base}/no/such/path`, { headers: { authorization: basic('alice', 'wonder-land') } });
    expect(known.status).toBe(404);
  });

  it('names the configured realm in the challenge', async () => {
    const base = await serve({ basic: parseCredentials(USERS), realm: 'connect-prod' });
    const res = await fetch(`${base}/`);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="connect-prod", charset="UTF-8"');
  });
});

describe('requests let through without credentials', () => {
  it('lets CORS preflight requests through, since browsers send no credentials on them', async () => {
    const base = await serve({ basic: parseCredentials(USERS) });
    const preflight = await fetch(`${base}/connectors`, {
      method: 'OPTIONS', headers: { origin: 'https://ui.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).not.toBe(401);
    expect((await fetch(`${base}/connectors`, { method: 'OPTIONS' })).status).toBe(401);
  });

  it('lets through what the skip rule accepts, e.g. requests verified another way', async () => {
    const base = await serve({
      basic: parseCredentials(USERS),
      skip: (request) => request.method === 'POST' && request.headers['x-connect-authorization'] === 'signed',
    });
    const signed = await fetch(`${base}/connectors`, { method: 'POST', headers: { 'x-connect-authorization': 'signed', 'content-type': 'application/json' }, body: '{}' });
    expect(signed.status).toBe(400);
    const unsigned = await fetch(`${base}/connectors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unsigned.status).toBe(401);
  });
});

describe('bearer tokens', () => {
  it('accepts a listed token and rejects others with an invalid_token challenge', async () => {
    const base = await serve({ bearer: parseBearerTokens(TOKENS) });
    expect((await fetch(`${base}/`, { headers: { authorization: 'Bearer ci-token-1234' } })).status).toBe(200);
    expect((await fetch(`${base}/`, { headers: { authorization: 'Bearer AbCdEf0123456789-._~+/==' } })).status).toBe(200);

    const missing = await fetch(`${base}/`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="ferry"');

    const wrong = await fetch(`${base}/`, { headers: { authorization: 'Bearer ci-token-123' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer realm="ferry", error="invalid_token"');
    expect(await wrong.json()).toEqual({ error_code: 401, message: 'User cannot access the resource.' });
  });

  it('offers both challenges when basic and bearer are on, and takes either', async () => {
    const base = await serve({ basic: parseCredentials(USERS), bearer: parseBearerTokens(TOKENS) });
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="ferry", charset="UTF-8", Bearer realm="ferry"');
    expect((await fetch(`${base}/`, { headers: { authorization: 'Bearer ci-token-1234' } })).status).toBe(200);
    expect((await fetch(`${base}/`, { headers: { authorization: basic('bob', 'builder') } })).status).toBe(200);
  });

  it('does not take a bearer token as a basic password or the other way round', async () => {
    const base = await serve({ bearer: parseBearerTokens(TOKENS) });
    expect((await fetch(`${base}/`, { headers: { authorization: basic('ci', 'ci-token-1234') } })).status).toBe(401);
  });
});

describe('health check', () => {
  it('needs credentials by default, like every other path', async () => {
    const base = await serve({ basic: parseCredentials(USERS) });
    expect((await fetch(`${base}/health`)).status).toBe(401);
  });

  it('answers without credentials when anonymous health checks are allowed, and nothing else does', async () => {
    const base = await serve({ basic: parseCredentials(USERS), anonymousHealth: true });
    const anonymous = await fetch(`${base}/health`);
    const authenticated = await fetch(`${base}/health`, { headers: { authorization: basic('alice', 'wonder-land') } });
    expect(anonymous.status).not.toBe(401);
    expect(anonymous.status).toBe(authenticated.status);
    expect((await fetch(`${base}/health/..%2Fconnectors`)).status).toBe(401);
    expect((await fetch(`${base}/health`, { method: 'DELETE' })).status).toBe(401);
    expect((await fetch(`${base}/connectors`)).status).toBe(401);
  });
});

describe('secrets in logs', () => {
  it('never logs a password, a token or the Authorization header, even at trace level', async () => {
    const lines: string[] = [];
    const base = await serve({ basic: parseCredentials(USERS), bearer: parseBearerTokens(TOKENS) }, lines);
    const headers = [basic('alice', 'wonder-land'), basic('alice', 'wrong-secret'), 'Bearer ci-token-1234', 'Bearer guessed-token'];
    for (const authorization of headers) await fetch(`${base}/connectors`, { headers: { authorization } });
    const log = lines.join('');
    expect(log).toContain('request failed authentication');
    expect(log).toContain('basic:alice');
    for (const secret of ['wonder-land', 'wrong-secret', 'ci-token-1234', 'guessed-token', ...headers.map((h) => h.split(' ')[1]!)]) {
      expect(log).not.toContain(secret);
    }
  });
});

describe('InterWorkerAuth', () => {
  it('authenticates a worker\'s own requests with its configured credentials', async () => {
    const base = await serve({ basic: parseCredentials(USERS), bearer: parseBearerTokens(TOKENS) });
    const asBob = new InterWorkerAuth({ credentials: { scheme: 'basic', user: 'bob', password: new Password('builder') } });
    const asCi = new InterWorkerAuth({ credentials: { scheme: 'bearer', token: new Password('ci-token-1234') } });
    const anonymous = new InterWorkerAuth();
    expect((await fetch(`${base}/`, { headers: asBob.withAuthorization({ accept: 'application/json' }) })).status).toBe(200);
    expect((await fetch(`${base}/`, { headers: asCi.withAuthorization() })).status).toBe(200);
    expect((await fetch(`${base}/`, { headers: anonymous.withAuthorization() })).status).toBe(401);
  });

  it('forwards the client\'s own Authorization header in place of the worker\'s credentials', async () => {
    const base = await serve({ basic: parseCredentials(USERS) });
    const asBob = new InterWorkerAuth({ credentials: { scheme: 'basic', user: 'bob', password: new Password('builder') } });
    const rejected = await fetch(`${base}/`, { headers: asBob.withAuthorization({}, basic('alice', 'wrong')) });
    expect(rejected.status).toBe(401);
    const forwarded = await fetch(`${base}/`, { headers: asBob.withAuthorization({ Authorization: 'stale' }, basic('alice', 'wonder-land')) });
    expect(forwarded.status).toBe(200);
    expect(asBob.withAuthorization({ Authorization: 'stale', accept: 'application/json' })).toEqual({
      accept: 'application/json', authorization: basic('bob', 'builder'),
    });
  });

  it('never shows its credentials when printed', () => {
    const auth = new InterWorkerAuth({ credentials: { scheme: 'basic', user: 'bob', password: new Password('builder') } });
    expect(`${auth} ${JSON.stringify(auth)}`).not.toContain('builder');
  });
});
