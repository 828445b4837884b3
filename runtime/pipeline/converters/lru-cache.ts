/**
 * A bounded map that evicts the least recently used entry (Kafka's LRUCache). Not shared across threads of control.
 * The most recently used entry is also kept aside, so a run of hits on it touches neither the map nor its order.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();
  private hasNewest = false;
  private newestKey: K | undefined;
  private newestValue: V | undefined;

  constructor(readonly maxSize: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    if (this.hasNewest && this.newestKey === key) return this.newestValue;
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
      this.markNewest(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    if (this.maxSize <= 0) return;
    this.entries.set(key, value);
    this.markNewest(key, value);
    if (this.entries.size > this.maxSize) this.entries.delete(this.entries.keys().next().value as K);
  }

  private markNewest(key: K, value: V): void {
    this.hasNewest = true;
    this.newestKey = key;
    this.newestValue = value;
  }
}
