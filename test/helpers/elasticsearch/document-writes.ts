/**
 * One document write (a bulk item, or the single-document APIs) and its result object.
 * Results: https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-bulk.html#bulk-api-response-body
 * (`_index`, `_id`, `_version`, `result`: created/updated/deleted/not_found/noop, `_shards`, `_seq_no`,
 * `_primary_term`, `status`; failed items carry `error` instead).
 * Updates merge `doc` into the stored source (objects recursively, everything else replaced), answer
 * `noop` when nothing changes (`detect_noop`), and insert `doc` (`doc_as_upsert`) or `upsert` when the
 * document is missing, else `document_missing_exception` 404:
 * https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-update.html
 * Deletes of a missing document answer `not_found` with status 404 but are no error.
 * Index and create without `_id` get a generated 20-character id.
 */
import { randomBytes } from 'node:crypto';
import type { BulkAction, UpdateBody } from './bulk-parser.js';
import type { Cluster, WriteTarget } from './cluster.js';
import { checkTimestamp, requireCreateOp } from './data-streams.js';
import { EsError, indexFields } from './errors.js';
import { PRIMARY_TERM } from './index-store.js';
import { mapDocument } from './mapping.js';
import { decideWriteVersion } from './versioning.js';

export interface ItemResult {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

let idCounter = 0;

/** A time-based id of 20 url-safe base64 characters, shaped like Elasticsearch's. */
export function generateId(): string {
  const buffer = Buffer.alloc(15);
  buffer.writeUIntBE(Date.now(), 0, 6);
  buffer.writeUIntBE(idCounter++ & 0xffffff, 6, 3);
  randomBytes(6).copy(buffer, 9);
  return buffer.toString('base64url');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The partial-document merge of the update API. */
export function mergeDoc(current: unknown, doc: unknown): unknown {
  if (!isPlainObject(current) || !isPlainObject(doc)) return structuredClone(doc);
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(doc)) {
    merged[key] = isPlainObject(value) && isPlainObject(current[key]) ? mergeDoc(current[key], value) : structuredClone(value);
  }
  return merged;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

export class DocumentWriter {
  constructor(private readonly cluster: Cluster) {}

  private get errorType(): string {
    return this.cluster.profile.documentParsingError;
  }

  private shards(total = 2, successful = 1): Record<string, number> {
    return { total, successful, failed: 0 };
  }

  /** The head of every item: `_index`, (`_type`), `_id`. */
  head(index: string, id: string | undefined): Record<string, unknown> {
    const head: Record<string, unknown> = { _index: index };
    if (this.cluster.profile.typesInAnswers) head._type = '_doc';
    head._id = id ?? null;
    return head;
  }

  failure(index: string, id: string | undefined, error: EsError): ItemResult {
    return { status: error.status, body: { ...this.head(index, id), status: error.status, error: error.body() } };
  }

  private success(index: string, id: string, version: number, result: string, seqNo: number, status: number, shards = this.shards()): ItemResult {
    return {
      status,
      body: { ...this.head(index, id), _version: version, result, _shards: shards, _seq_no: seqNo, _primary_term: PRIMARY_TERM, status },
    };
  }

  private parseSource(raw: string): unknown {
    try {
      return JSON.parse(raw);
    } catch (err) {
      throw new EsError(400, this.errorType, 'failed to parse', { caused_by: { type: 'json_parse_exception', reason: (err as Error).message } });
    }
  }

  /** Runs one action; never throws: failures become the item's error. */
  execute(action: BulkAction): ItemResult {
    let indexName = action.index;
    let id = action.id;
    if (id === undefined && (action.op === 'index' || action.op === 'create')) id = generateId();
    try {
      const target = action.op === 'delete'
        ? this.cluster.resolveWrite(action.index, false)
        : this.cluster.resolveWrite(action.index, true);
      indexName = target.index.name;
      if (action.op === 'delete') return this.delete(target, id as string, action);
      if (action.op === 'update') return this.update(target, id as string, action);
      return this.index(target, id as string, action);
    } catch (err) {
      if (err instanceof EsError) return this.failure(indexName, id, err);
      throw err;
    }
  }

  private index(target: WriteTarget, id: string, action: BulkAction): ItemResult {
    const { index, dataStream } = target;
    if (dataStream !== undefined && action.op !== 'create') throw requireCreateOp();
    const source = this.parseSource(action.rawSource ?? '');
    index.mappings = mapDocument(index.mappings, source, { id, errorType: this.errorType });
    if (dataStream !== undefined) checkTimestamp(source, this.errorType);
    const state = index.versionState(id);
    const version = decideWriteVersion({ index: index.name, uuid: index.uuid, id }, state, action, action.op === 'create');
    const stored = index.put(id, source, version);
    return state.live
      ? this.success(index.name, id, version, 'updated', stored.seqNo, 200)
      : this.success(index.name, id, version, 'created', stored.seqNo, 201);
  }

  private update(target: WriteTarget, id: string, action: BulkAction): ItemResult {
    const { index, dataStream } = target;
    if (dataStream !== undefined) throw requireCreateOp();
    const body = action.update as UpdateBody;
    if (body.script !== undefined) {
      throw new EsError(400, 'illegal_argument_exception', 'scripted updates are not supported by the test server');
    }
    const existing = index.documents.get(id);
    if (existing === undefined) {
      const insert = body.doc_as_upsert === true ? body.doc : body.upsert;
      if (insert === undefined) {
        throw new EsError(404, 'document_missing_exception', `[${id}]: document missing`, { ...indexFields(index.name, index.uuid), shard: '0' });
      }
      index.mappings = mapDocument(index.mappings, insert, { id, errorType: this.errorType });
      const version = decideWriteVersion({ index: index.name, uuid: index.uuid, id }, index.versionState(id), action);
      const stored = index.put(id, structuredClone(insert), version);
      return this.success(index.name, id, version, 'created', stored.seqNo, 201);
    }
    const merged = mergeDoc(existing.source, body.doc);
    if (body.detect_noop !== false && deepEqual(merged, existing.source)) {
      return this.success(index.name, id, existing.version, 'noop', existing.seqNo, 200, this.shards(0, 0));
    }
    index.mappings = mapDocument(index.mappings, merged, { id, errorType: this.errorType });
    const version = decideWriteVersion({ index: index.name, uuid: index.uuid, id }, index.versionState(id), action);
    const stored = index.put(id, merged, version);
    return this.success(index.name, id, version, 'updated', stored.seqNo, 200);
  }

  private delete(target: WriteTarget, id: string, action: BulkAction): ItemResult {
    const { index, dataStream } = target;
    if (dataStream !== undefined) throw requireCreateOp();
    const state = index.versionState(id);
    const version = decideWriteVersion({ index: index.name, uuid: index.uuid, id }, state, action);
    const seqNo = index.delete(id, version);
    return state.live
      ? this.success(index.name, id, version, 'deleted', seqNo, 200)
      : this.success(index.name, id, version, 'not_found', seqNo, 404);
  }
}
