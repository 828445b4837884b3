/**
 * `POST /connectors/{c}/tasks` (internal, left out of the OpenAPI document): the task configs a
 * connector generated on a follower, for the leader to write. Kafka Connect's followers always
 * send them this way; ferry's do when exactly-once source support (preparing or enabled) makes
 * the leader the only writer of the config topic. Followers forward it like every write under
 * /connectors (leader-forwarding.ts); the leader answers 204 once the configs are written, 404
 * for an unknown connector.
 *
 * As with PUT /connectors/{c}/fence, Kafka Connect's session-key signature is not checked;
 * the REST API's own authentication protects the route.
 */
import type { FastifyInstance } from 'fastify';
import type { ClusterControl } from '../../../runtime/control/cluster-control.js';
import { errorResponses, noBody } from '../../schemas/error.js';
import type { ConnectorParams } from '../../schemas/params.js';
import { documented } from '../openapi/route-docs.js';

export function registerTaskConfigRoutes(app: FastifyInstance, control: ClusterControl): void {
  app.post<{ Params: ConnectorParams; Body: Record<string, string>[] }>('/connectors/:connector/tasks', {
    schema: documented({
      hide: true,
      params: { $ref: 'ConnectorParams#' },
      body: { type: 'array', items: { type: 'object', additionalProperties: { type: 'string' } } },
      response: { 204: noBody, ...errorResponses(400, 404, 409) },
    }),
  }, async (request, reply) => {
    await control.putTaskConfigs(request.params.connector, request.body);
    return reply.code(204).send();
  });
}
