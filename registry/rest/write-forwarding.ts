/**
 * Writes reaching an instance that does not lead go to the leader over HTTP, as Confluent's
 * followers forward them (reference §2.6): same method, path, query and body; the leader's
 * status and body are passed back. Before answering, the follower reads `_schemas` to its end,
 * so the client reads its own write from this instance too.
 *
 * No leader known → 500/50004 `Leader not known.`; the leader unreachable → 500/50003. A
 * request already forwarded once (header `x-schema-registry-forwarded`) is never forwarded
 * again: an instance that no longer leads answers 50004 rather than bouncing it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { forwardingFailed, leaderNotKnown } from '../service/registry-errors.js';

export const FORWARDED_HEADER = 'x-schema-registry-forwarded';

/** Who writes: this instance, another one at `leaderUrl()`, or nobody known yet (null). */
export interface LeaderRole {
  isLeader(): boolean;
  leaderUrl(): string | null;
}

export interface WriteForwarding {
  readonly role: LeaderRole;
  /** Reads the local store to its end (after the leader answered). */
  readonly catchUp: () => Promise<void>;
  readonly timeoutMs?: number;
}

/** Runs `local` when this instance leads; otherwise forwards the request and replies with the leader's answer. */
export async function writeOrForward<T>(
  forwarding: WriteForwarding, request: FastifyRequest, reply: FastifyReply, local: () => Promise<T>,
): Promise<T | FastifyReply> {
  if (forwarding.role.isLeader()) return local();
  const leader = forwarding.role.leaderUrl();
  if (!leader || request.headers[FORWARDED_HEADER] !== undefined) throw leaderNotKnown();
  const headers: Record<string, string> = { accept: request.headers.accept ?? 'application/vnd.schemaregistry.v1+json', [FORWARDED_HEADER]: '1' };
  if (request.headers.authorization) headers.authorization = request.headers.authorization;
  const hasBody = request.body !== undefined && request.body !== null;
  if (hasBody) headers['content-type'] = 'application/vnd.schemaregistry.v1+json';
  let response: Response;
  let text: string;
  try {
    response = await fetch(new URL(request.url, leader), {
      method: request.method,
      headers,
      ...(hasBody ? { body: JSON.stringify(request.body) } : {}),
      signal: AbortSignal.timeout(forwarding.timeoutMs ?? 30_000),
    });
    text = await response.text();
  } catch (err) {
    throw forwardingFailed(`Error while forwarding the request to the leader ${leader}: ${(err as Error).message}`);
  }
  if (response.ok) await forwarding.catchUp();
  reply.code(response.status).header('content-type', response.headers.get('content-type') ?? 'application/vnd.schemaregistry.v1+json');
  return reply.send(text);
}
