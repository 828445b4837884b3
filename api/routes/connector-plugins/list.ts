/** `GET /connector-plugins?connectorsOnly=`: the plugins installed on this worker. */
import type { FastifyInstance } from 'fastify';
import type { ClusterControl } from '../../../runtime/control/cluster-control.js';
import { errorResponses } from '../../schemas/error.js';
import { javaBoolean } from '../../schemas/params.js';

export function registerPluginListRoutes(app: FastifyInstance, control: ClusterControl): void {
  app.get<{ Querystring: { connectorsOnly?: string } }>('/connector-plugins', {
    schema: {
      querystring: { $ref: 'ConnectorPluginsQuery#' },
      response: { 200: { type: 'array', items: { $ref: 'PluginInfo#' } }, ...errorResponses() },
    },
  }, (request) => control.connectorPlugins(javaBoolean(request.query.connectorsOnly, true)));
}
