import type { FastifyInstance } from 'fastify';
import type { ClusterControl } from '../../runtime/control/cluster-control.js';
import { errorResponses } from '../schemas/error.js';

export function registerRootRoutes(app: FastifyInstance, control: ClusterControl): void {
  app.get('/', {
    schema: {
      response: { 200: { $ref: 'ServerInfo#' }, ...errorResponses() },
    },
  }, () => control.serverInfo());
}
