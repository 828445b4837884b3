import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LatestOnly, type Outcome } from '../../../console/src/form/latest-only.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

describe('live validation requests', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('wait for a pause in typing and send only the last config', async () => {
    const applied: Outcome<string>[] = [];
    const sent: string[] = [];
    const runner = new LatestOnly<string>((outcome) => applied.push(outcome), 300);
    for (const value of ['t', 'to', 'top']) {
      runner.schedule(async () => { sent.push(value); return value; });
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(sent).toEqual([]);
    expect(runner.busy).toBe(true);
    await vi.advanceTimersByTimeAsync(300);
    expect(sent).toEqual(['top']);
    expect(applied).toEqual([{ ok: true, value: 'top' }]);
    expect(runner.busy).toBe(false);
  });

  it('never let an older answer that arrives late replace a newer one', async () => {
    const applied: Outcome<string>[] = [];
    const runner = new LatestOnly<string>((outcome) => applied.push(outcome), 300);
    const slow = deferred<string>();
    const fast = deferred<string>();
    const first = runner.now(() => slow.promise);
    const second = runner.now(() => fast.promise);
    fast.resolve('new');
    await second;
    slow.resolve('old');
    await first;
    expect(applied).toEqual([{ ok: true, value: 'new' }]);
  });

  it('pass a failure on when it is the latest', async () => {
    const applied: Outcome<string>[] = [];
    const runner = new LatestOnly<string>((outcome) => applied.push(outcome), 300);
    const failure = new Error('worker down');
    await runner.now(() => Promise.reject(failure));
    expect(applied).toEqual([{ ok: false, error: failure }]);
  });

  it('let "Validate" run at once, cancelling the scheduled run', async () => {
    const sent: string[] = [];
    const runner = new LatestOnly<string>(() => undefined, 300);
    runner.schedule(async () => { sent.push('scheduled'); return ''; });
    await runner.now(async () => { sent.push('now'); return ''; });
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual(['now']);
  });

  it('apply nothing after dispose', async () => {
    const applied: Outcome<string>[] = [];
    const runner = new LatestOnly<string>((outcome) => applied.push(outcome), 300);
    const answer = deferred<string>();
    const running = runner.now(() => answer.promise);
    runner.schedule(async () => 'later');
    runner.dispose();
    answer.resolve('late');
    await running;
    await vi.advanceTimersByTimeAsync(1000);
    expect(applied).toEqual([]);
  });
});
