/**
 * Debian's Chromium (/usr/bin/chromium) driven by playwright-core, for the web console's browser
 * tests. `useBrowser()` registers the hooks of one test file:
 *
 * - one headless Chromium per file, launched with the flags a closed-network root container needs
 *   and a fresh --user-data-dir in a temporary directory (removed after the file);
 * - one page per test (`open()`), with every console error, uncaught page error and failed
 *   request collected. After the test the page is closed, and the test fails if the page logged
 *   a console error it did not announce with `allowConsoleErrors` (a 401 the login path expects,
 *   say) or threw an uncaught error.
 * - screenshots go to test-output/console/ (gitignored); a failed test leaves
 *   `<test name>-failed.png` there.
 *
 * playwright-core has no `expect`: wait with locator.waitFor() (on a locator filtered by the text
 * you expect), page.waitForResponse() registered before the click, or `textWhen` below, then
 * assert with vitest's expect. No sleeps.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page, type Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { repoRoot } from './repo-root.js';
import { tempDir } from './temp-dir.js';
import { until } from './until.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Chromium's flags for a headless run as root on a machine without outside network (see the test-environment reference). */
const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Where screenshots are written: test-output/console/ at the repository root (gitignored). */
export const SCREENSHOT_DIR = path.join(repoRoot(import.meta.dirname), 'test-output', 'console');

export const DEFAULT_VIEWPORT = { width: 1280, height: 800 } as const;

/** How long a locator action or wait may take before it fails. */
export const ACTION_TIMEOUT_MS = 15_000;

export interface BrowserPage {
  readonly page: Page;
  /** Console errors so far, each as "text (url)". */
  readonly consoleErrors: string[];
  /** Uncaught exceptions thrown in the page. */
  readonly pageErrors: string[];
  /** Requests that failed at the network level (not HTTP error statuses), as "METHOD url: error". */
  readonly failedRequests: string[];
  /** Console errors matching `pattern` will not fail the test (e.g. Chromium's "status of 401" line on the login path). */
  allowConsoleErrors(pattern: RegExp): void;
  /** Failed requests matching `pattern` will not fail the test (e.g. refused connections once the worker is stopped). */
  allowFailedRequests(pattern: RegExp): void;
  /** Saves a PNG of the page as test-output/console/<name>.png and returns its path. */
  screenshot(name: string, opts?: { fullPage?: boolean }): Promise<string>;
}

export interface Browser {
  /** A new page at `url`, loaded (the `load` event). */
  open(url: string, opts?: { viewport?: { width: number; height: number } }): Promise<BrowserPage>;
}

interface OpenPage extends BrowserPage {
  readonly allowed: RegExp[];
  readonly allowedFailures: RegExp[];
}

/** Registers beforeAll/afterEach/afterAll hooks for one Chromium per test file; call at the top level of the file. */
export function useBrowser(): Browser {
  let context: BrowserContext | undefined;
  const pages: OpenPage[] = [];

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    // launchPersistentContext is playwright's way to give Chromium a --user-data-dir of our choosing.
    context = await chromium.launchPersistentContext(tempDir('ferry-chromium-'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: DEFAULT_VIEWPORT,
    });
    // Below vitest's 60 s test timeout, so a missing element fails with playwright's call log.
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  });

  afterEach(async (ctx) => {
    const open = pages.splice(0);
    const failed = (ctx.task.result?.errors?.length ?? 0) > 0;
    const problems: string[] = [];
    for (const p of open) {
      if (failed && !p.page.isClosed()) {
        await p.page.screenshot({ path: path.join(SCREENSHOT_DIR, `${fileSafe(ctx.task.name)}-failed.png`) }).catch(() => undefined);
      }
      if (!p.page.isClosed()) await p.page.close();
      const unexpected = p.consoleErrors.filter((line) => !p.allowed.some((re) => re.test(line)));
      if (unexpected.length > 0) problems.push(`console errors:\n  ${unexpected.join('\n  ')}`);
      if (p.pageErrors.length > 0) problems.push(`uncaught page errors:\n  ${p.pageErrors.join('\n  ')}`);
      const failures = p.failedRequests.filter((line) => !p.allowedFailures.some((re) => re.test(line)));
      if (failures.length > 0) problems.push(`failed requests:\n  ${failures.join('\n  ')}`);
    }
    if (problems.length > 0 && !failed) throw new Error(`the page reported problems:\n${problems.join('\n')}`);
  });

  afterAll(async () => {
    await context?.close();
    context = undefined;
  });

  return {
    async open(url, opts = {}) {
      if (context === undefined) throw new Error('useBrowser(): open() called outside a test');
      const page = await context.newPage();
      if (opts.viewport) await page.setViewportSize(opts.viewport);
      const opened: OpenPage = {
        page,
        consoleErrors: [],
        pageErrors: [],
        failedRequests: [],
        allowed: [],
        allowedFailures: [],
        allowConsoleErrors(pattern) { this.allowed.push(pattern); },
        allowFailedRequests(pattern) { this.allowedFailures.push(pattern); },
        async screenshot(name, shotOpts = {}) {
          const file = path.join(SCREENSHOT_DIR, `${fileSafe(name)}.png`);
          await page.screenshot({ path: file, fullPage: shotOpts.fullPage ?? false });
          return file;
        },
      };
      page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        const where = msg.location().url;
        opened.consoleErrors.push(where ? `${msg.text()} (${where})` : msg.text());
      });
      page.on('pageerror', (err) => { opened.pageErrors.push(err.stack ?? err.message); });
      page.on('requestfailed', (request) => {
        const error = request.failure()?.errorText ?? 'failed';
        // A poll cut short by a navigation or a closing page is not a problem of the console.
        if (error === 'net::ERR_ABORTED') return;
        opened.failedRequests.push(`${request.method()} ${request.url()}: ${error}`);
      });
      pages.push(opened);
      await page.goto(url);
      return opened;
    },
  };
}

/**
 * The text of `locator` once `accept` holds for it (polling; the locator is re-resolved each
 * time, so a re-rendered element is followed). Throws with the last text seen.
 */
export async function textWhen(locator: Locator, accept: (text: string) => boolean, opts: { timeoutMs?: number; what?: string } = {}): Promise<string> {
  let last = '(no element)';
  try {
    return await until(async () => {
      const text = await locator.first().textContent({ timeout: 1_000 });
      last = text ?? '';
      return text !== null && accept(text) ? text : null;
    }, { timeoutMs: opts.timeoutMs ?? 20_000, intervalMs: 100, what: opts.what ?? String(locator) });
  } catch (err) {
    throw new Error(`${(err as Error).message}; last text: ${JSON.stringify(last)}`, { cause: err });
  }
}

/** Resolves with the next response of `method` to a path matching `pathPattern` (register it before the click). */
export function nextResponse(page: Page, method: string, pathPattern: RegExp, timeoutMs = 20_000): Promise<Response> {
  return page.waitForResponse((r) => r.request().method() === method && pathPattern.test(new URL(r.url()).pathname), { timeout: timeoutMs });
}

function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100);
}
