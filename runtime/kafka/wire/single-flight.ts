/**
 * A background task of a client that runs at most once at a time (a metadata refresh, a
 * leader search). Asking for it while it runs sets `again`, which the running task reads
 * (and clears) to go round once more instead of starting a second run.
 */
export class SingleFlight {
  /** Someone asked for the task while it was running. */
  again = false;
  readonly #task: () => Promise<void>;
  #running: Promise<void> | undefined;

  constructor(task: () => Promise<void>) {
    this.#task = task;
  }

  /** The run in progress, if any. */
  get running(): Promise<void> | undefined {
    return this.#running;
  }

  request(): void {
    if (this.#running) {
      this.again = true;
      return;
    }
    this.#running = this.#task().finally(() => {
      this.#running = undefined;
    });
  }
}
