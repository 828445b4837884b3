import { expect, it } from 'vitest';
import { retryWhileUnavailable, WorkerStillUnavailableError } from '../../../cli/connectors/apply-wait.js';
import { ConnectApiError, WorkerUnreachableError } from '../../../cli/connectors/connect-client.js';

const REBALANCE = new ConnectApiError(409, 'Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.', '');
const STARTING = new ConnectApiError(503, 'HTTP 503 Service Unavailable', '');
const REFUSED = new WorkerUnreachableError('cannot reach worker at http://ferry-a1:8083: ECONNREFUSED connect ECONNREFUSED 172.18.0.5:8083');

/** A clock that only moves when the code under test pauses. */
function fakeTime() {
  let now = 0;
  const pauses: number[] = [];
  return {
    pauses,
    now: () => now,
    sleep: (ms: number) => {
      pauses.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

function failing(...failures: unknown[]): { step: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    step: () => {
      const failure = failures[calls++];
      return failure === undefined ? Promise.resolve('done') : Promise.reject(failure);
    },
  };
}

it('retries while the worker is unreachable, starting (503) or rebalancing (409), with growing pauses', async () => {
  const time = fakeTime();
  const seen: unknown[] = [];
  const { step, calls } = failing(REFUSED, REFUSED, STARTING, REBALANCE);
  const result = await retryWhileUnavailable(step, { waitMs: 60_000, ...time, onUnavailable: (err) => seen.push(err) });
  expect(result).toBe('done');
  expect(calls()).toBe(5);
  expect(seen).toEqual([REFUSED, REFUSED, STARTING, REBALANCE]);
  expect(time.pauses).toEqual([250, 500, 1000, 2000]);
});

it('pauses at most 5 s, and never past the end of the wait', async () => {
  const time = fakeTime();
  const { step } = failing(...Array<unknown>(100).fill(REFUSED));
  await expect(retryWhileUnavailable(step, { waitMs: 20_000, ...time })).rejects.toThrow(WorkerStillUnavailableError);
  expect(Math.max(...time.pauses)).toBe(5_000);
  expect(time.pauses.reduce((a, b) => a + b)).toBe(20_000);
});

it('gives up after the wait with one line naming the wait and the last problem', async () => {
  const time = fakeTime();
  const multiLine = new ConnectApiError(409, 'Cannot complete request because of a conflicting operation\n(e.g. worker rebalance)', '');
  const { step, calls } = failing(REFUSED, STARTING, REBALANCE, multiLine, REBALANCE);
  const error = await retryWhileUnavailable(step, { waitMs: 1_500, ...time }).catch((err: unknown) => err);
  expect(calls()).toBe(4);
  expect(error).toBeInstanceOf(WorkerStillUnavailableError);
  expect((error as Error).message)
    .toBe('worker still unavailable after 1.5 s: Cannot complete request because of a conflicting operation (e.g. worker rebalance) (HTTP 409)');
});

it('does not retry any other answer, and with --wait-ms 0 tries once', async () => {
  const invalid = new ConnectApiError(400, 'Connector configuration is invalid', '');
  const broken = new ConnectApiError(500, 'Request timed out', '');
  for (const failure of [invalid, broken]) {
    const { step, calls } = failing(failure);
    await expect(retryWhileUnavailable(step, { waitMs: 60_000, ...fakeTime() })).rejects.toBe(failure);
    expect(calls()).toBe(1);
  }
  const { step, calls } = failing(REFUSED);
  await expect(retryWhileUnavailable(step, { waitMs: 0, ...fakeTime() })).rejects.toThrow('worker still unavailable after 0 s: cannot reach worker');
  expect(calls()).toBe(1);
});
