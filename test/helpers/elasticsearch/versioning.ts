/**
 * Document version rules of the index, create, update and delete APIs.
 *
 * https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-index_.html#index-versioning
 * - internal (default): every write adds one to the version, a delete too; a version kept after a delete
 *   (for `index.gc_deletes`, 60 s) continues the count.
 * - `external`: the write succeeds only if the given version is strictly higher than the stored one
 *   (or there is none) and stores it; `external_gte`: higher or equal.
 * - Only `index` and `delete` take external versions; create (`op_type=create`) and update accept
 *   internal versioning only, and optimistic concurrency uses `if_seq_no` + `if_primary_term`
 *   (https://www.elastic.co/guide/en/elasticsearch/reference/current/optimistic-concurrency-control.html).
 * External versions range over 0 … 9.2e18 (a Java long).
 */
import { EsError, illegalArgument, indexFields } from './errors.js';

export type VersionType = 'internal' | 'external' | 'external_gte';

export const MAX_VERSION = 2n ** 63n - 1n;

export interface VersionRequest {
  readonly versionType: VersionType;
  /** Given version; undefined when the request has none. */
  readonly version?: number;
  readonly ifSeqNo?: number;
  readonly ifPrimaryTerm?: number;
}

/** What the store knows of an id: a live document or a delete's tombstone. */
export interface VersionState {
  readonly live: boolean;
  /** Version of the live document or of the tombstone; undefined when nothing is known. */
  readonly version?: number;
  readonly seqNo?: number;
  readonly primaryTerm?: number;
}

export function parseVersionType(value: string | undefined): VersionType {
  if (value === undefined || value === 'internal') return 'internal';
  if (value === 'external' || value === 'external_gt') return 'external';
  if (value === 'external_gte') return 'external_gte';
  throw illegalArgument(`No version type match [${value}]`);
}

/**
 * Request validation messages for a write (`ActionRequestValidationException` parts); empty when fine.
 * `op` is the bulk action / API.
 */
export function versionValidation(op: 'index' | 'create' | 'update' | 'delete', request: VersionRequest): string[] {
  const problems: string[] = [];
  const { versionType, version } = request;
  const casGiven = request.ifSeqNo !== undefined || request.ifPrimaryTerm !== undefined;
  if (op === 'create') {
    if (versionType !== 'internal') problems.push('create operations only support internal versioning. use index instead');
    if (casGiven) problems.push('create operations do not support compare and set. use index instead');
    return problems;
  }
  if (op === 'update') {
    if (versionType !== 'internal') problems.push(`version type [${versionType.toUpperCase()}] is not supported by the update API`);
    else if (version !== undefined) problems.push('internal versioning can not be used for optimistic concurrency control. Please use `if_seq_no` and `if_primary_term` instead');
    return problems;
  }
  if (versionType === 'internal') {
    if (version !== undefined) problems.push('internal versioning can not be used for optimistic concurrency control. Please use `if_seq_no` and `if_primary_term` instead');
  } else {
    if (version === undefined || version < 0 || BigInt(Math.trunc(version)) > MAX_VERSION) {
      problems.push(`illegal version value [${version ?? -3}] for version type [${versionType.toUpperCase()}]`);
    }
    if (casGiven) problems.push('compare and write operations can not be used with version type [' + versionType.toUpperCase() + ']');
  }
  if (casGiven && (request.ifSeqNo === undefined || request.ifPrimaryTerm === undefined)) {
    problems.push(request.ifSeqNo === undefined ? 'ifSeqNo is unassigned, but primary term is [' + request.ifPrimaryTerm + ']' : 'ifSeqNo is set, but primary term is [0]');
  }
  return problems;
}

function conflict(index: string, uuid: string, id: string, detail: string): EsError {
  return new EsError(409, 'version_conflict_engine_exception', `[${id}]: version conflict, ${detail}`, { ...indexFields(index, uuid), shard: '0' });
}

/**
 * Decides a write: throws `version_conflict_engine_exception` (409) or returns the version the
 * document (or tombstone) gets. `mustNotExist` is the create action.
 */
export function decideWriteVersion(
  target: { index: string; uuid: string; id: string },
  state: VersionState,
  request: VersionRequest,
  mustNotExist = false,
): number {
  const { index, uuid, id } = target;
  if (mustNotExist && state.live) {
    throw conflict(index, uuid, id, `document already exists (current version [${state.version}])`);
  }
  if (request.ifSeqNo !== undefined && request.ifPrimaryTerm !== undefined) {
    if (!state.live) {
      throw conflict(index, uuid, id, `required seqNo [${request.ifSeqNo}], primary term [${request.ifPrimaryTerm}]. but no document was found`);
    }
    if (state.seqNo !== request.ifSeqNo || state.primaryTerm !== request.ifPrimaryTerm) {
      throw conflict(index, uuid, id, `required seqNo [${request.ifSeqNo}], primary term [${request.ifPrimaryTerm}]. current document has seqNo [${state.seqNo}] and primary term [${state.primaryTerm}]`);
    }
  }
  if (request.versionType === 'internal') return (state.version ?? 0) + 1;
  const given = request.version as number;
  if (state.version !== undefined) {
    if (request.versionType === 'external' && state.version >= given) {
      throw conflict(index, uuid, id, `current version [${state.version}] is higher or equal to the one provided [${given}]`);
    }
    if (request.versionType === 'external_gte' && state.version > given) {
      throw conflict(index, uuid, id, `current version [${state.version}] is higher than the one provided [${given}]`);
    }
  }
  return given;
}
