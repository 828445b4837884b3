/**
 * The stored records of one single-partition topic, shared by any number of
 * InMemoryCompactedTopic readers (one per simulated worker). Offsets only grow; `compact()`
 * removes superseded records the way the log cleaner does, leaving gaps in the offsets.
 */
import type { TopicRecord } from '../compacted-topic.js';

export class InMemoryTopicLog {
  #records: TopicRecord[] = [];
  #endOffset = 0;
  readonly #watchers = new Set<() => void>();

  get endOffset(): number {
    return this.#endOffset;
  }

  get records(): readonly TopicRecord[] {
    return this.#records;
  }

  append(key: Buffer | null, value: Buffer | null): TopicRecord {
    const record: TopicRecord = {
      key: key && Buffer.from(key),
      value: value && Buffer.from(value),
      partition: 0,
      offset: this.#endOffset++,
    };
    this.#records.push(record);
    for (const watcher of this.#watchers) watcher();
    return record;
  }

  /** Records with an offset in [from, to). */
  read(from: number, to: number): readonly TopicRecord[] {
    return this.#records.filter((r) => r.offset >= from && r.offset < to);
  }

  /** Calls `watcher` after every append; returns a function that stops watching. */
  watch(watcher: () => void): () => void {
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }

  /** Keeps the latest record of each key; tombstones go too when `dropTombstones` is set. */
  compact(options: { dropTombstones?: boolean } = {}): void {
    const latest = new Map<string, number>();
    for (const r of this.#records) if (r.key) latest.set(r.key.toString('latin1'), r.offset);
    this.#records = this.#records.filter(
      (r) => !r.key || (latest.get(r.key.toString('latin1')) === r.offset && !(options.dropTombstones && r.value === null)),
    );
  }
}
