/** `GET /connectors/{c}` (ConnectorInfo) and `DELETE /connectors/{c}`. */
import type { FastifyInstance } from 'fastify';
import type { ClusterControl } from '../../../runtime/control/cluster-control.js';
import { errorResponses, noBody } from '../../schemas/error.js';
import type { ConnectorParams } from '../../schemas/params.js';

export function registerConnectorRoutes(app: FastifyInstance, control: ClusterControl): void {
  app.get<{ Params: ConnectorParams }>('/connectors/:connector', {
    schema: {
      params: { $ref: 'ConnectorParams#' },
      response: { 200: { $ref: 'ConnectorInfo#' }, ...errorResponses(404, 409) },
    },
  }, (request) => control.connectorInfo(request.params.connector));

  app.delete<{ Params: ConnectorParams }>('/connectors/:connector', {
    schema: {
      params: { $ref: 'ConnectorParams#' },
      response: { 204: noBody, ...errorResponses(404, 409) },
    },
  }, async (request, reply) => {
    await control.deleteConnector(request.params.connector);
    return reply.code(204).send();
  });
}
