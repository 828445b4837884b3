/**
 * `GET /connectors/{c}/replication`, a ferry extension (not in Kafka Connect): what a MirrorMaker
 * connector replicates (source → target alias, topics, replication lag) or checkpointed, read
 * from Kafka, so any worker answers it. Other connectors get 400, an unknown one 404.
 */
import type { FastifyInstance } from 'fastify';
import type { ClusterControl } from '../../../runtime/control/cluster-control.js';
import { errorResponses } from '../../schemas/error.js';
import type { ConnectorParams } from '../../schemas/params.js';
import { documented } from '../openapi/route-docs.js';

export function registerReplicationRoutes(app: FastifyInstance, control: ClusterControl): void {
  app.get<{ Params: ConnectorParams }>('/connectors/:connector/replication', {
    schema: documented({
      summary: 'Replication flow, lag and checkpoints of a MirrorMaker connector (ferry extension)',
      description: 'MirrorSourceConnector: replicated topics with the upstream offset replicated, the upstream end offset and the '
        + 'lag per partition. MirrorCheckpointConnector: the latest checkpoint per group and partition. '
        + 'MirrorHeartbeatConnector: the cluster aliases.',
      params: { $ref: 'ConnectorParams#' },
      response: { 200: { $ref: 'ConnectorReplication#' }, ...errorResponses(400, 404) },
    }),
  }, (request) => control.connectorReplication(request.params.connector));
}
