/** `GET /connector-plugins/{p}/config`: the config definitions of one plugin. */
import type { FastifyInstance } from 'fastify';
import type { ClusterControl } from '../../../runtime/control/cluster-control.js';
import { errorResponses } from '../../schemas/error.js';
import type { PluginParams } from '../../schemas/params.js';

export function registerPluginConfigRoutes(app: FastifyInstance, control: ClusterControl): void {
  app.get<{ Params: PluginParams }>('/connector-plugins/:plugin/config', {
    schema: {
      params: { $ref: 'PluginParams#' },
      response: { 200: { type: 'array', items: { $ref: 'ConfigKeyInfo#' } }, ...errorResponses(400, 404) },
    },
  }, (request) => control.pluginConfig(request.params.plugin));
}
