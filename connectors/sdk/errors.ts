/**
 * The errors connector code throws and the runtime reacts to (Kafka's ConnectException tree).
 *
 * Every error states `retriable` explicitly and carries a fixed `code` taken from its class.
 * Only RetriableError is retried (with back-off, under `errors.retry.timeout`); DataError marks
 * one bad record, which error tolerance and the dead-letter queue then handle; any other
 * ConnectError fails the task.
 */

export interface ConnectErrorOptions {
  cause?: unknown;
}

/** Base of every connector-facing error. Not retriable. */
export class ConnectError extends Error {
  override readonly name: string = 'ConnectError';
  readonly code: string = 'CONNECT_ERROR';
  readonly retriable: boolean = false;

  constructor(message: string, options: ConnectErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** A transient failure: the runtime retries the same operation after a back-off. */
export class RetriableError extends ConnectError {
  override readonly name: string = 'RetriableError';
  override readonly code: string = 'RETRIABLE';
  override readonly retriable: boolean = true;
}

export interface DataErrorOptions extends ConnectErrorOptions {
  /** Where in the value the problem is, e.g. `order.lines[2].price`. */
  path?: string;
}

/** A record's data does not fit its schema or cannot be converted. Not retriable. */
export class DataError extends ConnectError {
  override readonly name: string = 'DataError';
  override readonly code: string = 'DATA_INVALID';
  readonly path: string | undefined;

  constructor(message: string, options: DataErrorOptions = {}) {
    super(message, options);
    this.path = options.path;
  }
}

export interface BatchFailure {
  /** Index of the failed record in the batch handed to the task. */
  readonly index: number;
  readonly error: Error;
}

/**
 * Some records of a batch failed and the rest succeeded. Each failure is reported like a
 * DataError for that record; the batch as a whole is not retried.
 */
export class BatchError extends ConnectError {
  override readonly name: string = 'BatchError';
  override readonly code: string = 'BATCH_PARTIALLY_FAILED';
  readonly failures: readonly BatchFailure[];

  constructor(message: string, failures: readonly BatchFailure[], options: ConnectErrorOptions = {}) {
    super(message, options);
    this.failures = failures;
  }
}
