/** `GET /connectors/{c}/tasks-config`: deprecated since Kafka 3.7 (KIP-970); task configs keyed `{c}-{n}`. */
import type { FastifyInstance } from 'fastify';
import type { ClusterControl } from '../../../runtime/control/cluster-control.js';
import { errorResponses } from '../../schemas/error.js';
import type { ConnectorParams } from '../../schemas/params.js';
import { documented } from '../openapi/route-docs.js';

export function registerTasksConfigRoutes(app: FastifyInstance, control: ClusterControl): void {
  app.get<{ Params: ConnectorParams }>('/connectors/:connector/tasks-config', {
    schema: documented({
      summary: 'Task configs keyed by task id (deprecated: use GET /connectors/{connector}/tasks)',
      deprecated: true,
      params: { $ref: 'ConnectorParams#' },
      response: { 200: { $ref: 'TaskConfigs#' }, ...errorResponses(404, 409) },
    }),
  }, (request) => {
    request.log.warn('The GET /connectors/{connector}/tasks-config endpoint is deprecated and will be removed; use GET /connectors/{connector}/tasks');
    return control.taskConfigs(request.params.connector);
  });
}
