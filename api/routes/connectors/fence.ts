/**
 * `PUT /connectors/{c}/fence` (internal, left out of the OpenAPI document): zombie fencing for an
 * exactly-once source connector, which tasks ask for before they start. Followers forward it to
 * the leader like every other write under /connectors (leader-forwarding.ts); the leader answers
 * 204 once the previous task generation is fenced and its task-count record written, 404 for an
 * unknown connector, 400 for a sink connector, 409 when new task configs were generated meanwhile.
 *
 * Kafka Connect also requires its session-key request signature on this endpoint; ferry's
 * workers do not sign requests with session keys, so the REST API's own authentication
 * (rest-security) is what protects it.
 */
import type { FastifyInstance } from 'fastify';
import type { ClusterControl } from '../../../runtime/control/cluster-control.js';
import { errorResponses, noBody } from '../../schemas/error.js';
import type { ConnectorParams } from '../../schemas/params.js';
import { documented } from '../openapi/route-docs.js';

export function registerFenceRoutes(app: FastifyInstance, control: ClusterControl): void {
  app.put<{ Params: ConnectorParams }>('/connectors/:connector/fence', {
    schema: documented({
      hide: true,
      params: { $ref: 'ConnectorParams#' },
      response: { 204: noBody, ...errorResponses(400, 404, 409) },
    }),
  }, async (request, reply) => {
    await control.fenceZombies(request.params.connector);
    return reply.code(204).send();
  });
}
