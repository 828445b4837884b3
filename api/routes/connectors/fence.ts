/**
 * `PUT /connectors/{c}/fence` (internal, left out of the OpenAPI document): zombie fencing for an
 * exactly-once source connector, which tasks ask for before they start. Followers forward it to
 * the leader like every other write under /connectors (leader-forwarding.ts); the leader answers
 * 204 once the previous task generation is fenced and its task-count record written, 404 for an
 * unknown connector, 400 for a sink connector, 409 when new task configs were generated meanwhile.
 *
 * While the group runs `sessioned` the request must carry the session-key signature over its
 * (empty) body, as Kafka Connect requires (see task-configs.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { ClusterControl } from '../../../runtime/control/cluster-control.js';
import { readRequestSignature, type InternalRequestVerifier } from '../../../runtime/control/distributed/request-signature.js';
import { rawBodyOf } from '../../plugins/json-body-parser.js';
import { errorResponses, noBody } from '../../schemas/error.js';
import type { ConnectorParams } from '../../schemas/params.js';
import { documented } from '../openapi/route-docs.js';

export function registerFenceRoutes(app: FastifyInstance, control: ClusterControl, internalRequests?: InternalRequestVerifier): void {
  app.put<{ Params: ConnectorParams }>('/connectors/:connector/fence', {
    schema: documented({
      hide: true,
      params: { $ref: 'ConnectorParams#' },
      response: { 204: noBody, ...errorResponses(400, 403, 404, 409, 503) },
    }),
  }, async (request, reply) => {
    const signature = readRequestSignature(request.headers, rawBodyOf(request));
    internalRequests?.verify(signature);
    await control.fenceZombies(request.params.connector);
    return reply.code(204).send();
  });
}
