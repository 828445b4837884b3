/**
 * Elasticsearch's error shapes. A failed request answers
 * `{ "error": { "root_cause": [...], "type", "reason", ... }, "status": N }`; a failed bulk item carries
 * only the inner `{ "type", "reason", ... }` object next to its own `status`.
 * (https://www.elastic.co/guide/en/elasticsearch/reference/current/common-options.html#common-options-error-options)
 */

export interface EsErrorBody {
  type: string;
  reason: string;
  [extra: string]: unknown;
}

/** An error the server answers with: the HTTP (or item) status and Elasticsearch's error object. */
export class EsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly reason: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(`${type}: ${reason}`);
  }

  /** The object a bulk item (and `error` of a whole answer) carries. */
  body(): EsErrorBody {
    return { type: this.type, reason: this.reason, ...this.extra };
  }

  /** The whole-request answer body: the root cause is the innermost error without its cause. */
  response(): { error: Record<string, unknown>; status: number } {
    const root = { ...this.body() };
    delete root.caused_by;
    return { error: { root_cause: [root], ...this.body() }, status: this.status };
  }
}

/** The `index`/`index_uuid` pair Elasticsearch adds to errors about an index. */
export function indexFields(index: string, uuid = '_na_'): Record<string, unknown> {
  return { index_uuid: uuid, index };
}

export function indexNotFound(index: string): EsError {
  return new EsError(404, 'index_not_found_exception', `no such index [${index}]`, {
    'resource.type': 'index_or_alias',
    'resource.id': index,
    ...indexFields(index),
  });
}

/** Validation failures are numbered and each ends with `;`, as `ValidationException` prints them. */
export function validationFailed(messages: readonly string[]): EsError {
  const text = messages.map((m, i) => `${i + 1}: ${m};`).join('');
  return new EsError(400, 'action_request_validation_exception', `Validation Failed: ${text}`);
}

export function illegalArgument(reason: string, extra: Record<string, unknown> = {}): EsError {
  return new EsError(400, 'illegal_argument_exception', reason, extra);
}
