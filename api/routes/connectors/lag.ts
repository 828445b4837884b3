/**
 * `GET /connectors/{c}/lag`, a ferry extension (not in Kafka Connect): a sink connector's
 * consumer lag per partition, read from Kafka, so any worker answers it. A connector that is not
 * a sink answers with its type, `total_lag: null` and no partitions; an unknown one 404.
 */
import type { FastifyInstance } from 'fastify';
import type { ClusterControl } from '../../../runtime/control/cluster-control.js';
import { errorResponses } from '../../schemas/error.js';
import type { ConnectorParams } from '../../schemas/params.js';
import { documented } from '../openapi/route-docs.js';

export function registerLagRoutes(app: FastifyInstance, control: ClusterControl): void {
  app.get<{ Params: ConnectorParams }>('/connectors/:connector/lag', {
    schema: documented({
      summary: 'Consumer lag of a sink connector per partition (ferry extension)',
      description: 'For every partition of the topics the sink subscribes to: the offset its consumer group committed, the log end '
        + 'offset and the lag. Other connectors answer with their type and no partitions.',
      params: { $ref: 'ConnectorParams#' },
      response: { 200: { $ref: 'ConnectorLag#' }, ...errorResponses(404) },
    }),
  }, (request) => control.connectorLag(request.params.connector));
}
