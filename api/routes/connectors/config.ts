/**
 * `GET|PUT|PATCH /connectors/{c}/config`. PUT upserts: 201 with Location when it created the
 * connector, 200 when it updated one. PATCH merges, a null value removing the key.
 */
import type { FastifyInstance } from 'fastify';
import type { ClusterControl } from '../../../runtime/control/cluster-control.js';
import type { ConnectorConfigInput } from '../../schemas/connector.js';
import { errorResponses } from '../../schemas/error.js';
import type { ConnectorParams } from '../../schemas/params.js';
import { connectorLocation, withConnectorName } from './connector-name.js';

export function registerConfigRoutes(app: FastifyInstance, control: ClusterControl): void {
  app.get<{ Params: ConnectorParams }>('/connectors/:connector/config', {
    schema: {
      params: { $ref: 'ConnectorParams#' },
      response: { 200: { $ref: 'ConnectorConfig#' }, ...errorResponses(404, 409) },
    },
  }, (request) => control.connectorConfig(request.params.connector));

  app.put<{ Params: ConnectorParams; Body: ConnectorConfigInput }>('/connectors/:connector/config', {
    schema: {
      params: { $ref: 'ConnectorParams#' },
      body: { $ref: 'ConnectorConfigInput#' },
      response: {
        200: { $ref: 'ConnectorInfo#' },
        201: { $ref: 'ConnectorInfo#' },
        ...errorResponses(400, 409),
      },
    },
  }, async (request, reply) => {
    const name = request.params.connector;
    const { created, info } = await control.putConnectorConfig(name, withConnectorName(name, request.body));
    if (created) reply.code(201).header('location', connectorLocation(request, name));
    return reply.send(info);
  });

  app.patch<{ Params: ConnectorParams; Body: ConnectorConfigInput }>('/connectors/:connector/config', {
    schema: {
      params: { $ref: 'ConnectorParams#' },
      body: { $ref: 'ConnectorConfigInput#' },
      response: { 200: { $ref: 'ConnectorInfo#' }, ...errorResponses(400, 404, 409) },
    },
  }, (request) => control.patchConnectorConfig(request.params.connector, request.body));
}
