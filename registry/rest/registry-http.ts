/**
 * The HTTP conventions of Confluent Schema Registry (reference schema-registry.md §1.1):
 * - responses are `application/vnd.schemaregistry.v1+json` unless the client accepts only
 *   `application/vnd.schemaregistry+json` or `application/json`;
 * - request bodies are JSON under any of those three types or `application/octet-stream`;
 *   other types are 415;
 * - every error is `{"error_code": <int>, "message": "<text>"}`: RegistryErrors with their
 *   codes, malformed JSON or wrongly typed fields 400, a missing body 422, unknown paths 404
 *   `HTTP 404 Not Found`, a known path with another method 405, anything else 500
 *   `Internal Server Error` (never a detail the client could mistake for a registry answer).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { RegistryError } from '../service/registry-errors.js';

export const V1_JSON = 'application/vnd.schemaregistry.v1+json';
const PRODUCED = [V1_JSON, 'application/vnd.schemaregistry+json', 'application/json'];
const CONSUMED = [...PRODUCED, 'application/octet-stream'];
const ROUTED_METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'];

class MalformedJson extends Error {}

/** The response type for an Accept header (no header, `*∕*` or the v1 type: v1). */
export function negotiatedType(accept: string | undefined): string {
  if (!accept) return V1_JSON;
  const wanted = accept.split(',').map((part) => part.split(';')[0]!.trim().toLowerCase());
  if (wanted.some((t) => t === '*/*' || t === 'application/*' || t === V1_JSON)) return V1_JSON;
  return PRODUCED.find((t) => wanted.includes(t)) ?? V1_JSON;
}

export function sendError(request: FastifyRequest, reply: FastifyReply, status: number, errorCode: number, message: string): FastifyReply {
  return reply.code(status).type(negotiatedType(request.headers.accept)).send({ error_code: errorCode, message });
}

function describe(error: unknown): { status: number; code: number; message: string } {
  if (error instanceof RegistryError) return { status: error.status, code: error.errorCode, message: error.message };
  if (error instanceof MalformedJson) return { status: 400, code: 400, message: error.message };
  const fastifyError = error as FastifyError;
  if (fastifyError?.validation) return { status: 400, code: 400, message: `Unrecognized field or wrong type: ${fastifyError.message}` };
  if (fastifyError?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { status: 415, code: 415, message: 'HTTP 415 Unsupported Media Type' };
  const status = fastifyError?.statusCode;
  if (fastifyError?.code?.startsWith('FST_') && status !== undefined && status >= 400 && status < 500) {
    return { status, code: status, message: fastifyError.message };
  }
  return { status: 500, code: 500, message: 'Internal Server Error' };
}

export function installRegistryHttp(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(CONSUMED, { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(new MalformedJson(`Unexpected character in the request body: ${(err as Error).message}`), undefined);
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (!reply.hasHeader('content-type') || String(reply.getHeader('content-type')).startsWith('application/json')) {
      reply.header('content-type', negotiatedType(request.headers.accept));
    }
    return payload;
  });

  app.setErrorHandler((error, request, reply) => {
    const { status, code, message } = describe(error);
    if (status >= 500) request.log.error({ err: error }, 'schema registry request failed');
    return sendError(request, reply, status, code, message);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0]!;
    const allowed = ROUTED_METHODS.filter((method) => app.findRoute({ method, url: path }) !== null);
    if (allowed.length === 0) return sendError(request, reply, 404, 404, 'HTTP 404 Not Found');
    reply.header('allow', allowed.join(', '));
    return sendError(request, reply, 405, 405, 'HTTP 405 Method Not Allowed');
  });
}

/** A query flag: `true` (any case) is true; absent or anything else false. */
export function flag(query: unknown, name: string): boolean {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value.trim().toLowerCase() === 'true';
}

/** A numeric query parameter (offset, limit); undefined when absent or not a number. */
export function integerParam(query: unknown, name: string): number | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  if (typeof value !== 'string' || !/^-?\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

export function stringParam(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** A path id: a non-negative integer, else 404 as JAX-RS answers a path parameter that does not convert. */
export function pathId(text: string): number {
  if (!/^\d{1,10}$/.test(text) || Number(text) > 2 ** 31 - 1) throw new RegistryError(404, 404, 'HTTP 404 Not Found');
  return Number(text);
}

/** A body the route needs: 422 when absent, 400 when not an object. */
export function requiredBody<T>(body: unknown): T {
  if (body === undefined || body === null) throw new RegistryError(422, 422, 'Request body is missing');
  if (typeof body !== 'object' || Array.isArray(body)) throw new RegistryError(400, 400, 'The request body must be a JSON object');
  return body as T;
}
