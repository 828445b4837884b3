/**
 * Authentication of every REST request (an onRequest hook, so nothing is parsed or routed for an
 * unauthenticated client). Accepted: `Authorization: Basic base64(user:password)` checked against
 * BasicCredentials, and `Authorization: Bearer <token>` checked against BearerTokens; either
 * scheme only when configured. Anything else is answered 401 with Kafka's ErrorMessage body,
 * `{"error_code":401,"message":"User cannot access the resource."}` (the message of Kafka's
 * basic-auth filter), and one WWW-Authenticate challenge per configured scheme; a bearer token
 * that was presented and rejected adds `error="invalid_token"` (RFC 6750).
 *
 * Let through without credentials: `GET`/`HEAD /health` when `anonymousHealth` is set, CORS
 * preflight requests (OPTIONS with Origin and Access-Control-Request-Method; browsers never send
 * credentials on them), and whatever `skip` accepts. Secrets are never logged; the request log
 * gets the authenticated principal.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BasicCredentials, BearerTokens } from '../security/credential-store.js';
import type { ErrorMessage } from '../schemas/error.js';

export const UNAUTHORIZED_MESSAGE = 'User cannot access the resource.';

export interface RestAuthOptions {
  /** Users accepted with HTTP basic authentication. */
  basic?: BasicCredentials;
  /** Tokens accepted as `Authorization: Bearer`. */
  bearer?: BearerTokens;
  /** Realm named in WWW-Authenticate; `ferry` when absent. */
  realm?: string;
  /** Answer GET /health without credentials. */
  anonymousHealth?: boolean;
  /** Requests answered without credentials, e.g. internal requests verified by a signature. */
  skip?: (request: FastifyRequest) => boolean;
}

export interface RestPrincipal {
  readonly scheme: 'basic' | 'bearer';
  /** The user name, or the bearer token's name. */
  readonly name: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who sent the request; null when authentication is off or the request was let through. */
    principal: RestPrincipal | null;
  }
}

type Outcome = { principal: RestPrincipal } | { rejected: 'missing' | 'malformed' | 'unsupported scheme' | 'wrong credentials' | 'invalid token' };

function authenticate(header: string | undefined, options: RestAuthOptions): Outcome {
  if (header === undefined || header.trim() === '') return { rejected: 'missing' };
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  if (!match) return { rejected: 'malformed' };
  const scheme = match[1]!.toLowerCase();
  const credentials = match[2]!;
  if (scheme === 'basic' && options.basic) {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return { rejected: 'malformed' };
    const user = options.basic.verify(decoded.slice(0, colon), decoded.slice(colon + 1));
    return user === undefined ? { rejected: 'wrong credentials' } : { principal: { scheme: 'basic', name: user } };
  }
  if (scheme === 'bearer' && options.bearer) {
    const name = options.bearer.verify(credentials);
    return name === undefined ? { rejected: 'invalid token' } : { principal: { scheme: 'bearer', name } };
  }
  return { rejected: 'unsupported scheme' };
}

function challenges(options: RestAuthOptions, invalidToken: boolean): string[] {
  const realm = options.realm ?? 'ferry';
  const out: string[] = [];
  if (options.basic) out.push(`Basic realm="${realm}", charset="UTF-8"`);
  if (options.bearer) out.push(invalidToken ? `Bearer realm="${realm}", error="invalid_token"` : `Bearer realm="${realm}"`);
  return out;
}

function pathOf(request: FastifyRequest): string {
  const path = request.url.split('?', 1)[0]!;
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function letThrough(request: FastifyRequest, options: RestAuthOptions): boolean {
  if (options.anonymousHealth && (request.method === 'GET' || request.method === 'HEAD') && pathOf(request) === '/health') return true;
  if (request.method === 'OPTIONS' && request.headers.origin !== undefined && request.headers['access-control-request-method'] !== undefined) {
    return true;
  }
  return options.skip?.(request) ?? false;
}

function reject(reply: FastifyReply, options: RestAuthOptions, invalidToken: boolean): FastifyReply {
  const body: ErrorMessage = { error_code: 401, message: UNAUTHORIZED_MESSAGE };
  return reply.code(401).header('www-authenticate', challenges(options, invalidToken)).type('application/json').send(body);
}

/** Requires credentials on every request of `app` (see the module comment for the exceptions). */
export function installAuth(app: FastifyInstance, options: RestAuthOptions): void {
  if (!options.basic && !options.bearer) throw new Error('REST authentication needs basic credentials or bearer tokens');
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    if (letThrough(request, options)) return;
    const outcome = authenticate(request.headers.authorization, options);
    if ('principal' in outcome) {
      request.principal = outcome.principal;
      const log = request.log.child({ principal: `${outcome.principal.scheme}:${outcome.principal.name}` });
      request.log = log;
      reply.log = log;
      return;
    }
    request.log.debug({ reason: outcome.rejected }, 'request failed authentication');
    return reject(reply, options, outcome.rejected === 'invalid token');
  });
}
