/**
 * The web console at /ui: served by a real `ferry start` from the build in dist/console (run
 * `npm run build` first), public while the REST API behind it requires credentials, and off
 * with console.enabled=false. The serving rules that need an unusual build (none at all, a
 * path escaping the directory) run in-process against a directory written here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_NOT_BUILT } from '../../api/routes/console.js';
import { buildApiServer } from '../../api/server.js';
import { startFerry, type FerryProcess } from '../helpers/ferry-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { FakeControl } from './fake-control.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('ferry start with REST basic authentication', () => {
  let ferry: FerryProcess;
  beforeAll(async () => {
    const dir = tempDir('ferry-console-');
    const users = path.join(dir, 'users.properties');
    fs.writeFileSync(users, 'admin: s3cret\n');
    ferry = await startFerry({ dataDir: path.join(dir, 'data'), settings: { 'rest.auth.basic.credentials.file': users } });
  });
  afterAll(async () => {
    expect(await ferry.stop()).toBe(0);
  });

  it('serves the console\'s index.html at /ui/ without credentials, while /connectors answers 401', async () => {
    const page = await fetch(`${ferry.restUrl}/ui/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await page.text();
    expect(html).toContain('<div id="app"></div>');
    expect(html).toContain('<title>ferry console</title>');

    const api = await fetch(`${ferry.restUrl}/connectors`);
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ error_code: 401, message: 'User cannot access the resource.' });
    const allowed = await fetch(`${ferry.restUrl}/connectors`, { headers: { authorization: basic('admin', 's3cret') } });
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toEqual([]);
  });

  it('redirects /ui to /ui/ and answers a deep link (a page of the app) with index.html', async () => {
    const bare = await fetch(`${ferry.restUrl}/ui`, { redirect: 'manual' });
    expect(bare.status).toBe(302);
    expect(bare.headers.get('location')).toBe('/ui/');

    const index = await (await fetch(`${ferry.restUrl}/ui/`)).text();
    for (const deepLink of ['/ui/connectors/x', '/ui/connectors/orders%20sink/edit', '/ui/new?plugin=FileStreamSink', '/ui/login']) {
      const res = await fetch(`${ferry.restUrl}${deepLink}`);
      expect(res.status, deepLink).toBe(200);
      expect(res.headers.get('content-type'), deepLink).toBe('text/html; charset=utf-8');
      expect(await res.text(), deepLink).toBe(index);
    }
  });

  it('serves the scripts and stylesheets index.html names with their content types, cached for good', async () => {
    const index = await (await fetch(`${ferry.restUrl}/ui/`)).text();
    const script = /<script type="module" crossorigin src="(\/ui\/assets\/[^"]+\.js)"/.exec(index)?.[1];
    const stylesheet = /<link rel="stylesheet" crossorigin href="(\/ui\/assets\/[^"]+\.css)"/.exec(index)?.[1];
    expect(script, 'index.html names a script under /ui/assets').toBeDefined();
    expect(stylesheet, 'index.html names a stylesheet under /ui/assets').toBeDefined();

    const js = await fetch(`${ferry.restUrl}${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await js.text()).length).toBeGreaterThan(1000);

    const css = await fetch(`${ferry.restUrl}${stylesheet}`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain('prefers-color-scheme');

    const missing = await fetch(`${ferry.restUrl}/ui/assets/no-such-file.js`);
    expect(missing.status).toBe(404);
  });

  it('keeps writes under /ui behind authentication', async () => {
    const res = await fetch(`${ferry.restUrl}/ui/`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(401);
  });
});

it('ferry start with console.enabled=false answers /ui with 404', async () => {
  const dir = tempDir('ferry-console-off-');
  const ferry = await startFerry({ dataDir: path.join(dir, 'data'), settings: { 'console.enabled': 'false' } });
  try {
    for (const url of ['/ui', '/ui/', '/ui/connectors/x']) {
      const res = await fetch(`${ferry.restUrl}${url}`, { redirect: 'manual' });
      expect(res.status, url).toBe(404);
    }
    expect((await fetch(`${ferry.restUrl}/connectors`)).status).toBe(200);
  } finally {
    expect(await ferry.stop()).toBe(0);
  }
});

describe('serving rules', () => {
  it('answers 404 with a one-line message to run npm run build when the console was not built', async () => {
    const app = buildApiServer({ control: new FakeControl(), console: { dir: path.join(tempDir('ferry-console-none-'), 'console') } });
    for (const url of ['/ui/', '/ui/connectors/x', '/ui/assets/index.js']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toEqual({ error_code: 404, message: CONSOLE_NOT_BUILT });
    }
    expect(CONSOLE_NOT_BUILT).toBe('The web console is not built: run npm run build.');
    await app.close();
  });

  it('serves only files inside the console directory', async () => {
    const root = tempDir('ferry-console-dir-');
    const dir = path.join(root, 'console');
    fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="app"></div>');
    fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    fs.writeFileSync(path.join(root, 'secret.txt'), 'not for the web');
    const app = buildApiServer({ control: new FakeControl(), console: { dir } });

    const svg = await app.inject({ method: 'GET', url: '/ui/favicon.svg' });
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['cache-control']).toBe('no-cache');

    for (const url of ['/ui/../secret.txt', '/ui/%2e%2e/secret.txt', '/ui/assets/%2e%2e%2f%2e%2e%2fsecret.txt']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.body, url).not.toContain('not for the web');
    }
    await app.close();
  });

  it('is not served, and not in the OpenAPI document, when the server is built without it', async () => {
    const app = buildApiServer({ control: new FakeControl() });
    expect((await app.inject({ method: 'GET', url: '/ui/' })).statusCode).toBe(404);
    const withConsole = buildApiServer({ control: new FakeControl(), console: { dir: tempDir('ferry-console-doc-') } });
    const doc = (await withConsole.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/ui'))).toEqual([]);
    await app.close();
    await withConsole.close();
  });
});
