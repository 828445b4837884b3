/**
 * The rows of one incremental-snapshot chunk between its watermarks (DBLog's window).
 *
 * Life of a chunk: `fill` with the rows the chunk SELECT returned (read after the open watermark
 * was written and before the close watermark was), `open` when the binlog reader reaches the
 * open watermark, `changed` for every streamed change of the table while open — a changed key is
 * dropped, because the streamed event already carries a state at least as new as the row read —
 * and `close` at the close watermark, which hands back the rows left, in key order.
 *
 * Watermarks of other chunks (replayed after a restart, or of a chunk given up) are ignored.
 */
import type { KeyValues } from './key-values.js';

export interface WindowRow {
  /** keyIdentity() of the row's key. */
  readonly identity: string;
  readonly key: KeyValues;
  readonly values: KeyValues;
}

export class ChunkWindow {
  #chunkId: string | null = null;
  #open = false;
  readonly #rows = new Map<string, WindowRow>();
  /** Key of the chunk's last row as read (the next chunk starts after it), whatever was dropped. */
  #end: KeyValues | null = null;

  get chunkId(): string | null { return this.#chunkId; }
  get isOpen(): boolean { return this.#open; }
  get size(): number { return this.#rows.size; }
  get end(): KeyValues | null { return this.#end; }

  /** Starts a chunk: rows in key order (may be empty). */
  fill(chunkId: string, rows: readonly WindowRow[]): void {
    this.#chunkId = chunkId;
    this.#open = false;
    this.#rows.clear();
    for (const row of rows) this.#rows.set(row.identity, row);
    this.#end = rows.length > 0 ? rows[rows.length - 1]!.key : null;
  }

  /** The open watermark of `chunkId` arrived; false when it is not this chunk's. */
  open(chunkId: string): boolean {
    if (chunkId !== this.#chunkId) return false;
    this.#open = true;
    return true;
  }

  /** A streamed change of the chunk's table touched `identity`; true when a buffered row was dropped. */
  changed(identity: string): boolean {
    if (!this.#open) return false;
    return this.#rows.delete(identity);
  }

  /** The close watermark of `chunkId` arrived: the rows left (null when it is not this chunk's). */
  close(chunkId: string): WindowRow[] | null {
    if (chunkId !== this.#chunkId) return null;
    const rows = [...this.#rows.values()];
    this.clear();
    return rows;
  }

  /** Forgets the chunk (stop-snapshot, or a chunk given up). */
  clear(): void {
    this.#chunkId = null;
    this.#open = false;
    this.#rows.clear();
  }
}
