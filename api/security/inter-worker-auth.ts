/**
 * The client side of REST security for requests one worker sends to another (forwarding to the
 * leader, follower-to-leader calls). Which Authorization header goes out:
 * - a request forwarded on behalf of a client carries that client's own Authorization header,
 *   unchanged (Kafka's forwarding copies exactly this header), so the target worker applies the
 *   same checks to the same identity;
 * - a request the worker makes on its own behalf, or a forwarded one that had no header, carries
 *   the worker's own credentials (`rest.auth.inter.worker.*`), or none when those are unset.
 * `tls` is what node's `https.request` needs to reach a worker's HTTPS listener: the CAs to trust
 * and this worker's certificate for listeners that require one.
 */
import type https from 'node:https';
import type tls from 'node:tls';
import type { Password } from '../../connectors/sdk/config/password.js';

export type InterWorkerCredentials =
  | { readonly scheme: 'basic'; readonly user: string; readonly password: Password }
  | { readonly scheme: 'bearer'; readonly token: Password };

export interface InterWorkerAuthOptions {
  credentials?: InterWorkerCredentials;
  /** TLS options for HTTPS targets (see tls-options.ts httpsClientOptions). */
  tls?: tls.ConnectionOptions;
}

export class InterWorkerAuth {
  readonly #credentials: InterWorkerCredentials | undefined;
  /** For `https.request`; undefined when this worker has no HTTPS settings. */
  readonly tls: tls.ConnectionOptions | undefined;

  constructor(options: InterWorkerAuthOptions = {}) {
    this.#credentials = options.credentials;
    this.tls = options.tls;
  }

  /** The Authorization header value to send, or undefined for none. */
  authorization(forwardedAuthorization?: string | null): string | undefined {
    if (forwardedAuthorization) return forwardedAuthorization;
    const credentials = this.#credentials;
    if (!credentials) return undefined;
    if (credentials.scheme === 'bearer') return `Bearer ${credentials.token.reveal()}`;
    return `Basic ${Buffer.from(`${credentials.user}:${credentials.password.reveal()}`, 'utf8').toString('base64')}`;
  }

  /** A copy of `headers` with the Authorization header set (or removed, when there is none to send). */
  withAuthorization(headers: Readonly<Record<string, string>> = {}, forwardedAuthorization?: string | null): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() !== 'authorization') out[name] = value;
    const authorization = this.authorization(forwardedAuthorization);
    if (authorization !== undefined) out.authorization = authorization;
    return out;
  }

  /** Options for `http.request`/`https.request` to another worker: method, headers with Authorization, TLS. */
  requestOptions(request: { method: string; headers?: Readonly<Record<string, string>>; forwardedAuthorization?: string | null }): https.RequestOptions {
    return {
      ...this.tls,
      method: request.method,
      headers: this.withAuthorization(request.headers, request.forwardedAuthorization),
    };
  }

  toString(): string {
    return `InterWorkerAuth(${this.#credentials?.scheme ?? 'none'})`;
  }
}
