/**
 * The bytes a sink task holds in memory for its open files (part buffers and gzip staging),
 * counted as they change so the task can compare the total with `s3.buffer.max.bytes` after
 * every record without walking its files. `peak` is the highest total seen.
 */
export class MemoryBudget {
  #used = 0;
  #peak = 0;

  constructor(readonly limit: number) {}

  get used(): number {
    return this.#used;
  }

  get peak(): number {
    return this.#peak;
  }

  get exceeded(): boolean {
    return this.#used > this.limit;
  }

  change(delta: number): void {
    this.#used += delta;
    if (this.#used > this.#peak) this.#peak = this.#used;
  }
}
