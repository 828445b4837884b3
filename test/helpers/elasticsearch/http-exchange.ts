/**
 * One HTTP exchange as Elasticsearch handles it before routing and after: the body (optionally
 * `Content-Encoding: gzip`/`deflate`, https://www.elastic.co/guide/en/elasticsearch/reference/current/modules-network.html#http-settings
 * `http.compression`), basic authentication (401 with `WWW-Authenticate` and a `security_exception`:
 * https://www.elastic.co/guide/en/elasticsearch/reference/current/http-clients.html), REST API
 * compatibility media types (`application/vnd.elasticsearch+json; compatible-with=N` accepted for
 * the current and the previous major only:
 * https://www.elastic.co/guide/en/elasticsearch/reference/current/rest-api-compatibility.html),
 * the `X-elastic-product: Elasticsearch` header, and gzip answers when the client accepts them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { EsError } from './errors.js';
import type { ModeProfile } from './modes.js';

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const gzip = promisify(zlib.gzip);

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** A prepared error answer that is not Elasticsearch's usual JSON error object (old 406s, OpenSearch's 401). */
export class RawAnswer {
  constructor(readonly status: number, readonly body: unknown, readonly headers: Record<string, string | string[]> = {}) {}
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const encoding = (req.headers['content-encoding'] ?? '').toLowerCase().trim();
  if (encoding === '' || encoding === 'identity' || raw.length === 0) return raw;
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return await gunzip(raw);
    if (encoding === 'deflate') return await inflate(raw);
  } catch (err) {
    throw new EsError(400, 'illegal_argument_exception', `failed to decompress the request body: ${(err as Error).message}`);
  }
  throw new EsError(400, 'illegal_argument_exception', `unsupported content encoding [${encoding}]`);
}

/** 401 answer of a server with security on, or undefined when the request may pass. */
export function checkAuth(req: IncomingMessage, credentials: Credentials | undefined, profile: ModeProfile): EsError | RawAnswer | undefined {
  if (credentials === undefined) return undefined;
  const header = req.headers.authorization;
  let user: string | undefined;
  if (header !== undefined && header.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    user = colon < 0 ? decoded : decoded.slice(0, colon);
    if (colon >= 0 && user === credentials.username && decoded.slice(colon + 1) === credentials.password) return undefined;
  }
  if (profile.distribution === 'opensearch') {
    return new RawAnswer(401, 'Unauthorized', { 'www-authenticate': 'Basic realm="OpenSearch Security"' });
  }
  const challenges = ['Basic realm="security", charset="UTF-8"', 'Bearer realm="security"', 'ApiKey'];
  const uri = req.url ?? '/';
  const reason = user === undefined
    ? `missing authentication credentials for REST request [${uri}]`
    : `unable to authenticate user [${user}] for REST request [${uri}]`;
  return new EsError(401, 'security_exception', reason, { header: { 'WWW-Authenticate': challenges } });
}

const VENDOR = /^application\/vnd\.elasticsearch\+(json|x-ndjson|yaml|cbor|smile)\s*(;.*)?$/i;

function compatibleWith(value: string | undefined): { vendored: boolean; version?: number } {
  if (value === undefined) return { vendored: false };
  const first = value.split(',')[0].trim();
  if (!VENDOR.test(first)) return { vendored: false };
  const match = /compatible-with\s*=\s*"?(\d+)"?/i.exec(first);
  return { vendored: true, version: match === null ? undefined : Number(match[1]) };
}

export interface Negotiated {
  /** The major to answer `compatible-with` for, when the client asked for one. */
  readonly compatibleVersion?: number;
}

/** Checks the Accept and Content-Type headers as the server's major would. */
export function negotiate(req: IncomingMessage, profile: ModeProfile, hasBody: boolean): Negotiated | EsError | RawAnswer {
  const acceptHeader = req.headers.accept;
  const contentTypeHeader = hasBody ? req.headers['content-type'] : undefined;
  const accept = compatibleWith(acceptHeader);
  const contentType = compatibleWith(contentTypeHeader);
  if (profile.compatibleWith.length === 0) {
    // Servers without REST compatibility (7.x, OpenSearch) refuse a vendored Content-Type with the
    // old 406 answer and ignore an Accept header they cannot honour, answering JSON.
    if (contentType.vendored) return new RawAnswer(406, { error: `Content-Type header [${contentTypeHeader}] is not supported`, status: 406 });
    return {};
  }
  const allowed = [...profile.compatibleWith].sort((a, b) => b - a);
  const problem = (cause: string): EsError => new EsError(400, 'media_type_header_exception', 'Invalid media-type value on headers [Accept, Content-Type]', {
    caused_by: { type: 'status_exception', reason: cause },
  });
  if (accept.vendored && accept.version !== undefined && !allowed.includes(accept.version)) {
    return problem(`Accept version must be either version ${allowed[0]} or ${allowed[1]}, but found ${accept.version}. Accept=${acceptHeader}`);
  }
  if (contentType.vendored && contentType.version !== undefined && !allowed.includes(contentType.version)) {
    return problem(`Content-Type version must be either version ${allowed[0]} or ${allowed[1]}, but found ${contentType.version}. Content-Type=${contentTypeHeader}`);
  }
  if (hasBody && (accept.version !== undefined || contentType.version !== undefined) && accept.version !== contentType.version && accept.vendored && contentType.vendored) {
    return problem(`A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible version and the compatible versions must match. Accept=${acceptHeader}, Content-Type=${contentTypeHeader}`);
  }
  return { compatibleVersion: accept.version ?? contentType.version };
}

export interface AnswerOptions {
  readonly profile: ModeProfile;
  readonly negotiated?: Negotiated;
  readonly head: boolean;
  readonly latencyMs: number;
}

/** Writes a JSON (or text) answer with the server's headers, gzip when the client accepts it. */
export async function answer(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, options: AnswerOptions, extraHeaders: Record<string, string | string[]> = {}): Promise<void> {
  if (options.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
  const headers: Record<string, string | string[]> = { ...extraHeaders };
  if (options.profile.productHeader) headers['x-elastic-product'] = 'Elasticsearch';
  let payload: Buffer;
  if (typeof body === 'string') {
    payload = Buffer.from(body);
    headers['content-type'] = 'text/plain; charset=UTF-8';
  } else {
    payload = Buffer.from(JSON.stringify(body));
    const version = options.negotiated?.compatibleVersion;
    headers['content-type'] = version === undefined ? 'application/json' : `application/vnd.elasticsearch+json;compatible-with=${version}`;
  }
  if (payload.length > 0 && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '') && !options.head) {
    payload = await gzip(payload);
    headers['content-encoding'] = 'gzip';
  }
  headers['content-length'] = String(payload.length);
  res.writeHead(status, headers);
  res.end(options.head ? undefined : payload);
}
