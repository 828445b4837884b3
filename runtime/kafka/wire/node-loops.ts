/**
 * Fetch loops of a reader, at most one per broker node: a loop asks its node for every
 * partition it leads and ends when it has none left. When a loop ends it is forgotten and
 * `onEnd` runs, so the reader can start loops for partitions that found a leader meanwhile.
 *
 * Nobody awaits a loop but close(), so a loop that fails (or an `onEnd` that throws) goes to
 * the `onError` given to the constructor instead of becoming an unhandled rejection, which
 * would end the process. The loops' promises never reject.
 */
export class NodeLoops {
  readonly #loops = new Map<number, Promise<void>>();
  readonly #onError: (error: unknown, node: number) => void;

  constructor(onError: (error: unknown, node: number) => void) {
    this.#onError = onError;
  }

  has(node: number): boolean {
    return this.#loops.has(node);
  }

  /** Starts `loop` for the node unless one runs already. */
  start(node: number, loop: (node: number) => Promise<void>, onEnd: () => void): void {
    if (this.#loops.has(node)) return;
    let started: Promise<void>;
    try {
      started = loop(node);
    } catch (error) {
      started = Promise.reject(error);
    }
    const running = started.catch((error: unknown) => this.#onError(error, node)).finally(() => {
      this.#loops.delete(node);
      try {
        onEnd();
      } catch (error) {
        this.#onError(error, node);
      }
    });
    this.#loops.set(node, running);
  }

  /** Resolves once every loop running now has ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#loops.values()]);
  }
}
