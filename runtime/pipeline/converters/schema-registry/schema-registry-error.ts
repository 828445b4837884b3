/**
 * A Schema Registry's error answer (`{"error_code": 40403, "message": "Schema 7 not found"}`) or a
 * failure to reach it. The message reads as Confluent's client writes it: `<message>; error code:
 * <error_code>`. Timeouts, connection failures and HTTP 408/429/5xx are retriable.
 */
import { ConnectError } from '../../../../connectors/sdk/errors.js';

/** Synthesized by the client when the registry's error body is not JSON (as Confluent's client does). */
export const UNPARSEABLE_ERROR_CODE = 50005;

export class SchemaRegistryError extends ConnectError {
  override readonly name: string = 'SchemaRegistryError';
  override readonly code: string = 'SCHEMA_REGISTRY_ERROR';
  override readonly retriable: boolean;

  constructor(
    /** HTTP status, 0 when the registry was not reached. */
    readonly status: number,
    /** The registry's `error_code`, or the status when it sent none. */
    readonly errorCode: number,
    /** The registry's own message. */
    readonly registryMessage: string,
    options: { readonly retriable?: boolean; readonly cause?: unknown } = {},
  ) {
    super(status === 0 ? registryMessage : `${registryMessage}; error code: ${errorCode}`, { cause: options.cause });
    this.retriable = options.retriable ?? (status === 408 || status === 429 || status >= 500);
  }
}
