/**
 * One way of talking to the cluster: a request returns the HTTP status and the parsed JSON body
 * for every answer the server gives (4xx and 5xx included); only failures to get an answer
 * (refused, reset, timed out) throw, as EsIoError. Both implementations (the official client,
 * and plain HTTP for servers the 8.x client refuses) sit behind this interface so that index
 * management, bulk and error handling are written once.
 */
import type { SecureContextOptions } from 'node:tls';

export interface EsAnswer {
  readonly status: number;
  readonly body: unknown;
  /** The URL the answer came from (for messages). */
  readonly url: string;
  /** Response headers (plain HTTP only). */
  readonly headers?: Readonly<Record<string, string | string[] | undefined>>;
}

export interface EsConnection {
  /** `client` (@elastic/elasticsearch) or `http` (plain _bulk over HTTP). */
  readonly kind: 'client' | 'http';
  request(method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE', path: string, body?: string, ndjson?: boolean): Promise<EsAnswer>;
  close(): Promise<void>;
}

export interface ConnectionSettings {
  readonly urls: readonly string[];
  readonly username: string | null;
  readonly password: string | null;
  readonly compression: boolean;
  readonly connectTimeoutMs: number;
  readonly readTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly maxSockets: number;
  /** TLS options for https URLs (CA, client certificate, host checking). */
  readonly tls: (SecureContextOptions & { rejectUnauthorized?: boolean; checkServerIdentity?: () => undefined }) | null;
}

/** No answer from the server at `url`. */
export class EsIoError extends Error {
  override readonly name = 'EsIoError';
  readonly url: string;

  constructor(url: string, message: string, options: { cause?: unknown } = {}) {
    super(`${url}: ${message}`, options);
    this.url = url;
  }
}

/** The server's own message from an error answer: `type: reason` (with the root cause when it adds something). */
export function serverMessage(body: unknown, status: number): string {
  if (body !== null && typeof body === 'object') {
    const error = (body as { error?: unknown }).error;
    if (typeof error === 'string') return error;
    if (error !== null && typeof error === 'object') return errorText(error as Record<string, unknown>);
    const message = (body as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  if (typeof body === 'string' && body.trim() !== '') return body.trim().slice(0, 500);
  return `HTTP ${status}`;
}

/** `type: reason`, followed by the caused_by chain. */
export function errorText(error: Record<string, unknown>): string {
  const parts: string[] = [];
  let current: Record<string, unknown> | undefined = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(`${String(current.type ?? 'error')}: ${String(current.reason ?? '')}`);
    const cause: unknown = current.caused_by;
    current = cause !== null && typeof cause === 'object' ? cause as Record<string, unknown> : undefined;
  }
  return parts.join('; caused by ');
}
