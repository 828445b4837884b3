/**
 * What a failed S3 request means for a task. Transient failures (5xx, SlowDown and other
 * throttling, request timeouts, dropped or refused connections) are worth retrying; anything
 * else (no such bucket, access denied, bad credentials, bad request) is not, and fails the task.
 * Messages keep S3's own error code and text and name the bucket, so a user sees what S3 said.
 */
import { ConnectError, RetriableError } from '../../sdk/errors.js';

interface S3ErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

const TRANSIENT_NAMES = new Set([
  'SlowDown', 'InternalError', 'ServiceUnavailable', 'RequestTimeout', 'RequestTimeoutException', 'Throttling',
  'ThrottlingException', 'ThrottledException', 'TooManyRequestsException', 'RequestThrottled', 'TimeoutError',
  'AbortError', 'BadGateway', 'GatewayTimeout',
]);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED', 'EHOSTUNREACH']);

export function isTransientS3Error(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const e = error as S3ErrorShape;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (e.name !== undefined && TRANSIENT_NAMES.has(e.name)) return true;
  if (e.code !== undefined && TRANSIENT_CODES.has(e.code)) return true;
  if (e.$retryable !== undefined && e.$retryable !== null) return true;
  return /socket hang up|ECONNRESET|ECONNREFUSED/.test(e.message ?? '');
}

/** S3's own words: `<Code> (HTTP <status>): <message>`. */
export function s3ErrorText(error: unknown): string {
  if (error === null || typeof error !== 'object') return String(error);
  const e = error as S3ErrorShape;
  const status = e.$metadata?.httpStatusCode;
  const name = e.name !== undefined && e.name !== 'Error' ? e.name : e.code;
  const head = [name, status !== undefined ? `(HTTP ${status})` : undefined].filter((p) => p !== undefined).join(' ');
  return head === '' ? String(e.message) : `${head}: ${e.message ?? ''}`;
}

/** The error a task throws after an S3 request failed for good (retries exhausted or not worth retrying). */
export function s3Failure(error: unknown, bucket: string, action: string, attempts: number): ConnectError {
  const text = s3ErrorText(error);
  if (isTransientS3Error(error)) {
    return new RetriableError(`S3 ${action} in bucket "${bucket}" still failing after ${attempts} attempts: ${text}`, { cause: error });
  }
  return new ConnectError(`S3 ${action} in bucket "${bucket}" failed: ${text}`, { cause: error });
}
