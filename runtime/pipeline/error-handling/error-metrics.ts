/**
 * One task's error-handling counters (Kafka Connect's `task-error-metrics` group). The
 * snapshot is keyed by Kafka's metric names so it can be exposed as is.
 *
 * - total-record-failures: failed attempts, each retry's failure included;
 * - total-record-errors: operations that failed for good (skipped or failing the task);
 * - total-records-skipped: failed operations skipped under errors.tolerance=all;
 * - total-retries: retries made after a retriable failure;
 * - total-errors-logged: errors written by the log reporter;
 * - deadletterqueue-produce-requests / -failures: dead letter queue sends and failed sends;
 * - last-error-timestamp: epoch ms of the last operation that failed for good, 0 if none.
 */
export interface TaskErrorMetrics {
  readonly 'total-record-failures': number;
  readonly 'total-record-errors': number;
  readonly 'total-records-skipped': number;
  readonly 'total-retries': number;
  readonly 'total-errors-logged': number;
  readonly 'deadletterqueue-produce-requests': number;
  readonly 'deadletterqueue-produce-failures': number;
  readonly 'last-error-timestamp': number;
}

export class ErrorHandlingMetrics {
  #failures = 0;
  #errors = 0;
  #skipped = 0;
  #retries = 0;
  #logged = 0;
  #dlqRequests = 0;
  #dlqFailures = 0;
  #lastErrorTimestamp = 0;

  recordFailure(): void {
    this.#failures++;
  }

  recordRetry(): void {
    this.#retries++;
  }

  recordError(timestamp: number): void {
    this.#errors++;
    this.#lastErrorTimestamp = timestamp;
  }

  recordSkipped(): void {
    this.#skipped++;
  }

  recordErrorLogged(): void {
    this.#logged++;
  }

  recordDeadLetterQueueProduceRequest(): void {
    this.#dlqRequests++;
  }

  recordDeadLetterQueueProduceFailed(): void {
    this.#dlqFailures++;
  }

  snapshot(): TaskErrorMetrics {
    return {
      'total-record-failures': this.#failures,
      'total-record-errors': this.#errors,
      'total-records-skipped': this.#skipped,
      'total-retries': this.#retries,
      'total-errors-logged': this.#logged,
      'deadletterqueue-produce-requests': this.#dlqRequests,
      'deadletterqueue-produce-failures': this.#dlqFailures,
      'last-error-timestamp': this.#lastErrorTimestamp,
    };
  }
}
