/**
 * Reads partition 0 of one of MirrorMaker's single-partition topics from its start and keeps
 * reading, handing every record to `onRecord`; `caughtUp` resolves once every record that was in
 * the topic when it was called has been handed over. A topic that does not exist yet reads as
 * empty (and is read from its start once it appears).
 */
import type { ClusterAdmin, ClusterRecord, PartitionReader } from '../../sdk/kafka-clusters.js';
import { sleep } from '../background-jobs.js';

export class TopicTail {
  readonly #reader: PartitionReader;
  readonly #admin: ClusterAdmin;
  readonly #topic: string;
  readonly #onRecord: (record: ClusterRecord) => void;
  readonly #pollMs: number;
  #loop: Promise<void> | undefined;
  #progress: (() => void)[] = [];

  constructor(options: { reader: PartitionReader; admin: ClusterAdmin; topic: string; pollMs: number; onRecord: (record: ClusterRecord) => void }) {
    this.#reader = options.reader;
    this.#admin = options.admin;
    this.#topic = options.topic;
    this.#onRecord = options.onRecord;
    this.#pollMs = options.pollMs;
  }

  /** Starts reading in the background until `signal` aborts. */
  start(signal: AbortSignal): void {
    if (this.#loop) return;
    this.#reader.assign([{ topic: this.#topic, partition: 0, offset: 'earliest' }]);
    this.#loop = this.#run(signal);
  }

  /** Resolves once the reader has passed the topic's end offset as of now (false if `signal` aborted first). */
  async caughtUp(signal: AbortSignal): Promise<boolean> {
    const end = await this.#endOffset();
    while (!signal.aborted) {
      if (end === 0 || (this.#reader.position({ topic: this.#topic, partition: 0 }) ?? -1) >= end) return true;
      await new Promise<void>((resolve) => {
        this.#progress.push(resolve);
        void sleep(this.#pollMs, signal).then(resolve);
      });
    }
    return false;
  }

  /** Stops the background reading and waits for it to end; the reader is the caller's to close. */
  async stopped(): Promise<void> {
    await this.#loop;
  }

  async #endOffset(): Promise<number> {
    const counts = await this.#admin.partitionCounts([this.#topic]);
    if (!counts.has(this.#topic)) return 0;
    return (await this.#admin.endOffsets(this.#topic)).get(0) ?? 0;
  }

  async #run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const records = await this.#reader.poll({ maxWaitMs: this.#pollMs, signal });
      for (const record of records) this.#onRecord(record);
      const waiting = this.#progress;
      this.#progress = [];
      for (const wake of waiting) wake();
    }
  }
}
