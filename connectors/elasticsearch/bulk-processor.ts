/**
 * Batches actions into bulk requests and keeps up to max.in.flight.requests of them in flight.
 *
 * Batching: the open batch is sealed when it reaches batch.size actions or bulk.size.bytes, or
 * linger.ms after its first action, or when `flush` asks. Sealed batches go out in order as
 * in-flight slots free up; a batch holding an order-sensitive action (an unversioned action with
 * an id, i.e. an upsert) waits while another batch with an action for the same id is in flight,
 * so updates of one document are applied in offset order.
 *
 * Answers: whole-request failures are retried by the Cluster. Items are read one by one (see
 * item-outcome.ts); 429/5xx items (and those whose index vanished, after it is re-created) are
 * sent again in their original order with back-off and jitter, up to max.retries rounds; an
 * unversioned action is re-sent together with the later actions for its id from the same batch,
 * so the newest stays last. A record's ticket is marked done only once its fate is settled
 * (acknowledged, superseded, or dead-lettered), so offsets never pass an unsettled record.
 *
 * Failure: anything that must fail the task goes to `hooks.fatal` once; afterwards nothing new is
 * sent and the records left stay unsettled (their offsets are not committed).
 *
 * Concurrency: single-threaded JS; jobs interleave only at awaits. `add`/`flush` are called by the
 * task; jobs run in the background and report through the hooks.
 */
import type { TaskLogger } from '../sdk/task-logger.js';
import { ConnectError } from '../sdk/errors.js';
import type { BulkAction } from './bulk-action.js';
import type { Cluster } from './cluster.js';
import { itemOf, outcomeOf, reasonOf } from './item-outcome.js';
import type { OffsetTracker, Ticket } from './offset-tracker.js';
import { backoffMs, sleep } from './retry-backoff.js';

export interface Pending {
  readonly action: BulkAction;
  readonly ticket: Ticket;
}

export interface BulkSettings {
  readonly batchSize: number;
  /** -1: no byte limit. */
  readonly bulkSizeBytes: number;
  readonly lingerMs: number;
  readonly maxInFlight: number;
  readonly maxRetries: number;
  readonly retryBackoffMs: number;
}

export interface BulkHooks {
  /** A document the server rejected as malformed; resolves once it is dead-lettered (throws to fail the task). */
  malformed(pending: Pending, reason: string): Promise<void>;
  /** A version conflict on an unversioned action. */
  conflict(pending: Pending, reason: string): Promise<void>;
  /** An item failure that fails the task, after the record is reported. */
  failed(pending: Pending, reason: string): Promise<void>;
  /** The index was deleted while the task was writing to it: create it again. */
  indexMissing(index: string): Promise<void>;
  /** Some records were settled (for back-pressure). */
  settled(): void;
  fatal(error: Error): void;
}

interface Batch {
  readonly items: Pending[];
  bytes: number;
}

export class BulkProcessor {
  readonly #cluster: Cluster;
  readonly #settings: BulkSettings;
  readonly #tracker: OffsetTracker;
  readonly #hooks: BulkHooks;
  readonly #logger: TaskLogger;
  readonly #signal: AbortSignal;
  readonly #queue: Batch[] = [];
  readonly #busyIds = new Map<string, number>();
  readonly #idle: Array<() => void> = [];
  #open: Batch = { items: [], bytes: 0 };
  #timer: NodeJS.Timeout | undefined;
  #inFlight = 0;
  #failed = false;
  /** Bulk requests sent (first attempts and item retries), for tests and benchmarks. */
  requests = 0;

  constructor(cluster: Cluster, settings: BulkSettings, tracker: OffsetTracker, hooks: BulkHooks, logger: TaskLogger, signal: AbortSignal) {
    this.#cluster = cluster;
    this.#settings = settings;
    this.#tracker = tracker;
    this.#hooks = hooks;
    this.#logger = logger;
    this.#signal = signal;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Actions not yet sent (open and sealed batches). */
  get queued(): number {
    return this.#open.items.length + this.#queue.reduce((n, b) => n + b.items.length, 0);
  }

  add(pending: Pending): void {
    const limit = this.#settings.bulkSizeBytes;
    if (limit > 0 && this.#open.items.length > 0 && this.#open.bytes + pending.action.bytes > limit) this.#seal();
    this.#open.items.push(pending);
    this.#open.bytes += pending.action.bytes;
    if (this.#open.items.length >= this.#settings.batchSize || (limit > 0 && this.#open.bytes >= limit)) {
      this.#seal();
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#seal();
      }, this.#settings.lingerMs);
    }
  }

  /** Sends the open batch now (without waiting for its answer). */
  flush(): void {
    this.#seal();
  }

  /** Resolves when nothing is queued or in flight, or after `timeoutMs`; true when drained. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.#seal();
    const deadline = Date.now() + timeoutMs;
    while ((this.#inFlight > 0 || this.#queue.length > 0) && !this.#failed) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#idle.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.#inFlight === 0 && this.#queue.length === 0;
  }

  /** Resolves at the next settled bulk request (or at once when nothing is in flight). */
  progress(): Promise<void> {
    if (this.#inFlight === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#failed = true;
    this.#wake();
  }

  #seal(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#open.items.length === 0) return;
    this.#queue.push(this.#open);
    this.#open = { items: [], bytes: 0 };
    this.#pump();
  }

  #pump(): void {
    while (!this.#failed && this.#inFlight < this.#settings.maxInFlight && this.#queue.length > 0) {
      const batch = this.#queue[0]!;
      const ids = orderSensitiveIds(batch.items);
      if (ids.some((id) => this.#busyIds.has(id))) return;
      this.#queue.shift();
      for (const id of ids) this.#busyIds.set(id, (this.#busyIds.get(id) ?? 0) + 1);
      this.#inFlight++;
      void this.#run(batch.items).catch((err: unknown) => this.#fail(err)).finally(() => {
        this.#inFlight--;
        for (const id of ids) {
          const n = (this.#busyIds.get(id) ?? 1) - 1;
          if (n === 0) this.#busyIds.delete(id);
          else this.#busyIds.set(id, n);
        }
        this.#wake();
        this.#pump();
      });
    }
  }

  #wake(): void {
    for (const resolve of this.#idle.splice(0)) resolve();
  }

  #fail(err: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#hooks.fatal(err instanceof Error ? err : new ConnectError(String(err)));
  }

  async #run(batch: Pending[]): Promise<void> {
    let items = batch;
    for (let round = 0; ; round++) {
      if (this.#failed) return;
      this.requests++;
      const answer = await this.#cluster.bulk(items.map((p) => p.action.ndjson).join(''));
      const entries = (answer.body as { items?: unknown[] } | null)?.items;
      if (!Array.isArray(entries) || entries.length !== items.length) {
        throw new ConnectError(`${answer.url}: the bulk answer has ${Array.isArray(entries) ? entries.length : 'no'} items for ${items.length} actions`);
      }
      const retry = new Set<number>();
      const missing = new Set<string>();
      let lastReason = '';
      for (let i = 0; i < items.length; i++) {
        const pending = items[i]!;
        const item = itemOf(entries[i]);
        if (item === null) throw new ConnectError(`${answer.url}: unreadable bulk answer item ${i}`);
        const outcome = outcomeOf(item, pending.action.externalVersion !== null, pending.action.kind);
        switch (outcome) {
          case 'ok':
            this.#settle(pending);
            break;
          case 'superseded':
            this.#logger.debug({ index: pending.action.index, id: pending.action.id, version: pending.action.externalVersion },
              'Ignoring an external version conflict: a newer version of the document is already indexed');
            this.#settle(pending);
            break;
          case 'conflict':
            await this.#hooks.conflict(pending, reasonOf(item));
            this.#settle(pending);
            break;
          case 'malformed':
            await this.#hooks.malformed(pending, reasonOf(item));
            this.#settle(pending);
            break;
          case 'missing-index':
            missing.add(pending.action.index);
            retry.add(i);
            lastReason = reasonOf(item);
            break;
          case 'retry':
            retry.add(i);
            lastReason = reasonOf(item);
            break;
          case 'failed':
            await this.#hooks.failed(pending, reasonOf(item));
            throw new ConnectError(`${answer.url}: indexing the record from topic=${pending.action.record.topic} partition=${pending.action.record.kafkaPartition} offset=${pending.action.record.kafkaOffset} failed: ${reasonOf(item)}`);
        }
      }
      this.#hooks.settled();
      if (retry.size === 0) return;
      if (round >= this.#settings.maxRetries) {
        throw new ConnectError(`${answer.url}: ${retry.size} bulk items still failing after ${round + 1} attempts (max.retries=${this.#settings.maxRetries}): ${lastReason}`);
      }
      for (const index of missing) await this.#hooks.indexMissing(index);
      items = withLaterSameId(items, retry);
      const wait = backoffMs(round, this.#settings.retryBackoffMs);
      this.#logger.debug({ items: items.length, waitMs: wait, reason: lastReason }, 'Retrying bulk items the cluster could not take');
      await sleep(wait, this.#signal);
      if (this.#signal.aborted) return;
    }
  }

  #settle(pending: Pending): void {
    this.#tracker.done(pending.ticket);
  }
}

function orderSensitiveIds(items: readonly Pending[]): string[] {
  const ids = new Set<string>();
  for (const p of items) if (p.action.orderSensitive && p.action.id !== null) ids.add(`${p.action.index}/${p.action.id}`);
  return [...ids];
}

/** The items to send again: the failed ones and, for unversioned ids, every later item of the same id. */
function withLaterSameId(items: readonly Pending[], failed: ReadonlySet<number>): Pending[] {
  const resent = new Set<string>();
  const out: Pending[] = [];
  for (let i = 0; i < items.length; i++) {
    const p = items[i]!;
    const key = p.action.orderSensitive && p.action.id !== null ? `${p.action.index}/${p.action.id}` : null;
    if (failed.has(i)) {
      out.push(p);
      if (key !== null) resent.add(key);
    } else if (key !== null && resent.has(key)) {
      out.push(p);
    }
  }
  return out;
}
