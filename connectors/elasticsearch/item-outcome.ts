/**
 * What one item of a bulk answer means for its record (Confluent's rules, with retries added):
 * - `ok`: indexed, updated, deleted, or a delete of a document that was not there;
 * - `superseded`: a version conflict on an externally versioned action — a newer (or the same)
 *   version is already indexed, which is what a replay should find;
 * - `conflict`: a version conflict on an unversioned action (to the dead-letter topic, logged);
 * - `malformed`: the document does not fit the index (mapping, parsing, illegal argument, validation);
 * - `missing-index`: the index was deleted meanwhile (re-created, then the item retried);
 * - `retry`: the cluster was busy or failing for this item (429, 5xx): retried with back-off;
 * - `failed`: anything else; the record goes to the dead-letter topic and the task fails.
 */
import { errorText } from './es-connection.js';

export type ItemOutcome = 'ok' | 'superseded' | 'conflict' | 'malformed' | 'missing-index' | 'retry' | 'failed';

export const MALFORMED_ERRORS: readonly string[] = [
  'strict_dynamic_mapping_exception', 'mapper_parsing_exception', 'illegal_argument_exception',
  'action_request_validation_exception', 'document_parsing_exception',
];

export interface BulkItem {
  readonly status: number;
  readonly error?: Record<string, unknown> | string;
  readonly result?: string;
}

/** The item of one bulk answer entry (`{"index": {...}}` and the like). */
export function itemOf(entry: unknown): BulkItem | null {
  if (entry === null || typeof entry !== 'object') return null;
  const values = Object.values(entry as Record<string, unknown>);
  const item = values[0];
  if (item === null || typeof item !== 'object' || typeof (item as BulkItem).status !== 'number') return null;
  return item as BulkItem;
}

export function reasonOf(item: BulkItem): string {
  if (item.error === undefined) return `HTTP ${item.status}`;
  return typeof item.error === 'string' ? item.error : errorText(item.error);
}

export function outcomeOf(item: BulkItem, externallyVersioned: boolean, kind: string): ItemOutcome {
  if (item.error === undefined) {
    if (item.status < 300 || (kind === 'delete' && item.status === 404)) return 'ok';
    return item.status === 429 || item.status >= 500 ? 'retry' : 'failed';
  }
  const text = reasonOf(item);
  const type = typeof item.error === 'string' ? item.error : String(item.error.type ?? '');
  if (type === 'version_conflict_engine_exception' || text.includes('version_conflict_engine_exception')) {
    return externallyVersioned ? 'superseded' : 'conflict';
  }
  if (type === 'index_not_found_exception') return 'missing-index';
  if (MALFORMED_ERRORS.some((e) => text.includes(e))) return 'malformed';
  if (item.status === 429 || item.status >= 500 || type === 'es_rejected_execution_exception') return 'retry';
  return 'failed';
}
