/**
 * A small client for the Kafka Connect REST API, shared by ferry and Apache Kafka Connect workers.
 * Each call resolves to the response's raw text next to its parsed body, so `--json` can print
 * exactly what the worker sent (large numbers in offsets survive unrounded). A status of 400 or
 * more rejects with ConnectApiError carrying the API's `message`; a worker that cannot be reached
 * or does not answer in time rejects with WorkerUnreachableError.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ApiResponse {
  status: number;
  /** The body exactly as sent; empty for 204 and other bodiless answers. */
  text: string;
  /** The parsed body, or undefined when there is none. */
  body: unknown;
}

export class ConnectApiError extends Error {
  override readonly name = 'ConnectApiError';

  constructor(readonly status: number, message: string, readonly text: string) {
    super(message);
  }
}

export class WorkerUnreachableError extends Error {
  override readonly name = 'WorkerUnreachableError';
}

/** Requests wait a little longer than Connect's own 90 s limit, so its timeout message wins. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

export interface ConnectClientOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
}

function describeCause(err: unknown): string {
  let cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  if (cause instanceof AggregateError && !cause.message && cause.errors[0] instanceof Error) cause = cause.errors[0];
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause as NodeJS.ErrnoException).code;
  const message = cause.message || cause.name;
  return code && !message.includes(code) ? `${code} ${message}` : message;
}

function errorMessage(status: number, statusText: string, text: string): string {
  try {
    const body: unknown = JSON.parse(text);
    if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
      return (body as { message: string }).message;
    }
  } catch {
    // not a Connect error body (a proxy's HTML page, say): fall through
  }
  const firstLine = text.trim().split(/\r?\n/, 1)[0] ?? '';
  return `HTTP ${status}${statusText ? ` ${statusText}` : ''}${firstLine ? `: ${firstLine.slice(0, 200)}` : ''}`;
}

export class ConnectClient {
  readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;

  /** `baseUrl` is the worker's REST URL, e.g. `http://127.0.0.1:8083`; a trailing `/` is ignored. */
  constructor(baseUrl: string, options: ConnectClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.fetchFn = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  /** `path` starts with `/` and carries any query string; its segments are already encoded. */
  async request(method: HttpMethod, path: string, body?: unknown): Promise<ApiResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let status: number;
    let statusText: string;
    let text: string;
    try {
      const response = await this.fetchFn(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      statusText = response.statusText;
      text = await response.text();
    } catch (err) {
      if (err instanceof Error && err.name === 'TimeoutError') {
        throw new WorkerUnreachableError(`worker at ${this.baseUrl} did not answer within ${this.timeoutMs / 1000} s`);
      }
      throw new WorkerUnreachableError(`cannot reach worker at ${this.baseUrl}: ${describeCause(err)}`, { cause: err });
    }
    if (status >= 400) throw new ConnectApiError(status, errorMessage(status, statusText, text), text);
    if (text.trim() === '') return { status, text: '', body: undefined };
    try {
      return { status, text, body: JSON.parse(text) };
    } catch {
      throw new ConnectApiError(status, `worker at ${this.baseUrl} answered ${method} ${path} with a body that is not JSON`, text);
    }
  }
}

/** Encodes a connector name for use as one path segment. */
export function connectorPath(name: string, suffix = ''): string {
  return `/connectors/${encodeURIComponent(name)}${suffix}`;
}
