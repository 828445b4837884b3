/**
 * The console in front of a REST API with basic and bearer authentication on
 * (docs/rest-security.md): the page itself loads without credentials, every API call is answered
 * 401 and the console shows its own sign-in form (not the browser's Basic prompt, which would
 * leave the page waiting); wrong credentials are refused there, right ones bring the user back to
 * where they were, with the connectors shown; a token works too, survives a reload of the tab,
 * and Sign out forgets it (issue 15: "with REST auth on, the login path"; B8 item 12).
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nextResponse, textWhen, useBrowser } from '../helpers/browser.js';
import { tempDir } from '../helpers/temp-dir.js';
import { until } from '../helpers/until.js';
import { fileIn, fileSourceConfig, startConsoleFerry, type ConsoleFerry } from './console-harness.js';

const BASIC_AUTH_EXTENSION = 'org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension';
const USER = 'operator';
const PASSWORD = 'console-test-pw';
const TOKEN = 'console-test-token-3q2+7wQbXh1f';
const authorization = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

const browser = useBrowser();
let h: ConsoleFerry;

/** Chromium logs every 401 answer as a console error ("Failed to load resource: ... 401"); on this path they are expected. */
const UNAUTHORIZED_LOAD = /status of 401/;

beforeAll(async () => {
  const users = path.join(tempDir('ferry-console-users-'), 'rest-users.properties');
  fs.writeFileSync(users, `${USER}: ${PASSWORD}\n`);
  const tokens = path.join(path.dirname(users), 'rest-tokens');
  fs.writeFileSync(tokens, `console-test: ${TOKEN}\n`);
  h = await startConsoleFerry({
    'rest.extension.classes': BASIC_AUTH_EXTENSION,
    'rest.auth.basic.credentials.file': users,
    'rest.auth.bearer.tokens.file': tokens,
  });
  const create = await fetch(`${h.ferry.restUrl}/connectors`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'guarded-in', config: fileSourceConfig(fileIn(h, 'guarded.txt'), 'guarded', ['x']) }),
  });
  expect(create.status).toBe(201);
  await until(async () => {
    const status = await fetch(`${h.ferry.restUrl}/connectors/guarded-in/status`, { headers: { authorization } });
    return status.ok && ((await status.json()) as { connector: { state: string } }).connector.state === 'RUNNING';
  }, { what: 'guarded-in RUNNING' });
});

describe('the console with REST authentication on', () => {
  it('loads, gets 401 from the API, and asks for credentials', async () => {
    const unauthorized = fetch(`${h.ferry.restUrl}/connectors`);
    expect((await unauthorized).status).toBe(401);

    const opened = await browser.open('about:blank');
    opened.allowConsoleErrors(UNAUTHORIZED_LOAD);
    const { page } = opened;
    const denied = page.waitForResponse((r) => new URL(r.url()).pathname.startsWith('/connectors') && r.status() === 401);
    const shell = await page.goto(h.ui('/'));
    expect(shell?.status()).toBe(200);
    await denied;

    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/login');
    await opened.screenshot('login');
  });

  it('refuses a wrong password on the form and signs in with the right one, back on the overview', async () => {
    const opened = await browser.open('about:blank');
    opened.allowConsoleErrors(UNAUTHORIZED_LOAD);
    const { page } = opened;
    await page.goto(h.ui('/'));
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();

    await page.getByLabel('User', { exact: true }).fill(USER);
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    const refused = nextResponse(page, 'GET', /^\/connectors$/);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect((await refused).status()).toBe(401);
    expect(await textWhen(page.getByRole('alert'), (text) => text.length > 0)).toMatch(/did not accept/);

    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    const accepted = nextResponse(page, 'GET', /^\/connectors$/);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect((await accepted).status()).toBe(200);

    await page.getByRole('heading', { level: 1, name: 'Connectors' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/');
    await page.getByRole('link', { name: 'guarded-in' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await opened.screenshot('overview-after-login');
  });

  it('a deep link asked for before signing in is where the user lands after it', async () => {
    const opened = await browser.open('about:blank');
    opened.allowConsoleErrors(UNAUTHORIZED_LOAD);
    const { page } = opened;
    await page.goto(h.ui('/connectors/guarded-in'));
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByLabel('User', { exact: true }).fill(USER);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'guarded-in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/connectors/guarded-in');
  });

  it('signs in with a bearer token, stays signed in across a reload of the tab, and signs out', async () => {
    const opened = await browser.open('about:blank');
    opened.allowConsoleErrors(UNAUTHORIZED_LOAD);
    const { page } = opened;
    await page.goto(h.ui('/'));
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByRole('radio', { name: /Bearer/ }).check();
    await page.getByLabel('Token', { exact: true }).fill(TOKEN);
    const accepted = nextResponse(page, 'GET', /^\/connectors$/);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect((await accepted).request().headers()['authorization']).toBe(`Bearer ${TOKEN}`);
    const link = page.getByRole('table', { name: 'Connectors' }).getByRole('link', { name: 'guarded-in', exact: true });
    await link.waitFor();

    await page.reload();
    await link.waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
  });
});
