/**
 * Kafka Connect's "complete or forward" for config writes (kafka-connect.md §1.5): a write that
 * reaches a follower is sent to the leader (`?forward=true`, the client's Authorization header
 * or this worker's inter-worker credentials) and the leader's status code and body are passed
 * back unchanged. While the leader is unknown (a rebalance) the answer is 409, as in Kafka.
 *
 * Writes are every POST/PUT/PATCH/DELETE under /connectors except pause and resume, which
 * Kafka lets any worker write. Reads are always answered locally. `forward=false` marks the
 * last hop (leader → the worker that owns a task, for task restarts): answered locally.
 *
 * The internal requests (POST /connectors/{c}/tasks, PUT /connectors/{c}/fence) are forwarded
 * with their body's exact bytes and their session-key signature headers, so the leader can
 * verify the signature the sending worker made.
 */
import http from 'node:http';
import https from 'node:https';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { InterWorkerAuth } from '../security/inter-worker-auth.js';
import { SIGNATURE_ALGORITHM_HEADER, SIGNATURE_HEADER } from '../../runtime/control/distributed/request-signature.js';
import { rawBodyOf } from './json-body-parser.js';

export interface LeaderForwardingOptions {
  /** null: this worker handles writes itself (it leads, or runs alone); '' while the leader is unknown. */
  leaderUrl: () => string | null;
  auth?: InterWorkerAuth;
  /** Per forwarded request; 60 s when absent. */
  timeoutMs?: number;
}

const NO_LEADER = 'Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.';
const CONFLICT = 'Cannot complete request because of a conflicting operation (e.g. worker rebalance)';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isForwardedWrite(method: string, path: string): boolean {
  if (!WRITE_METHODS.has(method)) return false;
  if (!/^\/connectors(\/|$)/.test(path)) return false;
  return !/^\/connectors\/[^/]+\/(pause|resume)\/?$/.test(path);
}

export function installLeaderForwarding(app: FastifyInstance, options: LeaderForwardingOptions | undefined): void {
  if (!options) return;
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const url = new URL(request.url, 'http://worker');
    if (!isForwardedWrite(request.method, url.pathname)) return;
    const leader = options.leaderUrl();
    if (leader === null) return;
    if (leader === '') return reply.code(409).send({ error_code: 409, message: NO_LEADER });
    if (url.searchParams.get('forward') === 'false') return;
    if (url.searchParams.has('forward')) return reply.code(409).send({ error_code: 409, message: CONFLICT });
    url.searchParams.set('forward', 'true');
    const target = new URL(`${url.pathname}${url.search}`, leader);
    try {
      const answer = await send(target, request, options);
      reply.code(answer.status);
      if (answer.status === 204 || answer.body.length === 0) return reply.send();
      return reply.header('content-type', answer.contentType ?? 'application/json').send(answer.body);
    } catch (err) {
      return reply.code(500).send({ error_code: 500, message: `IO Error trying to forward REST request: ${(err as Error).message}` });
    }
  });
}

/** The two requests workers send each other, which carry session-key signatures. */
export function isInternalRequest(method: string, path: string): boolean {
  return (method === 'POST' && /^\/connectors\/[^/]+\/tasks\/?$/.test(path))
    || (method === 'PUT' && /^\/connectors\/[^/]+\/fence\/?$/.test(path));
}

function send(target: URL, request: FastifyRequest, options: LeaderForwardingOptions): Promise<WorkerAnswer> {
  const common = {
    method: request.method, auth: options.auth, forwardedAuthorization: request.headers.authorization ?? null, timeoutMs: options.timeoutMs,
  };
  if (!isInternalRequest(request.method, target.pathname)) return requestWorker(target, { ...common, body: request.body });
  const headers: Record<string, string> = {};
  for (const name of [SIGNATURE_HEADER, SIGNATURE_ALGORITHM_HEADER]) {
    const value = request.headers[name.toLowerCase()];
    if (typeof value === 'string') headers[name] = value;
  }
  return requestWorker(target, { ...common, body: request.body, rawBody: rawBodyOf(request), headers });
}

export interface WorkerAnswer {
  status: number;
  body: Buffer;
  contentType: string | undefined;
}

/**
 * One REST call to another worker, with inter-worker credentials (or the client's, when
 * forwarding). `body` is sent as JSON, unless a non-empty `rawBody` (a signed request's exact
 * bytes) is given, which is sent byte for byte.
 */
export function requestWorker(target: URL, request: {
  method: string; body?: unknown; rawBody?: Buffer; headers?: Readonly<Record<string, string>>;
  auth?: InterWorkerAuth | undefined; forwardedAuthorization?: string | null; timeoutMs?: number | undefined;
}): Promise<WorkerAnswer> {
  const json = request.body === undefined || request.body === null ? undefined : Buffer.from(JSON.stringify(request.body));
  const body = request.rawBody && request.rawBody.length > 0 ? request.rawBody : json;
  const headers: Record<string, string> = { ...request.headers, accept: 'application/json', 'user-agent': 'kafka-connect' };
  if (body) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(body.length);
  }
  const forwardedAuthorization = request.forwardedAuthorization ?? null;
  const requestOptions = request.auth
    ? request.auth.requestOptions({ method: request.method, headers, forwardedAuthorization })
    : { method: request.method, headers: forwardedAuthorization ? { ...headers, authorization: forwardedAuthorization } : headers };
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const outgoing = client.request(target, { ...requestOptions, timeout: request.timeoutMs ?? 60_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({
        status: response.statusCode ?? 500, body: Buffer.concat(chunks), contentType: response.headers['content-type'],
      }));
      response.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error('the leader did not answer in time')));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
