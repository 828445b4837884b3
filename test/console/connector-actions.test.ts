/**
 * A connector's page as an operator uses it, against a real `ferry start`: pause and resume
 * (each confirmed in a dialog) with the page following the state; a task that really fails (a
 * file sink whose file is a directory) shown FAILED with its trace readable, then restarted
 * once the cause is gone; and a stopped source's offsets reset, after which it reads its file
 * again from the beginning; a single task restarted, and the connector deleted (issue 15: "pause
 * and resume it, make a task fail and read its trace, reset a stopped connector's offsets"; B8
 * items 6, 7 and 8).
 */
import fs from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { nextResponse, textWhen, useBrowser } from '../helpers/browser.js';
import { kcatRead } from '../helpers/kcat.js';
import { until } from '../helpers/until.js';
import { fileIn, fileSinkConfig, fileSourceConfig, startConsoleFerry, type ConsoleFerry } from './console-harness.js';

const browser = useBrowser();
let h: ConsoleFerry;

beforeAll(async () => {
  // Offsets are committed every second, so a source's offsets show up without a minute's wait.
  h = await startConsoleFerry({ 'offset.flush.interval.ms': '1000' });
});

/** The value of a fact in the connector page's header ("State", "Connector state", "Tasks", ...). */
function fact(page: Page, term: string): Locator {
  return page.locator('.facts > div').filter({ has: page.getByRole('term').filter({ hasText: new RegExp(`^${term}$`) }) }).getByRole('definition');
}

function taskRow(page: Page, id: number): Locator {
  return page.getByRole('table', { name: 'Tasks' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: String(id), exact: true }) });
}

function action(page: Page, name: string): Locator {
  return page.getByRole('group', { name: 'Connector actions' }).getByRole('button', { name, exact: true });
}

/** Clicks `button`, checks the confirm dialog's title, confirms, and returns the REST answer the confirmation caused. */
async function confirmed(page: Page, button: Locator, title: string, method: string, path: RegExp): Promise<number> {
  await button.click();
  const dialog = page.getByRole('dialog', { name: title });
  await dialog.waitFor();
  const answer = nextResponse(page, method, path);
  await dialog.getByRole('button', { name: /^(Confirm|Reset offsets|Delete)$/ }).click();
  const status = (await answer).status();
  await dialog.waitFor({ state: 'hidden' });
  return status;
}

/** The string a record holds, written by the worker's default JsonConverter with schemas. */
function payloadOf(json: string): string {
  return (JSON.parse(json) as { payload: string }).payload;
}

async function stateIs(page: Page, term: string, state: string): Promise<void> {
  await textWhen(fact(page, term), (text) => text.includes(state), { what: `${term} ${state}` });
}

describe('pause and resume from the connector page', () => {
  it('asks before pausing, shows PAUSED for the connector and its task, and RUNNING again after resuming', async () => {
    await h.rest.createConnector('pausable', fileSourceConfig(fileIn(h, 'pausable.txt'), 'pausable', ['one']));
    await h.rest.untilStates('pausable', { connector: 'RUNNING', tasks: ['RUNNING'] });

    const { page, screenshot } = await browser.open(h.ui('/connectors/pausable'));
    await stateIs(page, 'Connector state', 'RUNNING');
    expect(await action(page, 'Resume').isDisabled()).toBe(true);

    // Cancel really cancels.
    await action(page, 'Pause').click();
    const dialog = page.getByRole('dialog', { name: 'Pause pausable?' });
    await dialog.waitFor();
    await screenshot('confirm-pause');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await h.rest.status('pausable'))!.connector.state).toBe('RUNNING');

    expect(await confirmed(page, action(page, 'Pause'), 'Pause pausable?', 'PUT', /^\/connectors\/pausable\/pause$/)).toBe(202);
    await stateIs(page, 'Connector state', 'PAUSED');
    await taskRow(page, 0).filter({ hasText: 'PAUSED' }).waitFor();
    expect(await fact(page, 'State').textContent()).toContain('PAUSED');
    await h.rest.untilStates('pausable', { connector: 'PAUSED', tasks: ['PAUSED'] });
    expect(await action(page, 'Pause').isDisabled()).toBe(true);

    expect(await confirmed(page, action(page, 'Resume'), 'Resume pausable?', 'PUT', /^\/connectors\/pausable\/resume$/)).toBe(202);
    await stateIs(page, 'Connector state', 'RUNNING');
    await taskRow(page, 0).filter({ hasText: 'RUNNING' }).waitFor();
    await h.rest.untilStates('pausable', { connector: 'RUNNING', tasks: ['RUNNING'] });
  });
});

describe('a failed task', () => {
  it('shows FAILED with the trace the worker reports, counts it on the overview, and runs again after "restart only what failed"', async () => {
    // A file sink cannot append to a directory: its task fails when it starts.
    const target = fileIn(h, 'not-a-file');
    fs.mkdirSync(target);
    await h.rest.createConnector('broken-out', fileSinkConfig(target, 'broken'));
    const failed = await h.rest.untilStates('broken-out', { connector: 'RUNNING', tasks: ['FAILED'] });
    const trace = failed.tasks[0]!.trace!;
    expect(trace).toContain(target);

    const { page, screenshot } = await browser.open(h.ui('/connectors/broken-out'));
    const row = taskRow(page, 0);
    await row.filter({ hasText: 'FAILED' }).waitFor();
    expect(await fact(page, 'State').textContent()).toContain('UNHEALTHY');
    expect(await fact(page, 'Tasks').textContent()).toContain('1 failed');

    // The headline (the error and message) is readable at once; the full trace behind a disclosure.
    const headline = await row.locator('.trace-headline').textContent();
    expect(headline).toBe(trace.split('\n')[0]!.trim());
    expect(headline).toMatch(/Cannot open .*not-a-file/);
    const full = row.locator('pre');
    expect(await full.isVisible()).toBe(false);
    await row.getByText('Full trace').click();
    await full.waitFor();
    expect(await full.textContent()).toBe(trace);
    await screenshot('failed-task-trace');

    // The overview counts it and its filter finds it.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connectors' }).click();
    await page.getByRole('link', { name: 'broken-out', exact: true }).first().waitFor();
    expect(await textWhen(page.getByTestId('stat-failed-tasks'), (text) => text === '1')).toBe('1');
    await page.getByRole('button', { name: 'Show connectors with failed tasks' }).click();
    const table = page.getByRole('table', { name: 'Connectors' });
    await table.getByRole('row').filter({ hasText: 'UNHEALTHY' }).filter({ hasText: 'broken-out' }).waitFor();
    await table.getByRole('link', { name: 'pausable', exact: true }).waitFor({ state: 'detached' });
    await screenshot('overview-with-failure');

    // Fix the cause, restart only what failed.
    fs.rmdirSync(target);
    await table.getByRole('link', { name: 'broken-out', exact: true }).click();
    await row.filter({ hasText: 'FAILED' }).waitFor();
    await action(page, 'Restart').click();
    const dialog = page.getByRole('dialog', { name: 'Restart broken-out?' });
    await dialog.waitFor();
    await dialog.getByLabel(/Only what failed/).check();
    const restart = nextResponse(page, 'POST', /^\/connectors\/broken-out\/restart$/);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    const answer = await restart;
    expect(answer.status()).toBeLessThan(300);
    expect(new URL(answer.url()).searchParams.get('onlyFailed')).toBe('true');
    expect(new URL(answer.url()).searchParams.get('includeTasks')).toBe('true');
    await row.filter({ hasText: 'RUNNING' }).waitFor();
    await textWhen(fact(page, 'State'), (text) => text.includes('HEALTHY') && !text.includes('UNHEALTHY'));
    expect(fs.statSync(target).isFile()).toBe(true);
  });
});

describe('resetting the offsets of a stopped connector', () => {
  it('offers the reset only once stopped, shows the offsets gone, and the source reads its file again', async () => {
    const lines = ['first', 'second', 'third'];
    const input = fileIn(h, 'replayed.txt');
    await h.rest.createConnector('replayed-in', fileSourceConfig(input, 'replayed', lines));
    await until(async () => (await kcatRead(h.ferry.bootstrap, 'replayed', '%s\n').catch(() => '')).split('\n').length > lines.length,
      { what: 'the three lines in the topic' });
    await until(async () => (await h.rest.request<{ offsets: unknown[] }>('GET', '/connectors/replayed-in/offsets')).body.offsets.length > 0,
      { what: 'committed source offsets' });

    const { page, screenshot } = await browser.open(h.ui('/connectors/replayed-in'));
    const offsets = page.getByRole('table', { name: 'Offsets' });
    await offsets.getByText(input).waitFor();
    const position = String(fs.statSync(input).size);
    await offsets.getByText(position, { exact: true }).waitFor();
    const reset = page.getByRole('button', { name: 'Reset offsets' });
    expect(await reset.isDisabled()).toBe(true);

    expect(await confirmed(page, action(page, 'Stop'), 'Stop replayed-in?', 'PUT', /^\/connectors\/replayed-in\/stop$/)).toBe(204);
    await stateIs(page, 'Connector state', 'STOPPED');
    await page.locator('button:not([disabled])', { hasText: 'Reset offsets' }).waitFor();
    expect(await confirmed(page, reset, 'Reset the offsets of replayed-in?', 'DELETE', /^\/connectors\/replayed-in\/offsets$/)).toBe(200);
    await page.getByTestId('offsets-empty').waitFor();
    expect(await offsets.count()).toBe(0);
    await screenshot('offsets-reset');
    expect((await h.rest.request<{ offsets: unknown[] }>('GET', '/connectors/replayed-in/offsets')).body.offsets).toEqual([]);

    // Resumed without offsets, the source starts over: every line is in the topic twice.
    expect(await confirmed(page, action(page, 'Resume'), 'Resume replayed-in?', 'PUT', /^\/connectors\/replayed-in\/resume$/)).toBe(202);
    await stateIs(page, 'Connector state', 'RUNNING');
    const topic = await until(async () => {
      const read = (await kcatRead(h.ferry.bootstrap, 'replayed', '%s\n')).trim().split('\n');
      return read.length >= 2 * lines.length ? read.map(payloadOf) : null;
    }, { what: 'the file read a second time' });
    expect(topic).toEqual([...lines, ...lines]);
    await offsets.getByText(input).waitFor();
  });
});

describe('restarting one task and deleting', () => {
  it('restarts task 0 alone after a confirmation, then deletes the connector: gone from the overview and from the worker', async () => {
    const opened = await browser.open(h.ui('/connectors/pausable'));
    const { page, screenshot } = opened;
    // A refresh of the page already on its way when the connector is deleted is answered 404.
    opened.allowConsoleErrors(/status of 404 .*\/connectors\/pausable(\/[a-z]+)?\)$/);
    await taskRow(page, 0).filter({ hasText: 'RUNNING' }).waitFor();
    await page.getByRole('button', { name: 'Restart task 0' }).click();
    const dialog = page.getByRole('dialog', { name: 'Restart task 0 of pausable?' });
    await dialog.waitFor();
    const restarted = nextResponse(page, 'POST', /^\/connectors\/pausable\/tasks\/0\/restart$/);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    expect((await restarted).status()).toBeLessThan(300);
    await taskRow(page, 0).filter({ hasText: 'RUNNING' }).waitFor();

    await action(page, 'Delete').click();
    const confirm = page.getByRole('dialog', { name: 'Delete pausable?' });
    await confirm.waitFor();
    await screenshot('confirm-delete');
    const deleted = nextResponse(page, 'DELETE', /^\/connectors\/pausable$/);
    await confirm.getByRole('button', { name: 'Confirm' }).click();
    expect((await deleted).status()).toBe(204);
    await page.waitForURL((url) => url.pathname === '/ui/');
    const table = page.getByRole('table', { name: 'Connectors' });
    await table.getByRole('link', { name: 'replayed-in', exact: true }).waitFor();
    expect(await table.getByRole('link', { name: 'pausable', exact: true }).count()).toBe(0);
    expect((await h.rest.request('GET', '/connectors/pausable')).status).toBe(404);
  });
});
