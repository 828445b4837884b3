import { describe, expect, it } from 'vitest';
import { DataError } from '../../../../connectors/sdk/errors.js';
import type { ErrorPolicy } from '../../../../runtime/pipeline/error-handling/error-policy.js';
import { consumedRecordContext } from '../../../../runtime/pipeline/error-handling/record-context.js';
import { sleep } from '../../../../runtime/pipeline/error-handling/retry-backoff.js';
import { createTaskErrorHandler } from '../../../../runtime/pipeline/error-handling/task-error-handler.js';
import { consumed, fakeLogger, fakeSend, fakeTime } from './fakes.js';

const taskId = { connector: 'orders-sink', task: 1 };
const policy: ErrorPolicy = {
  tolerance: 'all', retryTimeoutMs: 0, retryDelayMaxMs: 60_000, logEnable: true, logIncludeMessages: false,
  deadLetterQueue: { topic: 'orders-dlq', replicationFactor: 1, contextHeaders: false },
};

describe('createTaskErrorHandler', () => {
  it('logs and dead-letters a skipped sink record, counting both in the task\'s metrics', async () => {
    const time = fakeTime();
    const logger = fakeLogger();
    const dlq = fakeSend();
    const handler = createTaskErrorHandler({ taskId, policy, logger, deadLetterQueueSend: dlq.send, clock: time.clock, sleep: time.sleep });
    const record = consumed();
    const result = await handler.execute('VALUE_CONVERTER', 'JsonConverter', () => { throw new DataError('bad'); }, { record: consumedRecordContext(record) });
    expect(result).toEqual({ ok: false, skipped: true });
    await handler.flush();
    expect(logger.calls).toHaveLength(1);
    expect(dlq.sent.map((r) => [r.topic, r.value])).toEqual([['orders-dlq', record.value]]);
    expect(handler.snapshot()).toEqual({
      'total-record-failures': 1,
      'total-record-errors': 1,
      'total-records-skipped': 1,
      'total-retries': 0,
      'total-errors-logged': 1,
      'deadletterqueue-produce-requests': 1,
      'deadletterqueue-produce-failures': 0,
      'last-error-timestamp': time.start,
    });
  });

  it('without a sender (source tasks) or with logging off reports nothing', async () => {
    const logger = fakeLogger();
    const handler = createTaskErrorHandler({ taskId, policy: { ...policy, logEnable: false }, logger });
    await handler.execute('TRANSFORMATION', 'Cast', () => { throw new DataError('bad'); }, { record: consumedRecordContext(consumed()) });
    await handler.flush();
    expect(logger.calls).toEqual([]);
    expect(handler.snapshot()).toMatchObject({ 'total-records-skipped': 1, 'total-errors-logged': 0, 'deadletterqueue-produce-requests': 0 });
  });
});

describe('sleep', () => {
  it('returns early when the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waiting = sleep(60_000, controller.signal);
    setTimeout(() => controller.abort(), 10);
    await waiting;
    expect(Date.now() - started).toBeLessThan(5_000);
    await sleep(60_000, controller.signal);
  });
});
