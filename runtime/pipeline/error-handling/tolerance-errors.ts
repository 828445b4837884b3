/**
 * The errors the error handler throws instead of skipping a record. Each carries the
 * operation's own error as `cause`, so the failed task's trace shows why it failed.
 */
import { ConnectError } from '../../../connectors/sdk/errors.js';
import type { ConsumedRecordContext, RecordContext } from './record-context.js';
import type { Stage } from './stage.js';

/**
 * errors.tolerance=none and an operation failed for good: the task must fail. When the failure
 * concerns a consumed record, the message says where it is (`... where consumed record is
 * {topic='t', partition=0, offset=41}`), so the failed task's status names the record to skip.
 */
export class ToleranceExceededError extends ConnectError {
  override readonly name: string = 'ToleranceExceededError';
  override readonly code: string = 'TOLERANCE_EXCEEDED';

  constructor(readonly stage: Stage, readonly className: string, cause: unknown, record?: RecordContext) {
    super(`Tolerance exceeded in error handler${record?.kind === 'consumed' ? ` ${consumedRecordWhere(stage, className, record.record)}` : ''}`, { cause });
  }
}

function consumedRecordWhere(stage: Stage, className: string, r: ConsumedRecordContext['record']): string {
  return `executing stage '${stage}' with class '${className}', where consumed record is {topic='${r.topic}', partition=${r.partition}, offset=${r.offset}}`;
}

/**
 * A non-retriable failure in a stage that never tolerates one (poll, put, produce, consume):
 * the task must fail whatever errors.tolerance says.
 */
export class UntolerableError extends ConnectError {
  override readonly name: string = 'UntolerableError';
  override readonly code: string = 'UNHANDLED_IN_ERROR_HANDLER';

  constructor(readonly stage: Stage, readonly className: string, cause: unknown) {
    super('Unhandled exception in error handler', { cause });
  }
}

/**
 * Retrying was cut short because the task is stopping. The operation did not succeed and
 * was not skipped; the caller must not treat the record as processed.
 */
export class RetryAbortedError extends ConnectError {
  override readonly name: string = 'RetryAbortedError';
  override readonly code: string = 'RETRY_ABORTED';

  constructor(readonly stage: Stage, readonly className: string, cause: unknown) {
    super(`Stopped retrying stage '${stage}' with class '${className}' because the task is stopping`, { cause });
  }
}
