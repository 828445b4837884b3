/** `GET /connectors/{c}/status` and `GET /connectors/{c}/tasks/{n}/status`: observed state. */
import type { FastifyInstance } from 'fastify';
import type { ClusterControl } from '../../../runtime/control/cluster-control.js';
import { errorResponses } from '../../schemas/error.js';
import type { ConnectorParams, TaskParams } from '../../schemas/params.js';

export function registerStatusRoutes(app: FastifyInstance, control: ClusterControl): void {
  app.get<{ Params: ConnectorParams }>('/connectors/:connector/status', {
    schema: {
      params: { $ref: 'ConnectorParams#' },
      response: { 200: { $ref: 'ConnectorStateInfo#' }, ...errorResponses(404) },
    },
  }, (request) => control.connectorStatus(request.params.connector));

  app.get<{ Params: TaskParams }>('/connectors/:connector/tasks/:task/status', {
    schema: {
      params: { $ref: 'TaskParams#' },
      response: { 200: { $ref: 'TaskState#' }, ...errorResponses(404) },
    },
  }, (request) => control.taskStatus(request.params.connector, request.params.task));
}
