/**
 * `ferry health [--url URL] [--timeout-ms N]`: asks a worker's `GET /health` (KIP-1017) and prints
 * one line on stdout, exiting 0 only when the worker answered 200:
 *
 *   healthy
 *   starting: <the worker's message>        (503: still joining the group / reading its topics)
 *   unhealthy: <the worker's message>       (500, or any other status, named with its code)
 *   unreachable: <reason>                   (refused, timed out, bad URL)
 *
 * It is the container image's HEALTHCHECK, so it needs nothing but Node (global fetch) and exits 1
 * on every failure (Docker reserves 2). URL is the worker's REST URL; without --url it is the
 * listener the environment gives the worker (see health-url.ts).
 */
import { processIo, type CommandIo } from '../command-line/command-io.js';
import { defineCommand } from '../command-line/command-spec.js';
import { runCommand } from '../command-line/run-command.js';
import { workerUrlFromEnv } from '../worker/health-url.js';

/** Longer than the worker's own 10 s probe, so a worker whose command queue is stuck still answers "unhealthy" in time. */
export const DEFAULT_HEALTH_TIMEOUT_MS = 15_000;

/** Body of /health (Kafka's WorkerStatus), or of any error response. */
interface HealthBody {
  status?: unknown;
  message?: unknown;
}

export const healthCommand = defineCommand({
  name: 'health',
  summary: 'check a worker\'s GET /health; exit 0 only when healthy',
  description: 'Prints one line: healthy, starting: ..., unhealthy: ... or unreachable: ...; exits 0 only when healthy.',
  options: {
    url: { type: 'string', valueName: 'URL', description: 'the worker\'s REST URL (default: the listener CONNECT_LISTENERS or CONNECT_REST_PORT give, else http://127.0.0.1:8083)' },
    'timeout-ms': { type: 'integer', min: 1, default: DEFAULT_HEALTH_TIMEOUT_MS, description: 'how long to wait for the answer' },
  },
  // Docker reserves exit code 2 in a HEALTHCHECK.
  usageExitCode: 1,
  async run({ options, io }) {
    const say = (line: string, code: number) => {
      io.stdout.write(`${line}\n`);
      return code;
    };
    const timeoutMs = options['timeout-ms'];
    let url: URL;
    try {
      url = healthUrl(options.url ?? workerUrlFromEnv(io.env));
    } catch (err) {
      return say(`unreachable: ${(err as Error).message}`, 1);
    }
    let response: Response;
    let text: string;
    try {
      response = await io.fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
      text = await response.text();
    } catch (err) {
      return say(`unreachable: ${fetchFailure(err, url, timeoutMs)}`, 1);
    }
    if (response.status === 200) return say('healthy', 0);
    const body = parseBody(text);
    const state = body.status === 'starting' || body.status === 'unhealthy' ? body.status
      : response.status === 503 ? 'starting' : 'unhealthy';
    const message = typeof body.message === 'string' && body.message.trim() !== '' ? oneLine(body.message) : oneLine(text) || response.statusText;
    const code = `HTTP ${response.status}`;
    const kip1017 = (response.status === 503 || response.status === 500) && message !== '';
    const named = kip1017 || message.startsWith(code) ? message : `${code} ${message}`.trim();
    return say(`${state}: ${named}`, 1);
  },
});

/** `ferry health ARGS` on the given streams (tests), resolving to the exit code. */
export function runHealthCommand(args: string[], io: Partial<CommandIo> = {}): Promise<number> {
  return runCommand(healthCommand, args, processIo(io));
}

/** `base`/health, unless `base` already names /health. */
function healthUrl(base: string): URL {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new Error(`invalid URL '${base}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`URL must start with http:// or https://, got '${base}'`);
  if (!/\/health\/?$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/+$/, '')}/health`;
  return url;
}

function parseBody(text: string): HealthBody {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed as HealthBody : {};
  } catch {
    return {};
  }
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/** Why fetch got no answer: undici hides the socket error (ECONNREFUSED, ENOTFOUND, ...) in `cause`. */
function fetchFailure(err: unknown, url: URL, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `no answer from ${url.host} within ${timeoutMs} ms`;
  let cause: unknown = err;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  if (cause instanceof AggregateError && cause.errors[0] instanceof Error) cause = cause.errors[0];
  const reason = cause instanceof Error ? cause.message || (cause as NodeJS.ErrnoException).code || cause.name : String(cause);
  return oneLine(reason.includes(url.host) ? reason : `${reason} (${url.host})`);
}
