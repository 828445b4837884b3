// Takes the README's screenshots of the web console (docs/images/console-*.png) from a real run:
// `ferry start` from dist/ (so `npm run build` first) in a temporary directory, a few file
// connectors in the states a user meets (running, paused with consumer lag, one whose task failed),
// and Debian's Chromium (/usr/bin/chromium) driven by playwright-core at 1280x800.
//
//   npm run build && node scripts/console-screenshots.mjs
/* global process, fetch, setTimeout, setInterval, clearInterval, console -- a Node.js script */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const images = path.join(root, 'docs', 'images');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-console-shots-'));

function startFerry() {
  const child = spawn(process.execPath, [path.join(root, 'dist/cli/ferry.js'), 'start', '--data-dir', path.join(work, 'data'),
    '--broker-port', '0', '--rest-port', '0', '--registry-port', '0', '--set', 'offset.flush.interval.ms=1000'],
  { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let pending = '';
    child.once('exit', (code) => reject(new Error(`ferry exited with ${code} before it was ready`)));
    child.stdout.on('data', (chunk) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        if (!line.includes('"ferry is ready"')) continue;
        child.removeAllListeners('exit');
        resolve({ child, restUrl: JSON.parse(line).rest });
      }
    });
  });
}

async function call(restUrl, method, urlPath, body) {
  const response = await fetch(`${restUrl}${urlPath}`, {
    method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${urlPath} answered ${response.status}: ${await response.text()}`);
  const text = await response.text();
  return text === '' ? null : JSON.parse(text);
}

async function until(check, what) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await check().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const stateOf = async (restUrl, name) => (await call(restUrl, 'GET', `/connectors/${name}/status`)).tasks.map((t) => t.state).join(',');

const { child, restUrl } = await startFerry();
let browser;
try {
  const file = (name, lines) => {
    const target = path.join(work, name);
    fs.writeFileSync(target, lines.map((line) => `${line}\n`).join(''));
    return target;
  };
  const numbers = file('numbers.txt', Array.from({ length: 5000 }, (_, i) => String(i + 1)));
  const orders = file('orders.txt', Array.from({ length: 40 }, (_, i) => JSON.stringify({ id: i + 1, total: (i * 7) % 90 + 10 })));
  fs.mkdirSync(path.join(work, 'audit'));

  const create = (name, config) => call(restUrl, 'POST', '/connectors', { name, config });
  await create('numbers-in', { 'connector.class': 'FileStreamSource', file: numbers, topic: 'numbers' });
  await create('numbers-out', { 'connector.class': 'FileStreamSink', file: path.join(work, 'numbers-copy.txt'), topics: 'numbers' });
  await create('orders-in', { 'connector.class': 'FileStreamSource', file: orders, topic: 'orders' });
  await create('orders-archive', { 'connector.class': 'FileStreamSink', file: path.join(work, 'orders-archive.txt'), topics: 'orders' });
  // A sink whose file is a directory: its task fails, as a misconfigured connector would.
  await create('audit-out', { 'connector.class': 'FileStreamSink', file: path.join(work, 'audit'), topics: 'orders' });
  await until(async () => (await stateOf(restUrl, 'orders-archive')) === 'RUNNING', 'orders-archive RUNNING');
  const archived = () => fs.readFileSync(path.join(work, 'orders-archive.txt'), 'utf8').split('\n').length - 1;
  await until(async () => archived() === 40 && (await call(restUrl, 'GET', '/connectors/orders-archive/lag')).total_lag === 0, 'orders-archive caught up');
  await call(restUrl, 'PUT', '/connectors/orders-archive/pause');
  await until(async () => (await stateOf(restUrl, 'orders-archive')) === 'PAUSED', 'orders-archive PAUSED');
  fs.appendFileSync(orders, Array.from({ length: 25 }, (_, i) => `${JSON.stringify({ id: i + 41, total: 12 })}\n`).join(''));
  await until(async () => (await call(restUrl, 'GET', '/connectors/orders-archive/lag')).total_lag === 25, 'orders-archive lagging');
  await until(async () => (await stateOf(restUrl, 'audit-out')) === 'FAILED', 'audit-out FAILED');
  await until(async () => (await stateOf(restUrl, 'numbers-out')) === 'RUNNING', 'numbers-out RUNNING');

  browser = await chromium.launchPersistentContext(path.join(work, 'chromium'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
  });
  const page = await browser.newPage();
  fs.mkdirSync(images, { recursive: true });

  // Lines keep arriving in numbers.txt, so the pipeline has a throughput to show.
  let next = 5001;
  const feeder = setInterval(() => {
    fs.appendFileSync(numbers, Array.from({ length: 40 }, () => `${next++}\n`).join(''));
  }, 100);
  try {
    await page.goto(`${restUrl}/ui/`);
    const row = (name) => page.getByRole('table', { name: 'Connectors' }).getByRole('row').filter({ hasText: name });
    await row('numbers-out').filter({ hasText: 'HEALTHY' }).waitFor();
    await page.getByTestId('lag-summary').first().waitFor();
    await until(async () => /^[1-9]/.test((await row('numbers-in').getByTestId('throughput-cell').textContent()) ?? ''), 'a throughput');
    await page.screenshot({ path: path.join(images, 'console-overview.png') });
  } finally {
    clearInterval(feeder);
  }

  await page.goto(`${restUrl}/ui/connectors/audit-out`);
  await page.getByRole('table', { name: 'Tasks' }).getByText('FAILED').waitFor();
  await page.screenshot({ path: path.join(images, 'console-failed-task.png') });
  console.log(`wrote ${path.join(images, 'console-overview.png')} and console-failed-task.png`);
} finally {
  await browser?.close();
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  fs.rmSync(work, { recursive: true, force: true });
}
