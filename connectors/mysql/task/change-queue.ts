/**
 * The bounded hand-over between the database readers (snapshot, binlog) and the task's poll:
 * readers `put` records and wait while `max.queue.size` are pending; poll `take`s up to
 * `max.batch.size`, waiting up to `poll.interval.ms` for the first one.
 *
 * Concurrency: one producer at a time (the snapshot, then the binlog reader) and one consumer
 * (poll, never concurrent with itself). A producer failure is delivered to the consumer after
 * every record queued before it, so nothing read before the failure is lost.
 */
import type { SourceRecord } from '../../sdk/connect-record.js';

export class ChangeQueue {
  readonly #capacity: number;
  #items: SourceRecord[] = [];
  #head = 0;
  #failure: Error | null = null;
  #wakeConsumer: (() => void) | null = null;
  #wakeProducer: (() => void) | null = null;

  constructor(capacity: number) {
    this.#capacity = Math.max(1, capacity);
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Adds a record, waiting while the queue is full; returns false when `signal` aborted first. */
  async put(record: SourceRecord, signal: AbortSignal): Promise<boolean> {
    while (this.size >= this.#capacity) {
      if (signal.aborted) return false;
      await this.#waitFor('producer', signal);
    }
    if (signal.aborted) return false;
    this.#items.push(record);
    this.#wake('consumer');
    return true;
  }

  /** Delivered to the consumer once the records queued before it are taken. */
  fail(error: Error): void {
    this.#failure ??= error;
    this.#wake('consumer');
  }

  /** Up to `max` records; waits up to `waitMs` when empty. Throws a producer failure once drained. */
  async take(max: number, waitMs: number, signal: AbortSignal): Promise<SourceRecord[]> {
    if (this.size === 0 && this.#failure === null && !signal.aborted) await this.#waitFor('consumer', signal, waitMs);
    if (this.size === 0) {
      if (this.#failure !== null) throw this.#failure;
      return [];
    }
    const end = Math.min(this.#items.length, this.#head + max);
    const batch = this.#items.slice(this.#head, end);
    this.#head = end;
    if (this.#head > 4096 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    this.#wake('producer');
    return batch;
  }

  /**
   * Resolves when the other side wakes this one, `signal` aborts, or `timeoutMs` passes. Whichever
   * comes first removes the abort listener and the wake-up slot, so waits that time out (every idle
   * poll) leave nothing behind on the task's long-lived signal.
   */
  #waitFor(side: 'producer' | 'consumer', signal: AbortSignal, timeoutMs?: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        if (side === 'producer' && this.#wakeProducer === done) this.#wakeProducer = null;
        if (side === 'consumer' && this.#wakeConsumer === done) this.#wakeConsumer = null;
        resolve();
      };
      if (side === 'producer') this.#wakeProducer = done; else this.#wakeConsumer = done;
      signal.addEventListener('abort', done, { once: true });
      if (timeoutMs !== undefined) timer = setTimeout(done, timeoutMs).unref();
    });
  }

  #wake(side: 'producer' | 'consumer'): void {
    const wake = side === 'producer' ? this.#wakeProducer : this.#wakeConsumer;
    if (side === 'producer') this.#wakeProducer = null; else this.#wakeConsumer = null;
    wake?.();
  }
}
