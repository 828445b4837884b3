import type { TaskLogger } from '../../../../connectors/sdk/task-logger.js';
import type { ConsumedRecord } from '../../../../runtime/kafka/kafka-client.js';
import type { DeadLetterQueueRecord } from '../../../../runtime/pipeline/error-handling/dead-letter-queue-reporter.js';
import type { Sleep } from '../../../../runtime/pipeline/error-handling/retry-backoff.js';

/** A clock that only moves when the code under test sleeps; an aborted sleep returns at once. */
export function fakeTime(start = 1_700_000_000_000) {
  let now = start;
  const sleeps: number[] = [];
  const sleep: Sleep = async (ms, signal) => {
    sleeps.push(ms);
    if (!signal?.aborted) now += ms;
  };
  return { clock: () => now, sleep, sleeps, start };
}

export interface LogCall {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly obj: object | string;
  readonly msg: string | undefined;
}

export function fakeLogger(): TaskLogger & { calls: LogCall[] } {
  const calls: LogCall[] = [];
  const at = (level: LogCall['level']) => (obj: object | string, msg?: string) => {
    calls.push({ level, obj, msg });
  };
  return { calls, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export function fakeSend(fail?: (record: DeadLetterQueueRecord) => Error | undefined) {
  const sent: DeadLetterQueueRecord[] = [];
  const send = async (record: DeadLetterQueueRecord) => {
    const error = fail?.(record);
    if (error) throw error;
    sent.push(record);
  };
  return { sent, send };
}

export function consumed(overrides: Partial<ConsumedRecord> = {}): ConsumedRecord {
  return {
    topic: 'orders',
    partition: 2,
    offset: 41,
    key: Buffer.from('k1'),
    value: Buffer.from('{not json'),
    headers: [{ key: 'trace-id', value: Buffer.from('abc') }, { key: 'empty', value: null }],
    timestamp: 1_690_000_000_123,
    timestampType: 'CreateTime',
    ...overrides,
  };
}
