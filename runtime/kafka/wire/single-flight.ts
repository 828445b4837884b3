/**
 * A background task of a client that runs at most once at a time (a metadata refresh, a
 * leader search). Asking for it while it runs sets `again`, which the running task reads
 * (and clears) to go round once more instead of starting a second run.
 *
 * Nobody awaits a background run, so a run that fails goes to `onError` instead of becoming
 * an unhandled rejection, which would end the process. `onError` runs once the run is over,
 * so it may request a fresh run. `running` never rejects (unless `onError` throws).
 */
export class SingleFlight {
  /** Someone asked for the task while it was running. */
  again = false;
  readonly #task: () => Promise<void>;
  readonly #onError: (error: unknown) => void;
  #running: Promise<void> | undefined;

  constructor(task: () => Promise<void>, onError: (error: unknown) => void) {
    this.#task = task;
    this.#onError = onError;
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
    let run: Promise<void>;
    try {
      run = this.#task();
    } catch (error) {
      run = Promise.reject(error);
    }
    this.#running = run.then(
      () => {
        this.#running = undefined;
      },
      (error: unknown) => {
        this.#running = undefined;
        this.#onError(error);
      },
    );
  }
}
