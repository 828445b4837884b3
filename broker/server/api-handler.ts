/**
 * The contract between the connection layer and the per-API handlers.
 *
 * A handler receives the decoded request body of the version the client sent and returns
 * the response body (encoded in that same version by the connection), or NO_RESPONSE when
 * the protocol defines none (Produce with acks=0). Handlers may be async; the connection
 * still answers requests in the order they arrived.
 */
import type { ApiDefinition, Fields, RequestOf, ResponseOf } from '../protocol/schema.js';
import type { RequestHeader } from '../protocol/request-header.js';

export const NO_RESPONSE = Symbol('no response');

export interface RequestContext {
  readonly header: RequestHeader;
  readonly clientHost: string;
  readonly connectionId: number;
  /** Aborted when the connection closes, so long polls can stop waiting. */
  readonly signal: AbortSignal;
  /**
   * Registers `fn` to run once this request's response has been handed to the socket in
   * full (so buffers it references may be reused). Not run when there is no response, the
   * connection closes first or the write fails. Absent outside a connection (tests).
   */
  readonly afterResponseWritten?: (fn: () => void) => void;
}

export type HandlerResult<A> = ResponseOf<A> | typeof NO_RESPONSE;

export interface ApiHandler<A extends ApiDefinition<Fields, Fields> = ApiDefinition<Fields, Fields>> {
  readonly api: A;
  /**
   * True when the handler keeps no view of the request's bytes once it has returned and its
   * response is encoded (Produce: the records are in the log file by then), so the connection
   * may reuse the buffer the request arrived in.
   */
  readonly requestBytesTransient?: boolean;
  handle(request: RequestOf<A>, ctx: RequestContext): HandlerResult<A> | Promise<HandlerResult<A>>;
}

export function handler<A extends ApiDefinition<Fields, Fields>>(
  api: A,
  handle: (request: RequestOf<A>, ctx: RequestContext) => HandlerResult<A> | Promise<HandlerResult<A>>,
  opts: { requestBytesTransient?: boolean } = {},
): ApiHandler {
  return { api, handle, ...opts } as unknown as ApiHandler;
}
