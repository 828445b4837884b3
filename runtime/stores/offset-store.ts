/**
 * Source connector offsets kept in the offsets topic (docs: shared/reference/kafka-connect.md
 * §2.4, §7.3). The last record per key wins and a tombstone deletes; like Kafka, a key is its
 * bytes, `["connector",{partition}]`.
 *
 * Lookups encode the asked-for partition and match those bytes first. When nothing matches, a
 * partition with the same members in another order is accepted (Java workers write partition
 * maps in HashMap order, which a TypeScript connector cannot reproduce); among several, the most
 * recently written wins. `get` and `allFor` read the topic to its end first, so a task starting
 * after another worker's final commit sees it. A stored value that is not a map of primitives
 * makes `get`/`allFor` throw OffsetFormatError rather than silently restart from scratch.
 */
import type { CompactedTopic, TopicRecord } from './compacted-topic.js';
import type { SourceOffset, SourcePartition } from './source-position.js';
import {
  OffsetFormatError,
  decodeOffsetKey,
  decodeOffsetValue,
  encodeOffsetKey,
  encodeOffsetValue,
} from './topic/offset-records.js';

export interface OffsetEntry {
  readonly partition: SourcePartition;
  /** `null` deletes the stored offset. */
  readonly offset: SourceOffset | null;
}

export interface StoredOffset {
  readonly partition: SourcePartition;
  readonly offset: SourceOffset;
}

export interface OffsetStoreOptions {
  /** Told about every record the store ignores because its key is not `[string, map]`. */
  readonly onSkippedRecord?: (record: TopicRecord, reason: string) => void;
}

interface Stored {
  readonly connector: string;
  readonly partition: SourcePartition;
  /** `undefined` when the stored value is not a map of primitives. */
  readonly offset: SourceOffset | undefined;
}

export class OffsetStore {
  readonly #topic: CompactedTopic;
  readonly #options: OffsetStoreOptions;
  readonly #byKey = new Map<string, Stored>();
  /** connector → partition with sorted members → raw keys holding it, most recently written last. */
  readonly #byConnector = new Map<string, Map<string, string[]>>();

  constructor(topic: CompactedTopic, options: OffsetStoreOptions = {}) {
    this.#topic = topic;
    this.#options = options;
    topic.onRecord((record) => this.#apply(record));
  }

  start(): Promise<void> {
    return this.#topic.start();
  }

  stop(): Promise<void> {
    return this.#topic.stop();
  }

  readToEnd(): Promise<void> {
    return this.#topic.readToEnd();
  }

  /** Offsets of the given partitions; partitions without a stored offset are absent from the map. */
  async get(connector: string, partitions: readonly SourcePartition[]): Promise<Map<SourcePartition, SourceOffset>> {
    await this.#topic.readToEnd();
    const result = new Map<SourcePartition, SourceOffset>();
    for (const partition of partitions) {
      const stored = this.#byKey.get(encodeOffsetKey(connector, partition).toString('latin1')) ?? this.#latestEquivalent(connector, partition);
      if (stored) result.set(partition, validOffset(stored));
    }
    return result;
  }

  /** Resolves once every record is acknowledged by the log (not yet read back). */
  async set(connector: string, entries: Iterable<OffsetEntry>): Promise<void> {
    const appends = [...entries].map((entry) => ({
      key: encodeOffsetKey(connector, entry.partition),
      value: encodeOffsetValue(entry.offset),
    }));
    if (appends.length > 0) await this.#topic.appendBatch(appends);
  }

  /** Every stored offset of the connector, one per partition (for the REST offsets endpoint). */
  async allFor(connector: string): Promise<StoredOffset[]> {
    await this.#topic.readToEnd();
    const groups = this.#byConnector.get(connector);
    if (!groups) return [];
    return [...groups.values()].map((keys) => {
      const stored = this.#byKey.get(keys[keys.length - 1]!)!;
      return { partition: stored.partition, offset: validOffset(stored) };
    });
  }

  #latestEquivalent(connector: string, partition: SourcePartition): Stored | undefined {
    const keys = this.#byConnector.get(connector)?.get(sortedMembers(partition));
    return keys && this.#byKey.get(keys[keys.length - 1]!);
  }

  #apply(record: TopicRecord): void {
    const key = decodeOffsetKey(record.key);
    if (!key) {
      this.#options.onSkippedRecord?.(record, 'offset key is not a [connector, partition] array');
      return;
    }
    const rawKey = record.key!.toString('latin1');
    const group = sortedMembers(key.partition);
    if (record.value === null) return this.#forget(key.connector, group, rawKey);
    this.#byKey.set(rawKey, { ...key, offset: decodeOffsetValue(record.value) ?? undefined });
    let groups = this.#byConnector.get(key.connector);
    if (!groups) this.#byConnector.set(key.connector, (groups = new Map()));
    const keys = groups.get(group);
    if (!keys) {
      groups.set(group, [rawKey]);
      return;
    }
    const previous = keys.indexOf(rawKey);
    if (previous >= 0) keys.splice(previous, 1);
    keys.push(rawKey);
  }

  #forget(connector: string, group: string, rawKey: string): void {
    if (!this.#byKey.delete(rawKey)) return;
    const groups = this.#byConnector.get(connector)!;
    const remaining = groups.get(group)!.filter((k) => k !== rawKey);
    if (remaining.length > 0) groups.set(group, remaining);
    else groups.delete(group);
    if (groups.size === 0) this.#byConnector.delete(connector);
  }
}

function sortedMembers(partition: SourcePartition): string {
  return JSON.stringify(Object.entries(partition).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function validOffset(stored: Stored): SourceOffset {
  if (stored.offset) return stored.offset;
  throw new OffsetFormatError(
    `the stored offset of partition ${JSON.stringify(stored.partition)} of connector '${stored.connector}' is not a map of primitive values`,
  );
}
