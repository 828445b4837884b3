/**
 * The one place that turns failures into Kafka Connect's error responses
 * (`{"error_code": status, "message": ...}`, error_code always equal to the HTTP status):
 * - RuntimeError (runtime/errors.ts): its httpStatus and message;
 * - RestError (checks the HTTP layer makes itself): its status;
 * - schema validation of a body or query: 400 naming the field (`body/config/x must be string,null`);
 * - a path parameter that does not convert (task number `abc`): 404 `HTTP 404 Not Found`, as JAX-RS does;
 * - unparseable JSON: 500 (Kafka's generic mapper answers Jackson parse failures with 500);
 * - unsupported content type: 415; other fastify request errors: their own status;
 * - anything else: 500 with the error's message.
 * Unknown paths get 404 `HTTP 404 Not Found`; a known path with the wrong method gets 405
 * `HTTP 405 Method Not Allowed` with an Allow header (Jersey's wording).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { RuntimeError } from '../../runtime/errors.js';
import { RestError } from '../rest-error.js';
import type { ErrorMessage } from '../schemas/error.js';
import { MalformedJsonError } from './json-body-parser.js';

const NOT_FOUND = 'HTTP 404 Not Found';
const METHOD_NOT_ALLOWED = 'HTTP 405 Method Not Allowed';
const UNSUPPORTED_MEDIA_TYPE = 'HTTP 415 Unsupported Media Type';
const ROUTED_METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

interface ErrorResponse {
  status: number;
  message: string;
}

function messageOf(error: Error): string {
  return error.message || error.name || String(error);
}

export function describeError(error: unknown): ErrorResponse {
  if (error instanceof RuntimeError) return { status: error.httpStatus, message: messageOf(error) };
  if (error instanceof RestError) return { status: error.status, message: error.message };
  if (error instanceof MalformedJsonError) return { status: 500, message: error.message };
  if (!(error instanceof Error)) return { status: 500, message: String(error) };
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    return fastifyError.validationContext === 'params'
      ? { status: 404, message: NOT_FOUND }
      : { status: 400, message: error.message };
  }
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { status: 415, message: UNSUPPORTED_MEDIA_TYPE };
  const status = fastifyError.statusCode;
  if (fastifyError.code?.startsWith('FST_') && status !== undefined && status >= 400 && status <= 599) {
    return { status, message: error.message };
  }
  return { status: 500, message: messageOf(error) };
}

function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  const body: ErrorMessage = { error_code: status, message };
  return reply.code(status).type('application/json').send(body);
}

function allowedMethods(app: FastifyInstance, request: FastifyRequest): HTTPMethods[] {
  const path = request.url.split('?', 1)[0];
  return ROUTED_METHODS.filter((method) => app.findRoute({ method, url: path }) !== null);
}

export function installErrorMapper(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, message } = describeError(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.debug({ err: error }, 'request rejected');
    return sendError(reply, status, message);
  });

  app.setNotFoundHandler((request, reply) => {
    const allowed = allowedMethods(app, request);
    if (allowed.length === 0) return sendError(reply, 404, NOT_FOUND);
    reply.header('allow', allowed.join(', '));
    return sendError(reply, 405, METHOD_NOT_ALLOWED);
  });
}
