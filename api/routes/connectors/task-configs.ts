/**
 * `POST /connectors/{c}/tasks` (internal, left out of the OpenAPI document): the task configs a
 * connector generated on a follower, for the leader to write. Kafka Connect's followers and
 * ferry's send them this way to whichever worker leads, Java or ferry. A worker that does not
 * lead forwards it (leader-forwarding.ts, with the body's bytes and signature unchanged); the
 * leader answers 204 once the configs are written, 404 for an unknown connector.
 *
 * While the group runs `sessioned` the request must carry the session-key signature
 * (X-Connect-Authorization over the exact body bytes): refused as Kafka Connect refuses it
 * (runtime/control/distributed/session-keys.ts). An unknown signature algorithm is a 400 in any
 * protocol, as in Kafka Connect.
 */
import type { FastifyInstance } from 'fastify';
import type { ClusterControl } from '../../../runtime/control/cluster-control.js';
import { readRequestSignature, type InternalRequestVerifier } from '../../../runtime/control/distributed/request-signature.js';
import { rawBodyOf } from '../../plugins/json-body-parser.js';
import { errorResponses, noBody } from '../../schemas/error.js';
import type { ConnectorParams } from '../../schemas/params.js';
import { documented } from '../openapi/route-docs.js';

export function registerTaskConfigRoutes(app: FastifyInstance, control: ClusterControl, internalRequests?: InternalRequestVerifier): void {
  app.post<{ Params: ConnectorParams; Body: Record<string, string>[] }>('/connectors/:connector/tasks', {
    schema: documented({
      hide: true,
      params: { $ref: 'ConnectorParams#' },
      body: { type: 'array', items: { type: 'object', additionalProperties: { type: 'string' } } },
      response: { 204: noBody, ...errorResponses(400, 403, 404, 409, 503) },
    }),
  }, async (request, reply) => {
    const signature = readRequestSignature(request.headers, rawBodyOf(request));
    internalRequests?.verify(signature);
    await control.putTaskConfigs(request.params.connector, request.body);
    return reply.code(204).send();
  });
}
