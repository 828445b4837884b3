/**
 * The official @elastic/elasticsearch 8.x client, for Elasticsearch 8 and 9 (it refuses other
 * servers). The client's own retries are off: the sink retries with its own back-off and limits.
 * Bulk requests go through `client.bulk` with the NDJSON body the sink built. The library is
 * loaded by `ClientConnection.open` (see elasticsearch-module.ts), not when this module is imported.
 */
import type { Client } from '@elastic/elasticsearch';
import { loadElasticsearchModule, type ElasticsearchModule } from './elasticsearch-module.js';
import { EsIoError, type ConnectionSettings, type EsAnswer, type EsConnection } from './es-connection.js';

export class ClientConnection implements EsConnection {
  readonly kind = 'client' as const;
  readonly #errors: ElasticsearchModule['errors'];
  readonly #client: Client;
  readonly #urls: readonly string[];

  /** A connection on a new client, loading the library on the first call of the process. */
  static async open(settings: ConnectionSettings): Promise<ClientConnection> {
    return new ClientConnection(await loadElasticsearchModule(), settings);
  }

  private constructor(library: ElasticsearchModule, settings: ConnectionSettings) {
    this.#errors = library.errors;
    this.#urls = settings.urls;
    this.#client = new library.Client({
      nodes: [...settings.urls],
      auth: settings.username ? { username: settings.username, password: settings.password ?? '' } : undefined,
      compression: settings.compression,
      requestTimeout: settings.connectTimeoutMs + settings.readTimeoutMs,
      maxRetries: 0,
      tls: settings.tls ?? undefined,
      agent: { connections: settings.maxSockets },
    });
  }

  /** The client itself (benchmarks compare against a bare loop on it). */
  get client(): Client {
    return this.#client;
  }

  async request(method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE', path: string, body?: string, ndjson = false): Promise<EsAnswer> {
    try {
      const query = path.indexOf('?');
      if (ndjson && method === 'POST' && (query < 0 ? path : path.slice(0, query)) === '/_bulk') {
        const params = Object.fromEntries(new URLSearchParams(query < 0 ? '' : path.slice(query + 1)));
        const result = await this.#client.bulk({ ...params, body } as unknown as Parameters<Client['bulk']>[0], { meta: true });
        return { status: result.statusCode ?? 200, body: result.body, url: this.#urlOf(result.meta.connection?.url) };
      }
      const result = await this.#client.transport.request({ method, path, body }, { meta: true });
      return { status: result.statusCode ?? 200, body: result.body, url: this.#urlOf(result.meta.connection?.url) };
    } catch (err) {
      const errors = this.#errors;
      if (err instanceof errors.ResponseError) {
        return { status: err.meta.statusCode ?? 500, body: err.meta.body, url: this.#urlOf(err.meta.meta.connection?.url) };
      }
      const url = err instanceof errors.ElasticsearchClientError && 'meta' in err
        ? this.#urlOf((err as { meta?: { meta?: { connection?: { url?: URL } | null } } }).meta?.meta?.connection?.url)
        : this.#urls.join(',');
      throw new EsIoError(url, err instanceof Error ? err.message : String(err), { cause: err });
    }
  }

  #urlOf(url: URL | undefined): string {
    return url === undefined ? this.#urls.join(',') : url.origin;
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}
