/**
 * `GET /health` (KIP-1017): WorkerStatus with 200 (healthy), 503 (starting) or 500
 * (unhealthy: the worker did not answer in time).
 */
import type { FastifyInstance } from 'fastify';
import type { ClusterControl, WorkerHealth } from '../../runtime/control/cluster-control.js';
import { documented } from './openapi/route-docs.js';

const STATUS_CODES: Record<WorkerHealth, number> = { healthy: 200, starting: 503, unhealthy: 500 };

export function registerHealthRoutes(app: FastifyInstance, control: ClusterControl): void {
  app.get('/health', {
    schema: documented({
      summary: 'Whether the worker has started and is able to handle requests',
      response: {
        200: { $ref: 'WorkerStatus#' },
        500: { anyOf: [{ $ref: 'WorkerStatus#' }, { $ref: 'ErrorMessage#' }], description: 'Unhealthy, or the check itself failed' },
        503: { $ref: 'WorkerStatus#' },
      },
    }),
  }, async (_request, reply) => {
    const status = await control.health();
    return reply.code(STATUS_CODES[status.status]).send(status);
  });
}
