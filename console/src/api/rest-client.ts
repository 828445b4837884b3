/**
 * The console's only way to the worker: same-origin calls to the public REST API with relative
 * URLs, the stored credentials as Authorization, JSON in and out. A non-2xx answer becomes a
 * RestError carrying Connect's `{error_code, message}`; a 401 first waits for the user to log in
 * (api/auth.ts) and then repeats the call.
 */
import { authorization, waitForLogin } from './auth.js';
import type { ErrorMessage } from './types.js';

export class RestError extends Error {
  readonly status: number;
  /** Connect's error_code, null when the body was not Connect's error shape. */
  readonly errorCode: number | null;
  /** The parsed body (or its text when it is not JSON). */
  readonly body: unknown;

  constructor(status: number, errorCode: number | null, message: string, body: unknown) {
    super(message);
    this.name = 'RestError';
    this.status = status;
    this.errorCode = errorCode;
    this.body = body;
  }
}

type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';

function isErrorMessage(body: unknown): body is ErrorMessage {
  return typeof body === 'object' && body !== null && typeof (body as ErrorMessage).message === 'string';
}

async function send(method: Method, path: string, body: unknown, accept: string): Promise<Response> {
  for (;;) {
    const headers: Record<string, string> = { accept };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const auth = authorization();
    if (auth) headers.authorization = auth;
    // credentials 'omit': the Authorization header is ours; without it a 401's Basic challenge
    // would make the browser show its own password prompt instead of the console's login page.
    const response = await fetch(path, { method, headers, credentials: 'omit', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    if (response.status === 401) {
      await waitForLogin();
      continue;
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  }
}

async function errorOf(response: Response): Promise<RestError> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  if (isErrorMessage(body)) {
    const code = typeof body.error_code === 'number' ? body.error_code : null;
    return new RestError(response.status, code, body.message, body);
  }
  const message = typeof body === 'string' && body.trim() !== '' ? body.trim() : `${response.status} ${response.statusText}`;
  return new RestError(response.status, null, message, body);
}

async function json<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body, 'application/json');
  const text = await response.text();
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

export const rest = {
  get<T>(path: string): Promise<T> { return json<T>('GET', path); },
  put<T>(path: string, body?: unknown): Promise<T> { return json<T>('PUT', path, body); },
  post<T>(path: string, body?: unknown): Promise<T> { return json<T>('POST', path, body); },
  delete<T>(path: string): Promise<T> { return json<T>('DELETE', path); },
  /** A non-JSON answer as text, e.g. GET /metrics. */
  async text(path: string): Promise<string> {
    const response = await send('GET', path, undefined, 'text/plain, */*');
    return response.text();
  },
};

/** A path segment: connector names may hold any character. */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

/** A readable message for any error thrown by a call. */
export function errorText(error: unknown): string {
  if (error instanceof RestError) return error.message;
  if (error instanceof Error) return error.message === 'Failed to fetch' ? 'The worker cannot be reached.' : error.message;
  return String(error);
}
