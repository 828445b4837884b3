/**
 * How many objects the partitions of one S3 source task may hold downloaded ahead of the one
 * they are handing out: each such object is a value file's bytes (at most the sink's
 * `flush.size` records), held until its partition reads it or it stops being one of the
 * partition's next objects. The places are shared fairly: each partition may hold its share
 * (the cap divided among the task's partitions, at least one), so a task restoring one partition
 * downloads its next objects side by side, and one restoring several reads one ahead for each.
 * Single-threaded: every method runs on the event loop only.
 */
export class ReadAhead {
  #held = 0;
  #partitions = 0;

  constructor(readonly limit: number) {}

  /** Counts a partition that reads ahead under this cap (for as long as the task runs). */
  join(): void {
    this.#partitions++;
  }

  /** How many objects one partition may hold read ahead. */
  get share(): number {
    return Math.max(1, Math.floor(this.limit / Math.max(1, this.#partitions)));
  }

  /** Claims a place for one object; false when all `limit` places are held. */
  take(): boolean {
    if (this.#held >= this.limit) return false;
    this.#held++;
    return true;
  }

  /** Frees the place of an object that was read (or dropped). */
  give(): void {
    this.#held--;
  }
}
