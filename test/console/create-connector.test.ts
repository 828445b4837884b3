/**
 * Creating a connector the way a newcomer would, against a real `ferry start`: pick the
 * FileStreamSource plugin, fill the form the worker's validate answer generates, meet a
 * validation error on a field (Create stays disabled), fix it, create, and land on the new
 * connector's page with it RUNNING; its lines then really are in the topic (issue 15: "create a
 * file connector through the form with a validation error shown and fixed, see it RUNNING";
 * B8 item 3); then edit it: the change listed before Update, the new config on its page (B8 item 5);
 * and a sink created from pasted JSON, whose download is that same config (B8 item 4).
 */
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nextResponse, textWhen, useBrowser } from '../helpers/browser.js';
import { kcatRead } from '../helpers/kcat.js';
import { until } from '../helpers/until.js';
import { fileIn, fileSourceConfig, startConsoleFerry, type ConsoleFerry } from './console-harness.js';

const browser = useBrowser();
let h: ConsoleFerry;

beforeAll(async () => {
  h = await startConsoleFerry();
});

describe('creating a FileStreamSource through the form', () => {
  it('shows the worker\'s error on the field, keeps Create disabled until it is fixed, and creates a RUNNING connector', async () => {
    const input = fileIn(h, 'greetings.txt');
    fileSourceConfig(input, 'unused', ['hello', 'from', 'the console']);

    const opened = await browser.open(h.ui('/new'));
    const { page, screenshot } = opened;
    // Right after the create, the worker may not have written the connector's status yet: the
    // connector page's first GET .../status can be 404, which Chromium logs (the page recovers on
    // its next poll, checked below by waiting for RUNNING).
    opened.allowConsoleErrors(/status of 404 .*\/connectors\/greetings-in\/status\)$/);
    await page.getByRole('heading', { level: 1, name: 'New connector' }).waitFor();
    await page.getByRole('button', { name: 'FileStreamSource', exact: true }).waitFor();
    await screenshot('plugin-picker');
    await page.getByRole('button', { name: 'FileStreamSource', exact: true }).click();
    expect(new URL(page.url()).searchParams.get('class')).toMatch(/FileStreamSource/);

    // The form is generated from the validate answer: the plugin's own keys are there.
    const topic = page.getByLabel('topic', { exact: true });
    await topic.waitFor();
    await page.getByLabel('name', { exact: true }).fill('greetings-in');
    await page.getByLabel('file', { exact: true }).fill(input);

    // Visit topic and leave it empty: the worker says it is required, on that field.
    const validated = nextResponse(page, 'PUT', /\/config\/validate$/);
    await topic.focus();
    await topic.press('Tab');
    await validated;
    const topicErrors = page.locator('.config-field[data-key="topic"]').getByRole('alert');
    const errorText = await textWhen(topicErrors, (text) => text.trim().length > 0);
    expect(errorText).toMatch(/topic/i);
    expect(await topic.getAttribute('aria-invalid')).toBe('true');
    const create = page.getByRole('button', { name: 'Create', exact: true });
    expect(await create.isDisabled()).toBe(true);
    await screenshot('create-form-with-error');

    // Fixed: the error goes, Create is enabled.
    await topic.fill('greetings');
    await topicErrors.waitFor({ state: 'detached' });
    await page.locator('button[type="submit"]:not([disabled])', { hasText: 'Create' }).waitFor();
    expect(await topic.getAttribute('aria-invalid')).toBeNull();

    const created = nextResponse(page, 'PUT', /^\/connectors\/greetings-in\/config$/);
    await create.click();
    expect((await created).status()).toBe(201);

    await page.waitForURL((url) => url.pathname === '/ui/connectors/greetings-in');
    await page.getByRole('heading', { level: 1, name: 'greetings-in' }).waitFor();
    const connectorState = page.locator('.facts > div').filter({ has: page.getByRole('term').filter({ hasText: /^Connector state$/ }) }).getByRole('definition');
    await textWhen(connectorState, (text) => text.includes('RUNNING'));
    await page.getByRole('table', { name: 'Tasks' }).getByRole('row').filter({ hasText: 'RUNNING' }).waitFor();
    await screenshot('connector-page-after-create');

    const stored = await h.rest.request<{ config: Record<string, string> }>('GET', '/connectors/greetings-in');
    expect(stored.body.config).toMatchObject({ name: 'greetings-in', file: input, topic: 'greetings' });
    const lines = await until(async () => {
      const read = await kcatRead(h.ferry.bootstrap, 'greetings', '%s\n');
      return read.split('\n').length > 3 ? read : null;
    }, { what: 'the file\'s lines in the topic' });
    // The worker's default JsonConverter writes each line as a string with its schema.
    expect(lines.trim().split('\n').map((json) => (JSON.parse(json) as { payload: string }).payload)).toEqual(['hello', 'from', 'the console']);
  });

  it('edits the connector: the change is listed before Update, and the page shows the new config', async () => {
    const { page, screenshot } = await browser.open(h.ui('/connectors/greetings-in'));
    await page.getByRole('link', { name: 'Edit' }).first().click();
    await page.waitForURL((url) => url.pathname === '/ui/connectors/greetings-in/edit');
    await page.getByRole('heading', { level: 1, name: 'Edit greetings-in' }).waitFor();
    const topic = page.getByLabel('topic', { exact: true });
    await topic.waitFor();
    expect(await topic.inputValue()).toBe('greetings');
    expect(await page.getByLabel('name', { exact: true }).getAttribute('readonly')).not.toBeNull();

    await topic.fill('greetings-v2');
    const changes = page.getByRole('region', { name: 'Changes to apply' });
    await changes.getByRole('row').filter({ hasText: 'greetings-v2' }).waitFor();
    expect((await changes.getByRole('row').filter({ hasText: 'greetings-v2' }).locator('td').allTextContents()).map((c) => c.trim()))
      .toEqual(['topic', 'changed', 'greetings', 'greetings-v2']);
    await screenshot('edit-form');

    await page.locator('button[type="submit"]:not([disabled])', { hasText: 'Update' }).waitFor();
    const updated = nextResponse(page, 'PUT', /^\/connectors\/greetings-in\/config$/);
    await page.getByRole('button', { name: 'Update', exact: true }).click();
    expect((await updated).status()).toBe(200);
    await page.waitForURL((url) => url.pathname === '/ui/connectors/greetings-in');
    const config = page.getByRole('region', { name: 'Configuration' });
    await config.getByRole('row').filter({ hasText: 'greetings-v2' }).waitFor();
    const stored = await h.rest.request<{ config: Record<string, string> }>('GET', '/connectors/greetings-in');
    expect(stored.body.config['topic']).toBe('greetings-v2');
  });

  it('creates a FileStreamSink from pasted JSON, and "Download" gives back that config', async () => {
    const output = fileIn(h, 'pasted-copy.txt');
    const pasted = { name: 'pasted-out', 'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector', file: output, topics: 'greetings' };

    const { page, screenshot } = await browser.open(h.ui('/new'));
    await page.getByRole('tab', { name: /^Sink/ }).click();
    await page.getByRole('button', { name: 'FileStreamSource', exact: true }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'FileStreamSink', exact: true }).click();
    await page.getByLabel('topics', { exact: true }).waitFor();

    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot('create-form-narrow', { fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: 'JSON', exact: true }).click();
    const text = page.getByLabel('Config as JSON');
    await text.fill(JSON.stringify(pasted, null, 2));
    await textWhen(page.getByRole('status').filter({ hasText: 'accepts' }), (t) => t.includes('The worker accepts this config.'));

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download', exact: true }).click();
    const file = await (await download).path();
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(pasted);

    await page.locator('button[type="submit"]:not([disabled])', { hasText: 'Create' }).waitFor();
    const created = nextResponse(page, 'PUT', /^\/connectors\/pasted-out\/config$/);
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    expect((await created).status()).toBe(201);
    await page.waitForURL((url) => url.pathname === '/ui/connectors/pasted-out');
    await page.getByRole('table', { name: 'Tasks' }).getByRole('row').filter({ hasText: 'RUNNING' }).waitFor();
    expect((await h.rest.request<{ config: Record<string, string> }>('GET', '/connectors/pasted-out')).body.config).toEqual(pasted);
    await until(() => fs.existsSync(output) && fs.readFileSync(output, 'utf8') === 'hello\nfrom\nthe console\n', { what: 'the topic in the file' });
  });
});
