import { describe, expect, it } from 'vitest';
import { ConnectError, DataError, RetriableError } from '../../../../connectors/sdk/errors.js';
import type { ErrorReporter, ProcessingFailure } from '../../../../runtime/pipeline/error-handling/error-reporter.js';
import type { ErrorPolicy } from '../../../../runtime/pipeline/error-handling/error-policy.js';
import { consumedRecordContext } from '../../../../runtime/pipeline/error-handling/record-context.js';
import { RetryAbortedError, ToleranceExceededError, UntolerableError } from '../../../../runtime/pipeline/error-handling/tolerance-errors.js';
import { ToleranceOperator, type ToleranceOperatorOptions } from '../../../../runtime/pipeline/error-handling/tolerance-operator.js';
import { consumed, fakeTime } from './fakes.js';

type Policy = Pick<ErrorPolicy, 'tolerance' | 'retryTimeoutMs' | 'retryDelayMaxMs'>;

function recordingReporter(): ErrorReporter & { failures: ProcessingFailure[] } {
  const failures: ProcessingFailure[] = [];
  return { failures, report: async (f) => { failures.push(f); } };
}

function setup(policy: Partial<Policy>, extra: Partial<ToleranceOperatorOptions> = {}) {
  const time = fakeTime();
  const reporter = recordingReporter();
  const operator = new ToleranceOperator({
    policy: { tolerance: 'none', retryTimeoutMs: 0, retryDelayMaxMs: 60_000, ...policy },
    reporters: [reporter],
    clock: time.clock,
    sleep: time.sleep,
    ...extra,
  });
  return { operator, time, reporter };
}

/** An operation that throws the given errors in turn, then returns `value`. */
function failing<T>(errors: Error[], value: T) {
  let calls = 0;
  const op = () => {
    calls++;
    const error = errors.shift();
    if (error) throw error;
    return value;
  };
  return { op, calls: () => calls };
}

describe('ToleranceOperator', () => {
  it('returns the operation\'s value, awaiting a promise', async () => {
    const { operator } = setup({});
    expect(await operator.execute('VALUE_CONVERTER', 'C', () => 42)).toEqual({ ok: true, value: 42 });
    expect(await operator.execute('TASK_POLL', 'T', async () => ['r'])).toEqual({ ok: true, value: ['r'] });
    expect(operator.snapshot()['total-record-failures']).toBe(0);
  });

  it('retries a retriable failure with back-off starting at 300 ms and doubling, then succeeds', async () => {
    const { operator, time } = setup({ retryTimeoutMs: 10_000 });
    const f = failing([new RetriableError('busy'), new RetriableError('busy'), new RetriableError('busy')], 'done');
    expect(await operator.execute('TASK_PUT', 'S', f.op)).toEqual({ ok: true, value: 'done' });
    expect(f.calls()).toBe(4);
    expect(time.sleeps).toEqual([300, 600, 1200]);
    expect(operator.snapshot()).toMatchObject({
      'total-record-failures': 3, 'total-retries': 3, 'total-record-errors': 0, 'total-records-skipped': 0, 'last-error-timestamp': 0,
    });
  });

  it('past errors.retry.delay.max.ms waits a random time below the cap', async () => {
    const { operator, time } = setup({ retryTimeoutMs: -1, retryDelayMaxMs: 1000 }, { random: () => 0.25 });
    const f = failing(Array.from({ length: 4 }, () => new RetriableError('busy')), 1);
    await operator.execute('KAFKA_PRODUCE', 'P', f.op);
    expect(time.sleeps).toEqual([300, 600, 250, 250]);
  });

  it('stops retrying at errors.retry.timeout, shortening the last wait, and fails the task under tolerance none', async () => {
    const { operator, time, reporter } = setup({ tolerance: 'none', retryTimeoutMs: 1000 });
    const cause = new RetriableError('still busy');
    const err = await operator.execute('TASK_PUT', 'org.example.Sink', () => { throw cause; }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToleranceExceededError);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as Error).message).toBe('Tolerance exceeded in error handler');
    expect((err as Error).cause).toBe(cause);
    expect(time.sleeps).toEqual([300, 600, 100]);
    expect(operator.snapshot()).toMatchObject({
      'total-record-failures': 4, 'total-retries': 3, 'total-record-errors': 1, 'total-records-skipped': 0,
      'last-error-timestamp': time.start + 1000,
    });
    expect(reporter.failures).toHaveLength(1);
    expect(reporter.failures[0]).toMatchObject({ stage: 'TASK_PUT', className: 'org.example.Sink', error: cause, attempts: 4 });
  });

  it('skips and reports the operation once retries run out under tolerance all', async () => {
    const { operator, reporter } = setup({ tolerance: 'all', retryTimeoutMs: 1000 });
    const record = consumedRecordContext(consumed());
    const result = await operator.execute('VALUE_CONVERTER', 'JsonConverter', () => { throw new RetriableError('busy'); }, { record });
    expect(result).toEqual({ ok: false, skipped: true });
    await operator.flush();
    expect(reporter.failures.map((f) => [f.stage, f.attempts, f.record])).toEqual([['VALUE_CONVERTER', 4, record]]);
    expect(operator.snapshot()).toMatchObject({ 'total-record-errors': 1, 'total-records-skipped': 1, 'total-retries': 3 });
  });

  it('tolerates an exhausted retriable failure in a task stage under tolerance all', async () => {
    const { operator } = setup({ tolerance: 'all', retryTimeoutMs: 0 });
    expect(await operator.execute('TASK_POLL', 'Src', () => { throw new RetriableError('offline'); })).toEqual({ ok: false, skipped: true });
  });

  it('does not retry a DataError and skips it at once under tolerance all', async () => {
    const { operator, time } = setup({ tolerance: 'all', retryTimeoutMs: -1 });
    const f = failing([new DataError('bad field', { path: 'a.b' })], 'never');
    expect(await operator.execute('TRANSFORMATION', 'Cast', f.op)).toEqual({ ok: false, skipped: true });
    expect(f.calls()).toBe(1);
    expect(time.sleeps).toEqual([]);
    expect(operator.snapshot()).toMatchObject({ 'total-record-failures': 1, 'total-retries': 0, 'total-records-skipped': 1 });
  });

  it('with errors.retry.timeout 0 fails on the first retriable failure', async () => {
    const { operator, time } = setup({ tolerance: 'none', retryTimeoutMs: 0 });
    await expect(operator.execute('KEY_CONVERTER', 'C', () => { throw new RetriableError('x'); })).rejects.toBeInstanceOf(ToleranceExceededError);
    expect(time.sleeps).toEqual([]);
  });

  it('fails the task on a non-retriable error in poll, put, produce or consume even under tolerance all', async () => {
    const { operator, reporter } = setup({ tolerance: 'all' });
    const cause = new ConnectError('cannot reach the database');
    const err = await operator.execute('TASK_PUT', 'JdbcSinkTask', () => { throw cause; }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UntolerableError);
    expect((err as Error).message).toBe('Unhandled exception in error handler');
    expect((err as Error).cause).toBe(cause);
    expect(operator.snapshot()).toMatchObject({ 'total-record-errors': 1, 'total-records-skipped': 0 });
    expect(reporter.failures).toHaveLength(1);
  });

  it('treats any error with retriable: true as retriable, e.g. a Kafka client error', async () => {
    const { operator } = setup({ tolerance: 'none', retryTimeoutMs: 5000 });
    const kafkaError = Object.assign(new Error('NOT_LEADER_OR_FOLLOWER'), { retriable: true });
    const f = failing([kafkaError], 'sent');
    expect(await operator.execute('KAFKA_PRODUCE', 'Producer', f.op)).toEqual({ ok: true, value: 'sent' });
  });

  it('retrying forever (-1) ends promptly when the task\'s signal aborts, neither skipping nor reporting', async () => {
    const controller = new AbortController();
    const time = fakeTime();
    const reporter = recordingReporter();
    let waiting: () => void = () => {};
    const operator = new ToleranceOperator({
      policy: { tolerance: 'all', retryTimeoutMs: -1, retryDelayMaxMs: 60_000 },
      reporters: [reporter],
      signal: controller.signal,
      clock: time.clock,
      // A wait that only ends on abort, like a long back-off.
      sleep: (_ms, signal) => new Promise<void>((resolve) => {
        waiting = resolve;
        signal?.addEventListener('abort', () => resolve(), { once: true });
      }),
    });
    let calls = 0;
    const running = operator.execute('TASK_PUT', 'S', () => { calls++; throw new RetriableError('down'); });
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(1);
    controller.abort();
    const err = await running.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryAbortedError);
    expect(calls).toBe(1);
    expect(reporter.failures).toEqual([]);
    expect(operator.snapshot()).toMatchObject({ 'total-records-skipped': 0, 'total-record-errors': 0, 'total-retries': 0 });
    waiting();
  });

  it('a per-call signal aborts that call\'s retries', async () => {
    const { operator } = setup({ tolerance: 'all', retryTimeoutMs: -1 });
    const controller = new AbortController();
    let calls = 0;
    const err = await operator.execute('TASK_PUT', 'S', () => {
      if (++calls === 5) controller.abort();
      throw new RetriableError('down');
    }, { signal: controller.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryAbortedError);
    expect(calls).toBe(5);
    expect(operator.snapshot()['total-retries']).toBe(4);
  });

  it('executeFailed reports an externally failed record and skips it under tolerance all', async () => {
    const { operator, reporter } = setup({ tolerance: 'all' });
    const record = consumedRecordContext(consumed());
    await operator.executeFailed('TASK_PUT', 'JdbcSinkTask', new DataError('bad row'), { record });
    expect(reporter.failures.map((f) => [f.stage, f.record])).toEqual([['TASK_PUT', record]]);
    expect(operator.snapshot()).toMatchObject({ 'total-record-failures': 1, 'total-record-errors': 1, 'total-records-skipped': 1 });
  });

  it('executeFailed throws ToleranceExceededError under tolerance none after reporting', async () => {
    const { operator, reporter } = setup({ tolerance: 'none' });
    await expect(operator.executeFailed('TASK_PUT', 'S', new DataError('bad row'))).rejects.toBeInstanceOf(ToleranceExceededError);
    await operator.flush();
    expect(reporter.failures).toHaveLength(1);
  });

  it('flush waits for reports still under way', async () => {
    let release: () => void = () => {};
    const slow: ErrorReporter = { report: () => new Promise<void>((r) => { release = r; }) };
    const { operator } = setup({ tolerance: 'all' }, { reporters: [slow] });
    await operator.execute('VALUE_CONVERTER', 'C', () => { throw new DataError('x'); });
    let flushed = false;
    const flushing = operator.flush().then(() => { flushed = true; });
    await new Promise((r) => setImmediate(r));
    expect(flushed).toBe(false);
    release();
    await flushing;
    expect(flushed).toBe(true);
  });
});
