/**
 * Source records in flight, tracked per source partition in poll order (Kafka's
 * SubmittedRecords; docs: shared/reference/kafka-connect.md §7.3). An offset becomes committable
 * only when its record and every record submitted before it for the same partition have been
 * acknowledged, so a crash never skips an unwritten record. Partitions are independent, and two
 * partitions are the same when they have the same members, whatever their order.
 *
 * Each partition's acknowledged prefix is collapsed as acks arrive into a count and its last
 * record, so memory is bounded by the records from the first unacknowledged one on, not by
 * everything acknowledged since the last commit. A record in a collapsed prefix can no longer be
 * dropped.
 *
 * Records acknowledged together (one producer send) need not be tracked one by one: `submit`
 * given the entry returned for the previous record of the same send extends that entry (its
 * offset becomes the new record's, its count grows) while it is still its partition's last entry
 * and unacknowledged, so a send of 10,000 lines of one file is one entry. Counts stay per record.
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
  /** Records this entry stands for: its own and those that extended it. */
  count = 1;
  constructor(
    readonly sourcePartition: SourcePartition | null,
    /** The offset of the last record the entry stands for. */
    public sourceOffset: SourceOffset | null,
    readonly queue: PartitionQueue,
    readonly owner: OffsetTracker,
  ) {}
}

/** Records of one partition from the first unacknowledged one on (`records` from `head`), after the collapsed prefix. */
class PartitionQueue {
  records: (Tracked | undefined)[] = [];
  head = 0;
  /** Records (not entries) from `head` on. */
  size = 0;
  /** Acknowledged records collapsed off the front since the last `committableOffsets()`. */
  released = 0;
  lastReleased: Tracked | null = null;
  /** The last record collapsed off the front, kept across `committableOffsets()` (for `takeAcknowledged`). */
  lastAcknowledged: Tracked | null = null;
  constructor(readonly key: string) {}

  get tail(): Tracked | undefined {
    return this.records.length > this.head ? this.records[this.records.length - 1] : undefined;
  }

  /** True when it released anything. */
  collapseAckedPrefix(): boolean {
    const records = this.records;
    let head = this.head;
    const first = head;
    while (head < records.length && records[head]!.isAcked) {
      const entry = records[head]!;
      this.lastReleased = entry;
      this.lastAcknowledged = entry;
      records[head] = undefined;
      head++;
      this.released += entry.count;
      this.size -= entry.count;
    }
    const released = head !== first;
    if (head === records.length) {
      records.length = 0;
      head = 0;
    } else if (head >= COMPACT_AFTER && head * 2 >= records.length) {
      records.copyWithin(0, head);
      records.length -= head;
      head = 0;
    }
    this.head = head;
    return released;
  }
}

const COMPACT_AFTER = 1024;

interface Waiter {
  readonly resolve: (drained: boolean) => void;
  readonly timer: NodeJS.Timeout;
}

export class OffsetTracker {
  readonly #queues = new Map<string, PartitionQueue>();
  readonly #keys = new PartitionKeys();
  #pending = 0;
  #unacked = 0;
  #waiters: Waiter[] = [];
  /** Partitions whose acknowledged prefix grew since the last `takeAcknowledged()`; null when not asked for. */
  readonly #advanced: Set<PartitionQueue> | null;

  /** `reportAcknowledged`: keep what `takeAcknowledged()` returns. */
  constructor(options: { reportAcknowledged?: boolean } = {}) {
    this.#advanced = options.reportAcknowledged === true ? new Set() : null;
  }

  /** Submitted records not yet released by `committableOffsets()` or dropped. */
  get pendingCount(): number {
    return this.#pending;
  }

  get unackedCount(): number {
    return this.#unacked;
  }

  /** Records held in memory: from each partition's first unacknowledged record on. */
  get heldCount(): number {
    let held = 0;
    for (const queue of this.#queues.values()) held += queue.size;
    return held;
  }

  /**
   * Call in poll order, before the record is handed to the producer. `sameSend` is the entry this
   * call returned for the previous record that will be acknowledged together with this one; the
   * record extends it when it can (same partition, still the partition's last entry, unacknowledged).
   */
  submit(position: SourcePosition, sameSend?: SubmittedRecord): SubmittedRecord {
    const queueKey = this.#keys.keyOf(position.sourcePartition);
    let queue = this.#queues.get(queueKey);
    if (!queue) {
      queue = new PartitionQueue(queueKey);
      this.#queues.set(queueKey, queue);
    }
    let entry: Tracked;
    if (sameSend !== undefined && queue.tail === sameSend && !sameSend.isAcked) {
      entry = sameSend as Tracked;
      entry.sourceOffset = position.sourceOffset;
      entry.count++;
    } else {
      entry = new Tracked(position.sourcePartition, position.sourceOffset, queue, this);
      queue.records.push(entry);
    }
    queue.size++;
    this.#pending++;
    this.#unacked++;
    return entry;
  }

  /** The entry's records were written (or deliberately skipped); acking twice is harmless. */
  ack(record: SubmittedRecord): void {
    const tracked = this.#own(record);
    if (tracked.isAcked || tracked.isDropped) return;
    tracked.isAcked = true;
    const queue = tracked.queue;
    if (queue.records[queue.head] === tracked && queue.collapseAckedPrefix()) this.#advanced?.add(queue);
    this.#decrementUnacked(tracked.count);
  }

  /**
   * For each partition whose acknowledged prefix grew since the last call: the offset of the
   * prefix's last record. Every record of the partition up to it is acknowledged (a tracker
   * whose entries are dropped and submitted again must not rely on this). Empty unless the
   * tracker was made with `reportAcknowledged`.
   */
  takeAcknowledged(): CommittableOffset[] {
    const advanced = this.#advanced;
    if (advanced === null || advanced.size === 0) return [];
    const out: CommittableOffset[] = [];
    for (const queue of advanced) {
      const last = queue.lastAcknowledged!;
      out.push({ partition: last.sourcePartition, offset: last.sourceOffset });
    }
    advanced.clear();
    return out;
  }

  /** Forgets an entry (all its records) that will not be acknowledged, e.g. to be re-submitted after a send error. */
  drop(record: SubmittedRecord): boolean {
    const tracked = this.#own(record);
    const queue = tracked.queue;
    if (tracked.isDropped || this.#queues.get(queue.key) !== queue) return false;
    const index = queue.records.lastIndexOf(tracked);
    if (index < queue.head) return false;
    queue.records.splice(index, 1);
    queue.size -= tracked.count;
    tracked.isDropped = true;
    if (index === queue.head) queue.collapseAckedPrefix();
    if (queue.size === 0 && queue.released === 0) this.#queues.delete(queue.key);
    this.#pending -= tracked.count;
    if (!tracked.isAcked) this.#decrementUnacked(tracked.count);
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
      const last = queue.lastReleased;
      if (last !== null) {
        offsets.push({ partition: last.sourcePartition, offset: last.sourceOffset });
        committableCount += queue.released;
        queue.released = 0;
        queue.lastReleased = null;
      }
      const size = queue.size;
      if (size === 0) {
        this.#queues.delete(key);
        continue;
      }
      uncommittableCount += size;
      if (size > largestQueueSize) {
        largestQueueSize = size;
        largestQueuePartition = queue.records[queue.head]!.sourcePartition;
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

  #decrementUnacked(count: number): void {
    this.#unacked -= count;
    if (this.#unacked > 0) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) {
      clearTimeout(w.timer);
      w.resolve(true);
    }
  }
}

/**
 * Partition keys, computed once per frozen partition object (it cannot change), and otherwise
 * reused while a partition has the same members with the same primitive values as the last one.
 */
export class PartitionKeys {
  readonly #frozen = new WeakMap<SourcePartition, string>();
  #lastNames: string[] = [];
  #lastValues: unknown[] = [];
  #lastKey: string | null = null;

  keyOf(partition: SourcePartition | null): string {
    if (partition === null) return 'null';
    if (Object.isFrozen(partition)) {
      let key = this.#frozen.get(partition);
      if (key === undefined) this.#frozen.set(partition, (key = partitionKey(partition)));
      return key;
    }
    const names = Object.keys(partition);
    if (this.#lastKey !== null && this.#sameAsLast(partition, names)) return this.#lastKey;
    const values: unknown[] = [];
    let primitive = true;
    for (const name of names) {
      const value = (partition as Record<string, unknown>)[name];
      if (typeof value === 'object' && value !== null) primitive = false;
      values.push(value);
    }
    const key = partitionKey(partition);
    this.#lastKey = primitive ? key : null;
    this.#lastNames = names;
    this.#lastValues = values;
    return key;
  }

  #sameAsLast(partition: SourcePartition, names: string[]): boolean {
    const lastNames = this.#lastNames;
    if (names.length !== lastNames.length) return false;
    const lastValues = this.#lastValues;
    for (let i = 0; i < names.length; i++) {
      if (names[i] !== lastNames[i] || (partition as Record<string, unknown>)[names[i]!] !== lastValues[i]) return false;
    }
    return true;
  }
}

/** The key of a source partition whatever the order of its members. */
export function partitionKey(partition: SourcePartition): string {
  return JSON.stringify(Object.entries(partition).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
