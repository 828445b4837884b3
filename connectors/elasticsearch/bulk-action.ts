/**
 * One record as a bulk action, the way Confluent's DataConverter builds it:
 * - insert: `index` (data streams: `create`) with the document; with key ids the version is
 *   external, the Kafka offset or the external.version.header value, so a replay never replaces
 *   a newer document (its version conflict counts as success);
 * - upsert: `update` with `doc` and `doc_as_upsert`, retry_on_conflict = min(max.in.flight.requests, 5);
 * - null value with behavior.on.null.values=delete: `delete` of the key's id, versioned likewise
 *   under insert, unversioned under upsert (the task decides: an offset need not exceed the internal
 *   version the updates gave the document).
 * `orderSensitive` marks actions whose outcome depends on order among actions for the same id
 * (unversioned ones with an id): they never run concurrently with another action for that id.
 */
import type { SinkRecord } from '../sdk/connect-record.js';
import { DataError } from '../sdk/errors.js';

export type ActionKind = 'index' | 'create' | 'update' | 'delete';

export interface BulkAction {
  readonly record: SinkRecord;
  readonly kind: ActionKind;
  readonly index: string;
  readonly id: string | null;
  readonly externalVersion: number | null;
  readonly orderSensitive: boolean;
  /** The NDJSON lines of the action (one or two lines, each ending in a newline). */
  readonly ndjson: string;
  /** Byte length of `ndjson` as UTF-8. */
  readonly bytes: number;
}

export interface ActionInput {
  readonly record: SinkRecord;
  readonly kind: ActionKind;
  readonly index: string;
  readonly id: string | null;
  readonly externalVersion: number | null;
  readonly document: string | null;
  readonly retryOnConflict: number;
}

export function bulkAction(input: ActionInput): BulkAction {
  let meta = `{"_index":${JSON.stringify(input.index)}`;
  if (input.id !== null) meta += `,"_id":${JSON.stringify(input.id)}`;
  if (input.externalVersion !== null) meta += `,"version":${input.externalVersion},"version_type":"external"`;
  if (input.kind === 'update') meta += `,"retry_on_conflict":${input.retryOnConflict}`;
  let ndjson = `{"${input.kind}":${meta}}}\n`;
  if (input.kind === 'update') ndjson += `{"doc":${input.document},"doc_as_upsert":true}\n`;
  else if (input.kind !== 'delete') ndjson += `${input.document}\n`;
  return {
    record: input.record,
    kind: input.kind,
    index: input.index,
    id: input.id,
    externalVersion: input.externalVersion,
    orderSensitive: input.id !== null && input.externalVersion === null && input.kind !== 'create',
    ndjson,
    bytes: Buffer.byteLength(ndjson, 'utf8'),
  };
}

/** The external version a record carries in `header` (its last occurrence), as a whole number. */
export function headerVersion(record: SinkRecord, header: string): number {
  let found: unknown;
  let present = false;
  for (const h of record.headers) {
    if (h.key === header) {
      found = h.value;
      present = true;
    }
  }
  if (!present) throw new DataError(`The record has no header '${header}' (external.version.header) to version its document by`);
  const text = found instanceof Uint8Array ? Buffer.from(found).toString('utf8') : typeof found === 'string' || typeof found === 'number' || typeof found === 'bigint' ? String(found) : '';
  if (!/^-?\d{1,19}$/.test(text.trim())) {
    throw new DataError(`Error converting external version header '${header}' to long for record from topic=${record.topic} partition=${record.kafkaPartition} offset=${record.kafkaOffset}`);
  }
  return Number(text.trim());
}
