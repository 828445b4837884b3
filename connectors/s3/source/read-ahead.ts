/**
 * How many objects the partitions of one S3 source task may hold downloaded ahead of the one
 * they are handing out: each such object is a value file's bytes (at most the sink's
 * `flush.size` records), held until its partition reads it or it stops being the partition's
 * next object. Single-threaded: `take` and `give` run on the event loop only.
 */
export class ReadAhead {
  #held = 0;

  constructor(readonly limit: number) {}

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
