/** A manual clock plus setTimeout/clearTimeout on it, so coordinator timers fire instantly. */
import type { Timers, TimerHandle } from '../../../broker/groups/timers.js';

interface Task {
  at: number;
  seq: number;
  fn: () => void;
}

export class FakeTimers implements Timers {
  now = 1_700_000_000_000;
  private seq = 0;
  private readonly tasks = new Map<number, Task>();

  readonly clock = (): number => this.now;

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.tasks.set(id, { at: this.now + Math.max(0, ms), seq: id, fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.tasks.delete(handle as number);
  }

  get pending(): number {
    return this.tasks.size;
  }

  /** Moves time forward, running due timers in deadline order, then lets promises settle. */
  async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    await settle();
    for (;;) {
      let next: [number, Task] | undefined;
      for (const entry of this.tasks) {
        const t = entry[1];
        if (t.at <= target && (!next || t.at < next[1].at || (t.at === next[1].at && t.seq < next[1].seq))) next = entry;
      }
      if (!next) break;
      this.tasks.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
      await settle();
    }
    this.now = target;
    await settle();
  }
}

/** Lets queued promise callbacks (and the in-memory store's appends) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}

/** Tracks whether a promise has settled, for asserting that a request is still parked. */
export function track<T>(p: Promise<T>): { readonly done: boolean; readonly value: T | undefined; promise: Promise<T> } {
  const state = { done: false, value: undefined as T | undefined, promise: p };
  void p.then((v) => {
    state.done = true;
    state.value = v;
  });
  return state;
}
