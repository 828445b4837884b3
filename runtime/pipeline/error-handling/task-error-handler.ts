/**
 * Builds the error handler of one task from its connector's policy: a ToleranceOperator with
 * a LogReporter when errors.log.enable is on and, for a sink task given a dead-letter-queue
 * sender, a DeadLetterQueueReporter when the policy names a topic. Source tasks pass no sender
 * and get log reporting only.
 */
import type { TaskLogger } from '../../../connectors/sdk/task-logger.js';
import type { TaskId } from '../../stores/task-id.js';
import { DeadLetterQueueReporter, type DeadLetterQueueSend } from './dead-letter-queue-reporter.js';
import { ErrorHandlingMetrics } from './error-metrics.js';
import type { ErrorPolicy } from './error-policy.js';
import type { ErrorReporter } from './error-reporter.js';
import { LogReporter } from './log-reporter.js';
import type { Sleep } from './retry-backoff.js';
import { ToleranceOperator } from './tolerance-operator.js';

export interface TaskErrorHandlerOptions {
  readonly taskId: TaskId;
  readonly policy: ErrorPolicy;
  /** Receives the log reporter's lines and dead-letter-queue send failures. */
  readonly logger: TaskLogger;
  /** Sink tasks only: produces to the dead letter queue topic. */
  readonly deadLetterQueueSend?: DeadLetterQueueSend;
  readonly signal?: AbortSignal;
  readonly clock?: () => number;
  readonly sleep?: Sleep;
  readonly random?: () => number;
}

export function createTaskErrorHandler(options: TaskErrorHandlerOptions): ToleranceOperator {
  const { taskId, policy, logger } = options;
  const metrics = new ErrorHandlingMetrics();
  const reporters: ErrorReporter[] = [];
  if (policy.logEnable) reporters.push(new LogReporter({ taskId, logger, includeMessages: policy.logIncludeMessages, metrics }));
  if (policy.deadLetterQueue !== null && options.deadLetterQueueSend !== undefined) {
    reporters.push(new DeadLetterQueueReporter({ taskId, policy: policy.deadLetterQueue, send: options.deadLetterQueueSend, metrics, logger }));
  }
  return new ToleranceOperator({
    policy,
    reporters,
    metrics,
    signal: options.signal,
    clock: options.clock,
    sleep: options.sleep,
    random: options.random,
  });
}
