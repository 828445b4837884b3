/**
 * Routing of the REST endpoints the test server answers, each as its reference page describes:
 * - `GET /`: https://www.elastic.co/guide/en/elasticsearch/reference/current/rest-api-root.html
 * - `PUT|HEAD|GET|DELETE /<index>`: indices-create-index.html, indices-exists.html, indices-get-index.html, indices-delete-index.html
 * - `GET|PUT /<index>/_mapping`: indices-get-mapping.html, indices-put-mapping.html
 * - `POST|PUT /_bulk`, `/<index>/_bulk`: docs-bulk.html
 * - `GET|HEAD /<index>/_doc/<id>`, `PUT|POST /<index>/_doc[/<id>]`, `/<index>/_create/<id>`,
 *   `POST /<index>/_update/<id>`, `DELETE /<index>/_doc/<id>`: docs-get.html, docs-index_.html, docs-update.html, docs-delete.html
 * - `/_refresh`, `/<index>/_refresh`: indices-refresh.html; `_count`, `_search`: search-count.html, search-search.html
 * - `/_data_stream/<name>`: indices-create-data-stream.html, indices-get-data-stream.html, indices-delete-data-stream.html
 * - `/_index_template/<name>`, `/_component_template/<name>`: indices-put-template.html, indices-component-template.html
 * - `GET /_cluster/health`: cluster-health.html
 * (all under https://www.elastic.co/guide/en/elasticsearch/reference/current/).
 * An unknown path answers 400 "no handler found"; a known path with another method 405.
 */
import { filterPath } from './filter-path.js';
import type { BulkAction } from './bulk-parser.js';
import { parseBulkBody } from './bulk-parser.js';
import { bulkTimings, type BulkExecutor } from './bulk.js';
import type { Cluster } from './cluster.js';
import { EsError, illegalArgument, indexNotFound, validationFailed } from './errors.js';
import type { EsIndex } from './index-store.js';
import { mergeMappings, validateMappings } from './mapping.js';
import { rootAnswer, type ModeProfile } from './modes.js';
import { count, search } from './search.js';
import { parseVersionType, versionValidation } from './versioning.js';
import type { Faults } from './faults.js';

export interface RouteRequest {
  readonly method: string;
  readonly path: string;
  readonly params: URLSearchParams;
  readonly body: Buffer;
}

export interface RouteAnswer {
  readonly status: number;
  readonly body: unknown;
}

export interface RouteServices {
  readonly profile: ModeProfile;
  readonly cluster: Cluster;
  readonly bulk: BulkExecutor;
  readonly faults: Faults;
  readonly clusterUuid: string;
}

const ok = (body: unknown, status = 200): RouteAnswer => ({ status, body });

function jsonBody(request: RouteRequest): Record<string, unknown> {
  if (request.body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body.toString('utf8'));
  } catch (err) {
    throw new EsError(400, 'x_content_parse_exception', `[1:1] ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new EsError(400, 'parse_exception', 'request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function methodNotAllowed(request: RouteRequest, allowed: string[]): EsError {
  return new EsError(405, 'method_not_allowed', `Incorrect HTTP method for uri [${request.path}] and method [${request.method}], allowed: [${allowed.join(', ')}]`);
}

/** The write described by a single-document request's path and parameters. */
function singleAction(op: BulkAction['op'], index: string, id: string | undefined, request: RouteRequest): BulkAction {
  const p = request.params;
  const num = (name: string): number | undefined => (p.has(name) ? Number(p.get(name)) : undefined);
  const versionType = parseVersionType(p.get('version_type') ?? undefined);
  const action: BulkAction = {
    op, line: 1, index, id, versionType, version: num('version'), ifSeqNo: num('if_seq_no'), ifPrimaryTerm: num('if_primary_term'),
    retryOnConflict: num('retry_on_conflict') ?? 0,
    rawSource: op === 'index' || op === 'create' ? request.body.toString('utf8') : undefined,
    update: op === 'update' ? jsonBody(request) : undefined,
  };
  const problems = versionValidation(op, action);
  if ((op === 'index' || op === 'create') && request.body.length === 0) problems.push('source is missing');
  if (op === 'update' && action.update?.doc === undefined && action.update?.script === undefined) problems.push('script or doc is missing');
  if (problems.length > 0) throw validationFailed(problems);
  return action;
}

export class Router {
  constructor(private readonly s: RouteServices) {}

  route(request: RouteRequest): RouteAnswer {
    const segments = request.path.split('/').filter((x) => x.length > 0).map(decodeURIComponent);
    const m = request.method;
    const [first, second, third] = segments;
    if (segments.length === 0) {
      if (m === 'GET' || m === 'HEAD') return ok(rootAnswer(this.s.profile, this.s.clusterUuid));
      throw methodNotAllowed(request, ['GET', 'HEAD']);
    }
    if (first === '_bulk' && segments.length === 1) return this.bulk(request, undefined);
    if (second === '_bulk' && segments.length === 2) return this.bulk(request, first);
    if (third === '_bulk' && segments.length === 3 && this.s.profile.typesInAnswers) return this.bulk(request, first);
    if (first === '_cluster' && second === 'health') {
      return ok({ cluster_name: rootAnswer(this.s.profile, '').cluster_name, status: 'yellow', timed_out: false, number_of_nodes: 1, number_of_data_nodes: 1, active_primary_shards: this.s.cluster.indices.size, active_shards: this.s.cluster.indices.size, relocating_shards: 0, initializing_shards: 0, unassigned_shards: this.s.cluster.indices.size, delayed_unassigned_shards: 0, number_of_pending_tasks: 0, number_of_in_flight_fetch: 0, task_max_waiting_in_queue_millis: 0, active_shards_percent_as_number: 50.0 });
    }
    if (first === '_data_stream') return this.dataStream(request, second);
    if (first === '_index_template' || first === '_component_template') return this.template(request, first, second);
    if (first === '_refresh' && segments.length === 1) return this.refresh(request, '_all');
    if (first === '_count' && segments.length === 1) return this.count(request, '_all');
    if (first === '_search' && segments.length === 1) return this.search(request, '_all');
    if (first === '_mapping' && segments.length === 1) return this.getMapping(request, '_all');
    if (segments.length === 1) return this.index(request, first);
    if (second === '_mapping' && segments.length === 2) return m === 'GET' ? this.getMapping(request, first) : this.putMapping(request, first);
    if (second === '_refresh' && segments.length === 2) return this.refresh(request, first);
    if (second === '_count' && segments.length === 2) return this.count(request, first);
    if (second === '_search' && segments.length === 2) return this.search(request, first);
    if (second === '_doc' || second === '_create' || second === '_update') return this.document(request, first, second, third, segments.length);
    throw new EsError(400, 'illegal_argument_exception', `no handler found for uri [${request.path}] and method [${m}]`);
  }

  private bulk(request: RouteRequest, index: string | undefined): RouteAnswer {
    if (request.method !== 'POST' && request.method !== 'PUT') throw methodNotAllowed(request, ['POST', 'PUT']);
    this.s.bulk.stats.bulkRequests++;
    const failure = this.s.faults.takeBulkFailure();
    if (failure !== undefined) throw failure;
    const atMs = performance.now();
    const actions = parseBulkBody(request.body.toString('utf8'), { index, acceptsType: this.s.profile.typesInAnswers });
    const answer = this.s.bulk.execute(actions, request.params.get('refresh') ?? undefined);
    if (bulkTimings.enabled) bulkTimings.entries.push({ atMs, items: actions.length, ms: performance.now() - atMs });
    const filter = request.params.get('filter_path');
    return ok(filter === null ? answer : filterPath(answer, filter));
  }

  private describeIndex(index: EsIndex): Record<string, unknown> {
    const settings: Record<string, unknown> = {
      creation_date: String(index.creationDate), number_of_shards: '1', number_of_replicas: '1', uuid: index.uuid,
      version: { created: '8500000' }, provided_name: index.name,
    };
    if (index.dataStream !== undefined) settings.hidden = 'true';
    const described: Record<string, unknown> = { aliases: {}, mappings: index.mappings, settings: { index: settings } };
    if (index.dataStream !== undefined) described.data_stream = index.dataStream;
    return described;
  }

  private index(request: RouteRequest, name: string): RouteAnswer {
    const cluster = this.s.cluster;
    switch (request.method) {
      case 'PUT': {
        const created = cluster.createIndex(name, jsonBody(request));
        return ok({ acknowledged: true, shards_acknowledged: true, index: created.name });
      }
      case 'HEAD':
        cluster.resolveRead(name);
        return ok('');
      case 'GET':
        return ok(Object.fromEntries(cluster.resolveRead(name).map((i) => [i.name, this.describeIndex(i)])));
      case 'DELETE':
        if (cluster.dataStreams.has(name)) throw illegalArgument(`index [${name}] is a data stream; use the delete data stream API`);
        cluster.deleteIndex(name);
        return ok({ acknowledged: true });
      default:
        throw methodNotAllowed(request, ['DELETE', 'GET', 'HEAD', 'PUT']);
    }
  }

  private getMapping(request: RouteRequest, name: string): RouteAnswer {
    if (request.method !== 'GET') throw methodNotAllowed(request, ['GET']);
    return ok(Object.fromEntries(this.s.cluster.resolveRead(name).map((i) => [i.name, { mappings: i.mappings }])));
  }

  private putMapping(request: RouteRequest, name: string): RouteAnswer {
    if (request.method !== 'PUT' && request.method !== 'POST') throw methodNotAllowed(request, ['GET', 'POST', 'PUT']);
    const update = validateMappings(jsonBody(request));
    const targets = this.s.cluster.resolveRead(name);
    const merged = targets.map((i) => mergeMappings(i.mappings, update));
    targets.forEach((index, n) => { index.mappings = merged[n]; });
    return ok({ acknowledged: true });
  }

  private refresh(request: RouteRequest, name: string): RouteAnswer {
    if (request.method !== 'POST' && request.method !== 'GET') throw methodNotAllowed(request, ['GET', 'POST']);
    const targets = this.s.cluster.resolveRead(name);
    for (const index of targets) index.refresh();
    return ok({ _shards: { total: targets.length * 2, successful: targets.length, failed: 0 } });
  }

  private count(request: RouteRequest, name: string): RouteAnswer {
    if (request.method !== 'POST' && request.method !== 'GET') throw methodNotAllowed(request, ['GET', 'POST']);
    return ok(count(this.s.cluster.resolveRead(name), jsonBody(request)));
  }

  private search(request: RouteRequest, name: string): RouteAnswer {
    if (request.method !== 'POST' && request.method !== 'GET') throw methodNotAllowed(request, ['GET', 'POST']);
    return ok(search(this.s.cluster.resolveRead(name), jsonBody(request), request.params, this.s.profile.typesInAnswers));
  }

  private single(action: BulkAction, request: RouteRequest): RouteAnswer {
    const result = this.s.bulk.writer.execute(action);
    const body = { ...result.body };
    if (body.error !== undefined) {
      const error = body.error as { type: string; reason: string; [k: string]: unknown };
      const { type, reason, ...extra } = error;
      throw new EsError(result.status, type, reason, extra);
    }
    delete body.status;
    const refresh = request.params.get('refresh');
    if (refresh === 'true' || refresh === '' || refresh === 'wait_for') {
      this.s.cluster.indices.get(body._index as string)?.refresh();
      if (refresh !== 'wait_for') body.forced_refresh = true;
    }
    return ok(body, result.status);
  }

  private document(request: RouteRequest, index: string, kind: string, id: string | undefined, length: number): RouteAnswer {
    const m = request.method;
    if (kind === '_doc' && length === 2) {
      if (m !== 'POST') throw methodNotAllowed(request, ['POST']);
      return this.single(singleAction('index', index, undefined, request), request);
    }
    if (id === undefined || length !== 3) throw new EsError(400, 'illegal_argument_exception', `no handler found for uri [${request.path}] and method [${m}]`);
    if (kind === '_create') {
      if (m !== 'PUT' && m !== 'POST') throw methodNotAllowed(request, ['POST', 'PUT']);
      return this.single(singleAction('create', index, id, request), request);
    }
    if (kind === '_update') {
      if (m !== 'POST') throw methodNotAllowed(request, ['POST']);
      return this.single(singleAction('update', index, id, request), request);
    }
    switch (m) {
      case 'GET':
      case 'HEAD':
        return this.getDocument(index, id, m === 'HEAD');
      case 'PUT':
      case 'POST':
        return this.single(singleAction(request.params.get('op_type') === 'create' ? 'create' : 'index', index, id, request), request);
      case 'DELETE':
        return this.single(singleAction('delete', index, id, request), request);
      default:
        throw methodNotAllowed(request, ['DELETE', 'GET', 'HEAD', 'POST', 'PUT']);
    }
  }

  private getDocument(name: string, id: string, head: boolean): RouteAnswer {
    const index = this.s.cluster.indices.get(name);
    if (index === undefined) throw indexNotFound(name);
    const doc = index.documents.get(id);
    const typed = this.s.profile.typesInAnswers ? { _type: '_doc' } : {};
    if (doc === undefined) return ok(head ? '' : { _index: name, ...typed, _id: id, found: false }, 404);
    return ok(head ? '' : { _index: name, ...typed, _id: id, _version: doc.version, _seq_no: doc.seqNo, _primary_term: doc.primaryTerm, found: true, _source: doc.source });
  }

  private dataStream(request: RouteRequest, name: string | undefined): RouteAnswer {
    const cluster = this.s.cluster;
    switch (request.method) {
      case 'PUT':
        if (name === undefined) throw methodNotAllowed(request, ['GET']);
        cluster.createDataStream(name);
        return ok({ acknowledged: true });
      case 'GET': {
        const streams = name === undefined || name === '*' || name === '_all'
          ? [...cluster.dataStreams.values()]
          : name.split(',').map((n) => {
            const stream = cluster.dataStreams.get(n);
            if (stream === undefined) throw indexNotFound(n);
            return stream;
          });
        return ok({ data_streams: streams.map((s) => s.describe()) });
      }
      case 'DELETE':
        if (name === undefined) throw methodNotAllowed(request, ['GET']);
        cluster.deleteDataStream(name);
        return ok({ acknowledged: true });
      default:
        throw methodNotAllowed(request, ['DELETE', 'GET', 'PUT']);
    }
  }

  private template(request: RouteRequest, kind: string, name: string | undefined): RouteAnswer {
    const registry = this.s.cluster.templates;
    const store = kind === '_index_template' ? registry.indexTemplates : registry.componentTemplates;
    const missing = (): EsError => new EsError(404, 'resource_not_found_exception', `${kind === '_index_template' ? 'index template' : 'component template'} matching [${name}] not found`);
    switch (request.method) {
      case 'PUT':
      case 'POST':
        if (name === undefined) throw methodNotAllowed(request, ['GET']);
        if (request.params.get('create') === 'true' && store.has(name)) throw illegalArgument(`index template [${name}] already exists`);
        if (kind === '_index_template') registry.putIndexTemplate(name, jsonBody(request));
        else registry.putComponentTemplate(name, jsonBody(request));
        return ok({ acknowledged: true });
      case 'HEAD':
        if (name === undefined || !store.has(name)) return ok('', 404);
        return ok('');
      case 'GET': {
        const names = name === undefined ? [...store.keys()] : [name];
        if (name !== undefined && !store.has(name)) throw missing();
        const key = kind === '_index_template' ? 'index_templates' : 'component_templates';
        const item = kind === '_index_template' ? 'index_template' : 'component_template';
        return ok({ [key]: names.map((n) => ({ name: n, [item]: store.get(n) })) });
      }
      case 'DELETE':
        if (name === undefined || !store.delete(name)) throw missing();
        return ok({ acknowledged: true });
      default:
        throw methodNotAllowed(request, ['DELETE', 'GET', 'HEAD', 'PUT']);
    }
  }
}
