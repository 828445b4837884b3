/**
 * The `_bulk` request body: newline-delimited JSON, an action line (`index`, `create`, `update` or
 * `delete` with its metadata) followed, except for `delete`, by a source line; the body must end with
 * a newline. https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-bulk.html#docs-bulk-api-request-body
 * Errors in the action lines fail the whole request (400); a document that is not valid JSON fails
 * only its own item, when it is indexed; an update's body line is parsed with the request.
 */
import { EsError, illegalArgument, validationFailed } from './errors.js';
import { parseVersionType, versionValidation, type VersionType } from './versioning.js';

export type BulkOp = 'index' | 'create' | 'update' | 'delete';

export interface BulkAction {
  readonly op: BulkOp;
  /** 1-based line of the action in the body. */
  readonly line: number;
  readonly index: string;
  readonly id?: string;
  readonly versionType: VersionType;
  readonly version?: number;
  readonly ifSeqNo?: number;
  readonly ifPrimaryTerm?: number;
  readonly retryOnConflict: number;
  /** index/create: the document line as sent (parsed when the item runs). */
  readonly rawSource?: string;
  /** update: the parsed body line. */
  readonly update?: UpdateBody;
}

export interface UpdateBody {
  doc?: unknown;
  upsert?: unknown;
  doc_as_upsert?: boolean;
  detect_noop?: boolean;
  script?: unknown;
  scripted_upsert?: boolean;
}

const COMMON_PARAMS = new Set(['_index', '_id', 'routing', 'version', 'version_type', 'if_seq_no', 'if_primary_term', 'require_alias', 'require_data_stream']);
const INDEX_PARAMS = new Set([...COMMON_PARAMS, 'pipeline', 'dynamic_templates', 'list_executed_pipelines']);
const UPDATE_PARAMS = new Set([...COMMON_PARAMS, 'retry_on_conflict', '_source']);
const UPDATE_BODY_KEYS = new Set(['doc', 'upsert', 'doc_as_upsert', 'detect_noop', 'script', 'scripted_upsert', '_source', 'lang', 'params']);

function jsonTokenName(value: unknown): string {
  if (value === null) return 'VALUE_NULL';
  if (Array.isArray(value)) return 'START_ARRAY';
  if (typeof value === 'string') return 'VALUE_STRING';
  if (typeof value === 'number') return 'VALUE_NUMBER';
  if (typeof value === 'boolean') return value ? 'VALUE_TRUE' : 'VALUE_FALSE';
  return 'START_OBJECT';
}

function parseJsonLine(text: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new EsError(400, 'x_content_parse_exception', `[${line}:1] ${(err as Error).message}`);
  }
}

function asNumber(value: unknown, name: string, line: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw illegalArgument(`Action/metadata line [${line}] has an invalid value for [${name}]: ${String(value)}`);
  return n;
}

export interface BulkDefaults {
  readonly index?: string;
  /** Elasticsearch 7 and OpenSearch 1 still accept `_type` in action lines. */
  readonly acceptsType: boolean;
}

/** Splits and checks a bulk body; throws the whole-request error Elasticsearch answers with. */
export function parseBulkBody(body: string, defaults: BulkDefaults): BulkAction[] {
  if (body.length === 0) throw new EsError(400, 'parse_exception', 'request body is required');
  const lines = body.split('\n');
  const last = lines.pop() as string;
  if (last.trim().length > 0) throw illegalArgument('The bulk request must be terminated by a newline [\\n]');
  const actions: BulkAction[] = [];
  const problems: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const text = lines[i].replace(/\r$/, '');
    if (text.trim() === '') continue;
    const parsed = parseJsonLine(text, lineNo);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw illegalArgument(`Malformed action/metadata line [${lineNo}], expected START_OBJECT or END_OBJECT but found [${jsonTokenName(parsed)}]`);
    }
    const keys = Object.keys(parsed);
    if (keys.length !== 1) {
      throw illegalArgument(keys.length === 0
        ? `Malformed action/metadata line [${lineNo}], expected FIELD_NAME but found [END_OBJECT]`
        : `Malformed action/metadata line [${lineNo}], expected END_OBJECT but found [FIELD_NAME]`);
    }
    const op = keys[0];
    if (op !== 'index' && op !== 'create' && op !== 'update' && op !== 'delete') {
      throw illegalArgument(`Malformed action/metadata line [${lineNo}], expected field [create], [delete], [index] or [update] but found [${op}]`);
    }
    const meta = (parsed as Record<string, unknown>)[op];
    if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
      throw illegalArgument(`Malformed action/metadata line [${lineNo}], expected START_OBJECT but found [${jsonTokenName(meta)}]`);
    }
    const allowed = op === 'update' ? UPDATE_PARAMS : op === 'delete' ? COMMON_PARAMS : INDEX_PARAMS;
    for (const [key, value] of Object.entries(meta)) {
      if (key === '_type' && defaults.acceptsType) continue;
      if (!allowed.has(key)) throw illegalArgument(`Action/metadata line [${lineNo}] contains an unknown parameter [${key}]`);
      if (typeof value === 'object' && value !== null && key !== 'dynamic_templates' && key !== '_source') {
        throw illegalArgument(`Malformed action/metadata line [${lineNo}], expected a simple value for field [${key}] but found [${jsonTokenName(value)}]`);
      }
    }
    const m = meta as Record<string, unknown>;
    const index = m._index === undefined ? defaults.index : String(m._index);
    const id = m._id === undefined || m._id === null ? undefined : String(m._id);
    const versionType = parseVersionType(m.version_type === undefined ? undefined : String(m.version_type));
    const version = asNumber(m.version, 'version', lineNo);
    const ifSeqNo = asNumber(m.if_seq_no, 'if_seq_no', lineNo);
    const ifPrimaryTerm = asNumber(m.if_primary_term, 'if_primary_term', lineNo);
    const retryOnConflict = asNumber(m.retry_on_conflict, 'retry_on_conflict', lineNo) ?? 0;
    const versionRequest = { versionType, version, ifSeqNo, ifPrimaryTerm };
    problems.push(...versionValidation(op, versionRequest));
    if (index === undefined) problems.push('index is missing');
    if ((op === 'update' || op === 'delete') && id === undefined) problems.push('id is missing');
    if (id !== undefined && Buffer.byteLength(id) > 512) {
      problems.push(`id [${id}] is too long, must be no longer than 512 bytes but was: ${Buffer.byteLength(id)}`);
    }
    let rawSource: string | undefined;
    let update: UpdateBody | undefined;
    if (op !== 'delete') {
      i++;
      if (i >= lines.length) {
        problems.push(op === 'update' ? 'script or doc is missing' : 'source is missing');
      } else {
        rawSource = lines[i].replace(/\r$/, '');
        if (op === 'update') {
          const body = parseJsonLine(rawSource, i + 1);
          if (typeof body !== 'object' || body === null || Array.isArray(body)) {
            throw new EsError(400, 'x_content_parse_exception', `[${i + 1}:1] [UpdateRequest] Expected START_OBJECT but was: ${jsonTokenName(body)}`);
          }
          for (const key of Object.keys(body)) {
            if (!UPDATE_BODY_KEYS.has(key)) throw new EsError(400, 'x_content_parse_exception', `[${i + 1}:2] [UpdateRequest] unknown field [${key}]`);
          }
          update = body as UpdateBody;
          if (update.doc === undefined && update.script === undefined) problems.push('script or doc is missing');
          if (update.doc !== undefined && update.script !== undefined) problems.push("can't provide both script and doc");
          if (update.doc_as_upsert === true && update.doc === undefined) problems.push('doc must be specified if doc_as_upsert is enabled');
        }
      }
    }
    actions.push({ op, line: lineNo, index: index ?? '', id, versionType, version, ifSeqNo, ifPrimaryTerm, retryOnConflict, rawSource, update });
  }
  if (actions.length === 0) problems.push('no requests added');
  if (problems.length > 0) throw validationFailed(problems);
  return actions;
}
