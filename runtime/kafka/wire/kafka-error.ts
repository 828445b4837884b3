/**
 * Errors of the wire client: a broker's error code (KafkaError, classified retriable the way
 * Java clients classify it), a broken or timed-out connection (WireConnectionError, always
 * retriable), and a request the broker cannot serve in any version both sides know
 * (UnsupportedApiError). Transactional producers add their own (transaction-manager.ts):
 * FatalTransactionError and its ProducerFencedError / TransactionalIdAuthorizationError end
 * the producer, AbortableTransactionError only the current transaction.
 */

const NAMES: Record<number, string> = {
  [-1]: 'UNKNOWN_SERVER_ERROR',
  1: 'OFFSET_OUT_OF_RANGE',
  2: 'CORRUPT_MESSAGE',
  3: 'UNKNOWN_TOPIC_OR_PARTITION',
  5: 'LEADER_NOT_AVAILABLE',
  6: 'NOT_LEADER_OR_FOLLOWER',
  7: 'REQUEST_TIMED_OUT',
  10: 'MESSAGE_TOO_LARGE',
  13: 'NETWORK_EXCEPTION',
  14: 'COORDINATOR_LOAD_IN_PROGRESS',
  15: 'COORDINATOR_NOT_AVAILABLE',
  16: 'NOT_COORDINATOR',
  17: 'INVALID_TOPIC_EXCEPTION',
  19: 'NOT_ENOUGH_REPLICAS',
  20: 'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  22: 'ILLEGAL_GENERATION',
  23: 'INCONSISTENT_GROUP_PROTOCOL',
  24: 'INVALID_GROUP_ID',
  25: 'UNKNOWN_MEMBER_ID',
  26: 'INVALID_SESSION_TIMEOUT',
  27: 'REBALANCE_IN_PROGRESS',
  29: 'TOPIC_AUTHORIZATION_FAILED',
  30: 'GROUP_AUTHORIZATION_FAILED',
  31: 'CLUSTER_AUTHORIZATION_FAILED',
  33: 'UNSUPPORTED_SASL_MECHANISM',
  34: 'ILLEGAL_SASL_STATE',
  35: 'UNSUPPORTED_VERSION',
  36: 'TOPIC_ALREADY_EXISTS',
  37: 'INVALID_PARTITIONS',
  38: 'INVALID_REPLICATION_FACTOR',
  39: 'INVALID_REPLICA_ASSIGNMENT',
  40: 'INVALID_CONFIG',
  41: 'NOT_CONTROLLER',
  42: 'INVALID_REQUEST',
  44: 'POLICY_VIOLATION',
  45: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
  46: 'DUPLICATE_SEQUENCE_NUMBER',
  47: 'INVALID_PRODUCER_EPOCH',
  48: 'INVALID_TXN_STATE',
  49: 'INVALID_PRODUCER_ID_MAPPING',
  50: 'INVALID_TRANSACTION_TIMEOUT',
  51: 'CONCURRENT_TRANSACTIONS',
  52: 'TRANSACTION_COORDINATOR_FENCED',
  53: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  55: 'OPERATION_NOT_ATTEMPTED',
  56: 'KAFKA_STORAGE_ERROR',
  58: 'SASL_AUTHENTICATION_FAILED',
  59: 'UNKNOWN_PRODUCER_ID',
  68: 'NON_EMPTY_GROUP',
  69: 'GROUP_ID_NOT_FOUND',
  70: 'FETCH_SESSION_ID_NOT_FOUND',
  71: 'INVALID_FETCH_SESSION_EPOCH',
  72: 'LISTENER_NOT_FOUND',
  74: 'FENCED_LEADER_EPOCH',
  75: 'UNKNOWN_LEADER_EPOCH',
  78: 'OFFSET_NOT_AVAILABLE',
  79: 'MEMBER_ID_REQUIRED',
  86: 'GROUP_SUBSCRIBED_TO_TOPIC',
  89: 'THROTTLING_QUOTA_EXCEEDED',
  90: 'PRODUCER_FENCED',
  100: 'UNKNOWN_TOPIC_ID',
  120: 'TRANSACTION_ABORTABLE',
};

const RETRIABLE = new Set([2, 3, 5, 6, 7, 13, 14, 15, 16, 19, 20, 41, 56, 70, 71, 72, 74, 75, 78, 89, 100]);

/** Codes after which the client should refresh metadata (leaders moved, topic appeared). */
const STALE_METADATA = new Set([3, 5, 6, 56, 74, 75, 100]);

/** Codes after which the client should look the group coordinator up again. */
const STALE_COORDINATOR = new Set([15, 16]);

export function errorName(code: number): string {
  return NAMES[code] ?? `KAFKA_ERROR_${code}`;
}

export class KafkaError extends Error {
  override readonly name = 'KafkaError';
  readonly retriable: boolean;

  constructor(readonly code: number, context: string, serverMessage?: string | null) {
    super(`${context}: ${errorName(code)} (${code})${serverMessage ? `: ${serverMessage}` : ''}`);
    this.retriable = RETRIABLE.has(code);
  }

  get type(): string {
    return errorName(this.code);
  }

  get staleMetadata(): boolean {
    return STALE_METADATA.has(this.code);
  }

  get staleCoordinator(): boolean {
    return STALE_COORDINATOR.has(this.code);
  }
}

/** The socket failed, closed, or a request outlived its timeout. */
export class WireConnectionError extends Error {
  override readonly name = 'WireConnectionError';
  readonly retriable = true;
}

/** The broker does not serve the API in any version this client can encode. */
export class UnsupportedApiError extends Error {
  override readonly name = 'UnsupportedApiError';
  readonly retriable = false;
}

export function isRetriable(error: unknown): boolean {
  return (error instanceof KafkaError || error instanceof WireConnectionError) && error.retriable;
}

/**
 * A transactional producer can no longer be used (Java's fatal TransactionManager errors):
 * every later call fails with the same error; close the producer. `code` is the Kafka error
 * code behind it, when there is one.
 */
export class FatalTransactionError extends Error {
  override readonly name: string = 'FatalTransactionError';
  readonly retriable = false;
  readonly fatal = true;

  constructor(message: string, readonly code?: number, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Another producer with the same transactional id took over (PRODUCER_FENCED), or the
 * coordinator bumped this producer's epoch, e.g. because its transaction outlived
 * transaction.timeout.ms (INVALID_PRODUCER_EPOCH, `code` 47). Java: ProducerFencedException /
 * InvalidProducerEpochException.
 */
export class ProducerFencedError extends FatalTransactionError {
  override readonly name = 'ProducerFencedError';
}

/** The principal may not use the transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED). */
export class TransactionalIdAuthorizationError extends FatalTransactionError {
  override readonly name = 'TransactionalIdAuthorizationError';
}

/**
 * The current transaction cannot be committed (a record could not be written, a partition
 * could not be added): abortTransaction(), then the producer can begin the next one.
 */
export class AbortableTransactionError extends Error {
  override readonly name = 'AbortableTransactionError';
  readonly retriable = false;

  constructor(message: string, readonly code?: number, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A transactional producer call made in a state that does not allow it (Java's IllegalStateException). */
export class TransactionStateError extends Error {
  override readonly name = 'TransactionStateError';
  readonly retriable = false;
}
