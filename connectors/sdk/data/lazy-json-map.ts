/**
 * A schemaless JSON object (a Map, as JSON readers hand objects to Connect) that reads its
 * entries from its canonical text only when something asks for them. A reader that found the
 * text canonical (`isCanonicalJsonObject`, which also proves it valid) hands one out instead of
 * parsing: when nothing but a JSON writer looks at the value, as in a JsonConverter to S3
 * JsonFormat pipeline or an S3 restore through a JsonConverter, the writer copies the text
 * (`jsonSourceOf`) and the record is never parsed.
 *
 * Invariants:
 * - Until the first call of any Map method or of `size`, the Map's own entries are empty and
 *   the text is remembered as unread (json-source.ts), so `jsonSourceOf` gives it without
 *   comparing. Every method reads the entries first, so nothing can change the map unread.
 * - Reading fills the map from `read(bytes)` once and takes the usual snapshot, after which the
 *   map is an ordinary Map whose text a writer copies only while it still holds what was read.
 * - It passes for a Map everywhere: `instanceof Map`, and `constructor` is Map (equality checks
 *   that compare constructors, as test libraries do, treat it as the Map it stands for).
 *   Map.prototype methods called on it directly (`Map.prototype.get.call`) would see it empty;
 *   nothing in ferry does that.
 */
import { rememberRead, rememberUnread } from './json-source.js';

type EntryReader = (bytes: Buffer) => Map<string, unknown>;

export class LazyJsonMap extends Map<string, unknown> {
  #read: EntryReader | null;
  readonly #bytes: Buffer;

  /** `bytes`: a canonical object text, never changed afterwards; `read`: its entries, as the reader would have built them. */
  constructor(bytes: Buffer, read: EntryReader) {
    super();
    this.#bytes = bytes;
    this.#read = read;
    rememberUnread(this, bytes);
  }

  /** True until something has asked for the entries. */
  get unread(): boolean {
    return this.#read !== null;
  }

  #fill(): void {
    const read = this.#read;
    if (read === null) return;
    this.#read = null;
    for (const [key, value] of read(this.#bytes)) super.set(key, value);
    rememberRead(this);
  }

  override get size(): number {
    this.#fill();
    return super.size;
  }

  override get(key: string): unknown {
    this.#fill();
    return super.get(key);
  }

  override has(key: string): boolean {
    this.#fill();
    return super.has(key);
  }

  override set(key: string, value: unknown): this {
    this.#fill();
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    this.#fill();
    return super.delete(key);
  }

  override clear(): void {
    this.#fill();
    super.clear();
  }

  override forEach(callback: (value: unknown, key: string, map: Map<string, unknown>) => void, thisArg?: unknown): void {
    this.#fill();
    super.forEach(callback, thisArg);
  }

  override keys(): MapIterator<string> {
    this.#fill();
    return super.keys();
  }

  override values(): MapIterator<unknown> {
    this.#fill();
    return super.values();
  }

  override entries(): MapIterator<[string, unknown]> {
    this.#fill();
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[string, unknown]> {
    this.#fill();
    return super[Symbol.iterator]();
  }

  /** util.inspect (logs, the REPL) shows the entries, not an empty map. */
  [Symbol.for('nodejs.util.inspect.custom')](_depth: number, options: object, inspect: (value: unknown, options: object) => string): string {
    this.#fill();
    return inspect(new Map(super.entries()), options);
  }
}

Object.defineProperty(LazyJsonMap.prototype, 'constructor', { value: Map, writable: true, configurable: true });
