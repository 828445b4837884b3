/**
 * The console as a first visitor meets it, against a real `ferry start` with two file connectors:
 * /ui serves the overview with no console errors, the connectors are listed with their type,
 * class, state, tasks and topics, filters live in the URL, a connector page is a deep link that
 * survives a reload, and a phone-sized window still offers the main actions by keyboard
 * (issue 15: "Done when"; B8 items 1, 2, 11 and 13); every control on every page has an accessible
 * name (read from Chromium's accessibility tree).
 */
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { textWhen, useBrowser } from '../helpers/browser.js';
import { fileIn, fileSinkConfig, fileSourceConfig, startConsoleFerry, type ConsoleFerry } from './console-harness.js';

const browser = useBrowser();
let h: ConsoleFerry;

beforeAll(async () => {
  h = await startConsoleFerry();
  await h.rest.createConnector('orders-in', fileSourceConfig(fileIn(h, 'orders.txt'), 'orders', ['a', 'b', 'c']));
  await h.rest.createConnector('orders-out', fileSinkConfig(fileIn(h, 'orders-copy.txt'), 'orders'));
  await h.rest.untilStates('orders-in', { connector: 'RUNNING', tasks: ['RUNNING'] });
  await h.rest.untilStates('orders-out', { connector: 'RUNNING', tasks: ['RUNNING'] });
});

function connectorsTable(page: Page): Locator {
  return page.getByRole('table', { name: 'Connectors' });
}

/** The overview's row of connector `name` (the row whose name cell links to its page). */
function rowOf(page: Page, name: string): Locator {
  return connectorsTable(page).getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
}

async function cellsOf(row: Locator): Promise<string[]> {
  return (await row.locator('th, td').allTextContents()).map((text) => text.trim());
}

/** No horizontal scrolling of the whole page (wide tables may scroll inside their own box). */
async function pageFitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

describe('the overview at /ui/', () => {
  it('redirects /ui to /ui/ and lists the connectors with type, class, state, tasks and topics', async () => {
    const { page, screenshot } = await browser.open(`${h.ferry.restUrl}/ui`);
    expect(new URL(page.url()).pathname).toBe('/ui/');
    await page.getByRole('heading', { level: 1, name: 'Connectors' }).waitFor();
    expect(await page.title()).toContain('ferry console');

    await rowOf(page, 'orders-out').filter({ hasText: 'HEALTHY' }).waitFor();
    await rowOf(page, 'orders-in').filter({ hasText: 'HEALTHY' }).waitFor();
    const source = await cellsOf(rowOf(page, 'orders-in'));
    expect(source).toEqual(expect.arrayContaining(['orders-in', 'source', 'FileStreamSource', '1/1', 'orders']));
    expect(source.some((cell) => cell.startsWith('HEALTHY'))).toBe(true);
    const sink = await cellsOf(rowOf(page, 'orders-out'));
    expect(sink).toEqual(expect.arrayContaining(['orders-out', 'sink', 'FileStreamSink', '1/1', 'orders']));

    // The counts agree with GET /connectors?expand=status.
    expect(await page.getByTestId('stat-connectors').textContent()).toBe('2');
    expect(await page.getByTestId('stat-tasks').textContent()).toBe('2');
    expect(await page.getByTestId('stat-failed-tasks').textContent()).toBe('0');
    await screenshot('overview');
  });

  it('filters by type and by search text, keeps the filter in the URL, and the filtered URL survives a reload', async () => {
    const { page } = await browser.open(h.ui('/'));
    await rowOf(page, 'orders-in').waitFor();

    await page.getByLabel('Type').selectOption('sink');
    await rowOf(page, 'orders-in').waitFor({ state: 'detached' });
    expect(await rowOf(page, 'orders-out').count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('type')).toBe('sink');

    await page.reload();
    await rowOf(page, 'orders-out').waitFor();
    expect(await rowOf(page, 'orders-in').count()).toBe(0);

    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await rowOf(page, 'orders-in').waitFor();
    await page.getByRole('searchbox', { name: 'Search connectors by name or class' }).fill('FileStreamSource');
    await rowOf(page, 'orders-out').waitFor({ state: 'detached' });
    expect(await rowOf(page, 'orders-in').count()).toBe(1);
  });

  it('a connector page is a deep link that survives a reload', async () => {
    const { page, screenshot } = await browser.open(h.ui('/connectors/orders-in'));
    const heading = page.getByRole('heading', { level: 1 });
    expect(await textWhen(heading, (text) => text.includes('orders-in'))).toContain('orders-in');
    await page.reload();
    expect(await textWhen(heading, (text) => text.includes('orders-in'))).toContain('orders-in');
    expect(new URL(page.url()).pathname).toBe('/ui/connectors/orders-in');
    await screenshot('connector-page');
  });

  it('an unknown console path says so, with a way back', async () => {
    const { page } = await browser.open(h.ui('/no/such/page'));
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    await page.getByRole('link', { name: 'Go to the overview' }).click();
    await page.getByRole('heading', { level: 1, name: 'Connectors' }).waitFor();
  });
});

describe('a phone-sized window and the keyboard', () => {
  it('the page fits the width, and the keyboard reaches the navigation and a connector page', async () => {
    const { page, screenshot } = await browser.open(h.ui('/'), { viewport: { width: 390, height: 844 } });
    await rowOf(page, 'orders-in').waitFor();
    expect(await pageFitsWidth(page)).toBe(true);
    await screenshot('overview-narrow', { fullPage: true });

    // The first Tab lands on the skip link, which moves focus to the content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

    // Every main action is a focusable control with an accessible name.
    for (const control of [
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connectors' }),
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New connector' }),
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Replication' }),
      page.getByRole('button', { name: 'Dark theme' }),
      connectorsTable(page).getByRole('link', { name: 'orders-in', exact: true }),
    ]) {
      await control.focus();
      expect(await control.evaluate((element) => element === document.activeElement)).toBe(true);
      expect(await control.isVisible()).toBe(true);
    }

    // Enter on the focused connector link opens its page, in the same narrow window.
    await connectorsTable(page).getByRole('link', { name: 'orders-in', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/ui/connectors/orders-in');
    await page.getByRole('heading', { level: 1, name: 'orders-in' }).waitFor();
    // The heading shows while the page loads; the actions and tasks come with the connector's status.
    const actions = page.getByRole('group', { name: 'Connector actions' });
    await actions.getByRole('button', { name: 'Pause', exact: true }).waitFor();
    await page.getByRole('table', { name: 'Tasks' }).getByRole('row').filter({ hasText: 'RUNNING' }).waitFor();
    expect(await pageFitsWidth(page)).toBe(true);
    await screenshot('connector-page-narrow', { fullPage: true });

    // The connector's actions are visible buttons; Enter opens the confirmation, Escape cancels it.
    for (const name of ['Pause', 'Stop', 'Restart', 'Delete']) expect(await actions.getByRole('button', { name, exact: true }).isVisible()).toBe(true);
    await actions.getByRole('button', { name: 'Pause', exact: true }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Pause orders-in?' });
    await dialog.waitFor();
    expect(await dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect((await h.rest.status('orders-in'))!.connector.state).toBe('RUNNING');
  });

  it('the theme toggle switches to dark and back', async () => {
    const { page, screenshot } = await browser.open(h.ui('/'));
    const toggle = page.getByRole('button', { name: 'Dark theme' });
    const before = await toggle.getAttribute('aria-pressed');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((was) => document.querySelector('.theme-toggle')?.getAttribute('aria-pressed') !== was, before);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await rowOf(page, 'orders-in').waitFor();
    await screenshot(before === 'true' ? 'overview-light' : 'overview-dark');
    await toggle.press('Enter');
    await page.waitForFunction((was) => document.querySelector('.theme-toggle')?.getAttribute('aria-pressed') === was, before);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(background);
  });
});

describe('accessible names', () => {
  it('every control on every page has a name a screen reader can say', async () => {
    const { page } = await browser.open(h.ui('/'));
    const cdp = await page.context().newCDPSession(page);
    const pages: [string, () => Promise<unknown>][] = [
      ['/', () => rowOf(page, 'orders-in').waitFor()],
      ['/connectors/orders-out', () => page.getByRole('region', { name: 'Consumer lag' }).getByTestId('lag-total').waitFor()],
      ['/new', () => page.getByRole('button', { name: 'FileStreamSource', exact: true }).waitFor()],
      ['/new?class=org.apache.kafka.connect.file.FileStreamSourceConnector', () => page.getByLabel('topic', { exact: true }).waitFor()],
      ['/connectors/orders-in/edit', () => page.getByLabel('topic', { exact: true }).waitFor()],
      ['/replication', () => page.getByTestId('replication-empty').waitFor()],
      ['/login', () => page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor()],
    ];
    const unnamed: string[] = [];
    const controls: Record<string, number> = {};
    for (const [path, loaded] of pages) {
      await page.goto(h.ui(path));
      await loaded();
      const { nodes } = await cdp.send('Accessibility.getFullAXTree') as { nodes: AxNode[] };
      for (const node of nodes) {
        const role = String(node.role?.value ?? '');
        if (node.ignored || !CONTROL_ROLES.has(role)) continue;
        controls[path] = (controls[path] ?? 0) + 1;
        if (String(node.name?.value ?? '').trim() === '') unnamed.push(`${path}: a ${role} without a name`);
      }
    }
    expect(unnamed).toEqual([]);
    // The tree was really read: every page has its controls (at least the navigation's links).
    for (const [path] of pages) expect(controls[path] ?? 0, path).toBeGreaterThan(4);
  });
});

interface AxNode {
  ignored?: boolean;
  role?: { value?: unknown };
  name?: { value?: unknown };
}

const CONTROL_ROLES = new Set(['button', 'link', 'textbox', 'searchbox', 'combobox', 'checkbox', 'radio', 'switch', 'tab', 'spinbutton', 'slider', 'menuitem']);

describe('when the worker goes away', () => {
  // Last in the file: it stops the file's ferry.
  it('the overview keeps the last data and says it is stale', async () => {
    const opened = await browser.open(h.ui('/'));
    const { page, screenshot } = opened;
    await rowOf(page, 'orders-in').waitFor();
    // Every refresh after the stop is refused, and Chromium logs each one. A refresh that reaches
    // the worker while it closes is answered 503 (fastify refuses new requests while closing).
    opened.allowConsoleErrors(/ERR_CONNECTION_REFUSED|Failed to fetch|status of 503 \(Service Unavailable\)/);
    opened.allowFailedRequests(/ERR_CONNECTION_REFUSED/);
    await h.ferry.stop();
    const stale = page.getByTestId('stale-indicator');
    expect(await textWhen(stale, (text) => text.includes('Stale') && text.includes('cannot be reached'))).toMatch(/refresh failed \(The worker cannot be reached\.\)/);
    expect(await rowOf(page, 'orders-in').count()).toBe(1);
    await screenshot('overview-stale');
  });
});
