/**
 * How many objects the partitions of one S3 source task may hold downloaded ahead of the one
 * they are handing out: each such object is a value file's bytes (a `flush.size` or
 * `s3.part.size`-bounded file, about 10 MB with the defaults), held until its partition reads it.
 * Single-threaded: `take` and `give` run on the event loop only.
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
