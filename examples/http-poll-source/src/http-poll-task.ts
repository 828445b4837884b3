/**
 * The task: GETs the URL every poll.interval.ms and turns the answer into records.
 *
 * Offsets: the source partition is the URL. With id.field the offset is the last element id
 * written (`{ lastId }`), and elements at or below it are skipped; otherwise it is a digest of
 * the last answer written (`{ digest }`), and the same answer is not written twice in a row.
 * Both are read back in start(), so a restarted task repeats nothing it committed.
 *
 * poll() waits for the next request time, but returns at once (with no records) when its
 * signal aborts; the request itself is aborted with it.
 */
import { createHash } from 'node:crypto';
import {
  ConnectError, RetriableError, Schema, type OffsetValue, type SourcePartition, type SourceRecord, type SourceTask,
  type SourceTaskContext, type RawConfig,
} from 'ferry/sdk';
import { httpPollSpec, type HttpPollConfig } from './http-poll-config.js';

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

function isAfter(id: OffsetValue, last: OffsetValue): boolean {
  if (last === null) return true;
  if (typeof id === 'number' && typeof last === 'number') return id > last;
  return String(id) > String(last);
}

export class HttpPollSourceTask implements SourceTask {
  #config!: HttpPollConfig;
  #partition!: SourcePartition;
  #lastId: OffsetValue = null;
  #lastDigest: string | null = null;
  #nextRequestAt = 0;

  async start(raw: RawConfig, context: SourceTaskContext): Promise<void> {
    this.#config = httpPollSpec.parse(raw);
    this.#partition = { url: this.#config.url };
    // One partition asked for: the answer holds at most its offset.
    const stored = [...(await context.offsets.offsets([this.#partition])).values()][0];
    this.#lastId = stored?.['lastId'] ?? null;
    this.#lastDigest = typeof stored?.['digest'] === 'string' ? stored['digest'] : null;
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[]> {
    await pause(this.#nextRequestAt - Date.now(), signal);
    if (signal.aborted) return [];
    this.#nextRequestAt = Date.now() + this.#config.pollIntervalMs;
    const body = await this.#get(signal);
    if (body === null) return [];
    return this.#records(body);
  }

  stop(): void {
    // Nothing to release: each request ends with its poll.
  }

  async #get(signal: AbortSignal): Promise<string | null> {
    let response: Response;
    try {
      response = await fetch(this.#config.url, { signal: AbortSignal.any([signal, AbortSignal.timeout(this.#config.requestTimeoutMs)]) });
    } catch (err) {
      if (signal.aborted) return null;
      throw new RetriableError(`GET ${this.#config.url} failed: ${(err as Error).message}`, { cause: err });
    }
    const body = await response.text();
    if (response.status >= 500) throw new RetriableError(`GET ${this.#config.url} answered ${response.status}`);
    if (!response.ok) throw new ConnectError(`GET ${this.#config.url} answered ${response.status}: ${body.slice(0, 200)}`);
    return body;
  }

  #records(body: string): SourceRecord[] {
    const digest = createHash('sha256').update(body).digest('hex');
    let elements: unknown[] | null = null;
    if (this.#config.splitJsonArray) {
      try {
        const parsed: unknown = JSON.parse(body);
        if (Array.isArray(parsed)) elements = parsed;
      } catch {
        // Not JSON: one record for the whole answer.
      }
    }
    const idField = this.#config.idField;
    if (elements !== null && idField !== null && idField !== '') {
      const records: SourceRecord[] = [];
      for (const element of elements) {
        const id = (element as Record<string, unknown> | null)?.[idField];
        if (typeof id !== 'number' && typeof id !== 'string') {
          throw new ConnectError(`an element of ${this.#config.url} has no ${idField} (a number or a string): ${JSON.stringify(element).slice(0, 200)}`);
        }
        if (!isAfter(id, this.#lastId)) continue;
        this.#lastId = id;
        records.push(this.#record(JSON.stringify(element), { lastId: id }));
      }
      return records;
    }
    if (digest === this.#lastDigest) return [];
    this.#lastDigest = digest;
    const values = elements === null ? [body] : elements.map((e) => JSON.stringify(e));
    return values.map((value) => this.#record(value, { digest }));
  }

  #record(value: string, offset: Record<string, OffsetValue>): SourceRecord {
    return {
      topic: this.#config.topic,
      kafkaPartition: null,
      keySchema: null,
      key: null,
      valueSchema: Schema.STRING_SCHEMA,
      value,
      timestamp: null,
      headers: [],
      sourcePartition: this.#partition,
      sourceOffset: offset,
    };
  }
}
