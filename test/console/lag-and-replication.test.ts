/**
 * What the console shows of data in flight, against a real `ferry start`: a paused FileStreamSink
 * whose topic receives records shows that many records of consumer lag (on its page, per
 * partition, and on the overview), and after Resume the lag falls to zero as the records reach
 * the file; a MirrorSourceConnector (copying a topic within the bundled broker under its source
 * alias) appears on the replication page as a flow with its replicated topic; and a source fed
 * about 200 lines a second shows that rate (issue 15: "see sink lag fall to zero", records/s
 * charts, the Replication view; B8 items 9 and 10).
 */
import fs from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { nextResponse, textWhen, useBrowser } from '../helpers/browser.js';
import { kcatProduce, kcatRead } from '../helpers/kcat.js';
import { until } from '../helpers/until.js';
import { fileIn, fileSinkConfig, startConsoleFerry, type ConsoleFerry } from './console-harness.js';

const browser = useBrowser();
let h: ConsoleFerry;

beforeAll(async () => {
  // The sink commits its consumer offsets every second, so the lag follows within seconds.
  h = await startConsoleFerry({ 'offset.flush.interval.ms': '1000' });
});

function lines(file: string): string[] {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((line) => line !== '') : [];
}

function lagPanel(page: Page): Locator {
  return page.getByRole('region', { name: 'Consumer lag' });
}

interface LagAnswer {
  total_lag: number | null;
  partitions: { partition: number; committed_offset: number | null; end_offset: number; lag: number }[];
}

describe('a sink\'s consumer lag', () => {
  it('shows the records a paused sink has not read, and falls to zero after Resume', async () => {
    const output = fileIn(h, 'metered-copy.txt');
    // Plain strings in and out, so the file holds exactly the values produced.
    const strings = { 'value.converter': 'org.apache.kafka.connect.storage.StringConverter', 'key.converter': 'org.apache.kafka.connect.storage.StringConverter' };
    await kcatProduce(h.ferry.bootstrap, 'metered', ['r0', 'r1', 'r2', 'r3', 'r4']);
    await h.rest.createConnector('metered-out', { ...fileSinkConfig(output, 'metered'), ...strings });
    await h.rest.untilStates('metered-out', { connector: 'RUNNING', tasks: ['RUNNING'] });
    await until(() => lines(output).length === 5, { what: 'the first five records in the file' });
    await until(async () => (await h.rest.request<LagAnswer>('GET', '/connectors/metered-out/lag')).body.total_lag === 0,
      { what: 'the first five records committed' });

    expect((await h.rest.request('PUT', '/connectors/metered-out/pause')).status).toBe(202);
    await h.rest.untilStates('metered-out', { connector: 'PAUSED', tasks: ['PAUSED'] });
    const more = Array.from({ length: 20 }, (_, i) => `r${i + 5}`);
    await kcatProduce(h.ferry.bootstrap, 'metered', more);

    const { page, screenshot } = await browser.open(h.ui('/connectors/metered-out'));
    const total = lagPanel(page).getByTestId('lag-total');
    expect(await textWhen(total, (text) => text === '20', { timeoutMs: 30_000 })).toBe('20');
    // Per partition: committed where the sink stopped, the end where the producer stopped.
    const row = lagPanel(page).getByRole('row').filter({ hasText: 'metered' });
    expect((await row.locator('td').allTextContents()).map((cell) => cell.trim())).toEqual(['metered', '0', '5', '25', '20']);
    const answer = (await h.rest.request<LagAnswer>('GET', '/connectors/metered-out/lag')).body;
    expect(answer.total_lag).toBe(20);
    expect(lines(output)).toHaveLength(5);
    await screenshot('sink-lag', { fullPage: true });

    // The overview's row says it too.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connectors' }).click();
    const overviewRow = page.getByRole('table', { name: 'Connectors' }).getByRole('row').filter({ hasText: 'metered-out' });
    expect(await textWhen(overviewRow.getByTestId('lag-summary'), (text) => text.startsWith('20'))).toMatch(/^20\s*lag$/);
    await overviewRow.getByRole('link', { name: 'metered-out', exact: true }).click();

    await page.getByRole('group', { name: 'Connector actions' }).getByRole('button', { name: 'Resume', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Resume metered-out?' });
    const resumed = nextResponse(page, 'PUT', /^\/connectors\/metered-out\/resume$/);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    expect((await resumed).status()).toBe(202);
    expect(await textWhen(lagPanel(page).getByTestId('lag-total'), (text) => text === '0', { timeoutMs: 30_000 })).toBe('0');
    expect(lines(output)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', ...more]);
    expect((await row.locator('td').allTextContents()).map((cell) => cell.trim())).toEqual(['metered', '0', '25', '25', '0']);
  });
});

describe('throughput', () => {
  it('shows the records/s of a source being fed, on its page and on the overview, from the counter /metrics reports', async () => {
    const input = fileIn(h, 'fed.txt');
    fs.writeFileSync(input, '');
    await h.rest.createConnector('fed-in', { 'connector.class': 'FileStreamSource', file: input, topic: 'fed' });
    await h.rest.untilStates('fed-in', { connector: 'RUNNING', tasks: ['RUNNING'] });
    // About 200 lines a second while the test looks.
    let written = 0;
    const feeder = setInterval(() => {
      fs.appendFileSync(input, Array.from({ length: 20 }, () => `line ${written++}\n`).join(''));
    }, 100);
    try {
      const { page, screenshot } = await browser.open(h.ui('/connectors/fed-in'));
      const rate = (text: string) => Number(text.replace(/[^0-9.]/g, ''));
      const now = page.getByRole('region', { name: 'Throughput' }).getByTestId('throughput-current');
      const shown = rate(await textWhen(now, (text) => rate(text) > 0, { timeoutMs: 30_000 }));
      // The feeder's pace, within what timers on a busy two-core machine allow.
      expect(shown).toBeGreaterThan(40);
      expect(shown).toBeLessThan(1000);
      await screenshot('throughput', { fullPage: true });

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connectors' }).click();
      const cell = page.getByRole('table', { name: 'Connectors' }).getByRole('row').filter({ hasText: 'fed-in' }).getByTestId('throughput-cell');
      expect(rate(await textWhen(cell, (text) => rate(text) > 0, { timeoutMs: 30_000 }))).toBeGreaterThan(40);
    } finally {
      clearInterval(feeder);
    }
    // The counter the rates are computed from counts every line written.
    const counter = async () => {
      const text = await (await fetch(`${h.ferry.restUrl}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith('kafka_connect_source_task_source_record_write_total') && l.includes('"fed-in"'));
      return line === undefined ? -1 : Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    await until(async () => (await counter()) === written, { what: `the write counter at ${written}` });
  });
});

describe('the replication page', () => {
  it('shows a MirrorMaker flow with its replicated topic and no lag once copied', async () => {
    const { page: empty } = await browser.open(h.ui('/replication'));
    await empty.getByTestId('replication-empty').waitFor();
    await empty.close();

    await kcatProduce(h.ferry.bootstrap, 'inventory', ['i0', 'i1', 'i2']);
    await h.rest.createConnector('mirror-primary', {
      'connector.class': 'MirrorSourceConnector',
      'source.cluster.alias': 'primary',
      'target.cluster.alias': 'backup',
      'source.cluster.bootstrap.servers': h.ferry.bootstrap,
      'target.cluster.bootstrap.servers': h.ferry.bootstrap,
      topics: 'inventory',
      'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
      'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
      'replication.factor': '1',
      'offset-syncs.topic.replication.factor': '1',
      'refresh.topics.interval.seconds': '1',
    });

    const { page, screenshot } = await browser.open(h.ui('/replication'));
    const flow = page.getByRole('region', { name: 'primary → backup' });
    await flow.waitFor();
    await flow.getByRole('link', { name: 'mirror-primary' }).waitFor();
    await flow.getByText('inventory → primary.inventory').waitFor({ timeout: 30_000 });
    expect(await textWhen(flow.getByTestId('flow-lag'), (text) => text === '0', { timeoutMs: 30_000 })).toBe('0');
    await screenshot('replication', { fullPage: true });
    // What the page calls copied is in the remote topic.
    expect((await kcatRead(h.ferry.bootstrap, 'primary.inventory', '%s\n')).trim().split('\n')).toEqual(['i0', 'i1', 'i2']);
  });
});
