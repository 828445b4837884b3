/**
 * The REST calls the sink makes, over one EsConnection, with Confluent's retry rule: a request
 * that gets no answer, or a 429 or 5xx answer, is retried with back-off up to max.retries times;
 * then (and at once for any other error answer, such as 401 for wrong credentials) it fails with
 * a ConnectError naming the URL and the server's message.
 */
import { ConnectError } from '../sdk/errors.js';
import type { TaskLogger } from '../sdk/task-logger.js';
import { EsIoError, serverMessage, type EsAnswer, type EsConnection } from './es-connection.js';
import { backoffMs, sleep } from './retry-backoff.js';

/**
 * What the sink reads of a bulk answer: each item's status and error. Without the filter the
 * server writes, and the sink parses, ~200 bytes of _index/_id/_version/_shards/_seq_no per document
 * (ES 7+ and OpenSearch honour filter_path).
 */
export const BULK_FILTER = 'items.*.status,items.*.error';

export interface RetrySettings {
  readonly maxRetries: number;
  readonly backoffMs: number;
}

export function isRetriableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

export class Cluster {
  readonly connection: EsConnection;
  readonly #retry: RetrySettings;
  readonly #logger: TaskLogger;
  readonly #signal: AbortSignal;

  constructor(connection: EsConnection, retry: RetrySettings, logger: TaskLogger, signal: AbortSignal) {
    this.connection = connection;
    this.#retry = retry;
    this.#logger = logger;
    this.#signal = signal;
  }

  /**
   * `method path` until it gets an answer that is not 429/5xx, or the retries run out. Answers
   * with a status in `accept` are returned; any other error answer throws.
   */
  async call(what: string, method: 'GET' | 'HEAD' | 'PUT' | 'POST', path: string, body?: string, accept: readonly number[] = [], ndjson = false): Promise<EsAnswer> {
    for (let attempt = 0; ; attempt++) {
      let failure: string;
      try {
        const answer = await this.connection.request(method, path, body, ndjson);
        if (answer.status < 300 || accept.includes(answer.status)) return answer;
        failure = `${answer.url}: ${what} failed with HTTP ${answer.status}: ${serverMessage(answer.body, answer.status)}`;
        if (!isRetriableStatus(answer.status)) throw new ConnectError(failure);
      } catch (err) {
        if (err instanceof ConnectError) throw err;
        if (!(err instanceof EsIoError)) throw err;
        failure = `${what} failed: ${err.message}`;
      }
      if (attempt >= this.#retry.maxRetries || this.#signal.aborted) {
        throw new ConnectError(`${failure} (after ${attempt + 1} attempts; max.retries=${this.#retry.maxRetries})`);
      }
      const wait = backoffMs(attempt, this.#retry.backoffMs);
      this.#logger.warn({ attempt: attempt + 1, waitMs: wait }, `${failure}; retrying`);
      await sleep(wait, this.#signal);
    }
  }

  /** Creates the index or data stream unless it exists; a concurrent creation is fine. */
  async ensureResource(name: string, dataStream: boolean): Promise<boolean> {
    const path = `/${encodeURIComponent(name)}`;
    const exists = await this.call(`checking whether ${name} exists`, 'HEAD', path, undefined, [404]);
    if (exists.status !== 404) return false;
    const created = await this.call(`creating ${dataStream ? 'data stream' : 'index'} ${name}`, 'PUT',
      dataStream ? `/_data_stream/${encodeURIComponent(name)}` : path, dataStream ? undefined : '{}', [400]);
    if (created.status === 400 && !serverMessage(created.body, 400).includes('already_exists')) {
      throw new ConnectError(`${created.url}: creating ${name} failed with HTTP 400: ${serverMessage(created.body, 400)}`);
    }
    return created.status < 300;
  }

  /** Whether any index behind `name` has a non-empty mapping. */
  async hasMapping(name: string): Promise<boolean> {
    const answer = await this.call(`reading the mapping of ${name}`, 'GET', `/${encodeURIComponent(name)}/_mapping`, undefined, [404]);
    if (answer.status === 404 || answer.body === null || typeof answer.body !== 'object') return false;
    for (const index of Object.values(answer.body as Record<string, { mappings?: Record<string, unknown> }>)) {
      const mappings = index?.mappings;
      if (mappings !== undefined && mappings !== null && Object.keys(mappings).length > 0) {
        const properties = (mappings as { properties?: Record<string, unknown> }).properties;
        if (properties === undefined || Object.keys(properties).length > 0) return true;
      }
    }
    return false;
  }

  async putMapping(name: string, mapping: unknown): Promise<void> {
    await this.call(`putting the mapping of ${name}`, 'PUT', `/${encodeURIComponent(name)}/_mapping`, JSON.stringify(mapping));
  }

  /** One bulk request; whole-request failures are retried here, item failures are the caller's. */
  async bulk(ndjson: string): Promise<EsAnswer> {
    return this.call('bulk request', 'POST', `/_bulk?filter_path=${BULK_FILTER}`, ndjson, [], true);
  }
}
