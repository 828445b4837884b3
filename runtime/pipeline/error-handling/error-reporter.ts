/**
 * What the error handler hands its reporters for each failure it tolerates (Kafka's
 * ErrorReporter fed with a ProcessingContext).
 */
import type { RecordContext } from './record-context.js';
import type { Stage } from './stage.js';

export interface ProcessingFailure {
  readonly stage: Stage;
  /** The class that ran the failed operation, as configured (e.g. the converter's class name). */
  readonly className: string;
  readonly error: unknown;
  /** How many times the operation ran, retries included. */
  readonly attempts: number;
  readonly record: RecordContext | undefined;
}

export interface ErrorReporter {
  /** Resolves once the failure is reported; never rejects (reporters count and log their own failures). */
  report(failure: ProcessingFailure): Promise<void>;
}
