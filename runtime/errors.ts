/**
 * The runtime's error table. Each error class fixes its code and its HTTP status (the REST
 * layer maps errors to Kafka Connect's status codes in one place from these). Codes are
 * never reused once released.
 */
export type RuntimeErrorCode =
  | 'CONNECTOR_NOT_FOUND'
  | 'TASK_NOT_FOUND'
  | 'CONNECTOR_EXISTS'
  | 'CONFIG_INVALID'
  | 'BAD_REQUEST'
  | 'PLUGIN_NOT_FOUND'
  | 'NOT_LEADER'
  | 'REBALANCE_IN_PROGRESS'
  | 'REQUEST_TIMEOUT'
  | 'INTERNAL_REQUEST_REFUSED'
  | 'INTERNAL';

export abstract class RuntimeError extends Error {
  abstract readonly code: RuntimeErrorCode;
  abstract readonly httpStatus: number;
  readonly retriable: boolean = false;
}

export class ConnectorNotFoundError extends RuntimeError {
  readonly code = 'CONNECTOR_NOT_FOUND';
  readonly httpStatus = 404;
  constructor(connector: string, message = `Connector ${connector} not found`) {
    super(message);
  }
}

export class TaskNotFoundError extends RuntimeError {
  readonly code = 'TASK_NOT_FOUND';
  readonly httpStatus = 404;
}

export class ConnectorExistsError extends RuntimeError {
  readonly code = 'CONNECTOR_EXISTS';
  readonly httpStatus = 409;
  constructor(connector: string) {
    super(`Connector ${connector} already exists`);
  }
}

/** A connector config failed validation; the message lists every error as Kafka Connect does. */
export class ConfigInvalidError extends RuntimeError {
  readonly code = 'CONFIG_INVALID';
  readonly httpStatus = 400;
  constructor(readonly errors: readonly string[], message?: string) {
    super(message ?? `Connector configuration is invalid and contains the following ${errors.length} error(s):\n${errors.join('\n')}\nYou can also find the above list of errors at the endpoint \`/connector-plugins/{connectorType}/config/validate\``);
  }
}

export class BadRequestError extends RuntimeError {
  readonly code = 'BAD_REQUEST';
  readonly httpStatus = 400;
}

/** Unknown connector class: Kafka Connect answers 500 on create/validate. */
export class PluginNotFoundError extends RuntimeError {
  readonly code = 'PLUGIN_NOT_FOUND';
  readonly httpStatus: number;
  constructor(message: string, httpStatus = 500) {
    super(message);
    this.httpStatus = httpStatus;
  }
}

/** This worker is not the leader; the request must be forwarded to `leaderUrl`. */
export class NotLeaderError extends RuntimeError {
  readonly code = 'NOT_LEADER';
  readonly httpStatus = 409;
  constructor(readonly leaderUrl: string | null) {
    super(leaderUrl === null
      ? 'Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.'
      : `Request must be handled by the leader at ${leaderUrl}`);
  }
}

export class RebalanceInProgressError extends RuntimeError {
  readonly code = 'REBALANCE_IN_PROGRESS';
  readonly httpStatus = 409;
  override readonly retriable = true;
  constructor(message = 'Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)') {
    super(message);
  }
}

export class RequestTimeoutError extends RuntimeError {
  readonly code = 'REQUEST_TIMEOUT';
  readonly httpStatus = 500;
  constructor(stage: string) {
    super(`Request timed out. The worker is currently ${stage}`);
  }
}

/** A request between workers refused for its session-key signature (403 invalid, 503 no key read yet). */
export class InternalRequestRefusedError extends RuntimeError {
  readonly code = 'INTERNAL_REQUEST_REFUSED';
  readonly httpStatus: number;
  constructor(httpStatus: number, message: string) {
    super(message);
    this.httpStatus = httpStatus;
  }
}
