/**
 * Errors of the wire client: a broker's error code (KafkaError, classified retriable the way
 * Java clients classify it), a broken or timed-out connection (WireConnectionError, always
 * retriable), and a request the broker cannot serve in any version both sides know
 * (UnsupportedApiError).
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
  56: 'KAFKA_STORAGE_ERROR',
  58: 'SASL_AUTHENTICATION_FAILED',
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
  100: 'UNKNOWN_TOPIC_ID',
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
