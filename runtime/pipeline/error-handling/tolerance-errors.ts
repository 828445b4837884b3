/**
 * The errors the error handler throws instead of skipping a record. Each carries the
 * operation's own error as `cause`, so the failed task's trace shows why it failed.
 */
import { ConnectError } from '../../../connectors/sdk/errors.js';
import type { Stage } from './stage.js';

/** errors.tolerance=none and an operation failed for good: the task must fail. */
export class ToleranceExceededError extends ConnectError {
  override readonly name: string = 'ToleranceExceededError';
  override readonly code: string = 'TOLERANCE_EXCEEDED';

  constructor(readonly stage: Stage, readonly className: string, cause: unknown) {
    super('Tolerance exceeded in error handler', { cause });
  }
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
