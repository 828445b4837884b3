/**
 * Plain HTTP(S) to the cluster (node:http with keep-alive), for servers the 8.x client refuses:
 * OpenSearch 1.x/2.x and Elasticsearch 7.x. Bulk bodies go as `application/x-ndjson`.
 *
 * Several URLs: requests go to the current one; when it gives no answer the next request goes to
 * the next URL (the caller retries). Timeouts: connection.timeout.ms to get a socket connected,
 * read.timeout.ms for the whole exchange after that.
 */
import http from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { EsIoError, type ConnectionSettings, type EsAnswer, type EsConnection } from './es-connection.js';

const gzipAsync = promisify(gzip);

export class HttpConnection implements EsConnection {
  readonly kind = 'http' as const;
  readonly #settings: ConnectionSettings;
  readonly #httpAgent: http.Agent;
  readonly #httpsAgent: https.Agent;
  readonly #authorization: string | null;
  #current = 0;

  constructor(settings: ConnectionSettings) {
    this.#settings = settings;
    const common = { keepAlive: true, maxSockets: settings.maxSockets, timeout: settings.idleTimeoutMs > 0 ? settings.idleTimeoutMs : undefined };
    this.#httpAgent = new http.Agent(common);
    this.#httpsAgent = new https.Agent({ ...common, ...(settings.tls ?? {}) });
    this.#authorization = settings.username ? `Basic ${Buffer.from(`${settings.username}:${settings.password ?? ''}`).toString('base64')}` : null;
  }

  async request(method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE', path: string, body?: string, ndjson = false): Promise<EsAnswer> {
    const base = this.#settings.urls[this.#current % this.#settings.urls.length]!;
    try {
      return await this.#send(base, method, path, body, ndjson);
    } catch (err) {
      this.#current++;
      throw err;
    }
  }

  async #send(base: string, method: string, path: string, body: string | undefined, ndjson: boolean): Promise<EsAnswer> {
    const url = new URL(base.replace(/\/+$/, '') + path);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#authorization !== null) headers.authorization = this.#authorization;
    let payload: Buffer | undefined;
    if (body !== undefined) {
      headers['content-type'] = ndjson ? 'application/x-ndjson' : 'application/json';
      payload = Buffer.from(body, 'utf8');
      if (this.#settings.compression) {
        payload = await gzipAsync(payload);
        headers['content-encoding'] = 'gzip';
      }
      headers['content-length'] = String(payload.length);
    }
    const secure = url.protocol === 'https:';
    const where = `${url.origin}${url.pathname}`;
    return new Promise<EsAnswer>((resolve, reject) => {
      const req = (secure ? https : http).request(url, { method, headers, agent: secure ? this.#httpsAgent : this.#httpAgent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(new EsIoError(where, err.message, { cause: err })));
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          if (text !== '' && (res.headers['content-type'] ?? '').includes('json')) {
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = text;
            }
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, url: where, headers: res.headers });
        });
      });
      let connected = false;
      const fail = (message: string) => req.destroy(new EsIoError(where, message));
      let timer = setTimeout(() => fail(`no connection within ${this.#settings.connectTimeoutMs} ms (connection.timeout.ms)`), this.#settings.connectTimeoutMs || 2 ** 31 - 1);
      req.on('socket', (socket) => {
        const onConnected = () => {
          if (connected) return;
          connected = true;
          clearTimeout(timer);
          timer = setTimeout(() => fail(`no answer within ${this.#settings.readTimeoutMs} ms (read.timeout.ms)`), this.#settings.readTimeoutMs || 2 ** 31 - 1);
        };
        if (socket.connecting) socket.once(secure ? 'secureConnect' : 'connect', onConnected);
        else onConnected();
      });
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err instanceof EsIoError ? err : new EsIoError(where, err.message, { cause: err }));
      });
      req.end(payload);
    });
  }

  async close(): Promise<void> {
    this.#httpAgent.destroy();
    this.#httpsAgent.destroy();
  }
}
