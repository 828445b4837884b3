import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../../../connectors/sdk/connect-record.js';
import { ChangeQueue } from '../../../../connectors/mysql/task/change-queue.js';

const record = (n: number) => ({ topic: 't', value: n }) as unknown as SourceRecord;

describe('ChangeQueue', () => {
  it('leaves no listener on the task signal after idle polls (each timed-out wait used to leave one, a leak Node warns about)', async () => {
    const queue = new ChangeQueue(10);
    const signal = new AbortController().signal;
    for (let i = 0; i < 25; i++) expect(await queue.take(5, 1, signal)).toEqual([]);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('hands a record to a waiting poll at once, not when the poll interval ends', async () => {
    const queue = new ChangeQueue(10);
    const signal = new AbortController().signal;
    const started = performance.now();
    const taken = queue.take(5, 60_000, signal);
    await queue.put(record(1), signal);
    expect(await taken).toEqual([record(1)]);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('holds the producer while full and lets it go when poll takes, in order', async () => {
    const queue = new ChangeQueue(2);
    const signal = new AbortController().signal;
    await queue.put(record(1), signal);
    await queue.put(record(2), signal);
    let third = false;
    const putting = queue.put(record(3), signal).then((ok) => { third = ok; });
    await new Promise((resolve) => setImmediate(resolve));
    expect(third).toBe(false);
    expect(await queue.take(1, 10, signal)).toEqual([record(1)]);
    await putting;
    expect(third).toBe(true);
    expect(await queue.take(5, 10, signal)).toEqual([record(2), record(3)]);
  });

  it('delivers a producer failure after every record queued before it', async () => {
    const queue = new ChangeQueue(10);
    const signal = new AbortController().signal;
    await queue.put(record(1), signal);
    queue.fail(new Error('binlog reader failed'));
    expect(await queue.take(5, 10, signal)).toEqual([record(1)]);
    await expect(queue.take(5, 10, signal)).rejects.toThrow('binlog reader failed');
  });

  it('ends a wait when the task is stopped', async () => {
    const queue = new ChangeQueue(10);
    const controller = new AbortController();
    const taken = queue.take(5, 60_000, controller.signal);
    controller.abort();
    expect(await taken).toEqual([]);
    expect(await queue.put(record(1), controller.signal)).toBe(false);
  });
});
