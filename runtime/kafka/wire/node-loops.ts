/**
 * Fetch loops of a reader, at most one per broker node: a loop asks its node for every
 * partition it leads and ends when it has none left. When a loop ends it is forgotten and
 * `onEnd` runs, so the reader can start loops for partitions that found a leader meanwhile.
 */
export class NodeLoops {
  readonly #loops = new Map<number, Promise<void>>();

  has(node: number): boolean {
    return this.#loops.has(node);
  }

  /** Starts `loop` for the node unless one runs already. */
  start(node: number, loop: (node: number) => Promise<void>, onEnd: () => void): void {
    if (this.#loops.has(node)) return;
    const running = loop(node).finally(() => {
      this.#loops.delete(node);
      onEnd();
    });
    this.#loops.set(node, running);
  }

  /** Resolves once every loop running now has ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#loops.values()]);
  }
}
