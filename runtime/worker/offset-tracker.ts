/**
 * Source records in flight, tracked per source partition in poll order (Kafka's
 * SubmittedRecords; docs: shared/reference/kafka-connect.md §7.3). An offset becomes committable
 * only when its record and every record submitted before it for the same partition have been
 * acknowledged, so a crash never skips an unwritten record. Partitions are independent, and two
 * partitions are the same when they have the same members, whatever their order.
 *
 * One tracker per task; all calls come from that task's event loop turns.
 */
import type { SourceOffset, SourcePartition } from '../stores/source-position.js';

export interface SourcePosition {
  readonly sourcePartition: SourcePartition | null;
  readonly sourceOffset: SourceOffset | null;
}

export interface SubmittedRecord extends SourcePosition {
  readonly isAcked: boolean;
}

export interface CommittableOffset {
  readonly partition: SourcePartition | null;
  readonly offset: SourceOffset | null;
}

export interface CommittableOffsets {
  /** At most one entry per partition: the offset of its latest record in the acknowledged prefix. */
  readonly offsets: readonly CommittableOffset[];
  /** Records this call released. */
  readonly committableCount: number;
  /** Records still held behind an unacknowledged one (or unacknowledged themselves). */
  readonly uncommittableCount: number;
  readonly partitionCount: number;
  readonly largestQueueSize: number;
  readonly largestQueuePartition: SourcePartition | null;
}

class Tracked implements SubmittedRecord {
  isAcked = false;
  isDropped = false;
  constructor(
    readonly sourcePartition: SourcePartition | null,
    readonly sourceOffset: SourceOffset | null,
    readonly queueKey: string,
    readonly owner: OffsetTracker,
  ) {}
}

interface Waiter {
  readonly resolve: (drained: boolean) => void;
  readonly timer: NodeJS.Timeout;
}

export class OffsetTracker {
  readonly #queues = new Map<string, Tracked[]>();
  #pending = 0;
  #unacked = 0;
  #waiters: Waiter[] = [];

  /** Submitted records not yet released by `committableOffsets()` or dropped. */
  get pendingCount(): number {
    return this.#pending;
  }

  get unackedCount(): number {
    return this.#unacked;
  }

  /** Call in poll order, before the record is handed to the producer. */
  submit(position: SourcePosition): SubmittedRecord {
    const queueKey = partitionKey(position.sourcePartition);
    const record = new Tracked(position.sourcePartition, position.sourceOffset, queueKey, this);
    const queue = this.#queues.get(queueKey);
    if (queue) queue.push(record);
    else this.#queues.set(queueKey, [record]);
    this.#pending++;
    this.#unacked++;
    return record;
  }

  /** The record was written (or deliberately skipped); acking twice is harmless. */
  ack(record: SubmittedRecord): void {
    const tracked = this.#own(record);
    if (tracked.isAcked || tracked.isDropped) return;
    tracked.isAcked = true;
    this.#decrementUnacked();
  }

  /** Forgets a record that will not be acknowledged, e.g. one to be re-submitted after a send error. */
  drop(record: SubmittedRecord): boolean {
    const tracked = this.#own(record);
    const queue = this.#queues.get(tracked.queueKey);
    const index = queue ? queue.lastIndexOf(tracked) : -1;
    if (!queue || index < 0) return false;
    queue.splice(index, 1);
    tracked.isDropped = true;
    if (queue.length === 0) this.#queues.delete(tracked.queueKey);
    this.#pending--;
    if (!tracked.isAcked) this.#decrementUnacked();
    return true;
  }

  /** Releases each partition's acknowledged prefix and returns the offset of its last record. */
  committableOffsets(): CommittableOffsets {
    const offsets: CommittableOffset[] = [];
    let committableCount = 0;
    let uncommittableCount = 0;
    let largestQueueSize = 0;
    let largestQueuePartition: SourcePartition | null = null;
    for (const [key, queue] of this.#queues) {
      let prefix = 0;
      while (prefix < queue.length && queue[prefix]!.isAcked) prefix++;
      if (prefix > 0) {
        const last = queue[prefix - 1]!;
        offsets.push({ partition: last.sourcePartition, offset: last.sourceOffset });
        queue.splice(0, prefix);
        committableCount += prefix;
      }
      if (queue.length === 0) {
        this.#queues.delete(key);
        continue;
      }
      uncommittableCount += queue.length;
      if (queue.length > largestQueueSize) {
        largestQueueSize = queue.length;
        largestQueuePartition = queue[0]!.sourcePartition;
      }
    }
    this.#pending -= committableCount;
    return { offsets, committableCount, uncommittableCount, partitionCount: this.#queues.size, largestQueueSize, largestQueuePartition };
  }

  /** Resolves true once no submitted record awaits acknowledgement, false after `timeoutMs`. */
  awaitAllAcked(timeoutMs: number): Promise<boolean> {
    if (this.#unacked === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          resolve(false);
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  #own(record: SubmittedRecord): Tracked {
    if (!(record instanceof Tracked) || record.owner !== this) throw new Error('record was not submitted to this tracker');
    return record;
  }

  #decrementUnacked(): void {
    this.#unacked--;
    if (this.#unacked > 0) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) {
      clearTimeout(w.timer);
      w.resolve(true);
    }
  }
}

function partitionKey(partition: SourcePartition | null): string {
  if (partition === null) return 'null';
  return JSON.stringify(Object.entries(partition).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
