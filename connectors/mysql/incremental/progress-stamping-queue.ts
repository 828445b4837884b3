/**
 * The task's record queue, stamping the incremental-snapshot progress into the source offset of
 * every record put while a snapshot runs (change events, heartbeats, schema changes, transaction
 * records alike): whichever record is committed last, its offset lets a restarted task continue
 * the snapshot. Records that already carry progress (the snapshot rows, each with its own
 * restart key) keep theirs.
 */
import type { SourceRecord } from '../../sdk/connect-record.js';
import { ChangeQueue } from '../task/change-queue.js';
import { COLLECTIONS_KEY } from './incremental-offset.js';

export class ProgressStampingQueue extends ChangeQueue {
  #progress: () => Record<string, string> = () => ({});

  /** Where the current progress comes from (the incremental snapshotter, once streaming starts). */
  stampWith(progress: () => Record<string, string>): void {
    this.#progress = progress;
  }

  override async put(record: SourceRecord, signal: AbortSignal): Promise<boolean> {
    const offset = record.sourceOffset;
    if (offset === null || offset === undefined || COLLECTIONS_KEY in offset) return super.put(record, signal);
    const keys = this.#progress();
    if (Object.keys(keys).length === 0) return super.put(record, signal);
    return super.put({ ...record, sourceOffset: { ...offset, ...keys } }, signal);
  }
}
