/**
 * A CompactedTopic over an InMemoryTopicLog, for single-process use and tests. Each instance is
 * one reader with its own position, so several instances over one log behave like several
 * workers tailing the same topic.
 *
 * Delivery is asynchronous, as a real read-back is: appends resolve once stored, and records
 * reach listeners later from a `setImmediate` turn, in offset order. An exception thrown by a
 * listener does not stop delivery; it rejects the `readToEnd()` calls that were waiting for that
 * record (or the next call, if none was waiting).
 */
import type { CompactedTopic, TopicAppend, TopicRecordListener } from '../compacted-topic.js';
import { InMemoryTopicLog } from './in-memory-topic-log.js';

interface Waiter {
  readonly target: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class InMemoryCompactedTopic implements CompactedTopic {
  readonly log: InMemoryTopicLog;
  readonly #listeners = new Set<TopicRecordListener>();
  #waiters: Waiter[] = [];
  #position = 0;
  #state: 'new' | 'started' | 'stopped' = 'new';
  #deliveryScheduled = false;
  #listenerError: { error: unknown } | undefined;
  #unwatch: (() => void) | undefined;

  constructor(log: InMemoryTopicLog = new InMemoryTopicLog()) {
    this.log = log;
  }

  async start(): Promise<void> {
    if (this.#state === 'stopped') throw new Error('topic reader was stopped');
    if (this.#state === 'new') {
      this.#state = 'started';
      this.#unwatch = this.log.watch(() => this.#scheduleDelivery());
      this.#scheduleDelivery();
    }
    await this.readToEnd();
  }

  async stop(): Promise<void> {
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    this.#unwatch?.();
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.reject(new Error('topic reader was stopped'));
  }

  async append(key: Buffer, value: Buffer | null): Promise<void> {
    this.#assertStarted();
    this.log.append(key, value);
  }

  async appendBatch(records: readonly TopicAppend[]): Promise<void> {
    this.#assertStarted();
    for (const r of records) this.log.append(r.key, r.value);
  }

  readToEnd(): Promise<void> {
    if (this.#state !== 'started') return Promise.reject(new Error('topic reader is not started'));
    const target = this.log.endOffset;
    if (this.#position >= target) {
      const failure = this.#takeListenerError();
      return failure ? Promise.reject(failure.error) : Promise.resolve();
    }
    return new Promise((resolve, reject) => this.#waiters.push({ target, resolve, reject }));
  }

  onRecord(listener: TopicRecordListener): () => void {
    const registered: TopicRecordListener = (record) => listener(record);
    this.#listeners.add(registered);
    return () => this.#listeners.delete(registered);
  }

  #assertStarted(): void {
    if (this.#state !== 'started') throw new Error('topic reader is not started');
  }

  #scheduleDelivery(): void {
    if (this.#deliveryScheduled || this.#state !== 'started') return;
    this.#deliveryScheduled = true;
    setImmediate(() => this.#deliver());
  }

  #deliver(): void {
    this.#deliveryScheduled = false;
    if (this.#state !== 'started') return;
    const end = this.log.endOffset;
    for (const record of this.log.read(this.#position, end)) {
      this.#position = record.offset + 1;
      for (const listener of this.#listeners) {
        try {
          listener(record);
        } catch (error) {
          this.#listenerError ??= { error };
        }
      }
      if (this.#state !== 'started') return;
    }
    this.#position = end;
    this.#settleWaiters();
    if (this.log.endOffset > this.#position) this.#scheduleDelivery();
  }

  #settleWaiters(): void {
    const ready = this.#waiters.filter((w) => w.target <= this.#position);
    if (ready.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => w.target > this.#position);
    const failure = this.#takeListenerError();
    for (const w of ready) {
      if (failure) w.reject(failure.error);
      else w.resolve();
    }
  }

  #takeListenerError(): { error: unknown } | undefined {
    const failure = this.#listenerError;
    this.#listenerError = undefined;
    return failure;
  }
}
