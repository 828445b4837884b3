/**
 * Runs requests so that only the newest one's outcome is applied: live validation sends a request
 * for every pause in typing, answers can come back out of order, and an older answer must never
 * overwrite a newer one. `schedule` waits `delayMs` of quiet first (debounce); `now` starts at
 * once (the "Validate" button) and cancels a scheduled run. After `dispose` nothing is applied.
 */

export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const globalTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class LatestOnly<R> {
  private sequence = 0;
  private timer: unknown = null;
  private running = 0;
  private disposed = false;

  constructor(
    private readonly apply: (outcome: Outcome<R>) => void,
    private readonly delayMs: number,
    private readonly timers: Timers = globalTimers,
  ) {}

  /** Runs `request` once `delayMs` passed without another call. */
  schedule(request: () => Promise<R>): void {
    this.cancelScheduled();
    this.timer = this.timers.set(() => {
      this.timer = null;
      void this.now(request);
    }, this.delayMs);
  }

  /** Runs `request` now; resolves when its outcome was applied or dropped as outdated. */
  async now(request: () => Promise<R>): Promise<void> {
    this.cancelScheduled();
    const mine = ++this.sequence;
    this.running++;
    let outcome: Outcome<R>;
    try {
      outcome = { ok: true, value: await request() };
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      this.running--;
    }
    if (mine === this.sequence && !this.disposed) this.apply(outcome);
  }

  /** A request is waiting for its delay or its answer. */
  get busy(): boolean {
    return this.timer !== null || this.running > 0;
  }

  dispose(): void {
    this.disposed = true;
    this.cancelScheduled();
  }

  private cancelScheduled(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }
}
