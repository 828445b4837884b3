/**
 * The exactly-once preflight checks a distributed worker adds to source connector validation
 * (Kafka's DistributedHerder, exactly-once.md §7.9), with Kafka's messages, attached to the key
 * they concern so create/update answer 400 naming it:
 *
 * - `exactly.once.support=required`: the worker must have exactly.once.source.support=enabled,
 *   and the connector's exactlyOnceSupport(config) must answer SUPPORTED.
 * - `transaction.boundary=connector`: the connector's canDefineTransactionBoundaries(config)
 *   must answer SUPPORTED.
 *
 * Each check runs only when its key has no error yet, after the usual validation.
 */
import type { FieldIssue } from '../../connectors/sdk/config/config-spec.js';
import type { Connector, RawConfig } from '../../connectors/sdk/connector.js';

export type ExactlyOnceSourceSupport = 'disabled' | 'preparing' | 'enabled';

export const EXACTLY_ONCE_SUPPORT = 'exactly.once.support';
export const TRANSACTION_BOUNDARY = 'transaction.boundary';

export const WORKER_NOT_ENABLED = 'This worker does not have exactly-once source support enabled.';
export const EXACTLY_ONCE_NOT_DECLARED = 'The connector does not implement the API required for preflight validation of '
  + 'exactly-once source support. Please consult the documentation for the connector to determine whether it supports '
  + 'exactly-once semantics, and then consider reconfiguring the connector to use the value "requested" for this property '
  + '(which will disable this preflight check and allow the connector to be created).';
export const EXACTLY_ONCE_UNSUPPORTED = 'The connector does not support exactly-once semantics with the provided configuration.';
export const BOUNDARIES_NULL = 'This connector has returned a null value from its canDefineTransactionBoundaries method, '
  + 'which is not permitted. The connector will be treated as if it cannot define its own transaction boundaries, and '
  + 'cannot be configured with \'transaction.boundary\' set to \'connector\'.';
export const BOUNDARIES_UNSUPPORTED = 'The connector does not support connector-defined transaction boundaries with the given '
  + 'configuration. Please reconfigure it to use a different transaction boundary definition.';

/** Kafka's text for a connector method that threw during validation. */
export function unexpectedValidationError(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error ?? '')).trim();
  return message === ''
    ? 'An unexpected error occurred during validation; please see the worker logs for more details.'
    : `An unexpected error occurred during validation: ${message}`;
}

/**
 * The preflight issues for a source connector's `config`. `hasError(key)`: the usual validation
 * already reported an error on the key (its check is then skipped).
 */
export function exactlyOnceSourceIssues(
  connector: Connector, config: RawConfig, worker: ExactlyOnceSourceSupport, hasError: (key: string) => boolean,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const level = (key: string, fallback: string) => (config[key] ?? fallback).trim().toLowerCase();
  if (!hasError(EXACTLY_ONCE_SUPPORT) && level(EXACTLY_ONCE_SUPPORT, 'requested') === 'required') {
    if (worker !== 'enabled') issues.push({ name: EXACTLY_ONCE_SUPPORT, message: WORKER_NOT_ENABLED });
    try {
      const support = connector.exactlyOnceSupport?.(config) ?? null;
      if (support === null) issues.push({ name: EXACTLY_ONCE_SUPPORT, message: EXACTLY_ONCE_NOT_DECLARED });
      else if (support !== 'SUPPORTED') issues.push({ name: EXACTLY_ONCE_SUPPORT, message: EXACTLY_ONCE_UNSUPPORTED });
    } catch (error) {
      issues.push({ name: EXACTLY_ONCE_SUPPORT, message: unexpectedValidationError(error) });
    }
  }
  if (!hasError(TRANSACTION_BOUNDARY) && level(TRANSACTION_BOUNDARY, 'poll') === 'connector') {
    try {
      const boundaries = connector.canDefineTransactionBoundaries ? connector.canDefineTransactionBoundaries(config) : 'UNSUPPORTED';
      if (boundaries === null || boundaries === undefined) issues.push({ name: TRANSACTION_BOUNDARY, message: BOUNDARIES_NULL });
      else if (boundaries !== 'SUPPORTED') issues.push({ name: TRANSACTION_BOUNDARY, message: BOUNDARIES_UNSUPPORTED });
    } catch (error) {
      issues.push({ name: TRANSACTION_BOUNDARY, message: unexpectedValidationError(error) });
    }
  }
  return issues;
}
