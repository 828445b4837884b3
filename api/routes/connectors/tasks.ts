/** `GET /connectors/{c}/tasks`: task ids with their generated configs. */
import type { FastifyInstance } from 'fastify';
import type { ClusterControl } from '../../../runtime/control/cluster-control.js';
import { errorResponses } from '../../schemas/error.js';
import type { ConnectorParams } from '../../schemas/params.js';

export function registerTaskRoutes(app: FastifyInstance, control: ClusterControl): void {
  app.get<{ Params: ConnectorParams }>('/connectors/:connector/tasks', {
    schema: {
      params: { $ref: 'ConnectorParams#' },
      response: { 200: { type: 'array', items: { $ref: 'TaskInfo#' } }, ...errorResponses(404, 409) },
    },
  }, (request) => control.taskInfos(request.params.connector));
}
